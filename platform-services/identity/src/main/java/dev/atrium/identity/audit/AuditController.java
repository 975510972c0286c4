package dev.atrium.identity.audit;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The audit trail for the tenant's administrators, newest first. */
@RestController
@RequestMapping("/api/admin/audit")
class AuditController {

  private final JdbcClient jdbc;

  AuditController(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  record AuditEvent(long id, Instant at, String actor, String action, String target, String outcome, String sourceIp,
      String userAgent, String detail) {
  }

  @GetMapping
  List<AuditEvent> events(@RequestParam(required = false) String actor,
      @RequestParam(required = false) String target, @RequestParam(required = false) String action,
      @RequestParam(required = false) Long before, @RequestParam(defaultValue = "100") int limit) {
    int size = Math.max(1, Math.min(limit, 1000));
    return jdbc.sql("SELECT id, at, actor, action, target, outcome, source_ip, user_agent, detail::text AS detail"
            + " FROM audit_events WHERE (:actor::text IS NULL OR actor = :actor)"
            + " AND (:target::text IS NULL OR target = :target) AND (:action::text IS NULL OR action = :action)"
            + " AND (:before::bigint IS NULL OR id < :before) ORDER BY id DESC LIMIT :limit")
        .param("actor", actor).param("target", target).param("action", action).param("before", before)
        .param("limit", size)
        .query((rs, n) -> new AuditEvent(rs.getLong("id"), ((Timestamp) rs.getTimestamp("at")).toInstant(),
            rs.getString("actor"), rs.getString("action"), rs.getString("target"), rs.getString("outcome"),
            rs.getString("source_ip"), rs.getString("user_agent"), rs.getString("detail")))
        .list();
  }
}
