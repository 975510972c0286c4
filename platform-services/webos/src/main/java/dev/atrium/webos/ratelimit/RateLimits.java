package dev.atrium.webos.ratelimit;

import dev.atrium.webos.config.WebosProperties;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.RedisClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.stereotype.Component;

/**
 * Token buckets in the tenant's Redis (Bucket4j's Lettuce proxy manager, compare-and-swap), so every replica
 * draws from the same bucket: a limit of N requests a minute is N for the whole gateway, not N per replica. The
 * bucket refills greedily (N per period, spread evenly). A limit's numbers are part of its key, so a changed limit
 * starts a fresh bucket. When Redis does not answer within the timeout the request is let through (and logged):
 * the limit protects backends, it must not take the gateway down with the cache.
 */
@Component
public class RateLimits {

  private static final Logger LOG = LoggerFactory.getLogger(RateLimits.class);
  private static final String PREFIX = "webos:gateway:ratelimit:";

  private final LettuceConnectionFactory connections;
  private final Duration timeout;
  private volatile ProxyManager<byte[]> buckets;

  /** Whether a request may go, and if not when to try again. */
  public record Decision(boolean allowed, long remaining, long retryAfterSeconds) {
  }

  public RateLimits(LettuceConnectionFactory connections, WebosProperties properties) {
    this.connections = connections;
    this.timeout = properties.gateway().rateLimitTimeout();
  }

  /** Takes one request from the bucket {@code key} holding {@code requests} per {@code period}. */
  public Decision take(String key, long requests, Duration period) {
    try {
      BucketConfiguration configuration = BucketConfiguration.builder()
          .addLimit(Bandwidth.builder().capacity(requests).refillGreedy(requests, period).build())
          .build();
      byte[] id = (PREFIX + key + ":" + requests + "/" + period.toMillis()).getBytes(StandardCharsets.UTF_8);
      ConsumptionProbe probe = buckets().asAsync().builder().build(id, () -> java.util.concurrent
          .CompletableFuture.completedFuture(configuration)).tryConsumeAndReturnRemaining(1)
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (probe.isConsumed()) {
        return new Decision(true, probe.getRemainingTokens(), 0);
      }
      long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(probe.getNanosToWaitForRefill() + 999_999_999L));
      return new Decision(false, 0, seconds);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Decision(true, -1, 0);
    } catch (Exception e) {
      LOG.warn("rate limit {} not checked (Redis did not answer), request let through: {}", key, e.toString());
      return new Decision(true, -1, 0);
    }
  }

  private ProxyManager<byte[]> buckets() {
    ProxyManager<byte[]> manager = buckets;
    if (manager == null) {
      synchronized (this) {
        if (buckets == null) {
          buckets = Bucket4jLettuce.casBasedBuilder((RedisClient) connections.getNativeClient())
              .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(
                  Duration.ofSeconds(10)))
              .build();
        }
        manager = buckets;
      }
    }
    return manager;
  }
}
