package dev.atrium.identity.apps;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The apps and app_grants tables. */
@Repository
class AppStore {

  private final JdbcClient jdbc;

  AppStore(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  Optional<App> app(String clientId) {
    return jdbc.sql("SELECT client_id, name, managed_by, restricted, suspended FROM apps WHERE client_id = ?").param(clientId)
        .query(AppStore::app).optional();
  }

  List<App> apps() {
    return jdbc.sql("SELECT client_id, name, managed_by, restricted, suspended FROM apps ORDER BY client_id")
        .query(AppStore::app).list();
  }

  void upsert(String clientId, String name, App.ManagedBy managedBy, boolean restricted) {
    jdbc.sql("INSERT INTO apps (client_id, name, managed_by, restricted) VALUES (?, ?, ?, ?) ON CONFLICT (client_id)"
        + " DO UPDATE SET name = excluded.name, managed_by = excluded.managed_by, restricted = excluded.restricted,"
        + " updated_at = now()").params(clientId, name, managedBy.column(), restricted).update();
  }

  void suspend(String clientId, boolean suspended) {
    jdbc.sql("UPDATE apps SET suspended = ?, updated_at = now() WHERE client_id = ?").params(suspended, clientId)
        .update();
  }

  List<Grant> grants(String clientId) {
    return jdbc.sql("SELECT subject_kind, subject_id FROM app_grants WHERE client_id = ? ORDER BY 1, 2")
        .param(clientId).query((rs, n) -> new Grant(Grant.Kind.of(rs.getString(1)), rs.getString(2))).list();
  }

  void replaceGrants(String clientId, List<Grant> grants, String by) {
    jdbc.sql("DELETE FROM app_grants WHERE client_id = ?").param(clientId).update();
    for (Grant grant : grants) {
      jdbc.sql("INSERT INTO app_grants (client_id, subject_kind, subject_id, granted_by) VALUES (?, ?, ?, ?)")
          .params(clientId, grant.kind().column(), grant.id(), by).update();
    }
  }

  /** Whether the person, or one of the given departments, is granted the app. */
  boolean granted(String clientId, String personId, List<String> departments) {
    return jdbc.sql("SELECT EXISTS (SELECT 1 FROM app_grants WHERE client_id = :client AND ((subject_kind = 'person'"
            + " AND subject_id = :person) OR (subject_kind = 'department' AND subject_id = ANY(:departments))))")
        .param("client", clientId).param("person", personId)
        .param("departments", departments.toArray(String[]::new)).query(Boolean.class).single();
  }

  /** The apps a person may use: open ones and those granted to them or their departments. */
  List<App> usableBy(String personId, List<String> departments) {
    return jdbc.sql("SELECT a.client_id, a.name, a.managed_by, a.restricted, a.suspended FROM apps a"
            + " WHERE NOT a.suspended AND (NOT a.restricted OR EXISTS (SELECT 1 FROM app_grants g WHERE g.client_id = a.client_id AND ((g.subject_kind = 'person'"
            + " AND g.subject_id = :person) OR (g.subject_kind = 'department' AND g.subject_id = ANY(:departments)))))"
            + " ORDER BY a.client_id")
        .param("person", personId).param("departments", departments.toArray(String[]::new))
        .query(AppStore::app).list();
  }

  private static App app(ResultSet rs, int row) throws SQLException {
    return new App(rs.getString("client_id"), rs.getString("name"), App.ManagedBy.of(rs.getString("managed_by")),
        rs.getBoolean("restricted"), rs.getBoolean("suspended"));
  }
}
