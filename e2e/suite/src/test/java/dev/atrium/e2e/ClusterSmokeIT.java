package dev.atrium.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atrium.testing.kube.Crds;
import dev.atrium.testing.kube.TestNamespace;
import dev.atrium.testing.kube.WithKubeCluster;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The cluster under the whole suite does what the operator will rely on: the API server enforces
 * CEL rules in a CRD's schema, and the controller manager, scheduler and (on the local control
 * plane) KWOK take a Deployment to Ready pods.
 */
@WithKubeCluster
class ClusterSmokeIT {

  private static final String CRD_NAME = "scalingwindows.smoke.atrium.dev";
  private static final ResourceDefinitionContext WINDOWS = new ResourceDefinitionContext.Builder()
      .withGroup("smoke.atrium.dev").withVersion("v1").withPlural("scalingwindows").withNamespaced(true).build();
  /** Any image works under KWOK; on a real cluster it must be pullable, hence a property. */
  private static final String IMAGE = System.getProperty("atrium.e2e.smoke.image", "registry.k8s.io/pause:3.10");

  @BeforeAll
  static void installCrd(KubernetesClient client) {
    Crds.install(client, ClusterSmokeIT.class.getResourceAsStream("/scalingwindows-crd.yaml"));
  }


  @AfterAll
  static void removeCrd(KubernetesClient client) {
    client.apiextensions().v1().customResourceDefinitions().withName(CRD_NAME).delete();
  }

  @Test
  void celRuleInTheCrdRefusesAnInvalidObjectWithItsMessage(KubernetesClient client, TestNamespace ns) {
    var windows = client.genericKubernetesResources(WINDOWS).inNamespace(ns.name());

    assertThatThrownBy(() -> windows.resource(window("inverted", 5, 2)).create())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
          assertThat(e.getCode()).isEqualTo(422);
          assertThat(e.getMessage()).contains("spec: Invalid value")
              .contains("minReplicas must not be greater than maxReplicas");
        });
    assertThat(windows.withName("inverted").get()).isNull();

    windows.resource(window("office-hours", 2, 5)).create();
    assertThat(windows.withName("office-hours").get()).isNotNull();
  }

  @Test
  void deploymentBecomesAvailableThroughReplicaSetSchedulerAndNodes(KubernetesClient client, TestNamespace ns) {
    Map<String, String> labels = Map.of("app.kubernetes.io/name", "smoke");
    Deployment deployment = new DeploymentBuilder()
        .withNewMetadata().withName("smoke").endMetadata()
        .withNewSpec().withReplicas(3)
          .withNewSelector().withMatchLabels(labels).endSelector()
          .withNewTemplate().withNewMetadata().withLabels(labels).endMetadata()
            .withNewSpec().addNewContainer().withName("app").withImage(IMAGE).endContainer().endSpec()
          .endTemplate()
        .endSpec().build();
    client.apps().deployments().inNamespace(ns.name()).resource(deployment).create();

    Deployment available = client.apps().deployments().inNamespace(ns.name()).withName("smoke")
        .waitUntilCondition(d -> d.getStatus() != null && Integer.valueOf(3).equals(d.getStatus().getAvailableReplicas()),
            2, TimeUnit.MINUTES);

    assertThat(available.getStatus().getReadyReplicas()).isEqualTo(3);
    List<ReplicaSet> replicaSets = client.apps().replicaSets().inNamespace(ns.name()).withLabels(labels).list().getItems();
    assertThat(replicaSets).singleElement().satisfies(rs ->
        assertThat(rs.getMetadata().getOwnerReferences()).singleElement()
            .satisfies(o -> assertThat(o.getUid()).isEqualTo(available.getMetadata().getUid())));
    List<Pod> pods = client.pods().inNamespace(ns.name()).withLabels(labels).list().getItems();
    assertThat(pods).hasSize(3).allSatisfy(pod -> {
      assertThat(pod.getSpec().getNodeName()).as("scheduled").isNotBlank();
      assertThat(pod.getStatus().getConditions())
          .anySatisfy(c -> assertThat(c.getType() + "=" + c.getStatus()).isEqualTo("Ready=True"));
    });
  }

  private static GenericKubernetesResource window(String name, int min, int max) {
    return new GenericKubernetesResourceBuilder()
        .withApiVersion("smoke.atrium.dev/v1").withKind("ScalingWindow")
        .withNewMetadata().withName(name).endMetadata()
        .addToAdditionalProperties("spec", Map.of("minReplicas", min, "maxReplicas", max))
        .build();
  }
}
