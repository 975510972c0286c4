package dev.atrium.identity.ldap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.anyMap;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

import com.zaxxer.hikari.HikariDataSource;
import dev.atrium.identity.audit.AuditLog;
import dev.atrium.identity.directory.Department;
import dev.atrium.identity.directory.DirectoryStore;
import dev.atrium.identity.directory.DirectorySync;
import dev.atrium.identity.directory.Person;
import dev.atrium.identity.directory.PersonDisabledEvent;
import dev.atrium.identity.directory.Source;
import dev.atrium.identity.ldap.LdapDirectory.PersonEntry;
import dev.atrium.identity.ldap.LdapSync.Outcome;
import dev.atrium.identity.testing.TestServers;
import dev.atrium.servicetesting.PostgresServer;
import dev.atrium.servicetesting.SlapdServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.security.authentication.AuthenticationServiceException;

/**
 * The sync and the bind check against a real OpenLDAP (slapd) and a real PostgreSQL, without the rest of the
 * service: each test builds its own tree under a fresh base entry of one slapd, and starts from empty directory
 * tables in one database.
 */
@ExtendWith(TestServers.class)
class LdapSyncIT {

  private static final String SYNC_DN = "cn=sync," + SlapdServer.DEFAULT_SUFFIX;
  private static final String SYNC_PASSWORD = "sync-Secret-1";
  /** An account the directory's size limit (500 entries, paged or not) applies to, as to most accounts. */
  private static final String LIMITED_DN = "cn=limited," + SlapdServer.DEFAULT_SUFFIX;
  private static final AtomicInteger BASES = new AtomicInteger();

  private static SlapdServer slapd;
  private static HikariDataSource dataSource;
  private static JdbcClient jdbc;

  private final List<Object> events = Collections.synchronizedList(new ArrayList<>());
  private final AuditLog audit = mock(AuditLog.class);
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final DirectoryStore people = new DirectoryStore(jdbc);
  private String base;
  private LdapProperties properties;
  private LdapSync sync;

  @BeforeAll
  static void start(PostgresServer postgres) {
    slapd = SlapdServer.start(SlapdServer.DEFAULT_SUFFIX,
        "limits dn.exact=\"" + SYNC_DN + "\" size.prtotal=unlimited",
        // Active Directory's binary objectGUID, for entries that carry the auxiliary class below
        "attributetype ( 1.2.840.113556.1.4.2 NAME 'objectGUID' EQUALITY octetStringMatch"
            + " SYNTAX 1.3.6.1.4.1.1466.115.121.1.40 SINGLE-VALUE )",
        "objectclass ( 1.3.6.1.4.1.99999.1.1 NAME 'atriumTestGuid' AUXILIARY MAY objectGUID )");
    slapd.ldif("""
        dn: %s
        objectClass: organizationalRole
        objectClass: simpleSecurityObject
        cn: sync
        userPassword: %s

        dn: %s
        objectClass: organizationalRole
        objectClass: simpleSecurityObject
        cn: limited
        userPassword: %s
        """.formatted(SYNC_DN, SYNC_PASSWORD, LIMITED_DN, SYNC_PASSWORD));
    String database = TestServers.newDatabase(postgres);
    dataSource = new HikariDataSource();
    dataSource.setJdbcUrl(postgres.jdbcUrl(database));
    dataSource.setUsername(PostgresServer.SUPERUSER);
    dataSource.setMaximumPoolSize(8);
    Flyway.configure().dataSource(postgres.jdbcUrl(database), PostgresServer.SUPERUSER, "")
        .locations("classpath:db/migration").load().migrate();
    jdbc = JdbcClient.create(dataSource);
  }

  @AfterAll
  static void stop() {
    if (dataSource != null) {
      dataSource.close();
    }
    if (slapd != null) {
      slapd.close();
    }
  }

  @BeforeEach
  void freshTree() {
    jdbc.sql("TRUNCATE person_departments, ldap_disabled_people, ldap_sync_runs, people, departments CASCADE")
        .update();
    base = "o=test" + BASES.incrementAndGet() + "," + SlapdServer.DEFAULT_SUFFIX;
    slapd.ldif("dn: " + base + "\nobjectClass: organization\no: test" + BASES.get() + "\n");
    properties = properties(SYNC_DN, "(objectClass=inetOrgPerson)");
    sync = sync(properties, new LdapDirectory(properties));
  }

