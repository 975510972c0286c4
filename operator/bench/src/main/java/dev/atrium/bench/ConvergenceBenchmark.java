package dev.atrium.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.atrium.testing.kube.LocalControlPlane;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * How long the operator takes to converge N platforms on the local control plane with KWOK, how
 * many API requests it makes on the way and how much heap each platform costs it; and beside it
 * the floor, a plain client that only creates the same objects. Not a test: it measures, writes
 * {@code <out>/convergence-N.json} per size and asserts nothing. See docs/benchmarks.md.
 *
 * <pre>
 * hack/bench.sh --platforms 100,500 [--out target/bench] [--timeout-minutes 60]
 * </pre>
 *
 * <p>Each size gets two fresh control planes of the same shape, one after the other: the operator
 * run on the first, the floor on the second, so that neither inherits the other's objects, pods,
 * bound volumes or etcd size, and the operator's informers never see the floor's objects.
 */
public final class ConvergenceBenchmark {

  /** Pods and volume claims one copy of examples/platform.yaml runs (2+2+2+2 stateless, 2+3+4 stateful). */
  static final int PODS_PER_PLATFORM = 17;
  static final int CLAIMS_PER_PLATFORM = 9;
  /** KWOK nodes take 110 pods each; sizing for 100 leaves the scheduler room. */
  static final int PODS_PER_NODE = 100;
  static final int MIN_NODES = 3;

  private ConvergenceBenchmark() {
  }

  record Args(List<Integer> platforms, Path out, Duration timeout) {

    static Args parse(String[] args) {
      List<Integer> platforms = new ArrayList<>();
      Path out = Path.of("target/bench");
      Duration timeout = Duration.ofMinutes(60);
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        String value = i + 1 < args.length ? args[i + 1] : null;
        switch (arg) {
          case "--platforms" -> {
            for (String n : require(arg, value).split(",")) {
              if (!n.isBlank()) {
                int count = Integer.parseInt(n.trim());
                if (count < 1) {
                  throw new IllegalArgumentException("--platforms must be at least 1, was " + count);
                }
                platforms.add(count);
              }
            }
            i++;
          }
          case "--out" -> {
            out = Path.of(require(arg, value));
            i++;
          }
          case "--timeout-minutes" -> {
            timeout = Duration.ofMinutes(Long.parseLong(require(arg, value)));
            i++;
          }
          default -> throw new IllegalArgumentException("unknown argument " + arg
              + " (use --platforms N[,N...] [--out DIR] [--timeout-minutes M])");
        }
      }
      if (platforms.isEmpty()) {
        throw new IllegalArgumentException("say how many platforms: --platforms N[,N...], e.g. --platforms 100,500");
      }
      return new Args(List.copyOf(platforms), out, timeout);
    }

