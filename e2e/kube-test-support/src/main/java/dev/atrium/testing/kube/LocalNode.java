package dev.atrium.testing.kube;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One real Kubernetes node on this machine: containerd and runc (Debian's), the CNI plugins, kubelet and
 * kube-proxy (hack/tools.sh), registered with a {@link LocalControlPlane}. Needs root.
 *
 * <p>Everything the node changes on the machine is confined so that {@link #close()} can undo it, also
 * after a failed test and, through {@link #reapOrphans}, after a JVM that died:
 * <ul>
 *   <li>a network namespace of its own, joined to this machine by a veth pair ({@link Network}): the
 *       pods' bridge, their addresses and every iptables rule of kube-proxy and the CNI plugins live in
 *       it and go with it; this machine gets only two routes (pods, Services) through the veth, which go
 *       with the veth;
 *   <li>a mount namespace of its own (held by a small process that the others join): containerd's
 *       overlay mounts, the pods' network namespaces (a private {@code /run/netns}) and the kubelet's
 *       volume mounts never appear on this machine and vanish when the node's processes end;
 *   <li>a cgroup of its own in every cgroup v1 hierarchy ({@code cgroupRoot} of the kubelet), under
 *       which every pod runs, so that its processes can be found and killed;
 *   <li>a work directory under java.io.tmpdir for every file (containerd's root, the kubelet's root, the
 *       volumes, logs, configuration).
 * </ul>
 * The machine facts it relies on (cgroup v1, no CAP_SYS_RESOURCE, {@code nsenter} rather than
 * {@code ip netns exec}) are in docs/testing.md, "The real node".
 */
public final class LocalNode implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LocalNode.class);
  static final String WORKDIR_PREFIX = "atrium-node-";
  static final String STATE_FILE = "node.properties";
  static final String NODE_NAME = "atrium-node";
  static final List<String> BINARIES = List.of("kubelet", "kube-proxy");
  static final List<String> CNI_PLUGINS = List.of("bridge", "host-local", "loopback", "portmap");
  static final List<String> SYSTEM_COMMANDS = List.of("containerd", "containerd-shim-runc-v2", "runc", "ip",
      "nsenter", "unshare", "iptables", "mount");

  /**
   * The node's addresses. One node per machine at a time: the pod and Service ranges are routed from this
   * machine into the node's namespace.
   *
   * @param netns the node's network namespace (under /run/netns)
   * @param hostInterface this machine's end of the veth pair
   * @param hostIp this machine's address on the veth: the API server and the registry are reached there
   * @param nodeIp the node's address (its InternalIP)
   * @param podCidr the pods' addresses, on the node's bridge
   * @param serviceRange the API server's service-cluster-ip-range, routed to the node where kube-proxy is
   * @param clusterDns the kube-dns Service's address in that range
   */
  public record Network(String netns, String hostInterface, String hostIp, String nodeIp, String podCidr,
      String serviceRange, String clusterDns) {

    static Network named(String id) {
      return new Network("atrium-" + id, "atrh" + id, "10.213.0.1", "10.213.0.2", "10.244.0.0/24",
          LocalControlPlane.SERVICE_RANGE, "10.96.0.10");
    }
  }

  /**
   * How to start the node.
   *
   * @param toolsBin kubelet and kube-proxy
   * @param cniBin the CNI plugins
   * @param kubeconfig a kubeconfig for the node's kubelet and kube-proxy (its server reachable from the node)
   * @param sandboxImage the pause image, by digest, in one of {@code registries}
   * @param registries registry host names (as image references name them) and the plain-HTTP URL
   *     containerd pulls them from
   * @param startTimeout until the node is Ready
   * @param keptLogsRoot where the logs of a failed node are copied to
   */
  public record Settings(Path toolsBin, Path cniBin, Path kubeconfig, String sandboxImage,
      Map<String, String> registries, Duration startTimeout, Path keptLogsRoot) {
  }

  private final Path workdir;
  private final Network network;
  private final String cgroup;
  private final Settings settings;
  private final AtomicBoolean closed = new AtomicBoolean();
  /** The processes this node started, by name: whether each still runs is its own handle's to say. */
  private final java.util.Map<String, Process> started = new java.util.concurrent.ConcurrentHashMap<>();
  private final Thread shutdownHook;
  private volatile boolean failed;

  private LocalNode(Path workdir, Network network, String cgroup, Settings settings) {
    this.workdir = workdir;
    this.network = network;
    this.cgroup = cgroup;
    this.settings = settings;
    this.shutdownHook = new Thread(this::close, "stop-" + network.netns());
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** The names and addresses the next node will use (the control plane needs them before the node starts). */
  public static Network plan() {
    return Network.named(HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6));
  }

  /** What this machine lacks to run a node, as sentences; empty when it can. */
  public static List<String> missing(Path toolsBin, Path cniBin) {
    List<String> problems = new ArrayList<>();
    if (ProcessHandle.current().info().user().map(u -> !u.equals("root")).orElse(true)) {
      problems.add("the real node needs root (network and mount namespaces, cgroups, iptables)");
    }
    BINARIES.stream().filter(b -> !Files.isExecutable(toolsBin.resolve(b)))
        .forEach(b -> problems.add(b + " is missing in " + toolsBin + " (hack/tools.sh builds it)"));
    CNI_PLUGINS.stream().filter(b -> !Files.isExecutable(cniBin.resolve(b)))
        .forEach(b -> problems.add("the CNI plugin " + b + " is missing in " + cniBin + " (hack/tools.sh builds it)"));
    SYSTEM_COMMANDS.stream().filter(c -> which(c).isEmpty())
        .forEach(c -> problems.add(c + " is not installed (Debian: apt-get install containerd runc iproute2 iptables"
            + " util-linux mount)"));
    if (!Files.isDirectory(Path.of("/sys/fs/cgroup/memory"))) {
      problems.add("no cgroup v1 memory hierarchy at /sys/fs/cgroup/memory (the node is set up for cgroup v1)");
    }
    return problems;
  }

  /** Creates the node's namespaces, starts containerd, kubelet and kube-proxy, and waits until it is Ready. */
  public static LocalNode start(Network network, Settings settings, io.fabric8.kubernetes.client.KubernetesClient client) {
    List<String> problems = missing(settings.toolsBin(), settings.cniBin());
    if (!problems.isEmpty()) {
      throw new ClusterUnavailableException("The real node cannot start here: " + String.join("; ", problems));
    }
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    reapOrphans(tmp);
    Path workdir;
    String cgroup = "/" + network.netns();
    try {
      workdir = Files.createTempDirectory(tmp, WORKDIR_PREFIX);
      WorkDirs.claim(workdir);
      Properties state = new Properties();
      state.setProperty("netns", network.netns());
      state.setProperty("hostInterface", network.hostInterface());
      state.setProperty("cgroup", cgroup);
      try (var out = Files.newBufferedWriter(workdir.resolve(STATE_FILE))) {
        state.store(out, "what LocalNode must undo");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a directory for the real node", e);
    }
    LocalNode node = new LocalNode(workdir, network, cgroup, settings);
    Instant started = Instant.now();
    try {
      node.createNetwork();
      node.createCgroups();
      node.startHolder();
      node.startContainerd();
      node.startKubelet();
      node.startKubeProxy();
      node.awaitReady(client, Instant.now().plus(settings.startTimeout()));
      LOG.info("Real node {} is Ready after {}s ({} in namespace {}, work directory {})", NODE_NAME,
          Duration.between(started, Instant.now()).toSeconds(), network.nodeIp(), network.netns(), workdir);
      return node;
    } catch (RuntimeException e) {
      node.markFailed();
      node.close();
      throw new ClusterUnavailableException("The real node did not start: " + e.getMessage() + ". Logs: "
          + settings.keptLogsRoot().resolve(network.netns()), e);
    }
  }

  public Network network() {
    return network;
  }

  public Path workdir() {
    return workdir;
  }

  /** Where the node's PersistentVolumes live (local-path-provisioner's directory). */
  public Path volumesDir() {
    return workdir.resolve("volumes");
  }

  /**
   * Lets the node's containerd pull from these registries (host name as image references name it, to the
   * plain-HTTP URL of the registry); containerd reads them at every pull, so this works on a running node.
   */
  public void trustRegistries(Map<String, String> registries) {
    try {
      for (Map.Entry<String, String> registry : registries.entrySet()) {
        Path dir = workdir.resolve("certs.d").resolve(registry.getKey());
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("hosts.toml"), hostsToml(registry.getValue()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** containerd's socket, e.g. for {@code ctr --address}. */
  public Path containerdSocket() {
    return workdir.resolve("containerd.sock");
  }

  /** The containerd log: every pull is in it, with the registry it went to. */
  public Path containerdLog() {
    return workdir.resolve("containerd.log");
  }

  public void markFailed() {
    failed = true;
  }

  /** The node's processes and everything running on it, while alive. */
  public List<ProcessHandle> processes() {
    return Stream.concat(WorkDirs.processesUsing(workdir).stream(), inCgroup(cgroup).stream())
        .filter(WorkDirs::isRunning).distinct().toList();
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
    if (failed) {
      Path kept = keepLogs();
      if (kept != null) {
        LOG.warn("Kept the logs of real node {} in {}", network.netns(), kept);
      }
    }
    tearDown(workdir, network.netns(), network.hostInterface(), cgroup);
  }

  // --- start ----------------------------------------------------------------------------------

  private void createNetwork() {
    String ns = network.netns();
    String veth = network.hostInterface();
    for (String range : List.of(network.podCidr(), network.serviceRange())) {
      String route = run(List.of("ip", "route", "show", range), false);
      if (!route.isBlank()) {
        throw new IllegalStateException("this machine already routes " + range + " (" + route.strip()
            + "): another real node is running, or one was left behind; only one runs at a time");
      }
    }
    run(List.of("ip", "netns", "add", ns), true);
    run(List.of("ip", "link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", ns), true);
    run(List.of("ip", "addr", "add", network.hostIp() + "/30", "dev", veth), true);
    run(List.of("ip", "link", "set", veth, "up"), true);
    run(List.of("ip", "-n", ns, "addr", "add", network.nodeIp() + "/30", "dev", "eth0"), true);
    run(List.of("ip", "-n", ns, "link", "set", "eth0", "up"), true);
    run(List.of("ip", "-n", ns, "link", "set", "lo", "up"), true);
    run(List.of("ip", "-n", ns, "route", "add", "default", "via", network.hostIp()), true);
    // the pods and the Services are reached from this machine (tests, the registry's clients) through the node
    run(List.of("ip", "route", "add", network.podCidr(), "via", network.nodeIp(), "dev", veth), true);
    run(List.of("ip", "route", "add", network.serviceRange(), "via", network.nodeIp(), "dev", veth), true);
    // routing between the pods' bridge and eth0, and bridged traffic through kube-proxy's rules
    // (a pod reaching a Service whose endpoint is on the same bridge)
    run(List.of("nsenter", "--net=/run/netns/" + ns, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1",
        "net.bridge.bridge-nf-call-iptables=1"), true);
  }

  private void createCgroups() {
    for (Path hierarchy : cgroupHierarchies()) {
      try {
        Files.createDirectories(hierarchy.resolve(cgroup.substring(1)));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create the cgroup " + cgroup + " in " + hierarchy, e);
      }
    }
  }

  /**
   * A process that holds the node's mount namespace: the others join it with nsenter. In it, /run/netns
   * (where containerd pins the pods' network namespaces) and /var/lib/cni (the CNI plugins' cache) are
   * private tmpfs mounts.
   */
  private void startHolder() {
    String script = "set -e; mkdir -p /run/netns /var/lib/cni; mount -t tmpfs -o mode=0755 node-netns /run/netns;"
        + " mount -t tmpfs -o mode=0755 node-cni /var/lib/cni; echo ready; exec sleep infinity";
    // the working directory is named on the command line so that reaping finds the holder
    Process holder = launch("holder", List.of("nsenter", "--net=/run/netns/" + network.netns(), "unshare", "--mount",
        "--propagation", "private", "--", "sh", "-c", script + " # " + workdir + "/"));
    Instant deadline = Instant.now().plusSeconds(10);
    while (Instant.now().isBefore(deadline)) {
      if (!holder.isAlive()) {
        throw new IllegalStateException("the namespace holder exited: " + tail(workdir.resolve("holder.log"), 5));
      }
      if (readQuietly(workdir.resolve("holder.log")).contains("ready")) {
        writeQuietly(workdir.resolve("holder.pid"), Long.toString(holder.pid()));
        return;
      }
      sleep(Duration.ofMillis(50));
    }
    throw new IllegalStateException("the namespace holder did not start");
  }

  private long holderPid() {
    return Long.parseLong(readQuietly(workdir.resolve("holder.pid")).strip());
  }

  /** Runs a command inside the node's network and mount namespaces. */
  private List<String> inNode(List<String> command) {
    List<String> all = new ArrayList<>(List.of("nsenter", "--target", Long.toString(holderPid()), "--mount", "--net",
        "--"));
    all.addAll(command);
    return all;
  }

  private void startContainerd() {
    trustRegistries(settings.registries());
    try {
      Files.createDirectories(workdir.resolve("cni/net.d"));
      Files.writeString(workdir.resolve("cni/net.d/10-atrium.conflist"), cniConfig(network, workdir.resolve("cni/ipam")));
      Files.writeString(workdir.resolve("containerd.toml"), containerdConfig(workdir, settings.cniBin(),
          settings.sandboxImage()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Process containerd = launch("containerd", inNode(List.of("containerd", "--config",
        workdir.resolve("containerd.toml").toString())));
    Instant deadline = Instant.now().plusSeconds(30);
    while (!Files.exists(containerdSocket())) {
      if (!containerd.isAlive() || Instant.now().isAfter(deadline)) {
        throw new IllegalStateException("containerd did not start: " + tail(containerdLog(), 10));
      }
      sleep(Duration.ofMillis(100));
    }
  }

  private void startKubelet() {
    try {
      Files.writeString(workdir.resolve("node-kubeconfig"), Files.readString(settings.kubeconfig()));
      Files.writeString(workdir.resolve("resolv.conf"), "");
      Files.writeString(workdir.resolve("kubelet.yaml"), kubeletConfig(workdir, network, cgroup));
      Files.createDirectories(workdir.resolve("volumes"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    launch("kubelet", inNode(List.of(settings.toolsBin().resolve("kubelet").toString(),
        "--config", workdir.resolve("kubelet.yaml").toString(),
        "--kubeconfig", workdir.resolve("node-kubeconfig").toString(),
        "--hostname-override", NODE_NAME,
        "--node-ip", network.nodeIp(),
        "--root-dir", workdir.resolve("kubelet").toString(),
        "--cert-dir", workdir.resolve("kubelet/pki").toString(),
        "--v=1")));
  }

  private void startKubeProxy() {
    writeQuietly(workdir.resolve("kube-proxy.yaml"), kubeProxyConfig(workdir, network));
    launch("kube-proxy", inNode(List.of(settings.toolsBin().resolve("kube-proxy").toString(),
        "--config", workdir.resolve("kube-proxy.yaml").toString(), "--v=1")));
  }

  private void awaitReady(io.fabric8.kubernetes.client.KubernetesClient client, Instant deadline) {
    while (true) {
      var node = client.nodes().withName(NODE_NAME).get();
      boolean ready = node != null && node.getStatus() != null && node.getStatus().getConditions() != null
          && node.getStatus().getConditions().stream()
              .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
      if (ready) {
        return;
      }
      // by the handles of the processes started (nsenter execs the program in place, so the handle is the
      // program's): a scan of command lines raced a process still between fork and exec on a busy machine
      for (String process : List.of("kubelet", "kube-proxy", "containerd")) {
        Process handle = started.get(process);
        if (handle != null && !handle.isAlive()) {
          throw new IllegalStateException(process + " exited with " + handle.exitValue() + ": "
              + tail(workdir.resolve(process + ".log"), 10));
        }
      }
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException("node " + NODE_NAME + " not Ready in time: "
            + tail(workdir.resolve("kubelet.log"), 10));
      }
      sleep(Duration.ofMillis(500));
    }
  }

  private Process launch(String name, List<String> command) {
    try {
      Process process = new ProcessBuilder(command)
          .directory(workdir.toFile())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(workdir.resolve(name + ".log").toFile()))
          .start();
      started.put(name, process);
      return process;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name + " (" + command.get(0) + ")", e);
    }
  }

  // --- configuration files --------------------------------------------------------------------

  static String hostsToml(String url) {
    return """
        # the site's registry, plain HTTP: pull and resolve only
        server = "%1$s"
        [host."%1$s"]
          capabilities = ["pull", "resolve"]
        """.formatted(url);
  }

  static String cniConfig(Network network, Path ipamDir) {
    return """
        {"cniVersion": "1.0.0", "name": "atrium", "plugins": [
          {"type": "bridge", "bridge": "cni0", "isGateway": true, "ipMasq": true, "hairpinMode": true,
           "ipam": {"type": "host-local", "dataDir": "%s", "ranges": [[{"subnet": "%s"}]],
                    "routes": [{"dst": "0.0.0.0/0"}]}},
          {"type": "portmap", "capabilities": {"portMappings": true}}
        ]}
        """.formatted(ipamDir, network.podCidr());
  }

  /**
   * containerd 1.6 for the kubelet: its own root, state and sockets in the work directory; cgroupfs, not
   * systemd (cgroup v1 here); {@code restrict_oom_score_adj} because root here lacks CAP_SYS_RESOURCE and
   * runc would fail to raise a container's OOM score; the pause image from the site's registry; registries
   * from certs.d.
   */
  static String containerdConfig(Path workdir, Path cniBin, String sandboxImage) {
    return """
        version = 2
        root = "%1$s/containerd/root"
        state = "%1$s/containerd/state"
        disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs",
          "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper",
          "io.containerd.internal.v1.tracing", "io.containerd.tracing.processor.v1.otlp"]
        [grpc]
          address = "%1$s/containerd.sock"
        [ttrpc]
          address = "%1$s/containerd.sock.ttrpc"
        [debug]
          address = "%1$s/containerd-debug.sock"
        [plugins."io.containerd.internal.v1.opt"]
          path = "%1$s/containerd/opt"
        [plugins."io.containerd.grpc.v1.cri"]
          sandbox_image = "%3$s"
          restrict_oom_score_adj = true
          disable_apparmor = true
          tolerate_missing_hugetlb_controller = true
          [plugins."io.containerd.grpc.v1.cri".containerd]
            snapshotter = "overlayfs"
            default_runtime_name = "runc"
            [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
              runtime_type = "io.containerd.runc.v2"
              [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
                SystemdCgroup = false
          [plugins."io.containerd.grpc.v1.cri".cni]
            bin_dir = "%2$s"
            conf_dir = "%1$s/cni/net.d"
          [plugins."io.containerd.grpc.v1.cri".registry]
            config_path = "%1$s/certs.d"
        """.formatted(workdir, cniBin, sandboxImage);
  }

  /**
   * The kubelet: cgroup v1 with cgroupfs under the node's own cgroup root; anonymous access to its API
   * (the API server calls it for logs and exec without a client certificate; only this machine reaches the
   * node's address); no DNS servers of this machine for the pods (air-gapped: cluster DNS only); image
   * garbage collection and disk eviction out of the way of a test machine's full disk.
   */
  static String kubeletConfig(Path workdir, Network network, String cgroup) {
    return """
        apiVersion: kubelet.config.k8s.io/v1beta1
        kind: KubeletConfiguration
        failCgroupV1: false
        cgroupDriver: cgroupfs
        cgroupRoot: %2$s
        containerRuntimeEndpoint: unix://%1$s/containerd.sock
        authentication:
          anonymous: {enabled: true}
          webhook: {enabled: false}
        authorization: {mode: AlwaysAllow}
        clusterDNS: [%3$s]
        clusterDomain: cluster.local
        resolvConf: %1$s/resolv.conf
        failSwapOn: false
        serializeImagePulls: false
        evictionHard: {memory.available: "100Mi", nodefs.available: "1%%", imagefs.available: "1%%"}
        imageGCHighThresholdPercent: 100
        imageGCLowThresholdPercent: 99
        healthzBindAddress: 127.0.0.1
        readOnlyPort: 0
        maxPods: 110
        rotateCertificates: false
        podLogsDir: %1$s/pod-logs
        """.formatted(workdir, cgroup, network.clusterDns());
  }

  /** kube-proxy in iptables mode; conntrack sysctls left as they are (they are not per namespace). */
  static String kubeProxyConfig(Path workdir, Network network) {
    return """
        apiVersion: kubeproxy.config.k8s.io/v1alpha1
        kind: KubeProxyConfiguration
        mode: iptables
        clientConnection: {kubeconfig: %1$s/node-kubeconfig}
        hostnameOverride: %2$s
        clusterCIDR: %3$s
        nodePortAddresses: [primary]
        healthzBindAddress: 127.0.0.1:10256
        metricsBindAddress: 127.0.0.1:10249
        conntrack: {maxPerCore: 0, min: 0, tcpEstablishedTimeout: 0s, tcpCloseWaitTimeout: 0s}
        """.formatted(workdir, NODE_NAME, network.podCidr());
  }

  // --- tear down ------------------------------------------------------------------------------

  /**
   * Undoes everything a node did, whatever state it is in: stops the kubelet and kube-proxy, kills what runs
   * in the node's cgroup and mount namespace (pods, shims, containerd), removes the cgroups, the network
   * namespace (with the pods' bridge, addresses and iptables rules) and the veth (with this machine's
   * routes through it), and the work directory.
   */
  static void tearDown(Path workdir, String netns, String hostInterface, String cgroup) {
    // the kubelet first, so that it does not restart what is being killed
    List<ProcessHandle> agents = WorkDirs.processesUsing(workdir).stream()
        .filter(p -> p.info().commandLine().map(c -> c.contains("kubelet") || c.contains("kube-proxy")).orElse(false))
        .toList();
    WorkDirs.terminate(agents);
    Optional<String> mountNs = Optional.ofNullable(readQuietly(workdir.resolve("holder.pid")))
        .map(String::strip).filter(s -> !s.isEmpty())
        .flatMap(pid -> readLink(Path.of("/proc", pid, "ns", "mnt")));
    for (int round = 0; round < 3; round++) {
      List<ProcessHandle> left = Stream.concat(Stream.concat(inCgroup(cgroup).stream(),
          mountNs.map(LocalNode::inMountNamespace).orElse(List.of()).stream()),
          WorkDirs.processesUsing(workdir).stream()).filter(WorkDirs::isRunning).distinct().toList();
      if (left.isEmpty()) {
        break;
      }
      left.forEach(ProcessHandle::destroyForcibly);
      awaitGone(left, Duration.ofSeconds(10));
    }
    removeCgroups(cgroup);
    run(List.of("ip", "netns", "delete", netns), false);
    run(List.of("ip", "link", "delete", hostInterface), false);
    WorkDirs.deleteRecursively(workdir);
  }

  /** Tears down the nodes whose JVM died without closing them. */
  static void reapOrphans(Path tmp) {
    try (Stream<Path> dirs = Files.list(tmp)) {
      for (Path dir : dirs.filter(d -> d.getFileName().toString().startsWith(WORKDIR_PREFIX)).toList()) {
        if (WorkDirs.ownerAlive(dir)) {
          continue;
        }
        LOG.warn("Reaping a real node left behind in {}", dir);
        Properties state = new Properties();
        try (var in = Files.newBufferedReader(dir.resolve(STATE_FILE))) {
          state.load(in);
        } catch (IOException e) {
          WorkDirs.terminate(WorkDirs.processesUsing(dir));
          WorkDirs.deleteRecursively(dir);
          continue;
        }
        tearDown(dir, state.getProperty("netns"), state.getProperty("hostInterface"), state.getProperty("cgroup"));
      }
    } catch (IOException e) {
      LOG.warn("Could not look for a left-over real node in {}: {}", tmp, e.toString());
    }
  }

  private static List<Path> cgroupHierarchies() {
    try (Stream<Path> dirs = Files.list(Path.of("/sys/fs/cgroup"))) {
      // the v1 hierarchies (cpu, memory, pids, ..., name=systemd); not the v2 "unified" one
      return dirs.filter(d -> !d.getFileName().toString().equals("unified"))
          .filter(d -> Files.exists(d.resolve("cgroup.procs")) && !Files.isSymbolicLink(d))
          .sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<ProcessHandle> inCgroup(String cgroup) {
    if (cgroup == null) {
      return List.of();
    }
    Path root = Path.of("/sys/fs/cgroup/pids").resolve(cgroup.substring(1));
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(f -> f.getFileName().toString().equals("cgroup.procs"))
          .flatMap(f -> readQuietly(f).lines())
          .map(String::strip).filter(s -> !s.isEmpty())
          .map(Long::parseLong).map(ProcessHandle::of).flatMap(Optional::stream).toList();
    } catch (IOException | UncheckedIOException e) {
      return List.of();
    }
  }

  private static List<ProcessHandle> inMountNamespace(String mountNs) {
    return ProcessHandle.allProcesses()
        .filter(p -> p.pid() != ProcessHandle.current().pid())
        .filter(p -> readLink(Path.of("/proc", Long.toString(p.pid()), "ns", "mnt")).map(mountNs::equals).orElse(false))
        .toList();
  }

  private static void removeCgroups(String cgroup) {
    if (cgroup == null) {
      return;
    }
    for (Path hierarchy : cgroupHierarchies()) {
      Path root = hierarchy.resolve(cgroup.substring(1));
      if (!Files.isDirectory(root)) {
        continue;
      }
      // cgroup directories are removed with rmdir, deepest first; their files cannot be deleted
      Instant deadline = Instant.now().plusSeconds(10);
      while (Files.isDirectory(root) && Instant.now().isBefore(deadline)) {
        try (Stream<Path> dirs = Files.walk(root)) {
          for (Path dir : dirs.filter(Files::isDirectory).sorted(Comparator.comparingInt(Path::getNameCount).reversed())
              .toList()) {
            run(List.of("rmdir", dir.toString()), false);
          }
        } catch (IOException | UncheckedIOException e) {
          // a directory went away while walking: look again
        }
        if (Files.isDirectory(root)) {
          sleep(Duration.ofMillis(200));
        }
      }
      if (Files.isDirectory(root)) {
        LOG.warn("Could not remove the cgroup {}", root);
      }
    }
  }

  private Path keepLogs() {
    Path target = settings.keptLogsRoot().resolve(network.netns());
    try (Stream<Path> files = Files.list(workdir)) {
      Files.createDirectories(target);
      for (Path file : files.filter(f -> f.toString().endsWith(".log") || f.toString().endsWith(".yaml")
          || f.toString().endsWith(".toml")).toList()) {
        Files.copy(file, target.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
      // the pods' container logs, as the kubelet keeps them (namespace_pod_uid/container/N.log)
      Path pods = workdir.resolve("pod-logs");
      if (Files.isDirectory(pods)) {
        try (Stream<Path> logs = Files.walk(pods)) {
          for (Path log : logs.filter(Files::isRegularFile).toList()) {
            Files.copy(log, target.resolve("pod_" + pods.relativize(log).toString().replace('/', '_')),
                StandardCopyOption.REPLACE_EXISTING);
          }
        }
      }
      return target;
    } catch (IOException e) {
      LOG.warn("Could not keep the logs of {}: {}", workdir, e.toString());
      return null;
    }
  }

  // --- small helpers --------------------------------------------------------------------------

  /** Runs a command to its end; with {@code check}, a non-zero exit is an error naming the output. */
  static String run(List<String> command, boolean check) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " timed out");
      }
      if (check && process.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed (" + process.exitValue() + "): "
            + out.strip());
      }
      return out;
    } catch (IOException e) {
      if (check) {
        throw new UncheckedIOException("cannot run " + command.get(0), e);
      }
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static Optional<Path> which(String command) {
    return Stream.of(System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":"), new String[] {"/usr/sbin", "/sbin"})
        .flatMap(Stream::of).map(d -> Path.of(d, command)).filter(Files::isExecutable).findFirst();
  }

  private static Optional<String> readLink(Path link) {
    try {
      return Optional.of(Files.readSymbolicLink(link).toString());
    } catch (IOException | UnsupportedOperationException e) {
      return Optional.empty();
    }
  }

  private static String readQuietly(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return "";
    }
  }

  private static void writeQuietly(Path file, String content) {
    try {
      Files.writeString(file, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void awaitGone(List<ProcessHandle> processes, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    while (processes.stream().anyMatch(WorkDirs::isRunning) && Instant.now().isBefore(deadline)) {
      sleep(Duration.ofMillis(100));
    }
  }

  static String tail(Path file, int lines) {
    List<String> all = readQuietly(file).lines().toList();
    return all.subList(Math.max(0, all.size() - lines), all.size()).stream().collect(Collectors.joining("\n"));
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
