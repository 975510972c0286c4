package dev.atrium.testing.kube;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kubernetes control plane on this machine: etcd, kube-apiserver (with its own PKI),
 * kube-controller-manager and kube-scheduler, with KWOK simulating nodes so that pods are
 * scheduled and become Ready without a kubelet. kwokctl's binary runtime starts the processes
 * from the binaries that {@code hack/tools.sh} built, on random free ports, in a temporary
 * directory of its own.
 *
 * <p>{@link #close()} stops every process and removes the directory; the logs are kept under
 * {@link Settings#keptLogsRoot()} when the start failed or a test {@linkplain #markFailed() failed}.
 * A JVM that dies without closing (kill -9) leaves its processes behind; the next start reaps
 * them, because each directory names the JVM that owns it.
 */
public final class LocalControlPlane implements KubeCluster {

  private static final Logger LOG = LoggerFactory.getLogger(LocalControlPlane.class);
  static final String WORKDIR_PREFIX = "atrium-kube-";
  static final List<String> BINARIES =
      List.of("kwokctl", "kwok", "etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kubectl");
  /** Room for 65k Services, as on a real cluster, so that many platforms fit. */
  static final String SERVICE_RANGE = "10.96.0.0/16";
  private static final String AUDIT_POLICY_FILE = "audit-policy.yaml";
  /**
   * Records every request of a service account (the operator under test when it runs with its own
   * token) once, when answered; nothing else, so the log stays small. Tests derive RBAC from it.
   */
  private static final String AUDIT_POLICY = """
      apiVersion: audit.k8s.io/v1
      kind: Policy
      omitStages: ["RequestReceived", "ResponseStarted"]
      rules:
        - level: Metadata
          userGroups: ["system:serviceaccounts"]
        - level: None
      """;
  /**
   * Where an image of any of a pod's containers contains this, KWOK starts the pod but never makes it
   * Ready: it goes to phase Running with its containers running and unready, and conditions Ready and
   * ContainersReady False, and stays so until it is deleted. For tests of what happens to a release
   * that never becomes Ready, e.g. {@code registry.atrium.dev/atrium/identity:1.1.0-never-ready} or
   * {@code registry.atrium.dev/atrium/never-ready/identity@sha256:...}. Every other pod becomes Ready
   * as before. Only on the local control plane, whose KWOK stages (kwok-stages.yaml next to this class)
   * say so; see docs/testing.md.
   */
  public static final String NEVER_READY_IMAGE_MARKER = "never-ready";
  /**
   * The KWOK stages given to {@code kwokctl create cluster --config}: kwokctl's defaults (which a
   * config with any Stage replaces) and pod-never-ready, for {@link #NEVER_READY_IMAGE_MARKER}.
   */
  static final String KWOK_STAGES = "kwok-stages.yaml";
  private static final Pattern KUBE_VERSION = Pattern.compile("Kubernetes (v\\d+\\.\\d+\\.\\d+\\S*)");

  /**
   * How to start the control plane.
   *
   * @param toolsBin directory with the binaries from hack/tools.sh
   * @param nodes how many KWOK nodes to simulate
   * @param volumesPerNode how many local PersistentVolumes each node offers (see {@link LocalVolumes})
   * @param startTimeout how long the whole start may take
   * @param keptLogsRoot where logs of a failed run are copied to
   */
  public record Settings(Path toolsBin, int nodes, int volumesPerNode, Duration startTimeout, Path keptLogsRoot) {

    public static final String TOOLS_BIN_PROPERTY = "atrium.tools.bin";
    public static final String LOGS_PROPERTY = "atrium.cluster.logs";
    public static final String NODES_PROPERTY = "atrium.cluster.nodes";
    public static final String VOLUMES_PROPERTY = "atrium.cluster.volumes-per-node";

    public Settings {
      if (nodes < 1) {
        throw new IllegalArgumentException("nodes must be at least 1, was " + nodes);
      }
    }

    /** Reads -Datrium.tools.bin (or ATRIUM_TOOLS_BIN), -Datrium.cluster.logs and -Datrium.cluster.nodes. */
    public static Settings fromSystemProperties() {
      String bin = System.getProperty(TOOLS_BIN_PROPERTY, System.getenv("ATRIUM_TOOLS_BIN"));
      if (bin == null || bin.isBlank()) {
        bin = ".tools/bin";
      }
      String logs = System.getProperty(LOGS_PROPERTY, "target/cluster-logs");
      int nodes = Integer.parseInt(System.getProperty(NODES_PROPERTY, "3"));
      int volumes = Integer.parseInt(System.getProperty(VOLUMES_PROPERTY, "80"));
      return new Settings(Path.of(bin).toAbsolutePath(), nodes, volumes, Duration.ofMinutes(3),
          Path.of(logs).toAbsolutePath());
    }
  }

  private final Settings settings;
  private final Kwokctl kwokctl;
  private final KubernetesClient client;
  private final boolean forRealNode;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Thread shutdownHook;
  private volatile boolean failed;

  private LocalControlPlane(Settings settings, Kwokctl kwokctl, KubernetesClient client, boolean forRealNode) {
    this.settings = settings;
    this.forRealNode = forRealNode;
    this.kwokctl = kwokctl;
    this.client = client;
    this.shutdownHook = new Thread(this::close, "stop-" + kwokctl.name());
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** Starts a control plane and waits until its nodes are Ready and it can run pods. */
  public static LocalControlPlane start(Settings settings) {
    return start(settings, null);
  }

  /**
   * Starts a control plane without KWOK nodes, for the real node that {@code network} describes: the API
   * server advertises itself at the network's host address (the {@code kubernetes} Service's endpoint, which
   * the pods reach), its certificate names that address and the Service's cluster IP, and it reaches the
   * kubelet at the node's InternalIP (logs, exec, port-forward).
   */
  static LocalControlPlane startForRealNode(Settings settings, LocalNode.Network network) {
    return start(settings, network);
  }

  private static LocalControlPlane start(Settings settings, LocalNode.Network realNode) {
    List<String> missing = missingBinaries(settings.toolsBin());
    if (!missing.isEmpty()) {
      throw new ClusterUnavailableException("The local control plane needs " + String.join(", ", missing)
          + " in " + settings.toolsBin() + ", which are missing. Build them with hack/tools.sh"
          + " (or point -D" + Settings.TOOLS_BIN_PROPERTY + " at a directory that has them).");
    }
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    reapOrphans(tmp);
    String kubeVersion = kubeVersion(settings.toolsBin());
    Instant started = Instant.now();
    Path workdir;
    try {
      workdir = Files.createTempDirectory(tmp, WORKDIR_PREFIX);
      WorkDirs.claim(workdir);
      Files.writeString(workdir.resolve(AUDIT_POLICY_FILE), AUDIT_POLICY);
      Files.writeString(workdir.resolve(KWOK_STAGES), kwokStages() + (realNode == null ? "" : certSans(realNode)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a directory for the local control plane", e);
    }
    String name = "atrium-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    int kwokNodes = realNode == null ? settings.nodes() : 0;
    LOG.info("Starting local control plane {} (Kubernetes {}, {}) in {}", name, kubeVersion,
        realNode == null ? kwokNodes + " KWOK nodes" : "for a real node", workdir);
    Kwokctl kwokctl = new Kwokctl(settings.toolsBin(), workdir, name, kubeVersion);
    KubernetesClient client = null;
    try {
      Deadline deadline = new Deadline(settings.startTimeout());
      kwokctl.run(deadline, createClusterArgs(settings, workdir, realNode));
      if (kwokNodes > 0) {
        kwokctl.run(deadline, List.of("scale", "node", "--replicas", Integer.toString(kwokNodes)));
      }
      Config config = Config.fromKubeconfig(Files.readString(kubeconfigOf(workdir)));
      client = new KubernetesClientBuilder().withConfig(config).build();
      awaitSchedulable(client, kwokNodes, deadline);
      if (kwokNodes > 0) {
        LocalVolumes.provision(client, settings.volumesPerNode());
      }
      LOG.info("Local control plane {} is ready after {}s: {}", name,
          Duration.between(started, Instant.now()).toSeconds(), config.getMasterUrl());
      return new LocalControlPlane(settings, kwokctl, client, realNode != null);
    } catch (RuntimeException | IOException e) {
      if (client != null) {
        client.close();
      }
      Path kept = stop(kwokctl, settings.keptLogsRoot(), true);
      String message = "The local control plane did not start: " + e.getMessage() + ". Logs: " + kept;
      throw new ClusterUnavailableException(message, e);
    }
  }

  @Override
  public String description() {
    return "local control plane " + kwokctl.name() + " (Kubernetes " + kwokctl.kubeVersion() + ", "
        + (forRealNode ? "for a real node" : settings.nodes() + " KWOK nodes") + ") at "
        + client.getConfiguration().getMasterUrl();
  }

  @Override
  public KubernetesClient client() {
    return client;
  }

  @Override
  public Path kubeconfig() {
    return kubeconfigOf(kwokctl.workdir());
  }

  /** The directory the control plane lives in while it runs (PKI, etcd data, logs). */
  @Override
  public Optional<Path> auditLog() {
    try (Stream<Path> files = Files.find(kwokctl.workdir(), 4,
        (p, a) -> p.getFileName().toString().equals("audit.log") && a.isRegularFile())) {
      return files.findFirst();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Path workdir() {
    return kwokctl.workdir();
  }

  public String name() {
    return kwokctl.name();
  }

  @Override
  public void markFailed() {
    failed = true;
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (Thread.currentThread() != shutdownHook) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException shuttingDown) {
        // the JVM is already exiting; the hook runs this method anyway
      }
    }
    client.close();
    Path kept = stop(kwokctl, settings.keptLogsRoot(), failed);
    if (kept != null) {
      LOG.warn("Kept the logs of local control plane {} in {}", kwokctl.name(), kept);
    }
  }

  /** Processes started for this control plane that are still alive. */
  public List<ProcessHandle> processes() {
    return processesUsing(kwokctl.workdir());
  }

  static List<String> missingBinaries(Path bin) {
    return BINARIES.stream().filter(b -> !Files.isExecutable(bin.resolve(b))).toList();
  }

  /**
   * A kubeconfig like {@link #kubeconfig()} (same credentials) whose server is the API server at {@code host}
   * (it listens on every address of this machine): for a real node, which reaches this machine there.
   */
  Path kubeconfigFor(String host) {
    try {
      String kubeconfig = Files.readString(kubeconfig());
      String server = client.getConfiguration().getMasterUrl().replaceAll("/$", "");
      int port = java.net.URI.create(server).getPort();
      Path out = kwokctl.workdir().resolve("kubeconfig-" + host);
      Files.writeString(out, kubeconfig.replace(server, "https://" + host + ":" + port));
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** kwokctl's configuration adding the real node's addresses to the API server's certificate. */
  static String certSans(LocalNode.Network network) {
    return """
        ---
        apiVersion: config.kwok.x-k8s.io/v1alpha1
        kind: KwokctlConfiguration
        options:
          kubeApiserverCertSANs: ["%s", "%s"]
        """.formatted(network.hostIp(), kubernetesServiceIp(network.serviceRange()));
  }

  /** The first address of the service range: the {@code kubernetes} Service's cluster IP. */
  static String kubernetesServiceIp(String serviceRange) {
    String[] octets = serviceRange.substring(0, serviceRange.indexOf('/')).split("\\.");
    return octets[0] + "." + octets[1] + "." + octets[2] + "." + (Integer.parseInt(octets[3]) + 1);
  }

  private static List<String> createClusterArgs(Settings settings, Path workdir, LocalNode.Network realNode) {
    List<String> args = new ArrayList<>(baseClusterArgs(settings, workdir));
    if (realNode != null) {
      args.addAll(List.of(
          // the kubernetes Service's endpoint, which pods reach through the node's veth
          "--extra-args", "kube-apiserver=advertise-address=" + realNode.hostIp(),
          // logs, exec and port-forward go to the kubelet at the node's address, not its host name
          "--extra-args", "kube-apiserver=kubelet-preferred-address-types=InternalIP"));
    }
    return args;
  }

  private static List<String> baseClusterArgs(Settings settings, Path workdir) {
    Path bin = settings.toolsBin();
    return List.of("create", "cluster", "--runtime", "binary",
        // without this kwokctl edits ~/.kube/config
        "--kubeconfig", workdir.resolve("user-kubeconfig").toString(),
        "--etcd-binary", bin.resolve("etcd").toString(),
        "--kube-apiserver-binary", bin.resolve("kube-apiserver").toString(),
        "--kube-controller-manager-binary", bin.resolve("kube-controller-manager").toString(),
        "--kube-scheduler-binary", bin.resolve("kube-scheduler").toString(),
        "--kwok-controller-binary", bin.resolve("kwok").toString(),
        // a test cluster's controllers should not be what limits how fast objects converge
        "--disable-qps-limits",
        // kube-apiserver's default /24 holds 254 Services; a platform has 8 with a cluster IP
        "--extra-args", "kube-apiserver=service-cluster-ip-range=" + SERVICE_RANGE,
        // as on OpenShift and hardened clusters: owning with blockOwnerDeletion needs RBAC on the owner
        "--extra-args", "kube-apiserver=enable-admission-plugins=OwnerReferencesPermissionEnforcement",
        "--kube-audit-policy", workdir.resolve(AUDIT_POLICY_FILE).toString(),
        // kwokctl's default stages and pod-never-ready (instead of ~/.kwok/kwok.yaml)
        "--config", workdir.resolve(KWOK_STAGES).toString(),
        "--wait", "0s",
        "--quiet-pull");
  }

  static String kwokStages() {
    try (var in = LocalControlPlane.class.getResourceAsStream(KWOK_STAGES)) {
      if (in == null) {
        throw new IllegalStateException(KWOK_STAGES + " is missing next to " + LocalControlPlane.class.getName());
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs kwokctl for one cluster, with its output appended to kwokctl.log in the cluster's directory. */
  private record Kwokctl(Path bin, Path workdir, String name, String kubeVersion) {

    void run(Deadline deadline, List<String> args) {
      List<String> command = new ArrayList<>();
      command.add(bin.resolve("kwokctl").toString());
      command.add("--name");
      command.add(name);
      command.addAll(args);
      Path log = workdir.resolve("kwokctl.log");
      ProcessBuilder builder = new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      Map<String, String> env = builder.environment();
      env.put("KWOK_WORKDIR", workdir.toString());
      // kwokctl picks component flags by Kubernetes version; it must match the binaries
      env.put("KWOK_KUBE_VERSION", kubeVersion);
      env.put("PATH", bin + ":" + env.getOrDefault("PATH", "/usr/bin:/bin"));
      String what = "kwokctl " + String.join(" ", args.subList(0, 2));
      try {
        Process process = builder.start();
        if (!process.waitFor(deadline.remaining().toMillis(), TimeUnit.MILLISECONDS)) {
          process.destroyForcibly();
          throw new IllegalStateException(what + " timed out; " + tail(log, 20));
        }
        if (process.exitValue() != 0) {
          throw new IllegalStateException(what + " exited with " + process.exitValue() + ": " + tail(log, 20));
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot run " + command.get(0), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while running " + what, e);
      }
    }
  }

  private static void awaitSchedulable(KubernetesClient client, int nodes, Deadline deadline) {
    // Nodes Ready means KWOK is running; the default service account means the controller
    // manager is, so that pods can be created at all.
    while (true) {
      long ready = client.nodes().list().getItems().stream().filter(LocalControlPlane::isReady).count();
      boolean serviceAccount = client.serviceAccounts().inNamespace("default").withName("default").get() != null;
      if (ready >= nodes && serviceAccount) {
        return;
      }
      if (deadline.expired()) {
        throw new IllegalStateException(ready + " of " + nodes + " nodes Ready"
            + (serviceAccount ? "" : ", no default service account yet (kube-controller-manager not running?)"));
      }
      sleep(Duration.ofMillis(250));
    }
  }

  private static boolean isReady(Node node) {
    return node.getStatus() != null && node.getStatus().getConditions() != null
        && node.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /** Stops the processes and removes the directory; returns where the logs were kept, or null. */
  private static Path stop(Kwokctl kwokctl, Path keptLogsRoot, boolean keepLogs) {
    Path logs = keptLogsRoot.resolve(kwokctl.name());
    // kwokctl deletes the component logs with the cluster, so they are copied first
    Path kept = keepLogs ? keepLogs(kwokctl.workdir(), logs) : null;
    // found before the delete: a process that is exiting may no longer show its command line
    List<ProcessHandle> components = processesUsing(kwokctl.workdir());
    try {
      kwokctl.run(new Deadline(Duration.ofSeconds(60)), List.of("delete", "cluster"));
    } catch (RuntimeException e) {
      LOG.warn("kwokctl delete cluster {} failed ({}); killing its processes", kwokctl.name(), e.getMessage());
      kept = keepLogs(kwokctl.workdir(), logs);
    }
    // kwokctl stops what it started, without waiting; this waits, and kills what it missed
    WorkDirs.terminate(Stream.concat(components.stream(), processesUsing(kwokctl.workdir()).stream()).distinct()
        .toList());
    WorkDirs.deleteRecursively(kwokctl.workdir());
    return kept;
  }

  private static Path keepLogs(Path workdir, Path target) {
    try (Stream<Path> files = Files.walk(workdir)) {
      Files.createDirectories(target);
      for (Path file : files.filter(f -> f.toString().endsWith(".log") && Files.isRegularFile(f)).toList()) {
        Files.copy(file, target.resolve(workdir.relativize(file).toString().replace('/', '_')),
            StandardCopyOption.REPLACE_EXISTING);
      }
      return target;
    } catch (IOException e) {
      LOG.warn("Could not keep the logs of {}: {}", workdir, e.toString());
      return null;
    }
  }

  /**
   * Removes the directories of control planes whose JVM died without stopping them, and kills
   * their processes. Directories of live JVMs are left alone.
   */
  static void reapOrphans(Path tmp) {
    WorkDirs.reapOrphans(tmp, WORKDIR_PREFIX, "local control plane");
  }

  /** The processes whose command line names the directory: every component kwokctl started there. */
  static List<ProcessHandle> processesUsing(Path dir) {
    return WorkDirs.processesUsing(dir);
  }

  /** Alive and not a zombie (see {@link WorkDirs#isRunning}). */
  public static boolean isRunning(ProcessHandle process) {
    return WorkDirs.isRunning(process);
  }

  private static Path kubeconfigOf(Path workdir) {
    try (Stream<Path> files = Files.find(workdir, 3, (p, a) -> p.getFileName().toString().equals("kubeconfig.yaml"))) {
      return files.findFirst().orElseThrow(() -> new IllegalStateException("kwokctl wrote no kubeconfig.yaml in " + workdir));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String kubeVersion(Path bin) {
    try {
      Process process = new ProcessBuilder(bin.resolve("kube-apiserver").toString(), "--version")
          .redirectErrorStream(true).start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      process.waitFor(30, TimeUnit.SECONDS);
      Matcher m = KUBE_VERSION.matcher(out);
      if (!m.find()) {
        throw new ClusterUnavailableException("kube-apiserver --version printed no version: " + out.strip());
      }
      return m.group(1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String tail(Path file, int lines) {
    try {
      List<String> all = Files.readAllLines(file);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private record Deadline(Instant at) {
    Deadline(Duration duration) {
      this(Instant.now().plus(duration));
    }

    Duration remaining() {
      Duration left = Duration.between(Instant.now(), at);
      return left.isNegative() ? Duration.ZERO : left;
    }

    boolean expired() {
      return remaining().isZero();
    }
  }
}