    private static String require(String arg, String value) {
      if (value == null || value.startsWith("--")) {
        throw new IllegalArgumentException(arg + " needs a value");
      }
      return value;
    }
  }

  /** Nodes and volumes for N platforms: room for every pod and every claim, with some to spare. */
  record ClusterShape(int nodes, int volumesPerNode) {

    static ClusterShape forPlatforms(int n) {
      int nodes = Math.max(MIN_NODES, ceilDiv(PODS_PER_PLATFORM * n, PODS_PER_NODE));
      // no free volumes on the nodes: each claim gets a volume bound to it in advance (Platforms.createVolumes)
      return new ClusterShape(nodes, 0);
    }

    private static int ceilDiv(int a, int b) {
      return (a + b - 1) / b;
    }
  }

  public static void main(String[] argv) throws IOException {
    Args args;
    try {
      args = Args.parse(argv);
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      System.exit(2);
      return;
    }
    Files.createDirectories(args.out());
    // the operator logs every object it writes; that goes to a file, the console gets progress and results
    if (System.getProperty("org.slf4j.simpleLogger.logFile") == null) {
      System.setProperty("org.slf4j.simpleLogger.logFile", args.out().resolve("bench.log").toString());
      System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
    }
    Path crds = Path.of(System.getProperty("atrium.crds.dir", "crds"));
    Path examples = Path.of(System.getProperty("atrium.examples.dir", "examples"));
    progress("log of the control planes and the operator: %s", System.getProperty("org.slf4j.simpleLogger.logFile"));
    for (int n : args.platforms()) {
      Map<String, Object> result = measure(n, crds, examples, args.timeout());
      Path file = args.out().resolve("convergence-" + n + ".json");
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), result);
      System.out.println(summary(result) + " -> " + file);
    }
  }

  static Map<String, Object> measure(int n, Path crds, Path examples, Duration timeout) {
    ClusterShape shape = ClusterShape.forPlatforms(n + 1); // and the warm-up platform
    LocalControlPlane.Settings defaults = LocalControlPlane.Settings.fromSystemProperties();
    LocalControlPlane.Settings settings = new LocalControlPlane.Settings(defaults.toolsBin(), shape.nodes(),
        shape.volumesPerNode(), Duration.ofMinutes(10), defaults.keptLogsRoot());
    Platforms platforms = new Platforms(examples, n);

    Map<String, Object> result = new LinkedHashMap<>();
    result.put("N", n);
    result.put("nodes", shape.nodes());
    result.put("volumesPerNode", shape.volumesPerNode());
    result.put("platformsPerNamespace", Platforms.PER_NAMESPACE);
    result.put("warmupPlatforms", 1);

    progress("N=%d: operator run: starting a control plane with %d KWOK nodes, %d volumes each", n, shape.nodes(),
        shape.volumesPerNode());
    Map<String, Object> operator = onFreshCluster(settings, crds, platforms, admin -> {
      result.put("kubernetesVersion", admin.getKubernetesVersion().getGitVersion());
      result.put("nodeAllocatable", allocatable(admin));
      progress("N=%d: operator run: creating %d platforms", n, n);
      return OperatorRun.run(admin, platforms, timeout);
    });
    progress("N=%d: operator: all Ready after %s s", n, operator.get("secondsToAllReady"));

    int threads = (Integer) operator.get("reconciliationThreads");
    progress("N=%d: floor run: starting a fresh control plane of the same shape", n);
    Map<String, Object> floor = onFreshCluster(settings, crds, platforms, admin -> {
      progress("N=%d: floor run: creating %d platforms and applying their objects on %d threads", n, n, threads);
      return FloorRun.run(admin, platforms, threads, timeout);
    });
    progress("N=%d: floor: all workloads Ready after %s s", n, floor.get("secondsToAllReady"));
    if ((Integer) floor.get("podsPerPlatform") != PODS_PER_PLATFORM
        || (Integer) floor.get("volumeClaimsPerPlatform") != CLAIMS_PER_PLATFORM) {
      progress("warning: a platform runs %s pods and %s volume claims, the cluster was sized for %d and %d",
          floor.get("podsPerPlatform"), floor.get("volumeClaimsPerPlatform"), PODS_PER_PLATFORM, CLAIMS_PER_PLATFORM);
    }

    result.put("operator", operator);
    result.put("floor", floor);
    result.put("machine", machine());
    result.put("timestamp", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    return result;
  }

  /** Starts a control plane, installs the CRD and the namespaces, runs {@code body} and stops it again. */
  private static Map<String, Object> onFreshCluster(LocalControlPlane.Settings settings, Path crds,
      Platforms platforms, Function<KubernetesClient, Map<String, Object>> body) {
    try (LocalControlPlane cluster = LocalControlPlane.start(settings)) {
      try {
        KubernetesClient admin = cluster.client();
        platforms.install(admin, crds);
        platforms.createNamespaces(admin);
        platforms.createVolumes(admin);
        return body.apply(admin);
      } catch (RuntimeException e) {
        cluster.markFailed(); // keeps the component logs
        throw e;
      }
    }
  }

  private static Map<String, String> allocatable(KubernetesClient admin) {
    Node node = admin.nodes().list().getItems().get(0);
    Map<String, String> allocatable = new LinkedHashMap<>();
    for (String resource : List.of("cpu", "memory", "pods")) {
      Quantity q = node.getStatus().getAllocatable().get(resource);
      allocatable.put(resource, q == null ? null : q.toString());
    }
    return allocatable;
  }

  private static Map<String, Object> machine() {
    Map<String, Object> machine = new LinkedHashMap<>();
    machine.put("availableProcessors", Runtime.getRuntime().availableProcessors());
    machine.put("maxMemory", Runtime.getRuntime().maxMemory());
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      machine.put("totalMemory", os.getTotalMemorySize());
    }
    machine.put("javaVersion", Runtime.version().toString());
    machine.put("gc", ManagementFactory.getGarbageCollectorMXBeans().stream().map(b -> b.getName()).toList());
    return machine;
  }

  @SuppressWarnings("unchecked")
  static String summary(Map<String, Object> result) {
    Map<String, Object> op = (Map<String, Object>) result.get("operator");
    Map<String, Object> floor = (Map<String, Object>) result.get("floor");
    return String.format("N=%d (%d nodes): operator %s s to all Ready, %d requests %s, %d reconciles, %.1f KiB heap"
        + " per platform | floor %s s, %d requests %s", result.get("N"), result.get("nodes"),
        op.get("secondsToAllReady"), op.get("requestsTotal"), op.get("requestsByMethod"), op.get("reconciles"),
        ((Long) op.get("heapBytesPerPlatform")) / 1024.0, floor.get("secondsToAllReady"), floor.get("requestsTotal"),
        floor.get("requestsByMethod"));
  }

  static void progress(String format, Object... args) {
    System.out.println("[bench " + LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + "] " + String.format(format, args));
  }
}
