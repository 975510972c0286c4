package dev.atrium.operator;

import dev.atrium.api.v1alpha1.CollaborationPlatform;
import dev.atrium.operator.monitoring.OperatorMetrics;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.Operator;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** Runs the operator in the test JVM against a test cluster, the way Main runs it in a pod. */
public final class OperatorHarness implements AutoCloseable {

  public static final String CRD = "collaborationplatforms.atrium.dev";

  private final KubernetesClient client;
  private final OperatorMetrics metrics = new OperatorMetrics(new PrometheusRegistry());
  private Operator operator;

  public OperatorHarness(KubernetesClient clusterClient) {
    // a client of its own, so that stopping the operator never closes the test's client
    Config config = clusterClient.getConfiguration();
    this.client = new KubernetesClientBuilder().withConfig(config).build();
  }

  public static void installCrd(KubernetesClient client) {
    Path file = Path.of(System.getProperty("atrium.crds.dir", "../../crds")).resolve(CRD + "-v1.yml");
    try (InputStream in = Files.newInputStream(file)) {
      CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions().load(in).item();
      client.apiextensions().v1().customResourceDefinitions().resource(crd).forceConflicts().serverSideApply();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    client.apiextensions().v1().customResourceDefinitions().withName(CRD)
        .waitUntilCondition(c -> c.getStatus() != null && c.getStatus().getConditions().stream()
            .anyMatch(cond -> "Established".equals(cond.getType()) && "True".equals(cond.getStatus())),
            60, TimeUnit.SECONDS);
  }

  public OperatorHarness start() {
    operator = Main.start(client, new OperatorConfig(Set.of(), OperatorConfig.DEFAULT_REGISTRY, 0, false, "default"),
        metrics);
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

  @Override
  public void close() {
    stop();
    client.close();
  }
}
