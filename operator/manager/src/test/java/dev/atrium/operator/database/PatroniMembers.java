package dev.atrium.operator.database;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrium.api.v1alpha1.CollaborationPlatform;
import dev.atrium.operator.TestPlatforms;
import dev.atrium.operator.model.DesiredState;
import dev.atrium.operator.model.Labels;
import dev.atrium.testing.kube.TestNamespace;
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
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Patroni cluster of real processes for the database tests: the members of a platform's database StatefulSet,
 * each Debian's Patroni with its own PostgreSQL 15, started by the image's own entrypoint
 * (hack/images/postgresql/entrypoint.sh, which writes Patroni's configuration with the image's atrium-patroni-config)
 * with the environment the operator's DatabaseModel writes. They keep their leader lock in the local control plane's
 * API server as the model's ServiceAccount, with exactly the model's Role, through a relay a test can cut
 * ({@link #cutFromApiServer}); their "pods" are KWOK pods named and labelled as the StatefulSet's, which Patroni labels
 * with its role.
 *
 * <p>{@link #create} makes the model's account, Role, binding and two Services and the pods in the namespace (no
 * platform object: no owner); {@link Member#start} starts a member. As root the members (and every command run as
 * a member) run as the package's {@code postgres} user (PostgreSQL refuses root). Their directories and logs are under
 * the given work directory, one per member, a log file per start.
 */
final class PatroniMembers implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(PatroniMembers.class);
  static final Path REPO = Path.of(System.getProperty("atrium.repo.dir", "../..")).toAbsolutePath().normalize();
  static final Path IMAGE = REPO.resolve("hack/images/postgresql");
  static final Path PG_BIN = Path.of("/usr/lib/postgresql/15/bin");
  static final Path PATRONI = Path.of("/usr/bin/patroni");
  private static final String SYSTEM_USER = "postgres";

  /** The passwords the platform's database Secret would give the pods. */
  record Passwords(String superuser, String replication, String app) {
  }

  /** A command's outcome; its output is also in the member's directory. */
  record Exec(int exitCode, String stdout, String stderr) {
  }

  private final KubernetesClient client;
  private final TestNamespace ns;
  private final String set;
  private final Passwords passwords;
  private final List<Member> members = new ArrayList<>();
  /** The members' socket directories: a Unix socket's path may not exceed 107 bytes, which target/ would. */
  private final Path sockets;
  private final List<Long> stopped = new ArrayList<>();
  /** The members reach the API server through it: a test can cut them off from their DCS. */
  private final ApiServerRelay relay;
  private int execs;

  private PatroniMembers(KubernetesClient client, TestNamespace ns, String set, Passwords passwords, Path sockets,
      ApiServerRelay relay) {
    this.relay = relay;
    this.client = client;
    this.ns = ns;
    this.set = set;
    this.passwords = passwords;
    this.sockets = sockets;
  }

  /**
   * The platform's database (its {@code spec.database.replicas} members) in the namespace: the model's objects, the
   * pods and a kubeconfig; the members are made, not started. {@code env} is added to each member's environment
   * after the model's and the pod's (what a changed model would add).
   */
  static PatroniMembers create(KubernetesClient client, TestNamespace ns, CollaborationPlatform platform, Path work,
      Passwords passwords, Map<String, String> env) throws IOException {
    assertThat(PATRONI).as("Patroni (Debian: apt-get install patroni)").isExecutable();
    assertThat(PG_BIN.resolve("pg_rewind")).as("PostgreSQL 15 (Debian: apt-get install postgresql-15)").isExecutable();
    platform.getMetadata().setNamespace(ns.name());
    DesiredState model = DatabaseModel.from(TestPlatforms.context(platform));
    String set = platform.getMetadata().getName() + "-database";
    StatefulSet statefulSet = only(model, StatefulSet.class, set);
    // the model's account, Role and binding, and its two client Services (no platform here: no owner)
    for (Class<? extends HasMetadata> kind : List.of(ServiceAccount.class, Role.class, RoleBinding.class)) {
      client.resource(ownerless(only(model, kind, set))).create();
    }
    for (Service service : List.of(only(model, Service.class, set), only(model, Service.class, set + "-ro"))) {
      client.resource(ownerless(service)).create();
    }
    int replicas = statefulSet.getSpec().getReplicas();
    // the StatefulSet's pods, as KWOK runs them: their names and labels are what Patroni needs
    for (int i = 0; i < replicas; i++) {
      client.resource(new PodBuilder().withNewMetadata().withName(set + "-" + i).withNamespace(ns.name())
          .withLabels(statefulSet.getSpec().getTemplate().getMetadata().getLabels()).endMetadata()
          .withNewSpec().addNewContainer().withName("postgresql").withImage(imageOf(statefulSet)).endContainer()
          .endSpec().build()).create();
    }
    Files.createDirectories(work);
    ApiServerRelay relay = new ApiServerRelay(client.getConfiguration().getMasterUrl());
    Path kubeconfig = kubeconfig(client, ns, set, work, relay);
    PatroniMembers cluster = new PatroniMembers(client, ns, set, passwords,
        Files.createTempDirectory("atrium-patroni-"), relay);
    Map<String, String> memberEnv = new HashMap<>(modelEnv(statefulSet));
    for (int i = 0; i < replicas; i++) {
      cluster.members.add(cluster.new Member(i, work.resolve("member-" + i), freePort(), freePort(), memberEnv,
          kubeconfig, env));
    }
    handToSystemUser(work);
    handToSystemUser(cluster.sockets);
    return cluster;
  }

  String set() {
    return set;
  }

  List<Member> members() {
    return members;
  }

  Member member(int index) {
    return members.get(index);
  }

  void startAll(String what) {
    members.forEach(m -> m.start(what));
  }

  /** The role label Patroni set on the member's pod, or null. */
  String role(Member member) {
    Pod pod = client.pods().inNamespace(ns.name()).withName(member.name()).get();
    return pod == null ? null : pod.getMetadata().getLabels().get(Labels.PATRONI_ROLE);
  }

  /** The member that leads, labelled by Patroni and taking writes, within the limit. */
  Member awaitLeader(Duration limit) throws InterruptedException {
    return await(limit, set + ": a member leading and taking writes", () -> members.stream()
        .filter(m -> Labels.PATRONI_LEADER.equals(role(m)))
        .filter(m -> "f".equals(m.sqlOrNull("SELECT pg_is_in_recovery()"))).findFirst());
  }

  /** The pods behind a Service, by the EndpointSlices the control plane keeps from its selector. */
  List<String> endpoints(String service) {
    return client.discovery().v1().endpointSlices().inNamespace(ns.name())
        .withLabel("kubernetes.io/service-name", service).list().getItems().stream()
        .flatMap(s -> s.getEndpoints() == null ? Stream.<Endpoint>empty() : s.getEndpoints().stream())
        .filter(e -> e.getTargetRef() != null)
        .filter(e -> e.getConditions() == null || !Boolean.FALSE.equals(e.getConditions().getReady()))
        .map(e -> e.getTargetRef().getName()).sorted().toList();
  }

  /** Every member cut off from the API server, as in an outage of the control plane; they still reach each other. */
  void cutFromApiServer() throws IOException {
    relay.cut();
  }

  void reconnectToApiServer() throws IOException {
    relay.restore();
  }

  @Override
  public void close() throws IOException {
    relay.restore();
    for (Member m : members) {
      m.stop();
    }
    relay.close();
    try (Stream<Path> files = Files.walk(sockets)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  // ---- the members

  /** One Patroni member: the image's entrypoint with the model's environment, on its own ports and directory. */
  final class Member {
    final int index;
    final Path dir;
    final int pgPort;
    final int apiPort;
    final Map<String, String> env;
    Process patroni;
    String run;

    Member(int index, Path dir, int pgPort, int apiPort, Map<String, String> modelEnv, Path kubeconfig,
        Map<String, String> extraEnv) throws IOException {
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
      env.put("POD_NAMESPACE", ns.name());
      env.put("POD_IP", "127.0.0.1");
      env.put("PGDATA", dir.resolve("pgdata").toString());
      env.put("PGPORT", String.valueOf(pgPort));
      env.put("ATRIUM_PATRONI_PORT", String.valueOf(apiPort));
      env.put("ATRIUM_RUN_DIR", sockets.resolve("m" + index).toString());
      env.put("ATRIUM_ROLES_SCRIPT", IMAGE.resolve("roles.sh").toString());
      env.put("ATRIUM_BACKUP_SCRIPT", IMAGE.resolve("backup.py").toString());
      env.put("ATRIUM_PG_BIN", PG_BIN.toString());
      env.put("KUBECONFIG", kubeconfig.toString());
      env.put("ATRIUM_KUBE_CONTEXT", "patroni");
      env.put("POSTGRES_PASSWORD", passwords.superuser());
      env.put("ATRIUM_REPLICATION_PASSWORD", passwords.replication());
      env.put("ATRIUM_APP_PASSWORD", passwords.app());
      env.putAll(extraEnv);
    }

    String name() {
      return set + "-" + index;
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
    Instant kill() throws IOException {
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
      return appIn("messages", statement);
    }

    String appIn(String database, String statement) {
      return psql(appCommand(database, statement), Map.of("PGPASSWORD", passwords.app()));
    }

    /** A statement as the user with the given password over TCP, in messages: psql's exit code and output. */
    Exec login(String user, String password, String statement) throws IOException, InterruptedException {
      List<String> command = new ArrayList<>(appCommand("messages", statement));
      command.replaceAll(arg -> arg.equals("--username=atrium") ? "--username=" + user : arg);
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
      builder.environment().put("PGPASSWORD", password);
      Process p = builder.start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      return new Exec(p.exitValue(), out, "");
    }

    Process appAsync(String statement) throws IOException {
      ProcessBuilder builder = new ProcessBuilder(appCommand("messages", statement)).redirectErrorStream(true)
          .redirectOutput(dir.resolve("async-commit.out").toFile());
      builder.environment().put("PGPASSWORD", passwords.app());
      return builder.start();
    }

    /**
     * A command in the member's "container": as the member's user, with its environment (the pod's) and the given
     * changes (a null value removes a variable), as the operator's exec would run it. Its output is kept as
     * {@code exec-N-label.out} and {@code .err} in the member's directory.
     */
    Exec exec(String label, List<String> command, Map<String, String> changes) throws IOException,
        InterruptedException {
      return execStart(label, command, changes).await();
    }

    /** As {@link #exec}, returning as soon as the command runs. */
    Running execStart(String label, List<String> command, Map<String, String> changes) throws IOException {
      int n = ++execs;
      Path out = dir.resolve("exec-" + n + "-" + label + ".out");
      Path err = dir.resolve("exec-" + n + "-" + label + ".err");
      ProcessBuilder builder = new ProcessBuilder(asSystemUser(command)).redirectOutput(out.toFile())
          .redirectError(err.toFile()).directory(dir.toFile());
      builder.environment().clear();
      builder.environment().putAll(env);
      changes.forEach((k, v) -> {
        if (v == null) {
          builder.environment().remove(k);
        } else {
          builder.environment().put(k, v);
        }
      });
      Process p = builder.start();
      p.getOutputStream().close();
      return new Running(name() + ": " + command, p, out, err);
    }

    private List<String> appCommand(String database, String statement) {
      return List.of(PG_BIN.resolve("psql").toString(), "--no-psqlrc", "-X", "-qAt", "-v", "ON_ERROR_STOP=1",
          "--host=127.0.0.1", "--port=" + pgPort, "--username=atrium", "--dbname=" + database,
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

  /** A command started in a member; setpriv execs it, so the process is the command's own. */
  record Running(String what, Process process, Path out, Path err) {
    Exec await() throws IOException, InterruptedException {
      if (!process.waitFor(30, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new AssertionError(what + " did not end within 30 minutes");
      }
      return new Exec(process.exitValue(), Files.readString(out).trim(), Files.readString(err).trim());
    }
  }

  // ---- helpers

  static <T> T await(Duration limit, String what, Supplier<Optional<T>> check) throws InterruptedException {
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

  static void signal(String signal, long pid) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(pid)).inheritIO().start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0).as("kill -%s %d", signal, pid).isTrue();
  }

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
  private static Path kubeconfig(KubernetesClient client, TestNamespace ns, String account, Path work,
      ApiServerRelay relay) throws IOException {
    String token = client.serviceAccounts().inNamespace(ns.name()).withName(account)
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
        """.formatted(relay.url(config.getMasterUrl()), ca, token, ns.name());
    Path file = work.resolve("kubeconfig");
    Files.writeString(file, yaml);
    return file;
  }

  static List<String> asSystemUser(List<String> command) {
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
  static void handToSystemUser(Path work) throws IOException {
    if (!isRoot()) {
      return;
    }
    UserPrincipalLookupService users = work.getFileSystem().getUserPrincipalLookupService();
    var user = users.lookupPrincipalByName(SYSTEM_USER);
    var group = users.lookupPrincipalByGroupName(SYSTEM_USER);
    try (Stream<Path> files = Files.walk(work)) {
      for (Path p : files.sorted(Comparator.naturalOrder()).toList()) {
        Files.setOwner(p, user);
        Files.getFileAttributeView(p, PosixFileAttributeView.class).setGroup(group);
      }
    }
    if (Files.exists(work.resolve("kubeconfig"))) {
      Files.setPosixFilePermissions(work.resolve("kubeconfig"), PosixFilePermissions.fromString("rw-------"));
    }
  }

  static int freePort() throws IOException {
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
