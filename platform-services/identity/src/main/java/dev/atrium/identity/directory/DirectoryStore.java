package dev.atrium.identity.directory;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The directory's tables: people, departments and who is in which. */
@Repository
public class DirectoryStore {

  private static final String PERSON_COLUMNS = "p.id, p.display_name, p.email, p.phone, p.status, p.admin, p.source,"
      + " p.external_id, p.created_at, p.updated_at,"
      + " array(SELECT pd.department_id FROM person_departments pd WHERE pd.person_id = p.id ORDER BY 1) AS departments";

  private final JdbcClient jdbc;

  public DirectoryStore(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  public Optional<Person> person(String id) {
    return jdbc.sql("SELECT " + PERSON_COLUMNS + " FROM people p WHERE p.id = ?").param(id)
        .query(DirectoryStore::person).optional();
  }

  public List<Person> people(String after, int limit, String department) {
    String where = department == null ? "" : " AND EXISTS (SELECT 1 FROM person_departments d WHERE d.person_id = p.id"
        + " AND d.department_id = :department)";
    return jdbc.sql("SELECT " + PERSON_COLUMNS + " FROM people p WHERE p.id > :after" + where
            + " ORDER BY p.id LIMIT :limit")
        .param("after", after == null ? "" : after).param("limit", limit).param("department", department)
        .query(DirectoryStore::person).list();
  }

  public boolean personExists(String id) {
    return jdbc.sql("SELECT count(*) FROM people WHERE id = ?").param(id).query(Long.class).single() > 0;
  }

  public void insertPerson(String id, String displayName, String email, String phone, boolean admin,
      String passwordHash) {
    jdbc.sql("INSERT INTO people (id, display_name, email, phone, admin, password_hash) VALUES (?, ?, ?, ?, ?, ?)")
        .params(id, displayName, email, phone, admin, passwordHash).update();
  }

  /** Inserts the person unless someone with that id exists; true when inserted. */
  public boolean insertPersonIfAbsent(String id, String displayName, boolean admin, String passwordHash) {
    return jdbc.sql("INSERT INTO people (id, display_name, admin, password_hash) VALUES (?, ?, ?, ?)"
        + " ON CONFLICT (id) DO NOTHING").params(id, displayName, admin, passwordHash).update() > 0;
  }

  public void updatePerson(String id, String displayName, String email, String phone, boolean admin) {
    jdbc.sql("UPDATE people SET display_name = ?, email = ?, phone = ?, admin = ?, updated_at = now() WHERE id = ?")
        .params(displayName, email, phone, admin, id).update();
  }

  public void setStatus(String id, Person.Status status) {
    jdbc.sql("UPDATE people SET status = ?, updated_at = now(), disabled_at = CASE WHEN ? = 'disabled' THEN now()"
        + " ELSE NULL END WHERE id = ?").params(status.column(), status.column(), id).update();
  }

  public void setDepartments(String personId, List<String> departmentIds) {
    jdbc.sql("DELETE FROM person_departments WHERE person_id = ?").param(personId).update();
    for (String department : new LinkedHashSet<>(departmentIds)) {
      jdbc.sql("INSERT INTO person_departments (person_id, department_id) VALUES (?, ?)")
          .params(personId, department).update();
    }
  }

  /** The person's departments and all their ancestors: what the departments claim carries. */
  public List<String> departmentsWithAncestors(String personId) {
    return jdbc.sql("""
        WITH RECURSIVE up(id, parent_id) AS (
          SELECT d.id, d.parent_id FROM departments d JOIN person_departments pd ON pd.department_id = d.id
           WHERE pd.person_id = ? AND d.active
          UNION
          SELECT d.id, d.parent_id FROM departments d JOIN up ON d.id = up.parent_id
        )
        SELECT id FROM up ORDER BY id""").param(personId).query(String.class).list();
  }

  public Optional<Department> department(String id) {
    return jdbc.sql("SELECT id, name, parent_id, source, external_id, active FROM departments WHERE id = ?")
        .param(id).query(DirectoryStore::department).optional();
  }

  public List<Department> departments() {
    return jdbc.sql("SELECT id, name, parent_id, source, external_id, active FROM departments ORDER BY id")
        .query(DirectoryStore::department).list();
  }

  public void insertDepartment(String id, String name, String parentId) {
    jdbc.sql("INSERT INTO departments (id, name, parent_id) VALUES (?, ?, ?)").params(id, name, parentId).update();
  }

  public void updateDepartment(String id, String name, String parentId, boolean active) {
    jdbc.sql("UPDATE departments SET name = ?, parent_id = ?, active = ?, updated_at = now() WHERE id = ?")
        .params(name, parentId, active, id).update();
  }

  /** The ids of the department and every department above it; for refusing a move under its own subtree. */
  public Set<String> ancestorsOf(String departmentId) {
    return new LinkedHashSet<>(jdbc.sql("""
        WITH RECURSIVE up(id, parent_id) AS (
          SELECT id, parent_id FROM departments WHERE id = ?
          UNION
          SELECT d.id, d.parent_id FROM departments d JOIN up ON d.id = up.parent_id
        )
        SELECT id FROM up""").param(departmentId).query(String.class).list());
  }

  /** What signing in needs to know about a person. */
  public Optional<LoginRecord> loginRecord(String id) {
    return jdbc.sql("SELECT id, status, source, password_hash, failed_logins, locked_until, totp_secret, totp_enabled"
        + " FROM people WHERE id = ?").param(id).query((rs, n) -> new LoginRecord(rs.getString("id"),
            Person.Status.of(rs.getString("status")), Source.of(rs.getString("source")), rs.getString("password_hash"),
            rs.getInt("failed_logins"), instant(rs.getTimestamp("locked_until")), rs.getString("totp_secret"),
            rs.getBoolean("totp_enabled"))).optional();
  }

  /**
   * Counts a failed sign-in; at {@code threshold} failures in a row the person is locked until {@code until}
   * (the count starts again). Returns the lock's end when this failure locked them.
   */
  public Optional<Instant> recordFailure(String id, int threshold, Instant until) {
    return jdbc.sql("""
        UPDATE people SET
          failed_logins = CASE WHEN failed_logins + 1 >= :threshold THEN 0 ELSE failed_logins + 1 END,
          locked_until = CASE WHEN failed_logins + 1 >= :threshold THEN :until ELSE locked_until END
        WHERE id = :id
        RETURNING CASE WHEN locked_until = :until THEN locked_until END""")
        .param("threshold", threshold).param("until", Timestamp.from(until)).param("id", id)
        .query((rs, n) -> instant(rs.getTimestamp(1))).optional().flatMap(Optional::ofNullable);
  }

  public void recordSuccess(String id) {
    jdbc.sql("UPDATE people SET failed_logins = 0, locked_until = NULL WHERE id = ? AND (failed_logins <> 0"
        + " OR locked_until IS NOT NULL)").param(id).update();
  }

  public void unlock(String id) {
    jdbc.sql("UPDATE people SET failed_logins = 0, locked_until = NULL WHERE id = ?").param(id).update();
  }

  public void setPasswordHash(String id, String hash) {
    jdbc.sql("UPDATE people SET password_hash = ?, updated_at = now() WHERE id = ?").params(hash, id).update();
  }

  public void setTotp(String id, String encryptedSecret, boolean enabled) {
    jdbc.sql("UPDATE people SET totp_secret = ?, totp_enabled = ?, updated_at = now() WHERE id = ?")
        .params(encryptedSecret, enabled, id).update();
  }

  /**
   * What signing in needs.
   *
   * @param totpSecret encrypted; null when none was set up
   */
  public record LoginRecord(String id, Person.Status status, Source source, String passwordHash, int failedLogins,
      Instant lockedUntil, String totpSecret, boolean totpEnabled) {
  }

  static Person person(ResultSet rs, int row) throws SQLException {
    Array departments = rs.getArray("departments");
    List<String> ids = departments == null ? List.of()
        : new ArrayList<>(Arrays.asList((String[]) departments.getArray()));
    return new Person(rs.getString("id"), rs.getString("display_name"), rs.getString("email"), rs.getString("phone"),
        Person.Status.of(rs.getString("status")), rs.getBoolean("admin"), Source.of(rs.getString("source")),
        rs.getString("external_id"), List.copyOf(ids), instant(rs.getTimestamp("created_at")),
        instant(rs.getTimestamp("updated_at")));
  }

  static Department department(ResultSet rs, int row) throws SQLException {
    return new Department(rs.getString("id"), rs.getString("name"), rs.getString("parent_id"),
        Source.of(rs.getString("source")), rs.getString("external_id"), rs.getBoolean("active"));
  }

  private static Instant instant(Timestamp timestamp) {
    return timestamp == null ? null : timestamp.toInstant();
  }
}
