package dev.atrium.identity.directory;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The directory's writes for the LDAP/AD sync: people and departments with source 'ldap', matched by their
 * external id, and the record of the sync's runs. People are never deleted, only disabled; departments only
 * made inactive. The sync calls these inside one transaction per run, which {@link #tryLock()} makes the only
 * one across the replicas.
 */
@Repository
public class DirectorySync {

  /** The advisory lock key of the sync ("LDAPSYNC" in ASCII); transaction-scoped. */
  static final long LOCK_KEY = 0x4C44415053594E43L;
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final int MAX_PROBLEMS_KEPT = 100;

  private final JdbcClient jdbc;

  public DirectorySync(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** A department the sync made, as stored. */
  public record LdapDepartment(String id, String externalId, String externalDn, String name, String parentId,
      boolean active) {
  }

  /**
   * A person the sync made, as stored.
   *
   * @param disabledBySync disabled because they left the directory (not by an admin): coming back enables them
   * @param ldapDepartments their departments that come from the directory (an admin may add local ones)
   */
  public record LdapPerson(String id, String externalId, String externalDn, String displayName, String email,
      String phone, boolean active, boolean disabledBySync, Set<String> ldapDepartments) {
  }

  /** Who has an id now: for a new directory entry whose username is taken. */
  public record Owner(String id, Source source, String externalId) {
  }

  /** A person to create from the directory. */
  public record NewPerson(String id, String externalId, String externalDn, String displayName, String email,
      String phone) {
  }

  /** What a run changed and left out. */
  public record Counts(int peopleCreated, int peopleUpdated, int peopleDisabled, int peopleEnabled,
      int departmentsCreated, int departmentsUpdated, int departmentsDeactivated, int departmentsReactivated,
      int skipped, int conflicts) {

    public static final Counts NONE = new Counts(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    /** The counts as a map, for audit events and logs. */
    public Map<String, Integer> asMap() {
      Map<String, Integer> map = new LinkedHashMap<>();
      map.put("peopleCreated", peopleCreated);
      map.put("peopleUpdated", peopleUpdated);
      map.put("peopleDisabled", peopleDisabled);
      map.put("peopleEnabled", peopleEnabled);
      map.put("departmentsCreated", departmentsCreated);
      map.put("departmentsUpdated", departmentsUpdated);
      map.put("departmentsDeactivated", departmentsDeactivated);
      map.put("departmentsReactivated", departmentsReactivated);
      map.put("skipped", skipped);
      map.put("conflicts", conflicts);
      return map;
    }
  }

  /**
   * An entry the run left out ({@code skipped}, {@code conflict}) or took note of ({@code note}).
   *
   * @param dn the entry
   * @param id the person or department id concerned, if any
   */
  public record Problem(String kind, String dn, String id, String reason) {
  }

  /** A run as recorded; {@code outcome} is running, succeeded or failed. */
  public record Run(long id, Instant startedAt, Instant finishedAt, String requestedBy, String outcome, Counts counts,
      String error, List<Problem> problems) {
  }

  /**
   * Takes the sync's lock for the current transaction; false when another replica's run holds it. Only in a
   * transaction: outside one the lock would end with the statement.
   */
  public boolean tryLock() {
    return Boolean.TRUE.equals(jdbc.sql("SELECT pg_try_advisory_xact_lock(?)").param(LOCK_KEY)
        .query(Boolean.class).single());
  }

  // --- runs

  public long startRun(String requestedBy) {
    return jdbc.sql("INSERT INTO ldap_sync_runs (requested_by) VALUES (?) RETURNING id").param(requestedBy)
        .query(Long.class).single();
  }

  /** Marks runs still 'running' as failed: called while holding the lock, so their replica stopped midway. */
  public int abandonRunning() {
    return jdbc.sql("UPDATE ldap_sync_runs SET outcome = 'failed', finished_at = now(), error = 'the replica"
        + " running it stopped before it finished' WHERE outcome = 'running'").update();
  }

  public void finishRun(long id, boolean succeeded, Counts counts, String error, List<Problem> problems) {
    String detail = JSON.writeValueAsString(Map.of("problems",
        problems.subList(0, Math.min(problems.size(), MAX_PROBLEMS_KEPT)), "problemCount", problems.size()));
    jdbc.sql("""
        UPDATE ldap_sync_runs SET finished_at = clock_timestamp(), outcome = :outcome,
          people_created = :pc, people_updated = :pu, people_disabled = :pd, people_enabled = :pe,
          departments_created = :dc, departments_updated = :du, departments_deactivated = :dd,
          departments_reactivated = :dr, skipped = :skipped, conflicts = :conflicts, error = :error,
          detail = :detail::jsonb
        WHERE id = :id""")
        .param("outcome", succeeded ? "succeeded" : "failed").param("pc", counts.peopleCreated())
        .param("pu", counts.peopleUpdated()).param("pd", counts.peopleDisabled()).param("pe", counts.peopleEnabled())
        .param("dc", counts.departmentsCreated()).param("du", counts.departmentsUpdated())
        .param("dd", counts.departmentsDeactivated()).param("dr", counts.departmentsReactivated())
        .param("skipped", counts.skipped()).param("conflicts", counts.conflicts()).param("error", error)
        .param("detail", detail).param("id", id).update();
  }

  /** Whether a run succeeded less than {@code gap} ago (by the database's clock, which every replica shares). */
  public boolean succeededWithin(Duration gap) {
    return Boolean.TRUE.equals(jdbc.sql("SELECT EXISTS (SELECT 1 FROM ldap_sync_runs WHERE outcome = 'succeeded'"
        + " AND finished_at > clock_timestamp() - make_interval(secs => ?))").param(gap.toMillis() / 1000.0)
        .query(Boolean.class).single());
  }

  /** The latest runs, newest first. */
  public List<Run> runs(int limit) {
    return jdbc.sql("SELECT * FROM ldap_sync_runs ORDER BY started_at DESC, id DESC LIMIT ?").param(limit)
        .query(DirectorySync::run).list();
  }

  public Optional<Run> run(long id) {
    return jdbc.sql("SELECT * FROM ldap_sync_runs WHERE id = ?").param(id).query(DirectorySync::run).optional();
  }

  /** Forgets runs older than the cutoff. */
  public int pruneRuns(Instant before) {
    return jdbc.sql("DELETE FROM ldap_sync_runs WHERE started_at < ? AND outcome <> 'running'")
        .param(Timestamp.from(before)).update();
  }

  // --- departments

  public List<LdapDepartment> ldapDepartments() {
    return jdbc.sql("SELECT id, external_id, external_dn, name, parent_id, active FROM departments"
            + " WHERE source = 'ldap' AND external_id IS NOT NULL")
        .query((rs, n) -> new LdapDepartment(rs.getString("id"), rs.getString("external_id"),
            rs.getString("external_dn"), rs.getString("name"), rs.getString("parent_id"), rs.getBoolean("active")))
        .list();
  }

  /** Every department id, local and synced: new ones must differ. */
  public Set<String> departmentIds() {
    return new HashSet<>(jdbc.sql("SELECT id FROM departments").query(String.class).list());
  }

  public void insertDepartment(String id, String externalId, String externalDn, String name, String parentId) {
    jdbc.sql("INSERT INTO departments (id, name, parent_id, source, external_id, external_dn)"
        + " VALUES (?, ?, ?, 'ldap', ?, ?)").params(id, name, parentId, externalId, externalDn).update();
  }

  /** Sets what the directory says of a department, making it active. */
  public void updateDepartment(String id, String externalDn, String name, String parentId) {
    jdbc.sql("UPDATE departments SET name = ?, parent_id = ?, external_dn = ?, active = true, updated_at = now()"
        + " WHERE id = ? AND source = 'ldap'").params(name, parentId, externalDn, id).update();
  }

  public void deactivateDepartments(Collection<String> ids) {
    if (!ids.isEmpty()) {
      jdbc.sql("UPDATE departments SET active = false, updated_at = now() WHERE id = ANY(?::text[])"
          + " AND source = 'ldap'").param(ids.toArray(String[]::new)).update();
    }
  }

  // --- people

  public List<LdapPerson> ldapPeople() {
    return jdbc.sql("""
        SELECT p.id, p.external_id, p.external_dn, p.display_name, p.email, p.phone, p.status,
          (p.status = 'disabled' AND l.disabled_at IS NOT DISTINCT FROM p.disabled_at AND l.person_id IS NOT NULL)
            AS disabled_by_sync,
          array(SELECT pd.department_id FROM person_departments pd JOIN departments d ON d.id = pd.department_id
                 WHERE pd.person_id = p.id AND d.source = 'ldap') AS ldap_departments
        FROM people p LEFT JOIN ldap_disabled_people l ON l.person_id = p.id
        WHERE p.source = 'ldap' AND p.external_id IS NOT NULL""")
        .query(DirectorySync::ldapPerson).list();
  }

  /** Who has these ids now (any source). */
  public Map<String, Owner> owners(Collection<String> ids) {
    Map<String, Owner> owners = new LinkedHashMap<>();
    if (ids.isEmpty()) {
      return owners;
    }
    jdbc.sql("SELECT id, source, external_id FROM people WHERE id = ANY(?::text[])")
        .param(ids.toArray(String[]::new))
        .query((rs, n) -> new Owner(rs.getString("id"), Source.of(rs.getString("source")), rs.getString("external_id")))
        .list().forEach(owner -> owners.put(owner.id(), owner));
    return owners;
  }

  /** Creates the people (active, no password: they bind, or set one); returns the ids created. */
  public Set<String> insertPeople(List<NewPerson> people) {
    if (people.isEmpty()) {
      return Set.of();
    }
    return new HashSet<>(jdbc.sql("""
        INSERT INTO people (id, display_name, email, phone, source, external_id, external_dn)
        SELECT id, display_name, email, phone, 'ldap', external_id, external_dn
          FROM unnest(:ids::text[], :names::text[], :emails::text[], :phones::text[], :externals::text[], :dns::text[])
               AS t(id, display_name, email, phone, external_id, external_dn)
        ON CONFLICT DO NOTHING
        RETURNING id""")
        .param("ids", people.stream().map(NewPerson::id).toArray(String[]::new))
        .param("names", people.stream().map(NewPerson::displayName).toArray(String[]::new))
        .param("emails", people.stream().map(NewPerson::email).toArray(String[]::new))
        .param("phones", people.stream().map(NewPerson::phone).toArray(String[]::new))
        .param("externals", people.stream().map(NewPerson::externalId).toArray(String[]::new))
        .param("dns", people.stream().map(NewPerson::externalDn).toArray(String[]::new))
        .query(String.class).list());
  }

  /** Sets what the directory says of a person (their external id too: a person re-created there comes back). */
  public void updatePerson(String id, String externalId, String externalDn, String displayName, String email,
      String phone) {
    jdbc.sql("UPDATE people SET external_id = ?, external_dn = ?, display_name = ?, email = ?, phone = ?,"
        + " updated_at = now() WHERE id = ? AND source = 'ldap'")
        .params(externalId, externalDn, displayName, email, phone, id).update();
  }

  /** Disables active synced people who left the directory, remembering it was the sync; returns whom. */
  public List<String> disable(Collection<String> ids) {
    if (ids.isEmpty()) {
      return List.of();
    }
    return jdbc.sql("""
        WITH disabled AS (
          UPDATE people SET status = 'disabled', disabled_at = now(), updated_at = now()
           WHERE id = ANY(:ids::text[]) AND source = 'ldap' AND status = 'active'
          RETURNING id, disabled_at
        )
        INSERT INTO ldap_disabled_people (person_id, disabled_at) SELECT id, disabled_at FROM disabled
        ON CONFLICT (person_id) DO UPDATE SET disabled_at = EXCLUDED.disabled_at
        RETURNING person_id""").param("ids", ids.toArray(String[]::new)).query(String.class).list();
  }

  /** Enables people the sync had disabled, who are back in the directory; returns whom. */
  public List<String> enable(Collection<String> ids) {
    if (ids.isEmpty()) {
      return List.of();
    }
    String[] array = ids.toArray(String[]::new);
    List<String> enabled = jdbc.sql("""
        UPDATE people p SET status = 'active', disabled_at = NULL, updated_at = now()
          FROM ldap_disabled_people l
         WHERE p.id = ANY(:ids::text[]) AND l.person_id = p.id AND p.status = 'disabled'
           AND l.disabled_at = p.disabled_at
        RETURNING p.id""").param("ids", array).query(String.class).list();
    jdbc.sql("DELETE FROM ldap_disabled_people WHERE person_id = ANY(?::text[])").param(array).update();
    return enabled;
  }

  /**
   * Makes {@code departmentId} (null: none) the person's only department from the directory; departments an
   * admin added stay.
   */
  public void setLdapDepartment(String personId, String departmentId) {
    jdbc.sql("""
        DELETE FROM person_departments pd USING departments d
         WHERE pd.person_id = ? AND d.id = pd.department_id AND d.source = 'ldap' AND d.id IS DISTINCT FROM ?""")
        .params(personId, departmentId).update();
    if (departmentId != null) {
      jdbc.sql("INSERT INTO person_departments (person_id, department_id) VALUES (?, ?) ON CONFLICT DO NOTHING")
          .params(personId, departmentId).update();
    }
  }

  /** Adds memberships of new people in one statement. */
  public void addMemberships(Map<String, String> departmentByPerson) {
    if (departmentByPerson.isEmpty()) {
      return;
    }
    jdbc.sql("INSERT INTO person_departments (person_id, department_id) SELECT * FROM unnest(:people::text[],"
            + " :departments::text[]) ON CONFLICT DO NOTHING")
        .param("people", departmentByPerson.keySet().toArray(String[]::new))
        .param("departments", departmentByPerson.values().toArray(String[]::new)).update();
  }

  private static LdapPerson ldapPerson(ResultSet rs, int row) throws SQLException {
    Array departments = rs.getArray("ldap_departments");
    Set<String> ids = departments == null ? Set.of() : Set.of((String[]) departments.getArray());
    return new LdapPerson(rs.getString("id"), rs.getString("external_id"), rs.getString("external_dn"),
        rs.getString("display_name"), rs.getString("email"), rs.getString("phone"),
        "active".equals(rs.getString("status")), rs.getBoolean("disabled_by_sync"), ids);
  }

  private static Run run(ResultSet rs, int row) throws SQLException {
    Counts counts = new Counts(rs.getInt("people_created"), rs.getInt("people_updated"),
        rs.getInt("people_disabled"), rs.getInt("people_enabled"), rs.getInt("departments_created"),
        rs.getInt("departments_updated"), rs.getInt("departments_deactivated"), rs.getInt("departments_reactivated"),
        rs.getInt("skipped"), rs.getInt("conflicts"));
    Detail detail = JSON.readValue(rs.getString("detail"), new TypeReference<Detail>() { });
    return new Run(rs.getLong("id"), instant(rs.getTimestamp("started_at")), instant(rs.getTimestamp("finished_at")),
        rs.getString("requested_by"), rs.getString("outcome"), counts, rs.getString("error"),
        detail.problems() == null ? List.of() : List.copyOf(detail.problems()));
  }

  private record Detail(List<Problem> problems, Integer problemCount) {
  }

  private static Instant instant(Timestamp timestamp) {
    return timestamp == null ? null : timestamp.toInstant();
  }
}
