package dev.atrium.operator.database;

import static dev.atrium.operator.database.PatroniMembers.await;
import static dev.atrium.operator.database.PatroniMembers.signal;
import static org.assertj.core.api.Assertions.assertThat;

import dev.atrium.api.v1alpha1.CollaborationPlatform;
import dev.atrium.operator.TestPlatforms;
import dev.atrium.operator.database.PatroniMembers.Member;
import dev.atrium.operator.database.PatroniMembers.Passwords;
import dev.atrium.operator.model.Labels;
import dev.atrium.testing.kube.TestNamespace;
import dev.atrium.testing.kube.WithKubeCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Failover of the database with real processes: three Patroni members from Debian's package, each with its own
 * PostgreSQL 15, started by the image's own entrypoint (hack/images/postgresql/entrypoint.sh, which writes Patroni's
 * configuration with the image's atrium-patroni-config), keep their leader lock in the local control plane's API
 * server as the model's ServiceAccount, with exactly the model's Role; their "pods" are KWOK pods named and labelled
 * as the StatefulSet's, which Patroni labels with its role ({@link PatroniMembers}). It shows: one leader, labelled;
 * with synchronous replication a commit does not return until the standby has it; the leader's Patroni and PostgreSQL
 * killed with SIGKILL, a replica leads (in 17-19 s here, logged) with every acknowledged row; the old member started
 * again rejoins as a replica through pg_rewind (its log and pg_stat_wal_receiver say so), and the Services select the
 * new roles.
 *
 * <p>Needs Debian's {@code patroni} and {@code postgresql-15}; as root, the members run as the package's
 * {@code postgres} user (PostgreSQL refuses root). Their directories and logs are under
 * {@code target/database-failover/}.
 */
@WithKubeCluster
class DatabaseFailoverIT {

  private static final Logger LOG = LoggerFactory.getLogger(DatabaseFailoverIT.class);
  private static final String SET = "acme-database";
  /**
   * How long the test waits for a new leader: a timeout, not the 30 s bound. Tests never assert on time; the
   * failover's time is logged and written to failover.txt, and docs/testing.md keeps the figures.
   */
  private static final Duration FAILOVER_TIMEOUT = Duration.ofMinutes(2);
  private static final Passwords PASSWORDS = new Passwords("super:secret\\1", "repl:secret\\2", "app-secret-3");

  private PatroniMembers cluster;

