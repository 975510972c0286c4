package dev.atrium.identity.audit;

import jakarta.servlet.http.HttpServletRequest;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import tools.jackson.databind.json.JsonMapper;

/**
 * Records what matters (sign-ins, failures, lockouts, grant changes, device and directory changes) with who,
 * what, when and from where: a row in audit_events, a log line, and the counter
 * {@code atrium_identity_events_total{action,outcome}}. Callers pass only ids and counts in the
 * detail, never a password, a token or a secret.
 */
@Component
public class AuditLog {

  private static final Logger LOG = LoggerFactory.getLogger("dev.atrium.identity.audit");
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final JdbcClient jdbc;
  private final MeterRegistry meters;

  public AuditLog(JdbcClient jdbc, MeterRegistry meters) {
    this.jdbc = jdbc;
    this.meters = meters;
  }

  /** How an action ended. */
  public enum Outcome {
    SUCCESS, FAILURE, DENIED;

    String column() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** Records an event; the source address and user agent come from the current HTTP request, if any. */
  public void record(String actor, String action, String target, Outcome outcome, Map<String, ?> detail) {
    HttpServletRequest request = currentRequest();
    String ip = request == null ? null : clientAddress(request);
    String agent = request == null ? null : truncate(request.getHeader("User-Agent"), 200);
    String json = JSON.writeValueAsString(new TreeMap<>(detail));
    jdbc.sql("INSERT INTO audit_events (actor, action, target, outcome, source_ip, user_agent, detail)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?::jsonb)").params(actor, action, target, outcome.column(), ip, agent, json)
        .update();
    LOG.info("audit actor={} action={} target={} outcome={} from={} detail={}", actor, action, target,
        outcome.column(), ip, json);
    // sign-ins, failures, lockouts, refusals... as rates in Prometheus; the action set is fixed by the code
    meters.counter("atrium.identity.events", "action", action, "outcome", outcome.column()).increment();
  }

  public void record(String actor, String action, String target, Outcome outcome) {
    record(actor, action, target, outcome, Map.of());
  }

  /**
   * The client's address: behind webos's gateway the first of X-Forwarded-For, which the framework's forwarded-header
   * filter (server.forward-headers-strategy) makes the request's remote address.
   */
  private static String clientAddress(HttpServletRequest request) {
    return truncate(request.getRemoteAddr(), 64);
  }

  private static HttpServletRequest currentRequest() {
    return RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes
        ? attributes.getRequest() : null;
  }

  private static String truncate(String value, int max) {
    return value == null || value.length() <= max ? value : value.substring(0, max);
  }
}
