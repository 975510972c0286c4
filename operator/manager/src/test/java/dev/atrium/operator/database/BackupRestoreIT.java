package dev.atrium.operator.database;

import static dev.atrium.operator.database.PatroniMembers.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.atrium.api.v1alpha1.CollaborationPlatform;
import dev.atrium.operator.TestPlatforms;
import dev.atrium.operator.database.PatroniMembers.Exec;
import dev.atrium.operator.database.PatroniMembers.Member;
import dev.atrium.operator.database.PatroniMembers.Passwords;
import dev.atrium.operator.database.PatroniMembers.Running;
import dev.atrium.operator.model.Labels;
import dev.atrium.servicetesting.SeaweedServer;
import dev.atrium.testing.kube.TestNamespace;
import dev.atrium.testing.kube.WithKubeCluster;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Continuous backups and point-in-time restore of the database with real processes: a Patroni cluster of two members
 * ({@link PatroniMembers}: the image's entrypoint and scripts, the DCS in the local control plane) archives its WAL
 * with the image's atrium-backup (barman-cloud from Debian's {@code barman-cli-cloud}) into a real object store,
 * SeaweedFS's weed as the platform runs it; the test runs {@code atrium-backup} in the members as the operator's exec
 * would, and makes new clusters from the backups with the image's restore bootstrap. It shows: backups listed and
 * verified with the exact row counts of the backup's end; a new cluster restored to a point in time and to the end of
 * the archive, a primary that takes writes, whose replica clones from it, archiving into its own place, with the new
 * platform's passwords; a target before the backup ends, or no backup, initialising nothing; a new cluster not
 * archiving over another's WAL; base refused on a replica and bad names refused before any tool runs; retention.
 *
 * <p>Needs Debian's {@code patroni}, {@code postgresql-15} and {@code barman-cli-cloud}, and weed from
 * hack/tools.sh. The methods run in order on one source cluster (retention, last, deletes the earlier backups).
 * Every process's log is under {@code target/backup-restore/<namespace>/}: each member's directory (its Patroni and
 * PostgreSQL log, one file per start, and each atrium-backup run's stdout and stderr), weed's log; the durations of
 * the base backups, verifications and restores in {@code durations.txt}.
 */
@WithKubeCluster
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BackupRestoreIT {

  private static final Logger LOG = LoggerFactory.getLogger(BackupRestoreIT.class);
  private static final Path BARMAN = Path.of("/usr/bin/barman-cloud-backup");
  private static final Path BACKUP = PatroniMembers.IMAGE.resolve("backup.py");
  private static final String BUCKET = "atrium-backups";
  private static final Passwords SOURCE = new Passwords("source-super:1", "source-repl:2", "source-app-3");
  private static final Passwords RESTORED = new Passwords("restored-super:4", "restored-repl\\5", "restored-app-6");
  private static final Duration START = Duration.ofMinutes(3);
  private static final Duration RESTORE = Duration.ofMinutes(5);
  private static final ObjectMapper JSON = new ObjectMapper();

  private KubernetesClient client;
  private TestNamespace ns;
  private SeaweedServer store;
  private Path work;
  private PatroniMembers source;
  private Member leader;
  private Member replica;
  private final List<PatroniMembers> restored = new ArrayList<>();
  private final Map<String, String> figures = new LinkedHashMap<>();

  @BeforeAll
  void startTheSourceCluster(KubernetesClient client, TestNamespace ns) throws Exception {
    assertThat(BARMAN).as("barman-cloud (Debian: apt-get install barman-cli-cloud)").isExecutable();
    this.client = client;
    this.ns = ns;
    work = Files.createDirectories(PatroniMembers.REPO.resolve("operator/manager/target/backup-restore")
        .resolve(ns.name()));
    store = SeaweedServer.start();
    CollaborationPlatform platform = TestPlatforms.example();
    platform.getSpec().getDatabase().setReplicas(2);
    platform.getSpec().getDatabase().setSynchronous(false);
    source = PatroniMembers.create(client, ns, platform, work.resolve("acme"), SOURCE, backupEnv("acme"));
    source.startAll("first");
    leader = source.awaitLeader(START);
    replica = source.members().stream().filter(m -> m != leader).findFirst().orElseThrow();
    await(START, "the replica streaming", () -> Labels.PATRONI_REPLICA.equals(source.role(replica))
        && "streaming".equals(replica.sqlOrNull("SELECT status FROM pg_stat_wal_receiver"))
        ? Optional.of(true) : Optional.empty());
    LOG.info("source cluster: {} leads, {} streams from it", leader.name(), replica.name());
  }

  @AfterAll
  void stopEverything() throws IOException {
    for (PatroniMembers cluster : restored) {
      cluster.close();
    }
    if (source != null) {
      source.close();
    }
    if (store != null) {
      // the store's directory goes with it; its log stays with the members'
      Path log = store.dataDir().getParent().resolve("weed.log");
      if (Files.exists(log)) {
        Files.copy(log, work.resolve("weed.log"), StandardCopyOption.REPLACE_EXISTING);
      }
      store.close();
    }
    if (work != null) {
      StringBuilder text = new StringBuilder();
      figures.forEach((k, v) -> text.append(k).append(": ").append(v).append('\n'));
      Files.writeString(work.resolve("durations.txt"), text);
      Files.writeString(work.getParent().resolve("durations.txt"), text);
    }
  }

  @Test
  @Order(1)
  void walIsArchivedAndABackupIsListedAndVerifiedWithTheRowCountsAtItsEnd() throws Exception {
    leader.app("CREATE TABLE orders (id int PRIMARY KEY, note text NOT NULL);"
        + " INSERT INTO orders SELECT g, 'order ' || g FROM generate_series(1, 500) g;"
        + " CREATE SCHEMA audit; CREATE TABLE audit.events (id serial PRIMARY KEY, what text);"
        + " INSERT INTO audit.events (what) SELECT 'event ' || g FROM generate_series(1, 7) g");
    leader.appIn("identity", "CREATE TABLE people (id int PRIMARY KEY, name text);"
        + " INSERT INTO people SELECT g, 'person ' || g FROM generate_series(1, 42) g");
    // archiving: the segments written so far reach the store, none fails
    leader.sql("SELECT pg_switch_wal()");
    await(Duration.ofMinutes(2), "WAL archived", () -> Optional.ofNullable(leader.sqlOrNull(
        "SELECT archived_count FROM pg_stat_archiver WHERE archived_count > 0")).filter(s -> !s.isEmpty()));
    assertThat(leader.sql("SELECT failed_count FROM pg_stat_archiver")).isEqualTo("0");

    JsonNode backup = base(leader, "initial", Map.of());
    assertThat(backup.get("name").asText()).isEqualTo("initial");
    assertThat(backup.get("status").asText()).isEqualTo("DONE");
    assertThat(backup.get("timeline").asInt()).isEqualTo(1);
    assertThat(backup.get("sizeBytes").asLong()).isPositive();
    for (String field : List.of("beginTime", "endTime", "beginWal", "endWal", "beginLsn", "endLsn")) {
      assertThat(backup.get(field).asText()).as(field).isNotBlank();
    }
    assertThat(backup.get("retention").get("deleted")).isEmpty();
    // written after the backup ended: not in what it restores to
    leader.app("INSERT INTO orders SELECT g, 'later' FROM generate_series(501, 600) g");
    leader.appIn("identity", "DELETE FROM people WHERE id > 40");

    JsonNode list = list();
    assertThat(list.get("backups")).anySatisfy(b -> {
      assertThat(b.get("backupId").asText()).isEqualTo(backup.get("backupId").asText());
      assertThat(b.get("name").asText()).isEqualTo("initial");
      assertThat(b.get("status").asText()).isEqualTo("DONE");
      assertThat(b.get("endLsn").asText()).isEqualTo(backup.get("endLsn").asText());
    });

    Instant started = Instant.now();
    JsonNode verified = json(leader.exec("verify", List.of(BACKUP.toString(), "verify", "initial"), Map.of()));
    figure("verify of 'initial'", started);
    assertThat(verified.get("verified").asBoolean()).isTrue();
    assertThat(verified.get("backupId").asText()).isEqualTo(backup.get("backupId").asText());
    Map<String, Map<String, Long>> databases = JSON.convertValue(verified.get("databases"),
        JSON.getTypeFactory().constructMapType(Map.class, JSON.getTypeFactory().constructType(String.class),
            JSON.getTypeFactory().constructMapType(Map.class, String.class, Long.class)));
    assertThat(databases).containsOnlyKeys("postgres", "objectstore", "identity", "messages", "netdisk", "webos");
    assertThat(databases.get("messages")).isEqualTo(Map.of("public.orders", 500L, "audit.events", 7L));
    assertThat(databases.get("identity")).isEqualTo(Map.of("public.people", 42L));
    assertThat(databases.get("netdisk")).isEmpty();
    assertScratchGone();
    // a verify that fails once the copy is restored (here: no time to recover it) removes it too, and its server
    Exec failed = leader.exec("verify-timeout", List.of(BACKUP.toString(), "verify", "initial"),
        Map.of("ATRIUM_VERIFY_TIMEOUT_SECONDS", "0"));
    assertThat(failed.exitCode()).as(failed.stderr()).isEqualTo(1);
    assertThat(failed.stderr()).contains("restored " + backup.get("backupId").asText(),
        "error: the restored server was not recovered within 0 s");
    assertScratchGone();
    // and one cut off (an exec's connection lost: SIGTERM) as soon as its copy is on the volume
    Running cut = leader.execStart("verify-cut-off", List.of(BACKUP.toString(), "verify", "initial"), Map.of());
    Path volume = Path.of(leader.env.get("PGDATA")).getParent();
    await(Duration.ofMinutes(2), "verify's copy on the volume", () -> {
      try (Stream<Path> files = Files.list(volume)) {
        return files.filter(p -> p.getFileName().toString().startsWith("atrium-verify-"))
            .filter(p -> Files.exists(p.resolve("pgdata/PG_VERSION"))).findFirst();
      } catch (IOException e) {
        return Optional.empty();
      }
    });
    cut.process().destroy();
    Exec stopped = cut.await();
    assertThat(stopped.exitCode()).as(stopped.stderr()).isEqualTo(1);
    assertThat(stopped.stderr()).contains("error: stopped by signal 15");
    assertThat(stopped.stdout()).isEmpty();
    assertScratchGone();
    // a verify killed with its container (a pod deleted, a platform put to sleep) leaves its copy with the pid its
    // server had in a PID namespace that is gone; in the new container that number can be the live postmaster's,
    // and the next verify removing the copy must not signal it (it did, with pg_ctl: the database shut down)
    Path leftover = Files.createDirectories(volume.resolve("atrium-verify-killed-with-its-pod/pgdata"));
    String livePid = Files.readAllLines(Path.of(leader.env.get("PGDATA"), "postmaster.pid")).get(0);
    Files.writeString(leftover.resolve("postmaster.pid"), livePid + "\n" + leftover + "\n");
    Files.writeString(leftover.resolve("PG_VERSION"), "15\n"); // a restored copy is a cluster directory
    // the database's user owns what a verify leaves, as it owns the rest of the volume
    var owner = Files.getOwner(volume);
    for (Path p : List.of(leftover.getParent(), leftover, leftover.resolve("postmaster.pid"),
        leftover.resolve("PG_VERSION"))) {
      Files.setOwner(p, owner);
    }
    String upSince = leader.sql("SELECT pg_postmaster_start_time()");
    Exec afterKill = leader.exec("verify-after-a-killed-pod", List.of(BACKUP.toString(), "verify", "initial"),
        Map.of());
    assertThat(json(afterKill).get("verified").asBoolean()).isTrue();
    assertThat(afterKill.stderr()).contains("removing atrium-verify-killed-with-its-pod");
    assertThat(leader.sql("SELECT pg_postmaster_start_time()")).as("the live server ran on").isEqualTo(upSince);
    assertScratchGone();
    figures.put("archive after the first test", archiveFigures("acme"));
  }

  @Test
  @Order(2)
  void aNewClusterIsRestoredToAPointInTimeAndToTheLatestPoint() throws Exception {
    leader.app("CREATE TABLE pitr (id int PRIMARY KEY, batch text NOT NULL);"
        + " INSERT INTO pitr SELECT g, 'A' FROM generate_series(1, 100) g");
    base(leader, "pitr-base", Map.of());
    leader.app("INSERT INTO pitr SELECT g, 'B' FROM generate_series(101, 200) g");
    Thread.sleep(1000);
    String target = leader.sql("SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC',"
        + " 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')");
    Thread.sleep(1000);
    leader.app("INSERT INTO pitr SELECT g, 'C' FROM generate_series(201, 300) g");
    switchAndAwaitArchived(leader);
    LOG.info("point in time: {} (after batch B, before C)", target);

    // ---- to the point in time: two members, one restores, the other clones from it
    PatroniMembers pit = restore("pit", 2, Map.of("ATRIUM_RESTORE_TARGET_TIME", target));
    Instant started = Instant.now();
    pit.startAll("first");
    Member pitLeader = pit.awaitLeader(RESTORE);
    figure("restore to a point in time (start to a leader taking writes)", started);
    assertThat(pitLeader.app("SELECT count(*), min(id), max(id), string_agg(DISTINCT batch, ',') FROM pitr"))
        .isEqualTo("200|1|200|A,B");
    assertThat(pitLeader.app("SELECT count(*) FROM pitr WHERE id NOT BETWEEN 1 AND 200")).isEqualTo("0");
    assertThat(pitLeader.sql("SELECT pg_is_in_recovery()")).isEqualTo("f");
    pitLeader.app("INSERT INTO pitr VALUES (1001, 'after the restore')");
    Member pitReplica = pit.members().stream().filter(m -> m != pitLeader).findFirst().orElseThrow();
    await(START, "the restored cluster's replica streaming", () -> Labels.PATRONI_REPLICA.equals(pit.role(pitReplica))
        && "1".equals(pitReplica.sqlInOrNull("messages", "SELECT count(*) FROM pitr WHERE id = 1001"))
        ? Optional.of(true) : Optional.empty());
    assertThat(Files.readString(pitReplica.log("first"))).as(pitReplica.log("first").toString())
        .contains("replica has been created using basebackup");
    assertThat(Files.readString(pitLeader.log("first"))).contains("Running custom bootstrap script");

    // its own archive: the restored cluster's new timeline in its own place, nothing of it in the source's
    switchAndAwaitArchived(pitLeader);
    List<String> own = objects("pit/wals/");
    assertThat(own).as("the restored cluster's archive").anyMatch(k -> k.contains("/00000002.history"));
    assertThat(objects("acme/wals/")).as("the source's archive").noneMatch(k -> k.contains("/00000002"));

    // ---- to the latest point: every archived commit, batch C too
    PatroniMembers latest = restore("latest", 1, Map.of());
    started = Instant.now();
    latest.startAll("first");
    Member latestLeader = latest.awaitLeader(RESTORE);
    figure("restore to the end of the archive (start to a leader taking writes)", started);
    assertThat(latestLeader.app("SELECT count(*), min(id), max(id), string_agg(DISTINCT batch, ',') FROM pitr"))
        .isEqualTo("300|1|300|A,B,C");
    latestLeader.app("INSERT INTO pitr VALUES (1002, 'after the restore')");
  }

  @Test
  @Order(3)
  void aRestoredClusterTakesTheNewPlatformsPasswords() throws Exception {
    leader.app("CREATE TABLE password_check (id int); INSERT INTO password_check VALUES (1)");
    switchAndAwaitArchived(leader);
    PatroniMembers cluster = restore("passwords", 1, Map.of());
    cluster.startAll("first");
    Member member = cluster.awaitLeader(RESTORE);
    // the new platform's passwords open it; the source's, which the backup's roles had, are refused
    assertThat(member.login("atrium", RESTORED.app(), "SELECT current_user").exitCode()).isZero();
    assertThat(member.login("postgres", RESTORED.superuser(), "SELECT current_user").exitCode()).isZero();
    for (Passwords old : List.of(SOURCE)) {
      Exec app = member.login("atrium", old.app(), "SELECT 1");
      assertThat(app.exitCode()).isNotZero();
      assertThat(app.stdout()).contains("password authentication failed for user \"atrium\"");
      Exec superuser = member.login("postgres", old.superuser(), "SELECT 1");
      assertThat(superuser.exitCode()).isNotZero();
      assertThat(superuser.stdout()).contains("password authentication failed for user \"postgres\"");
    }
    // and the source's data came with it
    assertThat(member.app("SELECT count(*) FROM password_check")).isEqualTo("1");
  }

  @Test
  @Order(4)
  void aTargetBeforeTheBackupEndsOrNoBackupInitialisesNothing() throws Exception {
    JsonNode backups = list().get("backups");
    JsonNode earliest = backups.get(0);
    String beforeAll = earliest.get("beginTime").asText();
    // each case a new cluster of one member; they run side by side
    Map<String, Map<String, String>> cases = new LinkedHashMap<>();
    cases.put("early", Map.of("ATRIUM_RESTORE_TARGET_TIME", beforeAll));
    cases.put("early-id", Map.of("ATRIUM_RESTORE_TARGET_TIME", beforeAll,
        "ATRIUM_RESTORE_BACKUP_ID", earliest.get("backupId").asText()));
    cases.put("nothing", Map.of("ATRIUM_RESTORE_SERVER_NAME", "no-such-platform"));
    Map<String, String> why = Map.of(
        "early", "ends before the target time " + beforeAll.replace("Z", "+00:00"),
        "early-id", "is before backup " + earliest.get("backupId").asText() + " ends",
        "nothing", "no backup in s3://" + BUCKET + "/" + ns.name() + " (server no-such-platform)");
    Map<String, PatroniMembers> clusters = new LinkedHashMap<>();
    for (var c : cases.entrySet()) {
      clusters.put(c.getKey(), restore(c.getKey(), 1, c.getValue()));
    }
    clusters.values().forEach(c -> c.startAll("first"));
    for (var c : clusters.entrySet()) {
      Member member = c.getValue().member(0);
      assertThat(member.patroni.waitFor(2, TimeUnit.MINUTES)).as("%s: Patroni gives up", c.getKey()).isTrue();
      String log = Files.readString(member.log("first"));
      assertThat(member.patroni.exitValue()).as(log).isNotZero();
      assertThat(log).as(c.getKey()).contains("atrium-backup: refused: ", why.get(c.getKey()),
          "removing initialize key after failed attempt to bootstrap the cluster");
      assertThat(log).doesNotContain("running initdb", "Running custom bootstrap script: initdb");
      Path pgdata = Path.of(member.env.get("PGDATA"));
      assertThat(pgdata.resolve("PG_VERSION")).as("nothing initialised").doesNotExist();
      assertThat(c.getValue().role(member)).isNull();
      ConfigMap config = client.configMaps().inNamespace(ns.name()).withName(c.getValue().set() + "-config").get();
      assertThat(config == null || config.getMetadata().getAnnotations() == null
          || !config.getMetadata().getAnnotations().containsKey("initialize")).as("no initialize key").isTrue();
    }
  }

  @Test
  @Order(5)
  void aNewClusterDoesNotArchiveOverAnotherClustersWal() throws Exception {
    // a platform made again under the source's name and bucket, with empty volumes: initdb, its WAL would have the
    // same names as the source's
    CollaborationPlatform platform = TestPlatforms.example();
    platform.getMetadata().setName("again");
    platform.getSpec().getDatabase().setReplicas(1);
    PatroniMembers again = PatroniMembers.create(client, ns, platform, work.resolve("again"), RESTORED,
        backupEnv("acme"));
    restored.add(again);
    int before = objects("acme/wals/").size();
    again.startAll("first");
    Member member = again.awaitLeader(START);
    member.sql("SELECT pg_switch_wal()");
    await(Duration.ofMinutes(2), "the first segment's archiving refused", () -> Optional.ofNullable(member.sqlOrNull(
        "SELECT last_failed_wal FROM pg_stat_archiver WHERE failed_count > 0")).filter(s -> !s.isEmpty()));
    assertThat(member.sql("SELECT last_failed_wal, archived_count FROM pg_stat_archiver"))
        .isEqualTo("000000010000000000000001|0");
    assertThat(Files.readString(member.log("first"))).contains("atrium-backup: error: not archiving: s3://" + BUCKET
        + "/" + ns.name() + " (server acme) already holds");
    assertThat(objects("acme/wals/")).hasSize(before);
    // a base backup would wait for its WAL for ever: refused, saying why
    Exec base = member.exec("base-while-archiving-fails", List.of(BACKUP.toString(), "base", "--name", "blocked"),
        Map.of("ATRIUM_ARCHIVING_RECHECK_SECONDS", "2"));
    assertThat(base.exitCode()).as(base.stderr()).isNotZero();
    assertThat(base.stderr()).contains("WAL archiving is failing: 000000010000000000000001 failed at");
    member.stop();
  }

  @Test
  @Order(5)
  void theSameClusterArchivesItsFirstSegmentAgainWhenItComesBackIntoPgWal() throws Exception {
    // after a switchover a member cloned or rewound from another has the first segment in pg_wal with no archive
    // status, and PostgreSQL archives it again; refusing it (as a new cluster's) stopped all archiving on the node
    Path segment = leader.dir.resolve("000000010000000000000001");
    String script = """
        import boto3, gzip, os, sys
        s3 = boto3.client("s3", endpoint_url=os.environ["ENDPOINT"], region_name="us-east-1")
        body = s3.get_object(Bucket=sys.argv[1], Key=sys.argv[2])["Body"]
        open(sys.argv[3], "wb").write(gzip.GzipFile(fileobj=body).read())
        """;
    ProcessBuilder fetch = new ProcessBuilder("/usr/bin/python3", "-c", script, BUCKET, ns.name()
        + "/acme/wals/0000000100000000/000000010000000000000001.gz", segment.toString()).redirectErrorStream(true);
    fetch.environment().putAll(Map.of("ENDPOINT", store.endpoint(), "AWS_ACCESS_KEY_ID", store.accessKey(),
        "AWS_SECRET_ACCESS_KEY", store.secretKey()));
    Process p = fetch.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(1, TimeUnit.MINUTES) && p.exitValue() == 0).as(out).isTrue();
    segment.toFile().setReadable(true, false);

    Exec again = leader.exec("first-segment-again", List.of(BACKUP.toString(), "wal-archive", segment.toString()),
        Map.of());
    assertThat(again.exitCode()).as(again.stderr()).isZero();
    assertThat(again.stderr()).contains("archiving 000000010000000000000001 again: the archive is this cluster's");
  }

  @Test
  @Order(6)
  void baseOnAReplicaExitsThreeAndBadNamesAreRefusedBeforeAnyToolRuns() throws Exception {
    Exec onReplica = replica.exec("base-on-replica", List.of(BACKUP.toString(), "base", "--name", "on-replica"),
        Map.of());
    assertThat(onReplica.exitCode()).as(onReplica.stderr()).isEqualTo(3);
    assertThat(onReplica.stderr()).contains("this member is not the leader");
    assertThat(onReplica.stdout()).isEmpty();
    assertThat(list().get("backups"))
        .noneMatch(b -> "on-replica".equals(b.get("name").asText()));

    // every tool atrium-backup could run, first on its PATH, records that it ran; the store is unreachable
    Path spies = Files.createDirectories(work.resolve("spies"));
    Path ran = leader.dir.resolve("tools-that-ran.txt");
    for (String tool : List.of("barman-cloud-backup", "barman-cloud-backup-list", "barman-cloud-backup-delete",
        "barman-cloud-restore", "barman-cloud-wal-restore", "barman-cloud-wal-archive", "psql", "postgres",
        "pg_ctl")) {
      Path spy = spies.resolve(tool);
      Files.writeString(spy, "#!/bin/sh\necho \"$0 $*\" >> " + ran + "\nexit 99\n");
      Files.setPosixFilePermissions(spy, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    Map<String, String> trapped = new HashMap<>(Map.of("PATH", spies + ":" + leader.env.get("PATH"),
        "ATRIUM_BACKUP_ENDPOINT", "http://127.0.0.1:" + PatroniMembers.freePort(),
        "ATRIUM_PG_BIN", spies.toString()));
    String longName = "a".repeat(254);
    for (List<String> args : List.of(List.of("base", "--name", "Bad_Name"), List.of("base", "--name=-x"),
        List.of("base", "--name", "a b"), List.of("base", "--name", "../etc"), List.of("base", "--name", longName),
        List.of("base", "--name", "latest"), List.of("base", "--name", ""), List.of("verify", "20261129T1200"),
        List.of("verify", "x;rm"))) {
      List<String> command = new ArrayList<>(List.of(BACKUP.toString()));
      command.addAll(args);
      Exec refused = leader.exec("bad-name", command, trapped);
      assertThat(refused.exitCode()).as("%s: %s", args, refused.stderr()).isEqualTo(2);
      assertThat(refused.stderr()).as(args.toString()).startsWith("atrium-backup: refused: the name")
          .doesNotContain("running", "cannot reach");
      assertThat(refused.stdout()).isEmpty();
    }
    assertThat(ran).as("no tool ran").doesNotExist();

    // verify refuses, before restoring anything, when the volume cannot hold the copy and keep the reserve
    Exec noRoom = leader.exec("verify-no-room", List.of(BACKUP.toString(), "verify", "initial"),
        Map.of("ATRIUM_VERIFY_RESERVE_PERCENT", "100"));
    assertThat(noRoom.exitCode()).as(noRoom.stderr()).isEqualTo(2);
    assertThat(noRoom.stderr()).contains("refused: not enough room to verify backup");
    // the reserve is a share of the claim when the operator passes its size and the file system is larger (a claim
    // on a node's shared disk sees the whole disk, whose share was more than it had free): all of a 64 MiB claim
    // kept, this disk still has room
    Exec claimSized = leader.exec("verify-claim-sized", List.of(BACKUP.toString(), "verify", "initial",
        "--volume-bytes", String.valueOf(64L << 20)), Map.of("ATRIUM_VERIFY_RESERVE_PERCENT", "100"));
    assertThat(json(claimSized).get("verified").asBoolean()).isTrue();
    assertScratchGone();
    Exec badSize = leader.exec("verify-bad-size", List.of(BACKUP.toString(), "verify", "initial", "--volume-bytes",
        "10Gi"), Map.of());
    assertThat(badSize.exitCode()).as(badSize.stderr()).isEqualTo(2);
    assertThat(badSize.stderr()).contains("'10Gi' is not a number of bytes");
  }

  @Test
  @Order(7)
  void retentionDeletesBackupsOutsideTheWindowAndTheirWal() throws Exception {
    List<String> before = ids(list());
    // the default window, 7 days: nothing of today goes
    JsonNode kept = base(leader, "retention-a", Map.of());
    assertThat(kept.get("retention").get("policy").asText()).isEqualTo("RECOVERY WINDOW OF 7 DAYS");
    assertThat(kept.get("retention").get("deleted")).isEmpty();
    // a window of 0 days: every backup before the newest is outside it (barman keeps the newest, which recovers to
    // now), without waiting days for one to age
    leader.app("INSERT INTO orders VALUES (700, 'between the two')");
    JsonNode newest = base(leader, "retention-b", Map.of("ATRIUM_BACKUP_RETENTION_DAYS", "0"));
    List<String> expected = new ArrayList<>(before);
    expected.add(kept.get("backupId").asText());
    assertThat(ids(newest.get("retention").get("deleted"))).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(ids(list()))
        .containsExactly(newest.get("backupId").asText());
    // the WAL before the newest backup went with them
    String begin = newest.get("beginWal").asText();
    assertThat(objects("acme/wals/").stream().map(k -> k.substring(k.lastIndexOf('/') + 1))
        .filter(n -> n.length() >= 24 && n.substring(0, 24).matches("[0-9A-F]{24}")))
        .as("segments left in the archive").isNotEmpty().allMatch(n -> n.substring(0, 24).compareTo(begin) >= 0);
    // what is left still restores
    Instant started = Instant.now();
    JsonNode verified = json(leader.exec("verify", List.of(BACKUP.toString(), "verify", "retention-b"), Map.of()));
    figure("verify of 'retention-b'", started);
    assertThat(verified.get("databases").get("messages").get("public.orders").asLong()).isEqualTo(601);
  }

  @Test
  @Order(8)
  void aBackupOfAReplicaPromotedToLeaderVerifies() throws Exception {
    // Patroni writes every recovery target into a replica's configuration, empty; promoted, the member keeps them,
    // and so does a backup of it. PostgreSQL 15 refused the verify's own target beside them ("multiple recovery
    // targets specified"): on the real node, the backup before an upgrade, taken after a failover, never verified.
    assertThat(Files.readString(replica.dir.resolve("pgdata/postgresql.conf"))).contains("recovery_target_lsn = ''");
    leader.stop();
    Member promoted = source.awaitLeader(START);
    assertThat(promoted).isSameAs(replica);
    assertThat(Files.readString(promoted.dir.resolve("pgdata/postgresql.conf"))).contains("recovery_target_lsn = ''");
    JsonNode backup = base(promoted, "promoted", Map.of());
    JsonNode verified = json(promoted.exec("verify-promoted", List.of(BACKUP.toString(), "verify", "promoted"),
        Map.of()));
    assertThat(verified.get("verified").asBoolean()).isTrue();
    assertThat(verified.get("backupId").asText()).isEqualTo(backup.get("backupId").asText());
    assertThat(verified.get("databases").get("messages").get("public.orders").asLong()).isPositive();
  }

  @Test
  @Order(9)
  void noLogOrOutputHoldsTheStoresSecretKeyOrAPassword() throws IOException {
    List<String> secrets = List.of(store.secretKey(), SOURCE.superuser(), SOURCE.replication(), SOURCE.app(),
        RESTORED.superuser(), RESTORED.replication(), RESTORED.app());
    List<Path> outputs;
    try (Stream<Path> files = Files.walk(work)) {
      outputs = files.filter(Files::isRegularFile).filter(f -> f.getFileName().toString()
          .matches(".*\\.(log|out|err|txt)")).toList();
    }
    assertThat(outputs).as("the members' logs and atrium-backup's outputs").hasSizeGreaterThan(20);
    for (Path output : outputs) {
      String text = Files.readString(output, StandardCharsets.ISO_8859_1);
      for (String secret : secrets) {
        assertThat(text.contains(secret)).as("%s holds a secret", output).isFalse();
      }
    }
  }

  // ---- helpers

  /** This platform's backups: its own place in the bucket (prefix: the namespace), server name its name. */
  private Map<String, String> backupEnv(String server) {
    return Map.of("ATRIUM_BACKUP_DESTINATION", "s3://" + BUCKET + "/" + ns.name(),
        "ATRIUM_BACKUP_SERVER_NAME", server, "ATRIUM_BACKUP_ENDPOINT", store.endpoint(),
        "AWS_ACCESS_KEY_ID", store.accessKey(), "AWS_SECRET_ACCESS_KEY", store.secretKey());
  }

  /**
   * A new platform's database, restored from the source's backups: its own backups under its own server name, its
   * own passwords; {@code env} adds or replaces restore variables.
   */
  private PatroniMembers restore(String name, int replicas, Map<String, String> env) throws IOException {
    CollaborationPlatform platform = TestPlatforms.example();
    platform.getMetadata().setName(name);
    platform.getSpec().getDatabase().setReplicas(replicas);
    platform.getSpec().getDatabase().setSynchronous(false);
    Map<String, String> all = new HashMap<>(backupEnv(name));
    all.putAll(Map.of("ATRIUM_RESTORE_DESTINATION", "s3://" + BUCKET + "/" + ns.name(),
        "ATRIUM_RESTORE_SERVER_NAME", "acme", "ATRIUM_RESTORE_ENDPOINT", store.endpoint(),
        "ATRIUM_RESTORE_ACCESS_KEY_ID", store.accessKey(), "ATRIUM_RESTORE_SECRET_ACCESS_KEY", store.secretKey()));
    all.putAll(env);
    PatroniMembers cluster = PatroniMembers.create(client, ns, platform, work.resolve(name), RESTORED, all);
    restored.add(cluster);
    return cluster;
  }

  private JsonNode base(Member member, String name, Map<String, String> changes) throws Exception {
    Instant started = Instant.now();
    JsonNode backup = json(member.exec("base-" + name, List.of(BACKUP.toString(), "base", "--name", name), changes));
    figure("base backup '" + name + "'", started);
    return backup;
  }

  /** No verify's scratch directory beside the leader's PGDATA, and no server running in one. */
  private void assertScratchGone() throws IOException {
    try (Stream<Path> files = Files.list(Path.of(leader.env.get("PGDATA")).getParent())) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("atrium-verify-"));
    }
    assertThat(ProcessHandle.allProcesses().map(p -> p.info().commandLine().orElse("")))
        .noneMatch(c -> c.contains("/atrium-verify-"));
  }

  /** atrium-backup list on the source's leader. */
  private JsonNode list() throws IOException, InterruptedException {
    return json(leader.exec("list", List.of(BACKUP.toString(), "list"), Map.of()));
  }

  /** A successful run's one JSON object. */
  private static JsonNode json(Exec exec) throws IOException {
    assertThat(exec.exitCode()).as("exit code; stderr:\n%s", exec.stderr()).isZero();
    JsonNode node = JSON.readTree(exec.stdout());
    assertThat(node.isObject()).as(exec.stdout()).isTrue();
    return node;
  }

  private static List<String> ids(JsonNode listOrIds) {
    List<String> ids = new ArrayList<>();
    JsonNode items = listOrIds.has("backups") ? listOrIds.get("backups") : listOrIds;
    items.forEach(n -> ids.add(n.isObject() ? n.get("backupId").asText() : n.asText()));
    return ids;
  }

  /** A WAL switch on the member, and the switched segment archived. */
  private static void switchAndAwaitArchived(Member member) throws InterruptedException {
    String segment = member.sql("SELECT pg_walfile_name(pg_switch_wal())");
    await(Duration.ofMinutes(2), member.name() + ": " + segment + " archived", () -> {
      String last = member.sqlOrNull("SELECT coalesce(last_archived_wal, '') FROM pg_stat_archiver");
      return last != null && last.length() >= 24 && last.substring(0, 24).compareTo(segment) >= 0
          ? Optional.of(true) : Optional.empty();
    });
  }

  /** The keys under the namespace's prefix in the bucket, with boto3 (what barman-cloud uses), sorted. */
  private List<String> objects(String under) throws IOException, InterruptedException {
    return listing(under).keySet().stream().sorted().toList();
  }

  private Map<String, Long> listing(String under) throws IOException, InterruptedException {
    String script = """
        import boto3, os, sys
        s3 = boto3.client("s3", endpoint_url=os.environ["ENDPOINT"], region_name="us-east-1")
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=sys.argv[1], Prefix=sys.argv[2]):
            for o in page.get("Contents", []):
                print(o["Key"], o["Size"])
        """;
    ProcessBuilder builder = new ProcessBuilder("/usr/bin/python3", "-c", script, BUCKET, ns.name() + "/" + under)
        .redirectErrorStream(true);
    builder.environment().putAll(Map.of("ENDPOINT", store.endpoint(), "AWS_ACCESS_KEY_ID", store.accessKey(),
        "AWS_SECRET_ACCESS_KEY", store.secretKey()));
    Process p = builder.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(1, TimeUnit.MINUTES) && p.exitValue() == 0).as(out).isTrue();
    Map<String, Long> objects = new LinkedHashMap<>();
    out.lines().filter(l -> !l.isBlank()).forEach(l -> objects.put(l.substring(0, l.lastIndexOf(' ')),
        Long.parseLong(l.substring(l.lastIndexOf(' ') + 1))));
    return objects;
  }

  /** How many WAL objects the server's archive holds and their compressed bytes. */
  private String archiveFigures(String server) throws IOException, InterruptedException {
    Map<String, Long> wal = listing(server + "/wals/");
    long segments = wal.keySet().stream().filter(k -> k.matches(".*/[0-9A-F]{24}\\.gz")).count();
    long bytes = wal.values().stream().mapToLong(Long::longValue).sum();
    return wal.size() + " WAL objects (" + segments + " segments), " + bytes + " bytes compressed";
  }

  private void figure(String what, Instant started) {
    Duration took = Duration.between(started, Instant.now());
    LOG.info("{}: {} ms", what, took.toMillis());
    figures.put(what, took.toMillis() + " ms");
  }
}
