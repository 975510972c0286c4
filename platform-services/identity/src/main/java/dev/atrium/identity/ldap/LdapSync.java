package dev.atrium.identity.ldap;

import dev.atrium.identity.audit.AuditLog;
import dev.atrium.identity.directory.DirectorySync;
import dev.atrium.identity.directory.DirectorySync.Counts;
import dev.atrium.identity.directory.DirectorySync.LdapDepartment;
import dev.atrium.identity.directory.DirectorySync.LdapPerson;
import dev.atrium.identity.directory.DirectorySync.NewPerson;
import dev.atrium.identity.directory.DirectorySync.Owner;
import dev.atrium.identity.directory.DirectorySync.Problem;
import dev.atrium.identity.directory.PersonDisabledEvent;
import dev.atrium.identity.directory.Source;
import dev.atrium.identity.ldap.LdapDirectory.DepartmentEntry;
import dev.atrium.identity.ldap.LdapDirectory.PersonEntry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.naming.ldap.LdapName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Brings the directory's departments and people into identity's directory. One run reads every department and
 * person entry (paged), then, in one transaction that only one replica at a time may hold (a PostgreSQL
 * advisory lock; the others skip): departments are created or updated by their external id (the tree from the
 * DN hierarchy: a department's parent is its nearest ancestor entry that is a department), made inactive when
 * gone; people likewise (their department is the nearest department above their entry; their id their
 * username, lower-cased), disabled when gone, never deleted, enabled again when they come back. A directory
 * entry whose username is a local person's id is a conflict: that person is left alone. Each run is recorded
 * (ldap_sync_runs), audited ({@code ldap.sync}, and {@code person.disable}/{@code person.enable} for each person
 * the sync disables or enables), measured, and every person it disabled gets a {@link PersonDisabledEvent} once
 * the transaction committed, so their sessions and tokens end.
 */
@Component
@ConditionalOnBooleanProperty("atrium.ldap.enabled")
public class LdapSync {

  /** The actor of scheduled runs, and the {@code by} of the events and audit entries the sync causes. */
  public static final String ACTOR = "ldap-sync";
  static final Duration KEEP_RUNS = Duration.ofDays(90);
  private static final int MAX_ERROR = 2000;
  private static final int MAX_LOGGED_PROBLEMS = 20;
  private static final Logger LOG = LoggerFactory.getLogger(LdapSync.class);

  /** How a run ended; a skipped run did nothing (another one held the lock, or one had just finished). */
  public enum Outcome {
    SUCCEEDED, FAILED, SKIPPED
  }

  /**
   * A run's result.
   *
   * @param runId the run's row in ldap_sync_runs; null when skipped
   * @param error why it failed, or why it was skipped
   */
  public record Result(Outcome outcome, Long runId, Counts counts, List<Problem> problems, String error,
      Duration took) {
  }

  private final LdapProperties properties;
  private final LdapDirectory directory;
  private final DirectorySync store;
  private final TransactionTemplate inRun;
  private final TransactionTemplate separately;
  private final ApplicationEventPublisher events;
  private final AuditLog audit;
  private final MeterRegistry meters;
  private final ReentrantLock running = new ReentrantLock();

  public LdapSync(LdapProperties properties, LdapDirectory directory, DirectorySync store,
      PlatformTransactionManager transactions, ApplicationEventPublisher events, AuditLog audit,
      MeterRegistry meters) {
    this.properties = properties;
    this.directory = directory;
    this.store = store;
    this.inRun = new TransactionTemplate(transactions);
    this.separately = new TransactionTemplate(transactions);
    this.separately.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    this.events = events;
    this.audit = audit;
    this.meters = meters;
  }

  /** Runs now, for {@code requestedBy} (an admin's id, or {@link #ACTOR}); skipped when a run is under way. */
  public Result run(String requestedBy) {
    return run(requestedBy, Duration.ZERO);
  }

  /**
   * As {@link #run(String)}; also skipped when a run succeeded less than {@code minimumGap} ago (the schedule
   * passes half the interval, so that replicas whose timers fire one after the other do not sync twice).
   */
  public Result run(String requestedBy, Duration minimumGap) {
    if (!running.tryLock()) {
      return skipped("a sync is running on this replica", Duration.ZERO);
    }
    try {
      return runExclusively(requestedBy, minimumGap);
    } finally {
      running.unlock();
    }
  }

  private Result runExclusively(String requestedBy, Duration minimumGap) {
    long started = System.nanoTime();
    AtomicLong runId = new AtomicLong(-1);
    Changes changes = new Changes();
    String skipReason;
    try {
      skipReason = inRun.execute(status -> {
        if (!store.tryLock()) {
          return "a sync is running on another replica";
        }
        if (!minimumGap.isZero() && store.succeededWithin(minimumGap)) {
          return "a sync finished less than " + minimumGap + " ago";
        }
        runId.set(separately.execute(s -> {
          store.abandonRunning();
          return store.startRun(requestedBy);
        }));
        apply(changes);
        return null;
      });
    } catch (RuntimeException e) {
      return failed(requestedBy, runId.get(), changes, e, took(started));
    }
    if (skipReason != null) {
      LOG.debug("LDAP sync skipped: {}", skipReason);
      return skipped(skipReason, took(started));
    }
    return succeeded(requestedBy, runId.get(), changes, took(started));
  }

  private void apply(Changes changes) {
    List<DepartmentEntry> departments = directory.departments();
    List<PersonEntry> people = directory.people();
    Map<LdapName, String> departmentIds = syncDepartments(departments, changes);
    syncPeople(people, departmentIds, changes);
  }

  /** Upserts the departments, parents first; returns the department id of each entry's DN. */
  private Map<LdapName, String> syncDepartments(List<DepartmentEntry> entries, Changes changes) {
    Map<String, LdapDepartment> known = store.ldapDepartments().stream()
        .collect(Collectors.toMap(LdapDepartment::externalId, Function.identity()));
    Set<String> taken = store.departmentIds();
    Map<LdapName, String> ids = new HashMap<>();
    Set<String> seen = new HashSet<>();
    List<DepartmentEntry> parentsFirst = entries.stream()
        .sorted(Comparator.comparingInt((DepartmentEntry e) -> e.dn().size()).thenComparing(e -> e.dn().toString()))
        .toList();
    for (DepartmentEntry entry : parentsFirst) {
      String dn = entry.dn().toString();
      if (entry.externalId() == null) {
        changes.skip(dn, null, "no " + properties.attribute().id() + ": it cannot be told apart from the others"
            + " for good, so it is left out (its people go to the department above it)");
        continue;
      }
      if (!seen.add(entry.externalId())) {
        changes.skip(dn, null, "another entry has the same " + properties.attribute().id());
        continue;
      }
      String parent = LdapIds.nearestAncestor(entry.dn(), ids).orElse(null);
      String name = entry.name() != null ? entry.name() : LdapIds.rdnValue(entry.dn());
      LdapDepartment before = known.get(entry.externalId());
      String id;
      if (before == null) {
        id = LdapIds.departmentId(name, entry.externalId(), taken);
        taken.add(id);
        store.insertDepartment(id, entry.externalId(), dn, name, parent);
        changes.departmentsCreated++;
      } else {
        id = before.id();
        boolean differs = !name.equals(before.name()) || !Objects.equals(parent, before.parentId())
            || !dn.equals(before.externalDn());
        if (!before.active() || differs) {
          store.updateDepartment(id, dn, name, parent);
          if (before.active()) {
            changes.departmentsUpdated++;
          } else {
            changes.departmentsReactivated++;
          }
        }
      }
      ids.put(entry.dn(), id);
    }
    List<String> gone = known.values().stream().filter(d -> d.active() && !seen.contains(d.externalId()))
        .map(LdapDepartment::id).toList();
    store.deactivateDepartments(gone);
    changes.departmentsDeactivated += gone.size();
    return ids;
  }

  private void syncPeople(List<PersonEntry> entries, Map<LdapName, String> departmentIds, Changes changes) {
    List<LdapPerson> stored = store.ldapPeople();
    Map<String, LdapPerson> byExternalId = stored.stream()
        .collect(Collectors.toMap(LdapPerson::externalId, Function.identity()));
    Map<String, LdapPerson> byId = stored.stream().collect(Collectors.toMap(LdapPerson::id, Function.identity()));
    Set<String> seen = entries.stream().map(PersonEntry::externalId).filter(Objects::nonNull)
        .collect(Collectors.toSet());
    long active = stored.stream().filter(LdapPerson::active).count();
    if (seen.isEmpty() && active > 0) {
      throw new IllegalStateException("the user search " + properties.userFilter() + " under " + properties.baseDn()
          + " found nobody, but " + active + " people synced before are active: refusing to disable them all."
          + " Check ATRIUM_LDAP_USER_FILTER, ATRIUM_LDAP_BASE_DN and ATRIUM_LDAP_ATTRIBUTE_ID; if the directory"
          + " really is empty now, disable them through the admin API");
    }
    List<PersonEntry> sorted = entries.stream().sorted(Comparator.comparing(e -> e.dn().toString())).toList();

    // first the entries of people identity knows, so that their ids are theirs whatever the order
    Set<String> claimed = new HashSet<>();
    List<String> toEnable = new ArrayList<>();
    List<PersonEntry> fresh = new ArrayList<>();
    for (PersonEntry entry : sorted) {
      if (entry.externalId() == null) {
        changes.skip(entry.dn().toString(), null, "no " + properties.attribute().id());
        continue;
      }
      LdapPerson before = byExternalId.get(entry.externalId());
      if (before == null) {
        fresh.add(entry);
        continue;
      }
      claimed.add(before.id());
      LdapIds.personId(entry.username()).filter(id -> !id.equals(before.id())).ifPresent(id -> changes.note(
          entry.dn().toString(), before.id(), "the username is " + id + " now; identity keeps the id " + before.id()
              + " (ids never change: they name the person in tokens and history)"));
      update(before, entry, departmentIds, changes, toEnable);
    }

    // then the new entries: created, or taken by a local person (a conflict), or a synced person's who left
    Map<String, List<PersonEntry>> byNewId = new LinkedHashMap<>();
    for (PersonEntry entry : fresh) {
      String dn = entry.dn().toString();
      if (entry.username() == null) {
        changes.skip(dn, null, "no " + properties.attribute().username());
        continue;
      }
      String id = LdapIds.personId(entry.username()).orElse(null);
      if (id == null) {
        changes.skip(dn, null, "the username '" + entry.username() + "' is no valid id (lower-case letters, digits,"
            + " '.', '_' and '-', up to 64, starting with a letter or digit)");
      } else if (claimed.contains(id)) {
        changes.skip(dn, id, "the username " + id + " is another entry's, synced before");
      } else {
        byNewId.computeIfAbsent(id, key -> new ArrayList<>()).add(entry);
      }
    }
    Map<String, PersonEntry> candidates = new LinkedHashMap<>();
    byNewId.forEach((id, same) -> {
      if (same.size() == 1) {
        candidates.put(id, same.getFirst());
      } else {
        // which one is the person? Not for the sync to guess: none of them, until the directory says
        same.forEach(entry -> changes.skip(entry.dn().toString(), id, same.size() + " entries of the directory have"
            + " the username " + id));
      }
    });
    Map<String, Owner> owners = store.owners(candidates.keySet());
    List<NewPerson> creates = new ArrayList<>();
    Map<String, String> memberships = new LinkedHashMap<>();
    for (Map.Entry<String, PersonEntry> candidate : candidates.entrySet()) {
      String id = candidate.getKey();
      PersonEntry entry = candidate.getValue();
      Owner owner = owners.get(id);
      if (owner == null) {
        creates.add(new NewPerson(id, entry.externalId(), entry.dn().toString(), displayName(entry, id),
            entry.email(), entry.phone()));
        LdapIds.nearestAncestor(entry.dn(), departmentIds).ifPresent(department -> memberships.put(id, department));
      } else if (owner.source() == Source.LOCAL) {
        changes.conflict(entry.dn().toString(), id, "a local person has the id " + id + " and is left alone: rename"
            + " one of them, or disable the local person and change the entry's username");
      } else {
        // a synced person whose entry is gone and who has one again (re-created: a new external id)
        LdapPerson before = byId.get(id);
        if (before == null) {
          changes.conflict(entry.dn().toString(), id, "the id " + id + " was taken while the sync ran");
          continue;
        }
        claimed.add(id);
        update(before, entry, departmentIds, changes, toEnable);
      }
    }
    Set<String> created = store.insertPeople(creates);
    for (NewPerson person : creates) {
      if (created.contains(person.id())) {
        changes.peopleCreated++;
      } else {
        memberships.remove(person.id());
        changes.conflict(person.externalDn(), person.id(), "the id " + person.id() + " was taken while the sync ran");
      }
    }
    store.addMemberships(memberships);

    List<String> enabled = store.enable(toEnable);
    changes.enabled.addAll(enabled);
    for (String id : enabled) {
      audit.record(ACTOR, "person.enable", id, AuditLog.Outcome.SUCCESS, Map.of("reason", "back in the directory"));
    }
    List<String> leaving = stored.stream()
        .filter(p -> p.active() && !seen.contains(p.externalId()) && !claimed.contains(p.id()))
        .map(LdapPerson::id).toList();
    List<String> disabled = store.disable(leaving);
    changes.disabled.addAll(disabled);
    for (String id : disabled) {
      audit.record(ACTOR, "person.disable", id, AuditLog.Outcome.SUCCESS, Map.of("reason", "left the directory"));
    }
  }

  private void update(LdapPerson before, PersonEntry entry, Map<LdapName, String> departmentIds, Changes changes,
      List<String> toEnable) {
    String dn = entry.dn().toString();
    String displayName = displayName(entry, before.id());
    String department = LdapIds.nearestAncestor(entry.dn(), departmentIds).orElse(null);
    boolean attributesDiffer = !displayName.equals(before.displayName()) || !Objects.equals(entry.email(),
        before.email()) || !Objects.equals(entry.phone(), before.phone()) || !dn.equals(before.externalDn())
        || !entry.externalId().equals(before.externalId());
    boolean departmentDiffers = !before.ldapDepartments().equals(department == null ? Set.of() : Set.of(department));
    if (attributesDiffer) {
      store.updatePerson(before.id(), entry.externalId(), dn, displayName, entry.email(), entry.phone());
    }
    if (departmentDiffers) {
      store.setLdapDepartment(before.id(), department);
    }
    if (!before.active() && before.disabledBySync()) {
      toEnable.add(before.id());
    } else if (attributesDiffer || departmentDiffers) {
      changes.peopleUpdated++;
    }
  }

  private static String displayName(PersonEntry entry, String id) {
    return entry.displayName() != null ? entry.displayName() : id;
  }

  private Result succeeded(String requestedBy, long runId, Changes changes, Duration took) {
    Counts counts = changes.counts();
    separately.executeWithoutResult(s -> {
      store.finishRun(runId, true, counts, null, changes.problems);
      store.pruneRuns(Instant.now().minus(KEEP_RUNS));
    });
    for (String id : changes.disabled) {
      events.publishEvent(new PersonDisabledEvent(id, ACTOR));
    }
    Map<String, Object> detail = new LinkedHashMap<>(counts.asMap());
    detail.put("run", runId);
    audit.record(requestedBy, "ldap.sync", null, AuditLog.Outcome.SUCCESS, detail);
    LOG.info("LDAP sync run {} for {} succeeded in {} ms: {}", runId, requestedBy, took.toMillis(), counts.asMap());
    changes.problems.stream().filter(p -> !p.kind().equals("note")).limit(MAX_LOGGED_PROBLEMS)
        .forEach(p -> LOG.warn("LDAP sync run {}: {} {}: {}", runId, p.kind(), p.dn(), p.reason()));
    measure(Outcome.SUCCEEDED, took, counts);
    return new Result(Outcome.SUCCEEDED, runId, counts, List.copyOf(changes.problems), null, took);
  }

  private Result failed(String requestedBy, long runId, Changes changes, RuntimeException e, Duration took) {
    String error = describe(e);
    LOG.warn("LDAP sync for {} failed after {} ms: {}", requestedBy, took.toMillis(), error);
    LOG.debug("LDAP sync failure", e);
    Long recorded = null;
    try {
      if (runId < 0) {
        runId = separately.execute(s -> store.startRun(requestedBy));
      }
      long id = runId;
      // nothing the run changed stays (its transaction rolled back): the counts say nothing happened
      separately.executeWithoutResult(s -> store.finishRun(id, false, Counts.NONE, error, changes.problems));
      recorded = id;
      audit.record(requestedBy, "ldap.sync", null, AuditLog.Outcome.FAILURE, Map.of("run", id, "error", error));
    } catch (RuntimeException recording) {
      LOG.warn("cannot record the failed LDAP sync run: {}", recording.toString());
    }
    measure(Outcome.FAILED, took, Counts.NONE);
    return new Result(Outcome.FAILED, recorded, Counts.NONE, List.copyOf(changes.problems), error, took);
  }

  private Result skipped(String why, Duration took) {
    measure(Outcome.SKIPPED, took, Counts.NONE);
    return new Result(Outcome.SKIPPED, null, Counts.NONE, List.of(), why, took);
  }

  private void measure(Outcome outcome, Duration took, Counts counts) {
    Timer.builder("atrium.identity.ldap.sync").description("LDAP/AD sync runs, by outcome")
        .tag("outcome", outcome.name().toLowerCase(java.util.Locale.ROOT)).register(meters).record(took);
    counts.asMap().forEach((change, count) -> {
      if (count > 0) {
        meters.counter("atrium.identity.ldap.sync.changes", "change", change).increment(count);
      }
    });
  }

  /** The failure in a line: for the directory's, where and what (a refused connection says only host:port). */
  private String describe(Throwable e) {
    StringBuilder message = new StringBuilder();
    if (e instanceof org.springframework.ldap.NamingException) {
      message.append("the directory at ").append(properties.url()).append(": ")
          .append(e.getClass().getSimpleName().replaceAll("Exception$", ""));
    }
    Set<String> said = new HashSet<>();
    for (Throwable cause = e; cause != null && said.size() < 4; cause = cause.getCause()) {
      String text = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
      if (said.stream().noneMatch(known -> known.contains(text)) && said.add(text)) {
        message.append(message.isEmpty() ? "" : ": ").append(text);
      }
    }
    return message.length() > MAX_ERROR ? message.substring(0, MAX_ERROR) : message.toString();
  }

  private static Duration took(long startedNanos) {
    return Duration.ofNanos(System.nanoTime() - startedNanos);
  }

  /** What a run changed so far, and what it left out. */
  private static final class Changes {
    int peopleCreated;
    int peopleUpdated;
    int departmentsCreated;
    int departmentsUpdated;
    int departmentsDeactivated;
    int departmentsReactivated;
    int skipped;
    int conflicts;
    final List<String> disabled = new ArrayList<>();
    final List<String> enabled = new ArrayList<>();
    final List<Problem> problems = new ArrayList<>();

    void skip(String dn, String id, String reason) {
      skipped++;
      problems.add(new Problem("skipped", dn, id, reason));
    }

    void conflict(String dn, String id, String reason) {
      conflicts++;
      problems.add(new Problem("conflict", dn, id, reason));
    }

    void note(String dn, String id, String reason) {
      problems.add(new Problem("note", dn, id, reason));
    }

    Counts counts() {
      return new Counts(peopleCreated, peopleUpdated, disabled.size(), enabled.size(), departmentsCreated,
          departmentsUpdated, departmentsDeactivated, departmentsReactivated, skipped, conflicts);
    }
  }
}
