package dev.atrium.webos.usage;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.function.HandlerFilterFunction;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * What went through the gateway: a Prometheus timer per route, app, backend version and status class
 * ({@code webos_gateway_requests_seconds}, with a latency histogram), and the same counts added up over every
 * replica in the tenant's Redis (hash {@value #KEY}), which the admin API's usage endpoint reads.
 */
@Component
public class Usage {

  /** The request attributes a route sets for the app and the backend version it chose. */
  public static final String APP_ATTRIBUTE = Usage.class.getName() + ".app";
  public static final String VERSION_ATTRIBUTE = Usage.class.getName() + ".version";

  static final String KEY = "webos:gateway:usage";
  static final String NONE = "-";

  private static final Logger LOG = LoggerFactory.getLogger(Usage.class);

  private final MeterRegistry registry;
  private final StringRedisTemplate redis;
  private final Map<Key, Counts> counts = new ConcurrentHashMap<>();

  public Usage(MeterRegistry registry, StringRedisTemplate redis) {
    this.registry = registry;
    this.redis = redis;
  }

  /** One route, app (or -), backend version (or -) and status class. */
  public record Key(String route, String app, String version, String status) {
    String field() {
      return route + "|" + app + "|" + version + "|" + status;
    }

    static Key of(String field) {
      String[] parts = field.split("\\|", 4);
      return parts.length == 4 ? new Key(parts[0], parts[1], parts[2], parts[3]) : null;
    }
  }

  private record Counts(LongAdder total, AtomicLong flushed, Timer timer) {
  }

  /** Times and counts every request of the route {@code route}. */
  public HandlerFilterFunction<ServerResponse, ServerResponse> filter(String route) {
    return (request, next) -> {
      long start = System.nanoTime();
      int status = 500;
      try {
        ServerResponse response = next.handle(request);
        status = response.statusCode().value();
        return response;
      } finally {
        String app = (String) request.attributes().getOrDefault(APP_ATTRIBUTE, NONE);
        String version = (String) request.attributes().getOrDefault(VERSION_ATTRIBUTE, NONE);
        record(new Key(route, app, version, (status / 100) + "xx"), System.nanoTime() - start);
      }
    };
  }

  void record(Key key, long nanos) {
    Counts entry = counts.computeIfAbsent(key, k -> new Counts(new LongAdder(), new AtomicLong(), Timer
        .builder("webos.gateway.requests")
        .description("Requests through the gateway, by route, app, backend version and status class; the time is"
            + " until the backend's response headers")
        .tags("route", k.route(), "app", k.app(), "version", k.version(), "status", k.status())
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofSeconds(60))
        .register(registry)));
    entry.total().increment();
    entry.timer().record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
  }

  /** Adds what this replica counted since the last time to the shared counts. */
  @Scheduled(fixedDelayString = "${atrium.webos.gateway.usage-flush}")
  public synchronized void flush() {
    for (Map.Entry<Key, Counts> entry : counts.entrySet()) {
      long total = entry.getValue().total().sum();
      long delta = total - entry.getValue().flushed().get();
      if (delta == 0) {
        continue;
      }
      try {
        redis.opsForHash().increment(KEY, entry.getKey().field(), delta);
        entry.getValue().flushed().addAndGet(delta);
      } catch (RuntimeException e) {
        LOG.warn("usage counts not added to Redis (kept for the next time): {}", e.toString());
        return;
      }
    }
  }

  @PreDestroy
  void flushAtShutdown() {
    flush();
  }

  /** The counts of every replica: this one's up to now, the others' up to their last flush. */
  public List<Map.Entry<Key, Long>> shared() {
    flush();
    List<Map.Entry<Key, Long>> result = new ArrayList<>();
    redis.<String, String>opsForHash().entries(KEY).forEach((field, value) -> {
      Key key = Key.of(field);
      if (key != null) {
        result.add(Map.entry(key, Long.parseLong(value)));
      }
    });
    return result;
  }

  /** The counts of this replica since it started. */
  public List<Map.Entry<Key, Long>> local() {
    return counts.entrySet().stream().map(e -> Map.entry(e.getKey(), e.getValue().total().sum())).toList();
  }

}
