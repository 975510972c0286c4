package dev.atrium.testing.kube;

import static dev.atrium.testing.kube.LocalControlPlane.NEVER_READY_IMAGE_MARKER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * On the local control plane KWOK keeps pods whose image carries {@link LocalControlPlane#NEVER_READY_IMAGE_MARKER}
 * Running but unready, and every other pod becomes Ready as before; controllers roll such pods away.
 */
@WithKubeCluster
class NeverReadyPodsIT {

  private static final String GOOD = "registry.atrium.dev/atrium/identity:1.0.0";
  private static final String NEVER_READY = "registry.atrium.dev/atrium/identity:1.1.0-" + NEVER_READY_IMAGE_MARKER;
  private static final String NEVER_READY_BY_DIGEST = "registry.atrium.dev/atrium/" + NEVER_READY_IMAGE_MARKER
      + "/identity@sha256:" + "0123456789abcdef".repeat(4);
  private static final long MINUTES = 2;

  @BeforeAll
  static void onlyOnTheLocalControlPlane(KubeCluster cluster) {
    assumeTrue(cluster instanceof LocalControlPlane, "the marker is a KWOK stage of the local control plane");
  }

  @Test
  void podsWithTheMarkerRunButNeverBecomeReadyWhileOthersDo(KubernetesClient client, TestNamespace ns) {
    var deployments = client.apps().deployments().inNamespace(ns.name());
    deployments.resource(deployment("broken", 2, NEVER_READY)).create();
    // one container of two is enough, and the marker may be in the repository of a digest reference
    client.pods().inNamespace(ns.name()).resource(new PodBuilder()
        .withNewMetadata().withName("sidecar").withLabels(Map.of("app", "sidecar")).endMetadata()
        .withNewSpec()
          .addToContainers(container("app", GOOD), container("proxy", NEVER_READY_BY_DIGEST))
        .endSpec().build()).create();

    awaitPods(client, ns, "broken", pods -> pods.size() == 2 && pods.stream().allMatch(NeverReadyPodsIT::isRunning));
    awaitPods(client, ns, "sidecar", pods -> pods.size() == 1 && pods.stream().allMatch(NeverReadyPodsIT::isRunning));

    // created after the others ran, so KWOK has seen them again by the time this one is Ready
    deployments.resource(deployment("fine", 2, GOOD)).create();
    deployments.withName("fine").waitUntilCondition(d -> available(d) == 2, MINUTES, TimeUnit.MINUTES);
    assertThat(pods(client, ns, "fine")).hasSize(2).allSatisfy(pod -> {
      assertThat(condition(pod, "Ready")).isEqualTo("True");
      assertThat(pod.getStatus().getContainerStatuses()).allSatisfy(c -> assertThat(c.getReady()).isTrue());
    });

    Deployment broken = deployments.withName("broken").get();
    assertThat(broken.getStatus().getReadyReplicas()).as("ready replicas").isNull();
    assertThat(broken.getStatus().getUnavailableReplicas()).isEqualTo(2);
    assertThat(broken.getStatus().getConditions()).filteredOn(c -> "Available".equals(c.getType()))
        .singleElement().extracting(DeploymentCondition::getStatus).isEqualTo("False");
    assertThat(pods(client, ns, "broken")).hasSize(2).allSatisfy(NeverReadyPodsIT::assertRunningButUnready);
    assertThat(pods(client, ns, "sidecar")).singleElement().satisfies(NeverReadyPodsIT::assertRunningButUnready);
  }

  @Test
  void aRolloutToANeverReadyImageStallsAndRollingBackMakesItReadyAgain(KubernetesClient client, TestNamespace ns) {
    var identity = client.apps().deployments().inNamespace(ns.name()).withName("identity");
    Deployment surgeFirst = new DeploymentBuilder(deployment("identity", 2, GOOD)).editSpec()
        .withNewStrategy().withType("RollingUpdate").withNewRollingUpdate()
          .withNewMaxSurge(1).withNewMaxUnavailable(0).endRollingUpdate().endStrategy()
        .endSpec().build();
    client.apps().deployments().inNamespace(ns.name()).resource(surgeFirst).create();
    identity.waitUntilCondition(d -> available(d) == 2, MINUTES, TimeUnit.MINUTES);

    WorkloadPatches.replaceFirstImage(identity, NEVER_READY);
    awaitPods(client, ns, "identity", pods -> pods.stream().anyMatch(p -> isRunning(p) && hasMarker(p)));
    Deployment stalled = identity.waitUntilCondition(
        d -> d.getStatus() != null && Integer.valueOf(1).equals(d.getStatus().getUpdatedReplicas()),
        MINUTES, TimeUnit.MINUTES);
    assertThat(available(stalled)).as("the old pods still serve").isEqualTo(2);
    List<Pod> surged = pods(client, ns, "identity").stream().filter(NeverReadyPodsIT::hasMarker).toList();
    assertThat(surged).singleElement().satisfies(NeverReadyPodsIT::assertRunningButUnready);

    WorkloadPatches.replaceFirstImage(identity, GOOD);
    identity.waitUntilCondition(d -> rolledOut(d, 2), MINUTES, TimeUnit.MINUTES);
    client.pods().inNamespace(ns.name()).withName(surged.get(0).getMetadata().getName())
        .waitUntilCondition(Objects::isNull, MINUTES, TimeUnit.MINUTES);
    awaitPods(client, ns, "identity", pods -> pods.size() == 2);
    assertThat(pods(client, ns, "identity")).allSatisfy(pod -> {
      assertThat(hasMarker(pod)).isFalse();
      assertThat(condition(pod, "Ready")).isEqualTo("True");
    });
  }

  @Test
  void aStatefulSetRollsItsNeverReadyPodsAwayWhenTheImageChangesBack(KubernetesClient client, TestNamespace ns) {
    var statefulSets = client.apps().statefulSets().inNamespace(ns.name());
    Map<String, String> labels = Map.of("app", "store");
    statefulSets.resource(new StatefulSetBuilder()
        .withNewMetadata().withName("store").endMetadata()
        .withNewSpec().withReplicas(2).withServiceName("store")
          // OrderedReady would wait for pod 0 to be Ready before touching it, as on any cluster
          .withPodManagementPolicy("Parallel")
          .withNewSelector().withMatchLabels(labels).endSelector()
          .withNewTemplate().withNewMetadata().withLabels(labels).endMetadata()
            .withNewSpec().addToContainers(container("store", NEVER_READY)).endSpec()
          .endTemplate()
        .endSpec().build()).create();
    awaitPods(client, ns, "store", pods -> pods.size() == 2 && pods.stream().allMatch(NeverReadyPodsIT::isRunning));
    assertThat(pods(client, ns, "store")).allSatisfy(NeverReadyPodsIT::assertRunningButUnready);

    WorkloadPatches.replaceFirstImage(statefulSets.withName("store"), GOOD);
    StatefulSet rolled = statefulSets.withName("store").waitUntilCondition(s -> s.getStatus() != null
        && Objects.equals(s.getStatus().getObservedGeneration(), s.getMetadata().getGeneration())
        && Integer.valueOf(2).equals(s.getStatus().getReadyReplicas())
        && Integer.valueOf(2).equals(s.getStatus().getUpdatedReplicas())
        && Objects.equals(s.getStatus().getCurrentRevision(), s.getStatus().getUpdateRevision()),
        MINUTES, TimeUnit.MINUTES);
    assertThat(rolled.getStatus().getReplicas()).isEqualTo(2);
    assertThat(pods(client, ns, "store")).hasSize(2).allSatisfy(pod -> {
      assertThat(hasMarker(pod)).isFalse();
      assertThat(condition(pod, "Ready")).isEqualTo("True");
    });
  }

  private static Deployment deployment(String name, int replicas, String image) {
    Map<String, String> labels = Map.of("app", name);
    return new DeploymentBuilder()
        .withNewMetadata().withName(name).endMetadata()
        .withNewSpec().withReplicas(replicas)
          .withNewSelector().withMatchLabels(labels).endSelector()
          .withNewTemplate().withNewMetadata().withLabels(labels).endMetadata()
            .withNewSpec().addToContainers(container(name, image)).endSpec()
          .endTemplate()
        .endSpec().build();
  }

  private static Container container(String name, String image) {
    return new ContainerBuilder().withName(name).withImage(image).build();
  }

  private static int available(Deployment d) {
    return d == null || d.getStatus() == null || d.getStatus().getAvailableReplicas() == null ? 0
        : d.getStatus().getAvailableReplicas();
  }

  private static boolean rolledOut(Deployment d, int replicas) {
    var status = d.getStatus();
    return status != null && Objects.equals(status.getObservedGeneration(), d.getMetadata().getGeneration())
        && Integer.valueOf(replicas).equals(status.getUpdatedReplicas())
        && Integer.valueOf(replicas).equals(status.getReplicas())
        && Integer.valueOf(replicas).equals(status.getReadyReplicas())
        && Integer.valueOf(replicas).equals(status.getAvailableReplicas());
  }

  private static boolean hasMarker(Pod pod) {
    return pod.getSpec().getContainers().stream().anyMatch(c -> c.getImage().contains(NEVER_READY_IMAGE_MARKER));
  }

  private static boolean isRunning(Pod pod) {
    return pod.getStatus() != null && "Running".equals(pod.getStatus().getPhase());
  }

  private static void assertRunningButUnready(Pod pod) {
    assertThat(pod.getSpec().getNodeName()).as("scheduled").isNotBlank();
    assertThat(pod.getStatus().getPhase()).isEqualTo("Running");
    assertThat(condition(pod, "Ready")).as("Ready").isEqualTo("False");
    assertThat(condition(pod, "ContainersReady")).as("ContainersReady").isEqualTo("False");
    assertThat(pod.getStatus().getContainerStatuses()).hasSameSizeAs(pod.getSpec().getContainers())
        .allSatisfy(c -> {
          assertThat(c.getReady()).as("ready").isFalse();
          assertThat(c.getStarted()).as("started").isTrue();
          assertThat(c.getState().getRunning()).as("running").isNotNull();
        });
  }

  private static String condition(Pod pod, String type) {
    return Optional.ofNullable(pod.getStatus().getConditions()).orElse(List.of()).stream()
        .filter(c -> type.equals(c.getType())).map(PodCondition::getStatus).findFirst().orElse(null);
  }

  private static List<Pod> pods(KubernetesClient client, TestNamespace ns, String app) {
    return client.pods().inNamespace(ns.name()).withLabel("app", app).list().getItems();
  }

  private static void awaitPods(KubernetesClient client, TestNamespace ns, String app, Predicate<List<Pod>> condition) {
    await(() -> condition.test(pods(client, ns, app)), "pods of " + app + " in " + ns.name());
  }

  private static void await(Supplier<Boolean> condition, String what) {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(MINUTES));
    while (!condition.get()) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("gave up waiting for " + what);
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what, e);
      }
    }
  }
}
