package dev.atrium.operator;

import dev.atrium.api.v1alpha1.CollaborationPlatform;
import dev.atrium.api.v1alpha1.PlatformRelease;
import dev.atrium.operator.monitoring.OperatorMetrics;
import dev.atrium.testing.kube.Crds;
import dev.atrium.testing.kube.RequestCounter;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.Operator;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

/** Runs the operator in the test JVM against a test cluster, the way Main runs it in a pod. */
public final class OperatorHarness implements AutoCloseable {

  public static final String CRD = "collaborationplatforms.atrium.dev";

  private final KubernetesClient client;
  private final OperatorMetrics metrics = new OperatorMetrics(new PrometheusRegistry());
  private final RequestCounter requests = RequestCounter.recordingWrites();
  private Operator operator;

  public OperatorHarness(KubernetesClient clusterClient) {
    // a client of its own, so that stopping the operator never closes the test's client; every
    // request it sends is counted, so tests can tell how many writes the operator made
    Config config = clusterClient.getConfiguration();
    this.client = requests.client(config);
  }

  /** Writes (any method but GET) the operator sent since the last {@link #resetCounts()}, as "METHOD path". */
  public List<String> writes() {
    return requests.writes();
  }

  public void resetCounts() {
    requests.reset();
  }

  /** Reconciliations finished since the operator's metrics were created. */
  public double reconciles() {
    return metrics.reconcileCount();
  }

  /** Installs every CRD in crds/ and applies the example releases, as an installation does. */
  public static void installCrd(KubernetesClient client) {
    Path crds = Path.of(System.getProperty("atrium.crds.dir", "../../crds"));
    try (Stream<Path> files = Files.list(crds)) {
      files.filter(f -> f.toString().endsWith(".yml")).sorted().forEach(f -> Crds.install(client, f));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (PlatformRelease release : TestPlatforms.releaseManifests()) {
      client.resource(release).fieldManager("atrium-install").forceConflicts().serverSideApply();
    }
  }

  public OperatorHarness start() {
    return start(Clock.systemUTC());
  }

  /** Starts the operator on a clock the test sets (autoscaling windows, upgrade deadlines). */
  public OperatorHarness start(Clock clock) {
    operator = Main.start(client, new OperatorConfig(Set.of(), OperatorConfig.DEFAULT_REGISTRY, 0, false, "default"),
        metrics, () -> { }, clock);
    return this;
  }

  public void stop() {
    if (operator != null) {
      operator.stop();
      operator = null;
    }
  }

  public OperatorMetrics metrics() {
    return metrics;
  }

  /** The example platform from examples/, placed in the given namespace. */
  public static CollaborationPlatform examplePlatform(String namespace) {
    Path file = Path.of(System.getProperty("atrium.examples.dir", "../../examples")).resolve("platform.yaml");
    try {
      String yaml = Files.readString(file);
      String platformDoc = yaml.substring(yaml.indexOf("apiVersion: atrium.dev/"));
      CollaborationPlatform platform = Serialization.unmarshal(platformDoc, CollaborationPlatform.class);
      platform.getMetadata().setNamespace(namespace);
      return platform;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Map<String, String> readyCondition(CollaborationPlatform platform) {
    if (platform.getStatus() == null) {
      return Map.of();
    }
    return platform.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType())).findFirst()
        .map(c -> Map.of("status", c.getStatus(), "reason", c.getReason(), "message", c.getMessage()))
        .orElse(Map.of());
  }

  /**
   * Changes a platform's spec as a user would. A user's edit carries the resourceVersion it read, and the
   * operator's status writes move it on, so an edit can meet 409 Conflict; like kubectl, read and try again.
   */
  public static void changeSpec(KubernetesClient client, String namespace, String name,
      Consumer<CollaborationPlatform> change) {
    for (int attempt = 1; ; attempt++) {
      try {
        client.resources(CollaborationPlatform.class).inNamespace(namespace).withName(name).edit(p -> {
          change.accept(p);
          return p;
        });
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 5) {
          throw e;
        }
      }
    }
  }

  @Override
  public void close() {
    stop();
    client.close();
  }
}
