package dev.atrium.messagecenter.push;

import dev.atrium.messagecenter.config.MessageCenterProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;
import tools.jackson.databind.json.JsonMapper;

/**
 * After a commit that appended to users' streams, publishes the entry with its payload on the Redis channel
 * every replica listens to. If Redis is unreachable the entry is still stored: sessions get it when the next
 * entry of their stream shows them the gap, or when they reconnect with their cursor.
 */
@Component
public class PushFanOut {

  private static final Logger LOG = LoggerFactory.getLogger(PushFanOut.class);

  private final StringRedisTemplate redis;
  private final Payloads payloads;
  private final JsonMapper json;
  private final String channel;
  private final Counter publishFailures;

  public PushFanOut(StringRedisTemplate redis, Payloads payloads, JsonMapper json,
      MessageCenterProperties properties, MeterRegistry meters) {
    this.redis = redis;
    this.payloads = payloads;
    this.json = json;
    this.channel = channel(properties);
    this.publishFailures = Counter.builder("messagecenter.push.publish.failures")
        .description("Stream entries that could not be published to Redis (delivered later from the database)")
        .register(meters);
  }

  static String channel(MessageCenterProperties properties) {
    return properties.channelPrefix() + ":events";
  }

  @TransactionalEventListener
  public void afterCommit(UserStreams.StreamAppended appended) {
    try {
      Object data = payloads.load(appended.kind(), List.of(appended.refId())).get(appended.refId());
      PushEvent event = new PushEvent(appended.kind(), appended.refId(), appended.entries(),
          json.valueToTree(data), System.currentTimeMillis());
      redis.convertAndSend(channel, json.writeValueAsString(event));
    } catch (RuntimeException e) {
      publishFailures.increment();
      LOG.warn("could not publish {} {} to Redis; sessions will catch up from the database: {}", appended.kind(),
          appended.refId(), e.toString());
    }
  }
}
