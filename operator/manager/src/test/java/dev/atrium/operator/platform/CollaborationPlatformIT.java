package dev.atrium.operator.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrium.api.v1alpha1.CollaborationPlatform;
import dev.atrium.operator.OperatorHarness;
import dev.atrium.operator.model.Labels;
import dev.atrium.testing.kube.TestNamespace;
import dev.atrium.testing.kube.WithKubeCluster;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The operator on the real local control plane, with KWOK running the pods. */
@WithKubeCluster
class CollaborationPlatformIT {

  private static OperatorHarness operator;

  @BeforeAll
  static void startOperator(KubernetesClient client) {
    OperatorHarness.installCrd(client);
    operator = new OperatorHarness(client).start();
  }

  @AfterAll
  static void stopOperator() {
    if (operator != null) {
      operator.close();
    }
  }

  @Test
  void examplePlatformConvergesToReadyWithEveryObject(KubernetesClient client, TestNamespace ns) {
    var platforms = client.resources(CollaborationPlatform.class).inNamespace(ns.name());
    platforms.resource(OperatorHarness.examplePlatform(ns.name())).create();

    CollaborationPlatform ready = platforms.withName("acme").waitUntilCondition(
        p -> "True".equals(OperatorHarness.readyCondition(p).get("status")), 3, TimeUnit.MINUTES);

    assertThat(ready.getStatus().getReadyComponents()).isEqualTo("7/7");
    assertThat(ready.getStatus().getPhase()).isEqualTo("Ready");
    assertThat(ready.getStatus().getVersion()).isEqualTo("1.0.0");
    assertThat(ready.getStatus().getObservedGeneration()).isEqualTo(ready.getMetadata().getGeneration());
    assertThat(ready.getStatus().getEndpoints().getPortal()).isEqualTo("http://collab.acme.example/");
    assertThat(ready.getStatus().getConditions()).extracting(c -> c.getType() + "=" + c.getStatus() + "/" + c.getReason())
        .containsExactly("Ready=True/AllComponentsReady", "Progressing=False/Stable", "Degraded=False/AsExpected");

    var inNs = client.apps().deployments().inNamespace(ns.name()).withLabel(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE);
    List<Deployment> deployments = inNs.list().getItems();
    assertThat(deployments).extracting(d -> d.getMetadata().getName())
        .containsExactlyInAnyOrder("acme-identity", "acme-webos", "acme-message-center", "acme-netdisk");
    List<StatefulSet> statefulSets = client.apps().statefulSets().inNamespace(ns.name()).list().getItems();
    assertThat(statefulSets).extracting(s -> s.getMetadata().getName())
        .containsExactlyInAnyOrder("acme-database", "acme-cache", "acme-object-store");
    assertThat(client.policy().v1().podDisruptionBudget().inNamespace(ns.name()).list().getItems()).hasSize(7);
    assertThat(client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(ns.name()).list().getItems())
        .singleElement().satisfies(h -> assertThat(h.getSpec().getMinReplicas()).isEqualTo(2));
    assertThat(client.network().v1().networkPolicies().inNamespace(ns.name()).list().getItems()).hasSize(8);
    assertThat(client.network().v1().ingresses().inNamespace(ns.name()).withName("acme").get().getSpec()
        .getRules().get(0).getHost()).isEqualTo("collab.acme.example");
    assertThat(client.secrets().inNamespace(ns.name()).withLabel(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE).list()
        .getItems()).extracting(s -> s.getMetadata().getName())
        .containsExactlyInAnyOrder("acme-database-credentials", "acme-cache-credentials", "acme-object-store-credentials");
    assertThat(client.persistentVolumeClaims().inNamespace(ns.name()).list().getItems())
        .as("one bound volume per data store pod").hasSize(2 + 3 + 4)
        .allSatisfy(pvc -> assertThat(pvc.getStatus().getPhase()).isEqualTo("Bound"));
    assertThat(client.pods().inNamespace(ns.name()).withLabel(Labels.INSTANCE, "acme").list().getItems())
        .extracting(pod -> pod.getMetadata().getName() + " " + pod.getStatus().getConditions().stream()
            .filter(c -> "Ready".equals(c.getType())).map(c -> "Ready=" + c.getStatus()).findFirst().orElse("unready"))
        .as("pods of identity, webos, message center (autoscaler minimum), netdisk, database, cache, object store")
        .hasSize(2 + 2 + 2 + 2 + 2 + 3 + 4)
        .allSatisfy(pod -> assertThat(pod).endsWith("Ready=True"));

    Stream.concat(deployments.stream().map(d -> d.getSpec().getTemplate()),
        statefulSets.stream().map(s -> s.getSpec().getTemplate())).forEach(CollaborationPlatformIT::assertRestricted);
  }

  private static void assertRestricted(PodTemplateSpec template) {
    var pod = template.getSpec();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    assertThat(pod.getContainers()).allSatisfy(c -> {
      assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
      assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
      assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
      assertThat(c.getResources().getRequests()).containsKeys("cpu", "memory");
      assertThat(c.getReadinessProbe()).isNotNull();
    });
  }
}