  @Test
  void theFirstSyncCreatesPeopleAndTheDepartmentTree() {
    corp();

    LdapSync.Result result = sync.run("admin");

    assertThat(result.outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(result.counts()).isEqualTo(new DirectorySync.Counts(5, 0, 0, 0, 4, 0, 0, 0, 0, 0));
    assertThat(departments()).containsExactlyInAnyOrder(
        new Dept("corp", "Corp", null),
        new Dept("engineering", "Engineering", "corp"),
        new Dept("backend", "Backend", "engineering"),
        new Dept("sales", "Sales", "corp"));
    Person alice = person("alice");
    assertThat(alice.displayName()).isEqualTo("Alice Liddell");
    assertThat(alice.email()).isEqualTo("alice@example.com");
    assertThat(alice.phone()).isEqualTo("+86 10 1234 5678");
    assertThat(alice.source()).isEqualTo(Source.LDAP);
    assertThat(alice.externalId()).isEqualTo(slapd.entryUuid(dn("uid=alice,ou=backend,ou=engineering,ou=corp")));
    assertThat(alice.active()).isTrue();
    assertThat(alice.departmentIds()).containsExactly("backend");
    assertThat(people.departmentsWithAncestors("alice")).containsExactlyInAnyOrder("backend", "engineering", "corp");
    assertThat(person("bob").departmentIds()).containsExactly("sales");
    assertThat(person("carol").departmentIds()).containsExactly("corp");
    // a plain container (cn=users) between a department and a person is passed over
    assertThat(person("erin").departmentIds()).containsExactly("engineering");
    // right under the base, in no department
    assertThat(person("dave").departmentIds()).isEmpty();
    // they sign in against the directory: no password here
    assertThat(jdbc.sql("SELECT password_hash IS NULL FROM people WHERE id = 'alice'").query(Boolean.class).single())
        .isTrue();

    DirectorySync.Run run = new DirectorySync(jdbc).run(result.runId()).orElseThrow();
    assertThat(run.outcome()).isEqualTo("succeeded");
    assertThat(run.requestedBy()).isEqualTo("admin");
    assertThat(run.finishedAt()).isAfterOrEqualTo(run.startedAt());
    assertThat(run.counts()).isEqualTo(result.counts());
    verify(audit).record(eq("admin"), eq("ldap.sync"), isNull(), eq(AuditLog.Outcome.SUCCESS), anyMap());
    assertThat(meters.timer("atrium.identity.ldap.sync", "outcome", "succeeded").count()).isEqualTo(1);
    assertThat(meters.counter("atrium.identity.ldap.sync.changes", "change", "peopleCreated").count()).isEqualTo(5);

    LdapSync.Result again = sync.run(LdapSync.ACTOR);
    assertThat(again.outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(again.counts()).isEqualTo(DirectorySync.Counts.NONE);
    assertThat(new DirectorySync(jdbc).runs(10)).extracting(DirectorySync.Run::requestedBy)
        .containsExactly(LdapSync.ACTOR, "admin");
  }

  @Test
  void aChangedAttributeUpdatesThePerson() {
    corp();
    sync.run("admin");

    slapd.replace(dn("uid=bob,ou=sales,ou=corp"), "mail", "robert@example.com");
    slapd.replace(dn("uid=bob,ou=sales,ou=corp"), "cn", "Robert Builder");
    slapd.replace(dn("uid=bob,ou=sales,ou=corp"), "telephoneNumber");
    LdapSync.Result result = sync.run("admin");

    assertThat(result.counts()).isEqualTo(new DirectorySync.Counts(0, 1, 0, 0, 0, 0, 0, 0, 0, 0));
    Person bob = person("bob");
    assertThat(bob.displayName()).isEqualTo("Robert Builder");
    assertThat(bob.email()).isEqualTo("robert@example.com");
    assertThat(bob.phone()).isNull();
    assertThat(person("alice").displayName()).isEqualTo("Alice Liddell");
  }

  @Test
  void aPersonDeletedFromTheDirectoryIsDisabledNotDeletedAndComesBackWhenReAdded() {
    corp();
    sync.run("admin");
    String oldUuid = slapd.entryUuid(dn("uid=carol,ou=corp"));

    slapd.delete(dn("uid=carol,ou=corp"));
    LdapSync.Result result = sync.run(LdapSync.ACTOR);

    assertThat(result.counts()).isEqualTo(new DirectorySync.Counts(0, 0, 1, 0, 0, 0, 0, 0, 0, 0));
    Person carol = person("carol");
    assertThat(carol.status()).isEqualTo(Person.Status.DISABLED);
    assertThat(carol.departmentIds()).containsExactly("corp");
    assertThat(jdbc.sql("SELECT disabled_at IS NOT NULL FROM people WHERE id = 'carol'").query(Boolean.class)
        .single()).isTrue();
    assertThat(events).containsExactly(new PersonDisabledEvent("carol", LdapSync.ACTOR));
    verify(audit).record(eq(LdapSync.ACTOR), eq("person.disable"), eq("carol"), eq(AuditLog.Outcome.SUCCESS),
        anyMap());
    assertThat(person("alice").active()).isTrue();

    // nothing more happens to her while she is away
    assertThat(sync.run(LdapSync.ACTOR).counts()).isEqualTo(DirectorySync.Counts.NONE);
    assertThat(events).hasSize(1);

    // re-created in the directory (a new entryUUID), in another department: the same person, active again
    person("uid=carol,ou=sales,ou=corp", "Carol Danvers", "carol@example.com", "carol-pw");
    LdapSync.Result back = sync.run(LdapSync.ACTOR);

    assertThat(back.counts()).isEqualTo(new DirectorySync.Counts(0, 0, 0, 1, 0, 0, 0, 0, 0, 0));
    carol = person("carol");
    assertThat(carol.active()).isTrue();
    assertThat(carol.externalId()).isEqualTo(slapd.entryUuid(dn("uid=carol,ou=sales,ou=corp"))).isNotEqualTo(oldUuid);
    assertThat(carol.departmentIds()).containsExactly("sales");
    assertThat(jdbc.sql("SELECT disabled_at IS NULL FROM people WHERE id = 'carol'").query(Boolean.class).single())
        .isTrue();
    verify(audit).record(eq(LdapSync.ACTOR), eq("person.enable"), eq("carol"), eq(AuditLog.Outcome.SUCCESS),
        anyMap());
  }

  @Test
  void aPersonBackInTheUserFilterIsEnabledAgain() {
    corp();
    sync.run("admin");
    slapd.replace(dn("uid=bob,ou=sales,ou=corp"), "employeeType", "left");
    LdapSync narrower = sync(properties(SYNC_DN, "(&(objectClass=inetOrgPerson)(!(employeeType=left)))"), null);

    assertThat(narrower.run(LdapSync.ACTOR).counts().peopleDisabled()).isEqualTo(1);
    assertThat(person("bob").active()).isFalse();

    slapd.replace(dn("uid=bob,ou=sales,ou=corp"), "employeeType");
    assertThat(narrower.run(LdapSync.ACTOR).counts().peopleEnabled()).isEqualTo(1);
    assertThat(person("bob").active()).isTrue();
  }

  @Test
  void aPersonAnAdminDisabledStaysDisabled() {
    corp();
    sync.run("admin");

    people.setStatus("bob", Person.Status.DISABLED);
    LdapSync.Result result = sync.run(LdapSync.ACTOR);

    assertThat(result.counts()).isEqualTo(DirectorySync.Counts.NONE);
    assertThat(person("bob").active()).isFalse();

    // even after the sync disabled and re-enabled them once before
    people.setStatus("bob", Person.Status.ACTIVE);
    slapd.delete(dn("uid=bob,ou=sales,ou=corp"));
    sync.run(LdapSync.ACTOR);
    person("uid=bob,ou=sales,ou=corp", "Bob Builder", "bob@example.com", "bob-pw");
    sync.run(LdapSync.ACTOR);
    assertThat(person("bob").active()).isTrue();
    people.setStatus("bob", Person.Status.DISABLED);
    assertThat(sync.run(LdapSync.ACTOR).counts()).isEqualTo(DirectorySync.Counts.NONE);
    assertThat(person("bob").active()).isFalse();
  }

  @Test
  void aDepartmentMovedUnderAnotherKeepsItsIdAndItsPeopleFollow() {
    corp();
    sync.run("admin");
    Person aliceBefore = person("alice");

    slapd.rename(dn("ou=backend,ou=engineering,ou=corp"), dn("ou=backend,ou=sales,ou=corp"));
    LdapSync.Result result = sync.run(LdapSync.ACTOR);

    assertThat(result.counts()).isEqualTo(new DirectorySync.Counts(0, 1, 0, 0, 0, 1, 0, 0, 0, 0));
    assertThat(departments()).contains(new Dept("backend", "Backend", "sales"));
    assertThat(departments()).hasSize(4);
    Person alice = person("alice");
    assertThat(alice.externalId()).isEqualTo(aliceBefore.externalId());
    assertThat(alice.departmentIds()).containsExactly("backend");
    assertThat(people.departmentsWithAncestors("alice")).containsExactlyInAnyOrder("backend", "sales", "corp");
    assertThat(jdbc.sql("SELECT external_dn FROM people WHERE id = 'alice'").query(String.class).single())
        .isEqualToIgnoringCase(dn("uid=alice,ou=backend,ou=sales,ou=corp"));

    // renamed: the name changes, the id stays
    slapd.rename(dn("ou=backend,ou=sales,ou=corp"), dn("ou=Platform,ou=sales,ou=corp"));
    sync.run(LdapSync.ACTOR);
    assertThat(departments()).contains(new Dept("backend", "Platform", "sales"));
    assertThat(person("alice").departmentIds()).containsExactly("backend");
  }

  @Test
  void aPersonMovedToAnotherDepartmentChangesDepartment() {
    corp();
    sync.run("admin");
    jdbc.sql("INSERT INTO departments (id, name) VALUES ('volunteers', 'Volunteers')").update();
    jdbc.sql("INSERT INTO person_departments VALUES ('bob', 'volunteers')").update();

    slapd.rename(dn("uid=bob,ou=sales,ou=corp"), dn("uid=bob,ou=backend,ou=engineering,ou=corp"));
    LdapSync.Result result = sync.run(LdapSync.ACTOR);

    assertThat(result.counts()).isEqualTo(new DirectorySync.Counts(0, 1, 0, 0, 0, 0, 0, 0, 0, 0));
    // the department an admin added stays
    assertThat(person("bob").departmentIds()).containsExactlyInAnyOrder("backend", "volunteers");
  }

  @Test
  void aDepartmentGoneFromTheDirectoryBecomesInactive() {
    corp();
    ou("ou=legal,ou=corp", "Legal");
    sync.run("admin");

    slapd.delete(dn("ou=legal,ou=corp"));
    LdapSync.Result result = sync.run(LdapSync.ACTOR);

    assertThat(result.counts()).isEqualTo(new DirectorySync.Counts(0, 0, 0, 0, 0, 0, 1, 0, 0, 0));
    assertThat(people.department("legal")).get().extracting(Department::active).isEqualTo(false);

    ou("ou=legal,ou=corp", "Legal");
    LdapSync.Result back = sync.run(LdapSync.ACTOR);
    // a new entry: a new department (the old one stays, inactive, for history)
    assertThat(back.counts().departmentsCreated()).isEqualTo(1);
    assertThat(departments()).contains(new Dept("legal-" + slapd.entryUuid(dn("ou=legal,ou=corp")).substring(0, 8)
        .replace("-", ""), "Legal", "corp"));
  }

  @Test
  void aLocalPersonWithTheSameIdIsAConflictAndLeftAlone() {
    people.insertPerson("frank", "Frank Local", "frank@local", null, true, "{argon2}hash");
    corp();
    person("uid=Frank,ou=sales,ou=corp", "Frank Directory", "frank@example.com", "frank-pw");

    LdapSync.Result result = sync.run("admin");

    assertThat(result.outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(result.counts().peopleCreated()).isEqualTo(5);
    assertThat(result.counts().conflicts()).isEqualTo(1);
    assertThat(result.problems()).singleElement().satisfies(problem -> {
      assertThat(problem.kind()).isEqualTo("conflict");
      assertThat(problem.id()).isEqualTo("frank");
      assertThat(problem.dn()).isEqualToIgnoringCase(dn("uid=Frank,ou=sales,ou=corp"));
    });
    Person frank = person("frank");
    assertThat(frank.source()).isEqualTo(Source.LOCAL);
    assertThat(frank.displayName()).isEqualTo("Frank Local");
    assertThat(frank.admin()).isTrue();
    assertThat(frank.externalId()).isNull();
    assertThat(frank.departmentIds()).isEmpty();
    assertThat(new DirectorySync(jdbc).run(result.runId()).orElseThrow().problems())
        .extracting(DirectorySync.Problem::kind).containsExactly("conflict");
    // and the sync never disables or takes over the local person
    assertThat(sync.run(LdapSync.ACTOR).counts().conflicts()).isEqualTo(1);
    assertThat(person("frank").active()).isTrue();
  }

  @Test
  void entriesThatCannotBePeopleAreSkippedAndCounted() {
    corp();
    person("cn=No Uid,ou=corp", null, null, "x");
    person("uid=john smith,ou=corp", "John Smith", null, "x");
    person("uid=ALICE,ou=sales,ou=corp", "Another Alice", null, "x");

    LdapSync.Result result = sync.run("admin");

    assertThat(result.outcome()).isEqualTo(Outcome.SUCCEEDED);
    // two new entries with one username: neither is taken for the person
    assertThat(result.counts().peopleCreated()).isEqualTo(4);
    assertThat(result.counts().skipped()).isEqualTo(4);
    assertThat(people.person("alice")).isEmpty();
    assertThat(result.problems()).extracting(DirectorySync.Problem::reason).anySatisfy(r -> assertThat(r)
        .startsWith("no uid")).anySatisfy(r -> assertThat(r).contains("'john smith' is no valid id"))
        .anySatisfy(r -> assertThat(r).contains("2 entries of the directory have the username alice"));

    // once the directory has one alice, she is synced; a newcomer with her username later is left out
    slapd.delete(dn("uid=ALICE,ou=sales,ou=corp"));
    assertThat(sync.run("admin").counts().peopleCreated()).isEqualTo(1);
    person("uid=Alice,ou=sales,ou=corp", "Alice Again", null, "x");
    LdapSync.Result later = sync.run("admin");
    assertThat(later.counts().skipped()).isEqualTo(3);
    assertThat(later.problems()).extracting(DirectorySync.Problem::reason)
        .contains("the username alice is another entry's, synced before");
    assertThat(person("alice").displayName()).isEqualTo("Alice Liddell");
  }

  @Test
  void theBindCheckAsksTheDirectory() {
    corp();
    sync.run("admin");
    LdapBindCheck check = new LdapBindCheck(properties, new LdapDirectory(properties));
    Person alice = person("alice");

    assertThat(check.decides(alice)).isTrue();
    assertThat(check.matches(alice, "alice-pw")).isTrue();
    assertThat(check.matches(alice, "wrong")).isFalse();
    assertThat(check.matches(alice, "")).isFalse();
    assertThat(check.matches(alice, null)).isFalse();
    // renamed and moved in the directory since the last sync: found by their entryUUID
    slapd.rename(dn("uid=alice,ou=backend,ou=engineering,ou=corp"), dn("uid=alice2,ou=sales,ou=corp"));
    assertThat(check.matches(alice, "alice-pw")).isTrue();

    // gone from the directory, not yet synced: no more sign-ins
    slapd.delete(dn("uid=carol,ou=corp"));
    assertThat(check.matches(person("carol"), "carol-pw")).isFalse();
    // disabled
    people.setStatus("bob", Person.Status.DISABLED);
    assertThat(check.matches(person("bob"), "bob-pw")).isFalse();
    // unknown to the directory
    Person stranger = new Person("stranger", "S", null, null, Person.Status.ACTIVE, false, Source.LDAP,
        "00000000-0000-0000-0000-000000000000", List.of(), null, null);
    assertThat(check.matches(stranger, "x")).isFalse();
    // local people and local logins are not the directory's to decide
    people.insertPerson("lena", "Lena", null, null, false, null);
    assertThat(check.decides(person("lena"))).isFalse();
    LdapProperties local = new LdapProperties(true, slapd.url(), base, SYNC_DN, SYNC_PASSWORD, "15m",
        properties.userFilter(), properties.departmentFilter(), LdapProperties.Login.LOCAL, properties.attribute());
    assertThat(new LdapBindCheck(local, new LdapDirectory(local)).decides(alice)).isFalse();
  }

  @Test
  void aDirectoryThatIsDownOrSilentFailsFastAndChangesNothing() throws IOException {
    corp();
    sync.run("admin");
    Person alice = person("alice");

    slapd.stopServer();
    try {
      LdapSync.Result result = sync.run(LdapSync.ACTOR);
      assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
      assertThat(result.error()).startsWith("the directory at " + slapd.url() + ": Communication")
          .contains("Connection refused");
      assertThat(new DirectorySync(jdbc).run(result.runId()).orElseThrow().outcome()).isEqualTo("failed");
      assertThat(person("alice").active()).isTrue();
      assertThatThrownBy(() -> new LdapBindCheck(properties, new LdapDirectory(properties)).matches(alice, "alice-pw"))
          .isInstanceOf(AuthenticationServiceException.class);
    } finally {
      slapd.startServer();
    }

    // a server that accepts connections and never answers: the read timeout ends the wait
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      List<Socket> accepted = Collections.synchronizedList(new ArrayList<>());
      Thread.ofVirtual().start(() -> {
        try {
          while (true) {
            accepted.add(silent.accept());
          }
        } catch (IOException closed) {
          // the test is over
        }
      });
      LdapProperties hanging = new LdapProperties(true, "ldap://127.0.0.1:" + silent.getLocalPort(), base, SYNC_DN,
          SYNC_PASSWORD, "15m", properties.userFilter(), properties.departmentFilter(), LdapProperties.Login.BIND,
          properties.attribute());
      LdapDirectory slow = new LdapDirectory(hanging, Duration.ofMillis(500), Duration.ofMillis(500),
          Duration.ofMillis(500));
      long started = System.nanoTime();
      assertThatThrownBy(() -> new LdapBindCheck(hanging, slow).matches(alice, "alice-pw"))
          .isInstanceOf(AuthenticationServiceException.class);
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
      for (Socket socket : accepted) {
        socket.close();
      }
    }
  }

  @Test
  void twoSyncsAtOnceOneRunsTheOtherSkips() throws Exception {
    corp();
    CountDownLatch reading = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    LdapDirectory blocking = new LdapDirectory(properties) {
      @Override
      public List<PersonEntry> people() {
        reading.countDown();
        try {
          release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return super.people();
      }
    };
    LdapSync first = sync(properties, blocking);
    LdapSync otherReplica = sync(properties, new LdapDirectory(properties));

    CompletableFuture<LdapSync.Result> running = CompletableFuture.supplyAsync(() -> first.run("admin"));
    assertThat(reading.await(30, TimeUnit.SECONDS)).isTrue();
    LdapSync.Result sameReplica = first.run(LdapSync.ACTOR);
    LdapSync.Result elsewhere = otherReplica.run(LdapSync.ACTOR);
    release.countDown();

    assertThat(sameReplica.outcome()).isEqualTo(Outcome.SKIPPED);
    assertThat(sameReplica.error()).contains("on this replica");
    assertThat(elsewhere.outcome()).isEqualTo(Outcome.SKIPPED);
    assertThat(elsewhere.error()).contains("on another replica");
    assertThat(running.get(30, TimeUnit.SECONDS).outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(new DirectorySync(jdbc).runs(10)).hasSize(1);

    // a replica whose schedule fires right after a successful run leaves it at that
    LdapSync.Result tooSoon = otherReplica.run(LdapSync.ACTOR, Duration.ofMinutes(7));
    assertThat(tooSoon.outcome()).isEqualTo(Outcome.SKIPPED);
    assertThat(tooSoon.error()).contains("finished less than");
    // and one holding the lock on a connection of its own makes everyone else skip
    try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
      statement.execute("SELECT pg_advisory_lock(" + 0x4C44415053594E43L + ")");
      assertThat(otherReplica.run(LdapSync.ACTOR).outcome()).isEqualTo(Outcome.SKIPPED);
      statement.execute("SELECT pg_advisory_unlock(" + 0x4C44415053594E43L + ")");
    }
    assertThat(otherReplica.run(LdapSync.ACTOR).outcome()).isEqualTo(Outcome.SUCCEEDED);
  }

  @Test
  void everyEntryComesThroughThePagesAndATruncatedSearchFailsTheRun() {
    StringBuilder many = new StringBuilder();
    ou("ou=staff", "Staff");
    for (int i = 0; i < 1_200; i++) {
      many.append("dn: uid=p").append(i).append(",ou=staff,").append(base).append("\nobjectClass: inetOrgPerson\n")
          .append("uid: p").append(i).append("\ncn: Person ").append(i).append("\nsn: P\n\n");
    }
    slapd.ldif(many.toString());

    LdapSync limited = sync(properties(LIMITED_DN, "(objectClass=inetOrgPerson)"), null);
    LdapSync.Result truncated = limited.run(LdapSync.ACTOR);
    assertThat(truncated.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(truncated.error()).contains("size limit").contains("size.prtotal=unlimited");
    assertThat(jdbc.sql("SELECT count(*) FROM people").query(Long.class).single()).isZero();

    long started = System.nanoTime();
    LdapSync.Result result = sync.run("admin");
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    assertThat(result.outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(result.counts().peopleCreated()).isEqualTo(1_200);
    assertThat(people.people(null, 2_000, "staff")).hasSize(1_200);
    assertThat(took).isLessThan(Duration.ofSeconds(20));
    assertThat(sync.run(LdapSync.ACTOR).counts()).isEqualTo(DirectorySync.Counts.NONE);

    // a search that suddenly finds nobody does not disable everybody
    LdapSync wrongFilter = sync(properties(SYNC_DN, "(objectClass=posixAccount)"), null);
    LdapSync.Result nobody = wrongFilter.run(LdapSync.ACTOR);
    assertThat(nobody.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(nobody.error()).contains("found nobody").contains("refusing to disable");
    assertThat(jdbc.sql("SELECT count(*) FROM people WHERE status = 'active'").query(Long.class).single())
        .isEqualTo(1_200);
  }

  @Test
  void activeDirectorysBinaryObjectGuidIdentifiesEntries() {
    slapd.ldif("""
        dn: ou=staff,%1$s
        objectClass: organizationalUnit
        objectClass: atriumTestGuid
        ou: Staff
        objectGUID:: AAECAwQFBgcICQoLDA0ODw==

        dn: uid=grace,ou=staff,%1$s
        objectClass: inetOrgPerson
        objectClass: atriumTestGuid
        uid: grace
        cn: Grace Hopper
        sn: Hopper
        userPassword: grace-pw
        objectGUID:: 4AQlP4lP0xGaDAMF6CwzAQ==
        """.formatted(base));
    LdapProperties ad = new LdapProperties(true, slapd.url(), base, SYNC_DN, SYNC_PASSWORD, "15m",
        "(objectClass=inetOrgPerson)", "(objectClass=organizationalUnit)", LdapProperties.Login.BIND,
        new LdapProperties.Attributes("objectGUID", "uid", "cn", "mail", "telephoneNumber", "ou"));

    LdapSync.Result result = sync(ad, null).run("admin");

    assertThat(result.counts()).isEqualTo(new DirectorySync.Counts(1, 0, 0, 0, 1, 0, 0, 0, 0, 0));
    Person grace = person("grace");
    // as Windows shows the GUID: the first three groups of the stored bytes reversed
    assertThat(grace.externalId()).isEqualTo("3f2504e0-4f89-11d3-9a0c-0305e82c3301");
    assertThat(people.department("staff")).get().extracting(Department::externalId)
        .isEqualTo("03020100-0504-0706-0809-0a0b0c0d0e0f");
    assertThat(grace.departmentIds()).containsExactly("staff");
    // found again by the GUID's bytes in a filter, for sign-ins
    LdapBindCheck check = new LdapBindCheck(ad, new LdapDirectory(ad));
    assertThat(check.matches(grace, "grace-pw")).isTrue();
    assertThat(check.matches(grace, "wrong")).isFalse();
    slapd.rename(dn("uid=grace,ou=staff"), dn("uid=grace.hopper,ou=staff"));
    assertThat(sync(ad, null).run("admin").counts().peopleUpdated()).isEqualTo(1);
    assertThat(check.matches(person("grace"), "grace-pw")).isTrue();
  }

  // --- the directory

  /** ou=corp: engineering (backend, cn=users), sales; alice, bob, carol, erin; dave right under the base. */
  private void corp() {
    ou("ou=corp", "Corp");
    ou("ou=engineering,ou=corp", "Engineering");
    ou("ou=backend,ou=engineering,ou=corp", "Backend");
    ou("ou=sales,ou=corp", "Sales");
    slapd.ldif("dn: " + dn("cn=users,ou=engineering,ou=corp") + "\nobjectClass: organizationalRole\ncn: users\n");
    person("uid=alice,ou=backend,ou=engineering,ou=corp", "Alice Liddell", "alice@example.com", "alice-pw");
    slapd.replace(dn("uid=alice,ou=backend,ou=engineering,ou=corp"), "telephoneNumber", "+86 10 1234 5678");
    person("uid=bob,ou=sales,ou=corp", "Bob Builder", "bob@example.com", "bob-pw");
    slapd.replace(dn("uid=bob,ou=sales,ou=corp"), "telephoneNumber", "+86 10 0000 0000");
    person("uid=carol,ou=corp", "Carol Danvers", "carol@example.com", "carol-pw");
    person("uid=erin,cn=users,ou=engineering,ou=corp", "Erin", null, "erin-pw");
    person("uid=dave", "Dave", null, "dave-pw");
  }

  private void ou(String relative, String name) {
    slapd.ldif("dn: " + dn(relative) + "\nobjectClass: organizationalUnit\nou: " + name + "\n");
  }

  /** An inetOrgPerson; its uid from the DN when the DN names one. */
  private void person(String relative, String name, String mail, String password) {
    String rdn = relative.substring(0, relative.indexOf(',') < 0 ? relative.length() : relative.indexOf(','));
    StringBuilder ldif = new StringBuilder("dn: " + dn(relative) + "\nobjectClass: inetOrgPerson\nsn: X\n");
    String value = rdn.substring(rdn.indexOf('=') + 1);
    ldif.append("cn: ").append(name == null ? value : name).append('\n');
    if (rdn.startsWith("uid=")) {
      ldif.append("uid: ").append(value).append('\n');
    }
    if (mail != null) {
      ldif.append("mail: ").append(mail).append('\n');
    }
    ldif.append("userPassword: ").append(password).append('\n');
    slapd.ldif(ldif.toString());
  }

  private String dn(String relative) {
    return relative + "," + base;
  }

  // --- identity's side

  private record Dept(String id, String name, String parentId) {
  }

  private List<Dept> departments() {
    return people.departments().stream().filter(d -> d.source() == Source.LDAP && d.active())
        .map(d -> new Dept(d.id(), d.name(), d.parentId())).collect(Collectors.toList());
  }

  private Person person(String id) {
    return people.person(id).orElseThrow(() -> new AssertionError("no person " + id));
  }

  private LdapProperties properties(String bindDn, String userFilter) {
    return new LdapProperties(true, slapd.url(), base, bindDn, SYNC_PASSWORD, "15m", userFilter,
        "(objectClass=organizationalUnit)", LdapProperties.Login.BIND,
        new LdapProperties.Attributes("entryUUID", "uid", "cn", "mail", "telephoneNumber", "ou"));
  }

  /** A sync as one replica has it; {@code directory} null: a plain one for the properties. */
  private LdapSync sync(LdapProperties settings, LdapDirectory directory) {
    return new LdapSync(settings, directory == null ? new LdapDirectory(settings) : directory, new DirectorySync(jdbc),
        new DataSourceTransactionManager(dataSource), events::add, audit, meters);
  }
}
