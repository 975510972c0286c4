package dev.atrium.netdisk.audit;

import dev.atrium.service.jdbc.RecordRows;
import dev.atrium.service.security.Caller;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Who read, changed, shared and deleted what, and when: a row (in the transaction of what it records, so a
 * refused or rolled-back change leaves none), a log line and {@code atrium_netdisk_events_total{action,outcome}}.
 * Never a password, token or file content.
 */
@Service
public class Audit {

  private static final Logger LOG = LoggerFactory.getLogger("dev.atrium.netdisk.audit");

  /** An audit row, as the activity endpoint shows it. */
  public record Event(long id, OffsetDateTime at, String actor, String action, String outcome, UUID spaceId,
      UUID nodeId, String detail) {
  }

  private final JdbcClient jdbc;
  private final MeterRegistry meters;

  public Audit(JdbcClient jdbc, MeterRegistry meters) {
    this.jdbc = jdbc;
    this.meters = meters;
  }

  /** Something the caller did and was allowed to do. */
  public void record(Caller caller, String action, UUID spaceId, UUID nodeId, String detail) {
    record(caller.id(), action, "ok", spaceId, nodeId, detail);
  }

  /** Something done by {@code actor} ({@code share:<id>} for an anonymous link, {@code netdisk} for the service). */
  public void record(String actor, String action, String outcome, UUID spaceId, UUID nodeId, String detail) {
    String address = address();
    jdbc.sql("insert into audit_event (actor, action, outcome, space_id, node_id, detail, address)"
        + " values (?, ?, ?, ?, ?, ?, ?)").params(actor, action, outcome, spaceId, nodeId, detail, address).update();
    LOG.info("audit actor={} action={} outcome={} space={} node={} detail=\"{}\" address={}", actor, action, outcome,
        spaceId, nodeId, detail, address);
    Counter.builder("atrium.netdisk.events").description("Audited netdisk actions")
        .tag("action", action).tag("outcome", outcome).register(meters).increment();
  }

  /** A space's activity, newest first, optionally by one person. */
  public List<Event> ofSpace(UUID spaceId, String actor, int limit) {
    return jdbc.sql("select id, at, actor, action, outcome, space_id, node_id, detail from audit_event"
            + " where space_id = :space and (cast(:actor as text) is null or actor = :actor) order by id desc limit :limit")
        .param("space", spaceId).param("actor", actor).param("limit", limit).query(RecordRows.of(Event.class)).list();
  }

  /** A file's activity, newest first. */
  public List<Event> ofNode(UUID nodeId, int limit) {
    return jdbc.sql("select id, at, actor, action, outcome, space_id, node_id, detail from audit_event"
        + " where node_id = ? order by id desc limit ?").params(nodeId, limit).query(RecordRows.of(Event.class)).list();
  }

  private static String address() {
    if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes) {
      HttpServletRequest request = attributes.getRequest();
      String forwarded = request.getHeader("X-Forwarded-For");
      return forwarded != null && !forwarded.isBlank() ? forwarded.split(",")[0].trim() : request.getRemoteAddr();
    }
    return null;
  }
}