  @Test
  void aKilledLeaderIsReplacedWithinThirtySecondsAndRejoinsRewound(KubernetesClient client, TestNamespace ns)
      throws Exception {
    CollaborationPlatform platform = TestPlatforms.example();
    platform.getSpec().getDatabase().setReplicas(3);
    platform.getSpec().getDatabase().setSynchronous(true);
    Path work = PatroniMembers.REPO.resolve("operator/manager/target/database-failover").resolve(ns.name());
    cluster = PatroniMembers.create(client, ns, platform, work, PASSWORDS, Map.of());
    List<Member> members = cluster.members();
    cluster.startAll("first");

    // ---- one leader, labelled by Patroni; the others replicas, one of them synchronous
    Member leader = await(Duration.ofMinutes(3), "one leader and two streaming replicas, one synchronous", () -> {
      List<Member> leaders = members.stream().filter(m -> Labels.PATRONI_LEADER.equals(cluster.role(m))).toList();
      if (leaders.size() != 1 || members.stream().filter(m -> Labels.PATRONI_REPLICA.equals(cluster.role(m)))
          .count() != 2) {
        return Optional.empty();
      }
      Member l = leaders.get(0);
      String states = l.sql("SELECT string_agg(sync_state, ',' ORDER BY sync_state) FROM pg_stat_replication"
          + " WHERE state = 'streaming'");
      return "async,sync".equals(states) && "f".equals(l.sql("SELECT pg_is_in_recovery()")) ? Optional.of(l)
          : Optional.empty();
    });
    LOG.info("leader: {}", leader.name());
    assertThat(leader.sql("SHOW synchronous_standby_names")).isNotBlank();
    // the roles script ran on the leader: the application user owns its databases and its password opens them
    leader.app("CREATE TABLE failover_rows (id int PRIMARY KEY, note text NOT NULL)");
    for (int id = 1; id <= 100; id++) {
      leader.app("INSERT INTO failover_rows VALUES (" + id + ", 'before')");
    }

    // ---- synchronous: with the synchronous standby's WAL receiver stopped, a commit does not return
    Member sync = members.stream().filter(m -> m != leader).filter(m -> leader.sql(
        "SELECT sync_state FROM pg_stat_replication WHERE application_name = '" + m.name() + "'").equals("sync"))
        .findFirst().orElseThrow();
    long syncReceiver = Long.parseLong(sync.sql("SELECT pid FROM pg_stat_wal_receiver"));
    signal("STOP", syncReceiver);
    Process commit;
    try {
      commit = leader.appAsync("INSERT INTO failover_rows VALUES (101, 'synchronous')");
      assertThat(commit.waitFor(5, TimeUnit.SECONDS)).as("the commit returned while the standby could not have it")
          .isFalse();
    } finally {
      signal("CONT", syncReceiver);
    }
    assertThat(commit.waitFor(30, TimeUnit.SECONDS)).as("the commit returns once the standby has it").isTrue();
    assertThat(commit.exitValue()).isZero();
    await(Duration.ofSeconds(10), "the row on the synchronous standby", () ->
        "101".equals(sync.sqlInOrNull("messages", "SELECT count(*) FROM failover_rows")) ? Optional.of(true)
            : Optional.empty());

    // ---- a write the standbys cannot have (the leader's WAL senders stopped, so nothing more leaves it; the client
    // opted out of waiting for a standby), so that the leader's WAL diverges from what the next leader has: the old
    // leader must be rewound to rejoin. (Stopping the standbys' receivers would not do: the kernel still takes in
    // what is sent, and a receiver let go reads it.)
    List<Long> senders = List.of(leader.sql("SELECT string_agg(pid::text, ' ') FROM pg_stat_replication")
        .split(" ")).stream().map(Long::parseLong).toList();
    assertThat(senders).hasSize(2);
    for (long sender : senders) {
      signal("STOP", sender);
    }
    leader.app("SET synchronous_commit = local; INSERT INTO failover_rows VALUES (999, 'local only')");
    // ---- the leader lost: Patroni and every PostgreSQL process of it (the stopped senders too), SIGKILL
    Instant killed = leader.kill();
    Member next = await(FAILOVER_TIMEOUT, "a replica leading and taking writes", () -> members.stream()
        .filter(m -> m != leader).filter(m -> Labels.PATRONI_LEADER.equals(cluster.role(m)))
        .filter(m -> "f".equals(m.sqlOrNull("SELECT pg_is_in_recovery()"))).findFirst());
    Duration failover = Duration.between(killed, Instant.now());
    LOG.info("failover: {} leads {} ms after {} was killed", next.name(), failover.toMillis(), leader.name());
    writeResult(work, leader, next, failover);
    // only the synchronous standby may take over, and it has every acknowledged commit
    assertThat(next).isSameAs(sync);
    assertThat(next.sqlIn("messages", "SELECT count(*), min(id), max(id) FROM failover_rows"))
        .isEqualTo("101|1|101");
    next.app("INSERT INTO failover_rows VALUES (102, 'after failover')");

    // ---- the old leader started again: it is rewound and streams from the new one as a replica
    leader.start("rejoin");
    await(Duration.ofMinutes(2), "the old leader streaming from the new one as a replica", () ->
        Labels.PATRONI_REPLICA.equals(cluster.role(leader))
            && "streaming".equals(leader.sqlOrNull("SELECT status FROM pg_stat_wal_receiver"))
            ? Optional.of(true) : Optional.empty());
    assertThat(leader.sql("SELECT pg_is_in_recovery()")).isEqualTo("t");
    assertThat(leader.sql("SELECT sender_port FROM pg_stat_wal_receiver")).isEqualTo(String.valueOf(next.pgPort));
    String rejoinLog = Files.readString(leader.log("rejoin"));
    assertThat(rejoinLog).as("the rejoin's log, %s", leader.log("rejoin"))
        .contains("running pg_rewind from", "pg_rewind exit code=0")
        .doesNotContain("replica has been created using basebackup");
    // rewound: the write only the old leader had is gone, everything the new leader has is there
    await(Duration.ofSeconds(30), "the row written after the failover on the rejoined member", () ->
        "102|0".equals(leader.sqlInOrNull("messages", "SELECT count(*), count(*) FILTER (WHERE id = 999)"
            + " FROM failover_rows")) ? Optional.of(true) : Optional.empty());

    // ---- the Services follow the roles: the client Service reaches the new leader only, -ro the two replicas
    await(Duration.ofSeconds(30), "the Services' endpoints following the roles", () ->
        cluster.endpoints(SET).equals(List.of(next.name()))
            && cluster.endpoints(SET + "-ro").equals(members.stream().filter(m -> m != next)
                .map(Member::name).sorted().toList()) ? Optional.of(true) : Optional.empty());
    // the model's Role was enough: Patroni was never refused
    for (Member m : members) {
      for (Path log : m.logs()) {
        assertThat(Files.readString(log)).as(log.toString()).doesNotContain("Permission denied")
            .doesNotContain(" 403 ");
      }
    }
  }

