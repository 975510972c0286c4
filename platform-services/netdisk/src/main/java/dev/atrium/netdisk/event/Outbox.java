package dev.atrium.netdisk.event;

import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import tools.jackson.databind.json.JsonMapper;

/**
 * File events for the message center, written in the transaction of what happened (a transactional outbox) and
 * sent after it by {@link EventSender}: a to-do for the people a file was shared with or whose file was
 * commented on, an announcement to a department when a file arrives in its space.
 */
@Service
public class Outbox {

  static final String TODO = "todo";
  static final String ANNOUNCEMENT = "announcement";

  private final JdbcClient jdbc;
  private final JsonMapper json;

  public Outbox(JdbcClient jdbc, JsonMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  /** A to-do for people; {@code externalId} makes sending it twice harmless. */
  public void todo(String externalId, List<String> assignees, String title, String deepLink) {
    if (assignees.isEmpty()) {
      return;
    }
    add(TODO, Map.of("externalId", externalId, "assignees", assignees, "title", truncate(title, 200),
        "deepLink", deepLink));
  }

  /** An announcement from netdisk's service account to everyone in a department. */
  public void announcement(String clientAnnouncementId, String department, String title, String body) {
    add(ANNOUNCEMENT, Map.of("clientAnnouncementId", clientAnnouncementId, "department", department,
        "title", truncate(title, 200), "body", truncate(body, 20_000)));
  }

  private void add(String kind, Map<String, Object> payload) {
    jdbc.sql("insert into outbox_event (kind, payload) values (?, ?)").params(kind, json.writeValueAsString(payload))
        .update();
  }

  private static String truncate(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max - 1) + "…";
  }
}
