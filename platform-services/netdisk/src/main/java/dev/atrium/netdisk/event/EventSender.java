package dev.atrium.netdisk.event;

import dev.atrium.netdisk.config.NetdiskProperties;
import dev.atrium.service.jdbc.RecordRows;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClientException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends the outbox to the message center, oldest first, each event claimed by one replica (SKIP LOCKED) and
 * retried with back-off (2 s doubling to 5 min) while the message center does not take it; one it refuses
 * as malformed (4xx other than 401, 403, 404, 408, 429) is kept with the error and not retried. Without a message
 * center configured nothing is sent and events wait.
 */
@Component
public class EventSender {

  private static final Logger LOG = LoggerFactory.getLogger(EventSender.class);
  private static final int BATCH = 50;

  private final JdbcClient jdbc;
  private final TransactionTemplate transactions;
  private final MessageCenterClient client;
  private final JsonMapper json;
  private final boolean enabled;

  public EventSender(JdbcClient jdbc, TransactionTemplate transactions, MessageCenterClient client, JsonMapper json,
      NetdiskProperties properties, MeterRegistry meters) {
    this.jdbc = jdbc;
    this.transactions = transactions;
    this.client = client;
    this.json = json;
    this.enabled = properties.events().enabled();
    Gauge.builder("atrium.netdisk.outbox.pending", this, EventSender::pending)
        .description("File events not yet taken by the message center").register(meters);
  }

  private record Pending(long id, String kind, String payload, int attempts) {
  }

  @Scheduled(fixedDelayString = "${ATRIUM_NETDISK_EVENT_INTERVAL:2s}", initialDelayString = "3s")
  public void send() {
    if (!enabled) {
      return;
    }
    boolean more = true;
    while (more) {
      Integer sent = transactions.execute(status -> {
        List<Pending> batch = jdbc.sql("select id, kind, payload, attempts from outbox_event where sent_at is null"
            + " and next_attempt_at <= now() order by id limit ? for update skip locked").param(BATCH)
            .query(RecordRows.of(Pending.class)).list();
        int done = 0;
        for (Pending event : batch) {
          try {
            deliver(event);
            jdbc.sql("update outbox_event set sent_at = now(), attempts = attempts + 1, last_error = null where id = ?")
                .param(event.id()).update();
            done++;
          } catch (RestClientException | IllegalStateException e) {
            boolean permanent = e instanceof HttpClientErrorException refused && !retryable(refused.getStatusCode().value());
            Duration backoff = Duration.ofSeconds(Math.min(300, 2L << Math.min(event.attempts(), 8)));
            LOG.warn("the message center did not take event {} ({}): {}{}", event.id(), event.kind(), e.getMessage(),
                permanent ? "; not retried" : "; retrying in " + backoff.toSeconds() + " s");
            jdbc.sql("update outbox_event set attempts = attempts + 1, last_error = ?,"
                    + " next_attempt_at = case when ? then 'infinity'::timestamptz else now() + ? * interval '1 second' end"
                    + " where id = ?")
                .params(truncate(e.getMessage()), permanent, backoff.toSeconds(), event.id()).update();
            if (!permanent) {
              return 0; // the message center is not taking events: wait for the next round
            }
          }
        }
        return batch.size() == BATCH && done == BATCH ? 1 : 0;
      });
      more = sent != null && sent == 1;
    }
  }

  private void deliver(Pending event) {
    JsonNode payload = json.readTree(event.payload());
    switch (event.kind()) {
      case Outbox.TODO -> client.createTodo(Map.of(
          "externalId", payload.get("externalId").asString(),
          "assignees", json.convertValue(payload.get("assignees"), List.class),
          "title", payload.get("title").asString(),
          "deepLink", payload.get("deepLink").asString()));
      case Outbox.ANNOUNCEMENT -> client.announce(Map.of(
          "clientAnnouncementId", payload.get("clientAnnouncementId").asString(),
          "title", payload.get("title").asString(),
          "body", payload.get("body").asString(),
          "audience", Map.of("followers", false, "departments", List.of(payload.get("department").asString()))));
      default -> throw new IllegalStateException("unknown event kind " + event.kind());
    }
  }

  private static boolean retryable(int status) {
    return status == 401 || status == 403 || status == 404 || status == 408 || status == 429;
  }

  private double pending() {
    return jdbc.sql("select count(*) from outbox_event where sent_at is null").query(Long.class).single();
  }

  private static String truncate(String text) {
    return text == null ? null : text.length() > 1000 ? text.substring(0, 1000) : text;
  }
}