  @Test
  void aLeaderCutOffFromTheApiServerStaysPrimaryAndTakesWritesWhileItsReplicaAnswers(KubernetesClient client,
      TestNamespace ns) throws Exception {
    CollaborationPlatform platform = TestPlatforms.example();
    // a second platform in the class's namespace: its own account, Role, Services and pods
    platform.getMetadata().setName("outage");
    platform.getSpec().getDatabase().setReplicas(2);
    Path work = PatroniMembers.REPO.resolve("operator/manager/target/database-failover").resolve(ns.name() + "-outage");
    cluster = PatroniMembers.create(client, ns, platform, work, PASSWORDS, Map.of());
    cluster.startAll("first");
    Member leader = cluster.awaitLeader(Duration.ofMinutes(3));
    Member replica = cluster.members().stream().filter(m -> m != leader).findFirst().orElseThrow();
    // the leader has told the DCS who must answer it in an outage: both members, in its lock's config map
    String renewed = await(Duration.ofMinutes(1), "the replica streaming and both members in the leader's failsafe "
        + "list", () -> {
          Map<String, String> lock = lockAnnotations(client, ns);
          String failsafe = lock.get("failsafe");
          return "streaming".equals(replica.sqlOrNull("SELECT status FROM pg_stat_wal_receiver")) && failsafe != null
              && failsafe.contains(leader.name()) && failsafe.contains(replica.name())
              ? Optional.ofNullable(lock.get("renewTime")) : Optional.empty();
        });
    // ... and has read that list back: the leader learns it from the DCS, when it loads the cluster at the start of
    // its next loop, which then renews the lock. Cut before that, it knows no members to ask, and demotes
    await(Duration.ofMinutes(1), "the leader's next loop", () -> renewed.equals(lockAnnotations(client, ns)
        .get("renewTime")) ? Optional.empty() : Optional.of(true));
    leader.app("CREATE TABLE outage_rows (id int PRIMARY KEY)");
    String started = leader.sql("SELECT pg_postmaster_start_time()");

    // ---- the API server out of reach for longer than the lock's ttl (20 s) plus retry_timeout (7 s): without
    // failsafe_mode the leader demotes itself after retry_timeout, and these writes fail
    cluster.cutFromApiServer();
    Instant cut = Instant.now();
    int written = 0;
    try {
      while (Duration.between(cut, Instant.now()).toSeconds() < 40) {
        leader.app("INSERT INTO outage_rows VALUES (" + ++written + ")");
        Thread.sleep(500);
      }
      assertThat(leader.sql("SELECT pg_is_in_recovery()")).as("the leader, cut off").isEqualTo("f");
      assertThat(replica.sql("SELECT pg_is_in_recovery()")).as("the replica, cut off too").isEqualTo("t");
    } finally {
      cluster.reconnectToApiServer();
    }
    assertThat(leader.sql("SELECT pg_postmaster_start_time()")).as("PostgreSQL ran through the outage")
        .isEqualTo(started);
    assertThat(Files.readString(leader.log("first"))).as(leader.log("first").toString())
        .contains("continue to run as a leader because failsafe mode is enabled and all members are accessible");
    LOG.info("{} took {} writes in {} s cut off from the API server", leader.name(), written,
        Duration.between(cut, Instant.now()).toSeconds());

    // ---- the API server back: the same leader holds its lock again, the replica has every write
    final int all = written;
    await(Duration.ofMinutes(1), "the leader's lock renewed and every write on the replica", () ->
        Labels.PATRONI_LEADER.equals(cluster.role(leader))
            && String.valueOf(all).equals(replica.sqlInOrNull("messages", "SELECT count(*) FROM outage_rows"))
            ? Optional.of(true) : Optional.empty());
    assertThat(cluster.role(replica)).isEqualTo(Labels.PATRONI_REPLICA);
  }

  private Map<String, String> lockAnnotations(KubernetesClient client, TestNamespace ns) {
    var lock = client.configMaps().inNamespace(ns.name()).withName(cluster.set() + "-leader").get();
    return lock == null || lock.getMetadata().getAnnotations() == null ? Map.of()
        : lock.getMetadata().getAnnotations();
  }

  @AfterEach
  void stopMembers() throws IOException {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static void writeResult(Path work, Member killed, Member next, Duration failover) throws IOException {
    Files.writeString(work.resolve("failover.txt"), "killed " + killed.name() + ", " + next.name() + " leading after "
        + failover.toMillis() + " ms\n");
  }
}
