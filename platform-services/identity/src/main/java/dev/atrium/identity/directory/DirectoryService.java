package dev.atrium.identity.directory;

import dev.atrium.identity.audit.AuditLog;
import dev.atrium.service.web.ApiException;
import java.util.List;
import java.util.Map;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The directory's admin operations: checks, writes and audit events. People synced from LDAP are the sync's. */
@Service
public class DirectoryService {

  static final int MIN_PASSWORD = 10;
  static final int MAX_PASSWORD = 128;

  private final DirectoryStore store;
  private final PasswordEncoder passwords;
  private final AuditLog audit;
  private final ApplicationEventPublisher events;
  private final List<ExternalPasswordCheck> externalChecks;

  DirectoryService(DirectoryStore store, PasswordEncoder passwords, AuditLog audit, ApplicationEventPublisher events,
      List<ExternalPasswordCheck> externalChecks) {
    this.store = store;
    this.passwords = passwords;
    this.audit = audit;
    this.events = events;
    this.externalChecks = externalChecks;
  }

  public Person person(String id) {
    return store.person(id).orElseThrow(() -> ApiException.notFound("person", id));
  }

  public List<Person> people(String after, int limit, String department) {
    return store.people(after, Math.max(1, Math.min(limit, 500)), department);
  }

  @Transactional
  public Person create(String actor, String id, String displayName, String email, String phone, boolean admin,
      List<String> departments, String password) {
    if (store.personExists(id)) {
      throw ApiException.conflict("person-exists", "A person with id '" + id + "' exists already (perhaps"
          + " disabled: enable them instead).");
    }
    checkDepartments(departments);
    store.insertPerson(id, displayName, email, phone, admin, password == null ? null : hash(password));
    store.setDepartments(id, departments);
    audit.record(actor, "person.create", id, AuditLog.Outcome.SUCCESS, Map.of("admin", admin,
        "departments", departments));
    return person(id);
  }

  @Transactional
  public Person update(String actor, String id, String displayName, String email, String phone, boolean admin,
      List<String> departments) {
    Person person = person(id);
    if (person.source() == Source.LDAP && (!displayName.equals(person.displayName())
        || !departments.equals(person.departmentIds()))) {
      throw ApiException.conflict("managed-by-ldap", "Person '" + id + "' comes from the company's directory: change"
          + " their name and departments there; the sync brings it here.");
    }
    checkDepartments(departments);
    store.updatePerson(id, displayName, email, phone, admin);
    store.setDepartments(id, departments);
    audit.record(actor, "person.update", id, AuditLog.Outcome.SUCCESS, Map.of("admin", admin,
        "departments", departments));
    return person(id);
  }

  /** Disables a person (they left): sign-in, tokens and devices stop; nothing of theirs is deleted. */
  @Transactional
  public Person disable(String actor, String id) {
    Person person = person(id);
    if (person.active()) {
      store.setStatus(id, Person.Status.DISABLED);
      audit.record(actor, "person.disable", id, AuditLog.Outcome.SUCCESS);
      events.publishEvent(new PersonDisabledEvent(id, actor));
    }
    return person(id);
  }

  @Transactional
  public Person enable(String actor, String id) {
    person(id);
    store.setStatus(id, Person.Status.ACTIVE);
    audit.record(actor, "person.enable", id, AuditLog.Outcome.SUCCESS);
    return person(id);
  }

  @Transactional
  public void unlock(String actor, String id) {
    person(id);
    store.unlock(id);
    audit.record(actor, "person.unlock", id, AuditLog.Outcome.SUCCESS);
  }

  @Transactional
  public void setPassword(String actor, String id, String password) {
    Person person = person(id);
    if (externalChecks.stream().anyMatch(check -> check.decides(person))) {
      throw ApiException.conflict("managed-by-ldap", "Person '" + id + "' signs in with the company directory's"
          + " password; change it there.");
    }
    store.setPasswordHash(id, hash(password));
    store.unlock(id);
    audit.record(actor, "person.password", id, AuditLog.Outcome.SUCCESS);
  }

  /** A person changes their own password, proving the current one. */
  @Transactional
  public void changeOwnPassword(String id, String current, String replacement) {
    DirectoryStore.LoginRecord record = store.loginRecord(id).orElseThrow(() -> ApiException.notFound("person", id));
    if (record.passwordHash() == null || !passwords.matches(current, record.passwordHash())) {
      audit.record(id, "person.password", id, AuditLog.Outcome.FAILURE);
      throw ApiException.forbidden("The current password is wrong.");
    }
    setPassword(id, id, replacement);
  }

  public List<Department> departments() {
    return store.departments();
  }

  @Transactional
  public Department createDepartment(String actor, String id, String name, String parentId) {
    if (store.department(id).isPresent()) {
      throw ApiException.conflict("department-exists", "A department with id '" + id + "' exists already.");
    }
    if (parentId != null && store.department(parentId).isEmpty()) {
      throw ApiException.badRequest("unknown-parent", "The parent department '" + parentId + "' does not exist.");
    }
    store.insertDepartment(id, name, parentId);
    audit.record(actor, "department.create", id, AuditLog.Outcome.SUCCESS);
    return store.department(id).orElseThrow();
  }

  /** Renames or moves a department; it may not move under itself. */
  @Transactional
  public Department updateDepartment(String actor, String id, String name, String parentId, boolean active) {
    Department department = store.department(id).orElseThrow(() -> ApiException.notFound("department", id));
    if (department.source() == Source.LDAP) {
      throw ApiException.conflict("managed-by-ldap", "Department '" + id + "' comes from the company's directory:"
          + " change it there.");
    }
    if (parentId != null) {
      if (store.department(parentId).isEmpty()) {
        throw ApiException.badRequest("unknown-parent", "The parent department '" + parentId + "' does not exist.");
      }
      if (store.ancestorsOf(parentId).contains(id)) {
        throw ApiException.badRequest("department-cycle", "Department '" + id + "' cannot move under '" + parentId
            + "', which is inside it.");
      }
    }
    store.updateDepartment(id, name, parentId, active);
    audit.record(actor, "department.update", id, AuditLog.Outcome.SUCCESS, Map.of("parent",
        parentId == null ? "" : parentId, "active", active));
    return store.department(id).orElseThrow();
  }

  private void checkDepartments(List<String> departments) {
    List<String> unknown = departments.stream().filter(d -> store.department(d).isEmpty()).toList();
    if (!unknown.isEmpty()) {
      throw new ApiException(HttpStatus.BAD_REQUEST, "unknown-department", "Unknown departments",
          "These departments do not exist: " + String.join(", ", unknown) + ".");
    }
  }

  String hash(String password) {
    if (password.length() < MIN_PASSWORD || password.length() > MAX_PASSWORD) {
      throw ApiException.badRequest("weak-password", "A password has " + MIN_PASSWORD + " to " + MAX_PASSWORD
          + " characters.");
    }
    return passwords.encode(password);
  }
}
