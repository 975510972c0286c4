package dev.atrium.operator.database;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrium.api.v1alpha1.CollaborationPlatform;
import dev.atrium.operator.TestPlatforms;
import dev.atrium.operator.model.DesiredState;
import dev.atrium.operator.model.Labels;
import dev.atrium.testing.kube.TestNamespace;
import dev.atrium.testing.kube.WithKubeCluster;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Failover of the database with real processes: three Patroni members from Debian's package, each with its own
 * PostgreSQL 15, started by the image's own entrypoint (hack/images/postgresql/entrypoint.sh, which writes Patroni's
 * configuration with the image's atrium-patroni-config), keep their leader lock in the local control plane's API
 * server as the model's ServiceAccount, with exactly the model's Role; their "pods" are KWOK pods named and labelled
 * as the StatefulSet's, which Patroni labels with its role. It shows: one leader, labelled; with synchronous
 * replication a commit does not return until the standby has it; the leader's Patroni and PostgreSQL killed with
 * SIGKILL, a replica leads (in 17-19 s here, logged) with every acknowledged row; the old member started again rejoins as a
 * replica through pg_rewind (its log and pg_stat_wal_receiver say so), and the Services select the new roles.
 *
 * <p>Needs Debian's {@code patroni} and {@code postgresql-15}; as root, the members run as the package's
 * {@code postgres} user (PostgreSQL refuses root). Their directories and logs are under
 * {@code target/database-failover/}.
 */
@WithKubeCluster
class DatabaseFailoverIT {

  private static final Logger LOG = LoggerFactory.getLogger(DatabaseFailoverIT.class);
  private static final Path REPO = Path.of(System.getProperty("atrium.repo.dir", "../..")).toAbsolutePath().normalize();
  private static final Path IMAGE = REPO.resolve("hack/images/postgresql");
  private static final Path PG_BIN = Path.of("/usr/lib/postgresql/15/bin");
  private static final Path PATRONI = Path.of("/usr/bin/patroni");
  private static final String SYSTEM_USER = "postgres";
  private static final String SET = "acme-database";
  /**
   * How long the test waits for a new leader: a timeout, not the 30 s bound. Tests never assert on time; the
   * failover's time is logged and written to failover.txt, and docs/testing.md keeps the figures.
   */
  private static final Duration FAILOVER_TIMEOUT = Duration.ofMinutes(2);
  private static final String SUPERUSER_PASSWORD = "super:secret\\1";
  private static final String REPLICATION_PASSWORD = "repl:secret\\2";
  private static final String APP_PASSWORD = "app-secret-3";

  private final List<Member> members = new ArrayList<>();
  /** The members' socket directories: a Unix socket's path may not exceed 107 bytes, which target/ would. */
  private Path sockets;
  private final List<Long> stopped = new ArrayList<>();

