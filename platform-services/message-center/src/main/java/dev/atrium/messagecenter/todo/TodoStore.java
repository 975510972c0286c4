package dev.atrium.messagecenter.todo;

import dev.atrium.messagecenter.todo.TodoApi.Status;
import dev.atrium.messagecenter.todo.TodoApi.Todo;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The SQL of to-dos and their assignees. */
@Repository
class TodoStore {

  private static final String TODO = "SELECT t.id, t.app_id, t.external_id, t.title, t.deep_link, t.due_at,"
      + " t.status, t.created_at, t.closed_at, ARRAY(SELECT a.user_id FROM todo_assignee a WHERE a.todo_id = t.id"
      + " ORDER BY a.user_id) AS assignees FROM todo t";

  private final JdbcClient jdbc;

  TodoStore(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Inserts an open to-do; false (nothing stored) when the app used this external id before. */
  boolean insert(UUID id, String app, String externalId, String title, String deepLink, OffsetDateTime due,
      Collection<String> assignees) {
    boolean inserted = jdbc.sql("INSERT INTO todo (id, app_id, external_id, title, deep_link, due_at, status)"
            + " VALUES (:id, :app, :external, :title, :link, :due, 'OPEN') ON CONFLICT (app_id, external_id)"
            + " DO NOTHING")
        .param("id", id).param("app", app).param("external", externalId).param("title", title)
        .param("link", deepLink).param("due", due).update() == 1;
    if (inserted) {
      jdbc.sql("INSERT INTO todo_assignee (todo_id, user_id) SELECT :id, unnest(:users::text[])")
          .param("id", id).param("users", assignees.toArray(String[]::new)).update();
    }
    return inserted;
  }

  Optional<Todo> byExternalId(String app, String externalId) {
    return jdbc.sql(TODO + " WHERE t.app_id = :app AND t.external_id = :external").param("app", app)
        .param("external", externalId).query(TodoStore::todo).optional();
  }

  /** The to-do, locked until commit, if {@code app} created it. */
  Optional<Todo> ofAppForUpdate(UUID id, String app) {
    return jdbc.sql(TODO + " WHERE t.id = :id AND t.app_id = :app FOR UPDATE OF t").param("id", id)
        .param("app", app).query(TodoStore::todo).optional();
  }

  Optional<Todo> find(UUID id) {
    return jdbc.sql(TODO + " WHERE t.id = :id").param("id", id).query(TodoStore::todo).optional();
  }

  List<Todo> byIds(Collection<UUID> ids) {
    return jdbc.sql(TODO + " WHERE t.id = ANY(:ids::uuid[])").param("ids", ids.toArray(UUID[]::new))
        .query(TodoStore::todo).list();
  }

  void close(UUID id, Status status) {
    jdbc.sql("UPDATE todo SET status = :status, closed_at = now() WHERE id = :id AND status = 'OPEN'")
        .param("status", status.name()).param("id", id).update();
  }

  /** A person's to-dos with the status, soonest due first (no due date last). */
  List<Todo> ofUser(String user, Status status, int limit) {
    return jdbc.sql(TODO + " WHERE t.status = :status AND EXISTS (SELECT 1 FROM todo_assignee a"
            + " WHERE a.todo_id = t.id AND a.user_id = :user) ORDER BY t.due_at NULLS LAST, t.created_at LIMIT :limit")
        .param("status", status.name()).param("user", user).param("limit", limit).query(TodoStore::todo).list();
  }

  List<Todo> ofApp(String app, Status status, int limit) {
    return jdbc.sql(TODO + " WHERE t.app_id = :app AND t.status = :status ORDER BY t.created_at DESC LIMIT :limit")
        .param("app", app).param("status", status.name()).param("limit", limit).query(TodoStore::todo).list();
  }

  long openCount(String user) {
    return jdbc.sql("SELECT count(*) FROM todo t JOIN todo_assignee a ON a.todo_id = t.id"
        + " WHERE a.user_id = :user AND t.status = 'OPEN'").param("user", user).query(Long.class).single();
  }

  private static Todo todo(ResultSet rs, int row) throws SQLException {
    return new Todo(rs.getObject("id", UUID.class), rs.getString("app_id"), rs.getString("external_id"),
        rs.getString("title"), rs.getString("deep_link"), rs.getObject("due_at", OffsetDateTime.class),
        Status.valueOf(rs.getString("status")), List.of((String[]) rs.getArray("assignees").getArray()),
        rs.getObject("created_at", OffsetDateTime.class), rs.getObject("closed_at", OffsetDateTime.class));
  }
}