  @Test
  void aKilledLeaderIsReplacedWithinThirtySecondsAndRejoinsRewound(KubernetesClient client, TestNamespace ns)
      throws Exception {
    assertThat(PATRONI).as("Patroni (Debian: apt-get install patroni)").isExecutable();
    assertThat(PG_BIN.resolve("pg_rewind")).as("PostgreSQL 15 (Debian: apt-get install postgresql-15)").isExecutable();
    CollaborationPlatform platform = TestPlatforms.example();
    platform.getMetadata().setNamespace(ns.name());
    platform.getSpec().getDatabase().setReplicas(3);
    platform.getSpec().getDatabase().setSynchronous(true);
    DesiredState model = DatabaseModel.from(TestPlatforms.context(platform));
    StatefulSet set = only(model, StatefulSet.class, SET);

    // the model's account, Role and binding, and its two client Services (no platform here: no owner)
    for (Class<? extends HasMetadata> kind : List.of(ServiceAccount.class, Role.class, RoleBinding.class)) {
      client.resource(ownerless(only(model, kind, SET))).create();
    }
    for (Service service : List.of(only(model, Service.class, SET), only(model, Service.class, SET + "-ro"))) {
      client.resource(ownerless(service)).create();
    }
    // the StatefulSet's pods, as KWOK runs them: their names and labels are what Patroni needs
    for (int i = 0; i < 3; i++) {
      client.resource(new PodBuilder().withNewMetadata().withName(SET + "-" + i).withNamespace(ns.name())
          .withLabels(set.getSpec().getTemplate().getMetadata().getLabels()).endMetadata()
          .withNewSpec().addNewContainer().withName("postgresql").withImage(imageOf(set)).endContainer().endSpec()
          .build()).create();
    }

    Path work = Files.createDirectories(REPO.resolve("operator/manager/target/database-failover")
        .resolve(ns.name()));
    Path kubeconfig = kubeconfig(client, ns, work);
    sockets = Files.createTempDirectory("atrium-failover-");
    Map<String, String> env = modelEnv(set);
    for (int i = 0; i < 3; i++) {
      members.add(new Member(i, work.resolve("member-" + i), freePort(), freePort(), env, kubeconfig, ns.name()));
    }
    handToSystemUser(work);
    handToSystemUser(sockets);
    members.forEach(m -> m.start("first"));

    // ---- one leader, labelled by Patroni; the others replicas, one of them synchronous
    Member leader = await(Duration.ofMinutes(3), "one leader and two streaming replicas, one synchronous", () -> {
      List<Member> leaders = members.stream().filter(m -> Labels.PATRONI_LEADER.equals(role(client, ns, m))).toList();
      if (leaders.size() != 1 || members.stream().filter(m -> Labels.PATRONI_REPLICA.equals(role(client, ns, m)))
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
        .filter(m -> m != leader).filter(m -> Labels.PATRONI_LEADER.equals(role(client, ns, m)))
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
        Labels.PATRONI_REPLICA.equals(role(client, ns, leader))
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
        endpoints(client, ns, SET).equals(List.of(next.name()))
            && endpoints(client, ns, SET + "-ro").equals(members.stream().filter(m -> m != next)
                .map(Member::name).sorted().toList()) ? Optional.of(true) : Optional.empty());
    // the model's Role was enough: Patroni was never refused
    for (Member m : members) {
      for (Path log : m.logs()) {
        assertThat(Files.readString(log)).as(log.toString()).doesNotContain("Permission denied")
            .doesNotContain(" 403 ");
      }
    }
  }

  @AfterEach
  void stopMembers() throws IOException {
    for (Member m : members) {
      m.stop();
    }
    if (sockets != null) {
      try (Stream<Path> files = Files.walk(sockets)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  // ---- the members

  /** One Patroni member: the image's entrypoint with the model's environment, on its own ports and directory. */
  private final class Member {
    final int index;
    final Path dir;
    final int pgPort;
    final int apiPort;
    final Map<String, String> env;
    Process patroni;
    String run;

    Member(int index, Path dir, int pgPort, int apiPort, Map<String, String> modelEnv, Path kubeconfig,
        String namespace) throws IOException {
      this.index = index;
      this.dir = Files.createDirectories(dir);
      Files.createDirectories(sockets.resolve("m" + index));
      Files.createDirectories(dir.resolve("home"));
      this.pgPort = pgPort;
      this.apiPort = apiPort;
      env = new HashMap<>(modelEnv);
      env.put("PATH", PG_BIN + ":/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin");
      env.put("LANG", "C.UTF-8");
      env.put("HOME", dir.resolve("home").toString());
      env.put("HOSTNAME", name());
      env.put("POD_NAMESPACE", namespace);
      env.put("POD_IP", "127.0.0.1");
      env.put("PGDATA", dir.resolve("pgdata").toString());
      env.put("PGPORT", String.valueOf(pgPort));
      env.put("ATRIUM_PATRONI_PORT", String.valueOf(apiPort));
      env.put("ATRIUM_RUN_DIR", sockets.resolve("m" + index).toString());
      env.put("ATRIUM_ROLES_SCRIPT", IMAGE.resolve("roles.sh").toString());
      env.put("ATRIUM_PG_BIN", PG_BIN.toString());
      env.put("KUBECONFIG", kubeconfig.toString());
      env.put("ATRIUM_KUBE_CONTEXT", "patroni");
      env.put("POSTGRES_PASSWORD", SUPERUSER_PASSWORD);
      env.put("ATRIUM_REPLICATION_PASSWORD", REPLICATION_PASSWORD);
      env.put("ATRIUM_APP_PASSWORD", APP_PASSWORD);
    }

    String name() {
      return SET + "-" + index;
    }

    Path log(String what) {
      return dir.resolve("patroni-" + what + ".log");
    }

    List<Path> logs() throws IOException {
      try (Stream<Path> files = Files.list(dir)) {
        return files.filter(f -> f.getFileName().toString().endsWith(".log")).sorted().toList();
      }
    }

    void start(String what) {
      ProcessBuilder builder = new ProcessBuilder(asSystemUser(List.of(IMAGE.resolve("entrypoint.sh").toString())))
          .redirectErrorStream(true).redirectOutput(log(what).toFile());
      builder.environment().clear();
      builder.environment().putAll(env);
      try {
        patroni = builder.start();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start " + name(), e);
      }
      run = env.get("ATRIUM_RUN_DIR");
    }

    /** SIGKILL to Patroni and to every PostgreSQL process of this member at once; returns when they are gone. */
    Instant kill() throws IOException, InterruptedException {
      List<ProcessHandle> all = new ArrayList<>();
      all.add(patroni.toHandle());
      postmaster().ifPresent(pm -> {
        all.add(pm);
        pm.descendants().forEach(all::add);
      });
      Instant at = Instant.now();
      all.forEach(ProcessHandle::destroyForcibly);
      for (ProcessHandle p : all) {
        p.onExit().orTimeout(30, TimeUnit.SECONDS).join();
      }
      return at;
    }

    /** The postmaster, from postmaster.pid (Patroni starts it detached, not as its child). */
    Optional<ProcessHandle> postmaster() throws IOException {
      Path pid = dir.resolve("pgdata/postmaster.pid");
      if (!Files.exists(pid)) {
        return Optional.empty();
      }
      return ProcessHandle.of(Long.parseLong(Files.readAllLines(pid).get(0).trim()));
    }

    void stop() {
      if (patroni == null) {
        return;
      }
      try {
        Optional<ProcessHandle> pm = postmaster();
        patroni.destroy();
        if (!patroni.waitFor(30, TimeUnit.SECONDS)) {
          patroni.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        // Patroni stops PostgreSQL on SIGTERM; one it could not stop is stopped here, with its children
        if (pm.isPresent() && pm.get().isAlive() && stopped.add(pm.get().pid())) {
          pm.get().descendants().forEach(ProcessHandle::destroyForcibly);
          pm.get().destroyForcibly();
        }
      } catch (IOException | InterruptedException e) {
        LOG.warn("stopping {}: {}", name(), e.toString());
      }
    }

    /** A query as the superuser over the member's socket (peer authentication); the unaligned rows. */
    String sql(String query) {
      return sqlIn("postgres", query);
    }

    String sqlIn(String database, String query) {
      return psql(List.of("psql", "--no-psqlrc", "-X", "-qAt", "--host=" + run, "--port=" + pgPort,
          "--username=postgres", "--dbname=" + database, "--command=" + query), Map.of());
    }

    String sqlOrNull(String query) {
      return sqlInOrNull("postgres", query);
    }

    String sqlInOrNull(String database, String query) {
      try {
        return sqlIn(database, query);
      } catch (AssertionError e) {
        return null;
      }
    }

    /** A statement as the application user over TCP with its password, in its database messages. */
    String app(String statement) {
      return psql(appCommand(statement), Map.of("PGPASSWORD", APP_PASSWORD));
    }

    Process appAsync(String statement) throws IOException {
      ProcessBuilder builder = new ProcessBuilder(appCommand(statement)).redirectErrorStream(true)
          .redirectOutput(dir.resolve("async-commit.out").toFile());
      builder.environment().put("PGPASSWORD", APP_PASSWORD);
      return builder.start();
    }

    private List<String> appCommand(String statement) {
      return List.of(PG_BIN.resolve("psql").toString(), "--no-psqlrc", "-X", "-qAt", "-v", "ON_ERROR_STOP=1",
          "--host=127.0.0.1", "--port=" + pgPort, "--username=atrium", "--dbname=messages",
          "--command=" + statement);
    }

    private String psql(List<String> command, Map<String, String> extraEnv) {
      List<String> full = new ArrayList<>(command);
      full.set(0, PG_BIN.resolve("psql").toString());
      ProcessBuilder builder = new ProcessBuilder(command.contains("--username=postgres") ? asSystemUser(full) : full)
          .redirectErrorStream(true);
      builder.environment().putAll(extraEnv);
      try {
        Process p = builder.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
          throw new AssertionError(name() + ": psql failed: " + out);
        }
        return out;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  // ---- helpers

  /** The model's environment of the container, less what a pod's runtime, Secrets and downward API give. */
  private static Map<String, String> modelEnv(StatefulSet set) {
    Container container = set.getSpec().getTemplate().getSpec().getContainers().get(0);
    Map<String, String> env = new HashMap<>();
    for (EnvVar var : container.getEnv()) {
      if (var.getValue() != null) {
        env.put(var.getName(), var.getValue());
      }
    }
    return env;
  }

  private static String imageOf(StatefulSet set) {
    return set.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
  }

  /** A kubeconfig with a token of the model's ServiceAccount: Patroni has exactly the Role's rights. */
  private static Path kubeconfig(KubernetesClient client, TestNamespace ns, Path work) throws IOException {
    String token = client.serviceAccounts().inNamespace(ns.name()).withName(SET)
        .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(7200L).endSpec().build())
        .getStatus().getToken();
    Config config = client.getConfiguration();
    String ca = config.getCaCertData() != null ? config.getCaCertData()
        : Base64.getEncoder().encodeToString(Files.readAllBytes(Path.of(config.getCaCertFile())));
    String yaml = """
        apiVersion: v1
        kind: Config
        clusters:
        - name: test
          cluster:
            server: %s
            certificate-authority-data: %s
        users:
        - name: patroni
          user:
            token: %s
        contexts:
        - name: patroni
          context:
            cluster: test
            user: patroni
            namespace: %s
        current-context: patroni
        """.formatted(config.getMasterUrl().replaceAll("/$", ""), ca, token, ns.name());
    Path file = work.resolve("kubeconfig");
    Files.writeString(file, yaml);
    return file;
  }

  /** The role label Patroni set on the member's pod, or null. */
  private static String role(KubernetesClient client, TestNamespace ns, Member member) {
    Pod pod = client.pods().inNamespace(ns.name()).withName(member.name()).get();
    return pod == null ? null : pod.getMetadata().getLabels().get(Labels.PATRONI_ROLE);
  }

  /** The pods behind a Service, by the EndpointSlices the control plane keeps from its selector. */
  private static List<String> endpoints(KubernetesClient client, TestNamespace ns, String service) {
    return client.discovery().v1().endpointSlices().inNamespace(ns.name())
        .withLabel("kubernetes.io/service-name", service).list().getItems().stream()
        .flatMap(s -> s.getEndpoints() == null ? Stream.<Endpoint>empty() : s.getEndpoints().stream())
        .filter(e -> e.getTargetRef() != null)
        .filter(e -> e.getConditions() == null || !Boolean.FALSE.equals(e.getConditions().getReady()))
        .map(e -> e.getTargetRef().getName()).sorted().toList();
  }

  private static <T> T await(Duration limit, String what, Supplier<Optional<T>> check) throws InterruptedException {
    Instant deadline = Instant.now().plus(limit);
    while (true) {
      Optional<T> result = check.get();
      if (result.isPresent()) {
        return result.get();
      }
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("not within " + limit.toSeconds() + " s: " + what);
      }
      Thread.sleep(250);
    }
  }

  private static void signal(String signal, long pid) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(pid)).inheritIO().start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0).as("kill -%s %d", signal, pid).isTrue();
  }

  private static void writeResult(Path work, Member killed, Member next, Duration failover) throws IOException {
    Files.writeString(work.resolve("failover.txt"), "killed " + killed.name() + ", " + next.name() + " leading after "
        + failover.toMillis() + " ms\n");
  }

  private static List<String> asSystemUser(List<String> command) {
    if (!isRoot()) {
      return command;
    }
    List<String> wrapped = new ArrayList<>(List.of("setpriv", "--reuid=" + SYSTEM_USER, "--regid=" + SYSTEM_USER,
        "--init-groups", "--"));
    wrapped.addAll(command);
    return wrapped;
  }

  private static boolean isRoot() {
    return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
  }

  /** As root, the members' directories belong to the system user PostgreSQL runs as. */
  private static void handToSystemUser(Path work) throws IOException {
    if (!isRoot()) {
      return;
    }
    UserPrincipalLookupService users = work.getFileSystem().getUserPrincipalLookupService();
    var user = users.lookupPrincipalByName(SYSTEM_USER);
    var group = users.lookupPrincipalByGroupName(SYSTEM_USER);
    try (Stream<Path> files = Files.walk(work)) {
      for (Path p : files.sorted(Comparator.naturalOrder()).toList()) {
        Files.setOwner(p, user);
        Files.getFileAttributeView(p, java.nio.file.attribute.PosixFileAttributeView.class).setGroup(group);
      }
    }
    if (Files.exists(work.resolve("kubeconfig"))) {
      Files.setPosixFilePermissions(work.resolve("kubeconfig"),
          java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static <T extends HasMetadata> T only(DesiredState model, Class<T> kind, String name) {
    return model.resources().stream().filter(kind::isInstance).map(kind::cast)
        .filter(r -> Objects.equals(name, r.getMetadata().getName())).findFirst()
        .orElseThrow(() -> new AssertionError("the model has no " + kind.getSimpleName() + " " + name));
  }

  private static <T extends HasMetadata> T ownerless(T object) {
    object.getMetadata().setOwnerReferences(null);
    return object;
  }
}
