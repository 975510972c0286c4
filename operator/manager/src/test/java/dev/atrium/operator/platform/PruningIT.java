package dev.atrium.operator.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrium.api.v1alpha1.CollaborationPlatform;
import dev.atrium.api.v1alpha1.CollaborationPlatformStatus;
import dev.atrium.api.v1alpha1.FederationSpec;
import dev.atrium.operator.OperatorHarness;
import dev.atrium.operator.model.Labels;
import dev.atrium.testing.kube.TestNamespace;
import dev.atrium.testing.kube.WithKubeCluster;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Pruning, switching components off and on, and objects that are not the operator's, on the real local
 * control plane with KWOK running the pods.
 */
@WithKubeCluster
class PruningIT {

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
  void autoscalingRemovedDeletesTheAutoscalerAndAppliesTheReplicasOnceWithoutAFight(KubernetesClient client,
      TestNamespace ns) throws InterruptedException {
    create(client, ns, "scaling", p -> { });
    awaitReady(client, ns, "scaling");
    assertThat(client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(ns.name())
        .withName("scaling-message-center").get()).isNotNull();

    operator.resetCounts();
    OperatorHarness.changeSpec(client, ns.name(), "scaling", p -> {
      p.getSpec().getMessageCenter().setAutoscaling(null);
      p.getSpec().getMessageCenter().setReplicas(3);
    });

    client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(ns.name()).withName("scaling-message-center")
        .waitUntilCondition(Objects::isNull, 60, TimeUnit.SECONDS);
    awaitReady(client, ns, "scaling");
    assertThat(deployment(client, ns, "scaling-message-center").getSpec().getReplicas()).isEqualTo(3);

    // a minute of quiet: nothing scales the Deployment back and forth, the operator writes it no more
    Deployment settled = deployment(client, ns, "scaling-message-center");
    Thread.sleep(60_000);
    Deployment later = deployment(client, ns, "scaling-message-center");
    assertThat(later.getMetadata().getGeneration()).as("no spec change after the minute")
        .isEqualTo(settled.getMetadata().getGeneration());
    assertThat(later.getSpec().getReplicas()).isEqualTo(3);
    assertThat(operator.writes()).filteredOn(w -> w.contains("/deployments/scaling-message-center"))
        .as("the Deployment written once for the new replicas").hasSize(1);
    assertThat(operator.writes()).filteredOn(w -> w.contains("horizontalpodautoscalers/scaling-message-center"))
        .singleElement().satisfies(w -> assertThat(w).startsWith("DELETE"));
  }

  @Test
  void ingressSwitchedOffIsDeletedAndBackWhenSwitchedOn(KubernetesClient client, TestNamespace ns) {
    create(client, ns, "door", p -> { });
    awaitReady(client, ns, "door");
    assertThat(client.network().v1().ingresses().inNamespace(ns.name()).withName("door").get()).isNotNull();

    OperatorHarness.changeSpec(client, ns.name(), "door", p -> {
      p.getSpec().getIngress().setEnabled(false);
    });
    client.network().v1().ingresses().inNamespace(ns.name()).withName("door")
        .waitUntilCondition(Objects::isNull, 60, TimeUnit.SECONDS);
    assertThat(client.services().inNamespace(ns.name()).withName("door-webos").get()).isNotNull();

    OperatorHarness.changeSpec(client, ns.name(), "door", p -> {
      p.getSpec().getIngress().setEnabled(true);
    });
    client.network().v1().ingresses().inNamespace(ns.name()).withName("door")
        .waitUntilCondition(Objects::nonNull, 60, TimeUnit.SECONDS);
  }

  @Test
  void switchedOffComponentsAreRemovedTheirDataKeptAndBackWithTheSameCredentials(KubernetesClient client,
      TestNamespace ns) {
    create(client, ns, "tenant", p -> {
      FederationSpec federation = new FederationSpec();
      federation.setEnabled(true);
      p.getSpec().getMessageCenter().setFederation(federation);
    });
    // a second platform in the namespace whose objects look alike: it must not lose anything
    create(client, ns, "neighbour", p -> { });
    // and an object with the operator's labels that no platform owns (someone copied a manifest)
    client.configMaps().inNamespace(ns.name()).resource(new ConfigMapBuilder().withNewMetadata()
        .withName("tenant-netdisk-extra").withLabels(Labels.of("tenant", dev.atrium.operator.model.Component.NETDISK,
            "1.0.0")).endMetadata().addToData("note", "not the operator's").build()).create();
    awaitReady(client, ns, "tenant");
    awaitReady(client, ns, "neighbour");
    String databasePassword = secretValue(client, ns, "tenant-database-credentials", "app-password");
    String federationKey = secretValue(client, ns, "tenant-message-center-federation", "key-id");
    List<String> claims = claims(client, ns);
    List<String> neighbour = objects(client, ns, "neighbour");

    OperatorHarness.changeSpec(client, ns.name(), "tenant", p -> {
      p.getSpec().getNetdisk().setEnabled(false);
      p.getSpec().getMessageCenter().setEnabled(false);
    });

    CollaborationPlatform reduced = awaitStatus(client, ns, "tenant", s -> "5/5".equals(s.getReadyComponents())
        && "Ready".equals(s.getPhase()));
    assertThat(reduced.getStatus().getComponents()).extracting(c -> c.getName())
        .containsExactly("database", "cache", "objectStore", "identity", "webos");
    await("netdisk's and the message center's objects deleted", () -> objects(client, ns, "tenant").stream()
        .noneMatch(o -> o.contains("netdisk") || o.contains("message-center")));
    assertThat(client.network().v1().ingresses().inNamespace(ns.name()).withName("tenant").get().getSpec().getRules()
        .get(0).getHttp().getPaths()).extracting(p -> p.getPath()).as("no /federation any more").containsExactly("/");
    // kept: the data and the generated credentials, the neighbour, and what the operator does not own
    assertThat(claims(client, ns)).isEqualTo(claims);
    assertThat(client.secrets().inNamespace(ns.name()).withName("tenant-message-center-federation").get()).isNotNull();
    assertThat(objects(client, ns, "neighbour")).isEqualTo(neighbour);
    assertThat(client.configMaps().inNamespace(ns.name()).withName("tenant-netdisk-extra").get()).isNotNull();
    assertThat(client.v1().events().inNamespace(ns.name()).withField("involvedObject.name", "tenant").list()
        .getItems()).anySatisfy(e -> {
          assertThat(e.getReason()).isEqualTo("Pruned");
          assertThat(e.getMessage()).contains("Deployment tenant-netdisk");
        });

    OperatorHarness.changeSpec(client, ns.name(), "tenant", p -> {
      p.getSpec().getNetdisk().setEnabled(true);
      p.getSpec().getMessageCenter().setEnabled(true);
    });
    CollaborationPlatform back = awaitStatus(client, ns, "tenant", s -> "7/7".equals(s.getReadyComponents())
        && "Ready".equals(s.getPhase()));
    assertThat(back.getStatus().getComponents()).hasSize(7);
    assertThat(secretValue(client, ns, "tenant-database-credentials", "app-password")).isEqualTo(databasePassword);
    assertThat(secretValue(client, ns, "tenant-message-center-federation", "key-id")).isEqualTo(federationKey);
    assertThat(claims(client, ns)).isEqualTo(claims);
  }

  @Test
  void aDataStoreScaledDownOrItsStatefulSetDeletedKeepsEveryVolume(KubernetesClient client, TestNamespace ns) {
    create(client, ns, "keep", p -> { });
    awaitReady(client, ns, "keep");
    List<String> claims = claims(client, ns);
    assertThat(claims).anySatisfy(c -> assertThat(c).startsWith("data-keep-database-1@"));

    OperatorHarness.changeSpec(client, ns.name(), "keep", p -> p.getSpec().getDatabase().setReplicas(1));
    awaitStatus(client, ns, "keep", s -> "Ready".equals(s.getPhase()) && s.getComponents().stream()
        .anyMatch(c -> "database".equals(c.getName()) && c.getDesiredReplicas() == 1));
    assertThat(claims(client, ns)).as("the removed replica's volume stays").isEqualTo(claims);

    // someone deletes the StatefulSet (kubectl delete sts): the operator makes it again, on the same volumes
    String uid = client.apps().statefulSets().inNamespace(ns.name()).withName("keep-database").get().getMetadata()
        .getUid();
    client.apps().statefulSets().inNamespace(ns.name()).withName("keep-database").delete();
    client.apps().statefulSets().inNamespace(ns.name()).withName("keep-database").waitUntilCondition(
        s -> s != null && !uid.equals(s.getMetadata().getUid()), 2, TimeUnit.MINUTES);
    awaitStatus(client, ns, "keep", s -> "Ready".equals(s.getPhase()));
    assertThat(claims(client, ns)).as("deleting the StatefulSet deletes no volume").isEqualTo(claims);

    OperatorHarness.changeSpec(client, ns.name(), "keep", p -> p.getSpec().getDatabase().setReplicas(2));
    awaitStatus(client, ns, "keep", s -> "Ready".equals(s.getPhase()) && s.getComponents().stream()
        .anyMatch(c -> "database".equals(c.getName()) && c.getReadyReplicas() == 2));
    assertThat(claims(client, ns)).as("the replica is back on its own volume").isEqualTo(claims);
  }

  @Test
  void aSecretSomeoneElseMadeUnderAGeneratedNameIsReportedNotAdopted(KubernetesClient client, TestNamespace ns) {
    Secret foreign = client.secrets().inNamespace(ns.name()).resource(new SecretBuilder().withNewMetadata()
        .withName("squatted-database-credentials").endMetadata().addToStringData("note", "mine").build()).create();

    create(client, ns, "squatted", p -> { });
    CollaborationPlatform degraded = awaitStatus(client, ns, "squatted", s -> s.getConditions().stream()
        .anyMatch(c -> "Degraded".equals(c.getType()) && "True".equals(c.getStatus())));
    Condition condition = condition(degraded, "Degraded");
    assertThat(condition.getReason()).isEqualTo("ObjectConflict");
    assertThat(condition.getMessage()).contains("Secret squatted-database-credentials");
    Secret after = client.secrets().inNamespace(ns.name()).withName("squatted-database-credentials").get();
    assertThat(after.getMetadata().getResourceVersion()).as("unchanged")
        .isEqualTo(foreign.getMetadata().getResourceVersion());
    assertThat(objects(client, ns, "squatted")).as("nothing deployed that would use it").isEmpty();

    client.secrets().inNamespace(ns.name()).withName("squatted-database-credentials").delete();
    awaitReady(client, ns, "squatted");
    assertThat(secretValue(client, ns, "squatted-database-credentials", "app-password")).isNotBlank();
  }

  @Test
  void anObjectSomeoneElseMadeUnderTheNameOfOneOfOursIsReportedAndLeftAlone(KubernetesClient client,
      TestNamespace ns) {
    var foreign = client.services().inNamespace(ns.name()).resource(new ServiceBuilder().withNewMetadata()
        .withName("occupied-webos").endMetadata().withNewSpec().addNewPort().withPort(9999).endPort()
        .addToSelector("app", "theirs").endSpec().build()).create();

    create(client, ns, "occupied", p -> { });
    CollaborationPlatform degraded = awaitStatus(client, ns, "occupied", s -> s.getConditions().stream()
        .anyMatch(c -> "Degraded".equals(c.getType()) && "True".equals(c.getStatus())));
    assertThat(condition(degraded, "Degraded").getReason()).isEqualTo("ObjectConflict");
    assertThat(condition(degraded, "Degraded").getMessage()).contains("Service occupied-webos")
        .contains("not one the operator made for this platform");
    var after = client.services().inNamespace(ns.name()).withName("occupied-webos").get();
    assertThat(after.getMetadata().getResourceVersion()).isEqualTo(foreign.getMetadata().getResourceVersion());
    assertThat(after.getSpec().getSelector()).isEqualTo(Map.of("app", "theirs"));

    client.services().inNamespace(ns.name()).withName("occupied-webos").delete();
    awaitReady(client, ns, "occupied");
  }

  @Test
  void theLongestNameTheApiAcceptsConverges(KubernetesClient client, TestNamespace ns) {
    String name = "l" + "o".repeat(CollaborationPlatform.MAX_NAME_LENGTH - 2) + "g";
    create(client, ns, name, p -> { });
    CollaborationPlatform ready = awaitReady(client, ns, name);
    assertThat(ready.getStatus().getReadyComponents()).isEqualTo("7/7");
  }

  private static NonNamespaceOperation<CollaborationPlatform, KubernetesResourceList<CollaborationPlatform>,
      Resource<CollaborationPlatform>> platforms(KubernetesClient client, TestNamespace ns) {
    return client.resources(CollaborationPlatform.class).inNamespace(ns.name());
  }

  private static void await(String what, java.util.function.BooleanSupplier done) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 60 s: " + what);
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  private static void create(KubernetesClient client, TestNamespace ns, String name,
      Consumer<CollaborationPlatform> customize) {
    CollaborationPlatform platform = OperatorHarness.examplePlatform(ns.name());
    platform.getMetadata().setName(name);
    platform.getSpec().setDomain(name + ".collab.example");
    // one object store server: the test cluster's volumes are shared by every test of the module
    platform.getSpec().getObjectStore().setReplicas(1);
    customize.accept(platform);
    platforms(client, ns).resource(platform).create();
  }

  private static CollaborationPlatform awaitReady(KubernetesClient client, TestNamespace ns, String name) {
    return awaitStatus(client, ns, name, s -> s.getConditions().stream()
        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())));
  }

  private static CollaborationPlatform awaitStatus(KubernetesClient client, TestNamespace ns, String name,
      Predicate<CollaborationPlatformStatus> wanted) {
    return platforms(client, ns).withName(name).waitUntilCondition(p -> p != null && p.getStatus() != null
        && Objects.equals(p.getStatus().getObservedGeneration(), p.getMetadata().getGeneration())
        && wanted.test(p.getStatus()), 3, TimeUnit.MINUTES);
  }

  private static Condition condition(CollaborationPlatform platform, String type) {
    return platform.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst()
        .orElseThrow();
  }

  private static Deployment deployment(KubernetesClient client, TestNamespace ns, String name) {
    return client.apps().deployments().inNamespace(ns.name()).withName(name).get();
  }

  private static String secretValue(KubernetesClient client, TestNamespace ns, String secret, String key) {
    return client.secrets().inNamespace(ns.name()).withName(secret).get().getData().get(key);
  }

  /** Every volume claim in the namespace, with its uid: one deleted and made again would differ. */
  private static List<String> claims(KubernetesClient client, TestNamespace ns) {
    return client.persistentVolumeClaims().inNamespace(ns.name()).list().getItems().stream()
        .map(c -> c.getMetadata().getName() + "@" + c.getMetadata().getUid()).sorted().toList();
  }

  /** Kind, name and uid of every object of the kinds the operator writes, with the platform's instance label. */
  private static List<String> objects(KubernetesClient client, TestNamespace ns, String platform) {
    List<HasMetadata> all = new ArrayList<>();
    String n = ns.name();
    all.addAll(client.apps().deployments().inNamespace(n).withLabel(Labels.INSTANCE, platform).list().getItems());
    all.addAll(client.apps().statefulSets().inNamespace(n).withLabel(Labels.INSTANCE, platform).list().getItems());
    all.addAll(client.services().inNamespace(n).withLabel(Labels.INSTANCE, platform).list().getItems());
    all.addAll(client.configMaps().inNamespace(n).withLabel(Labels.INSTANCE, platform).list().getItems().stream()
        .filter(c -> !c.getMetadata().getName().endsWith("-extra")).toList());
    all.addAll(client.policy().v1().podDisruptionBudget().inNamespace(n).withLabel(Labels.INSTANCE, platform).list()
        .getItems());
    all.addAll(client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(n).withLabel(Labels.INSTANCE, platform)
        .list().getItems());
    all.addAll(client.network().v1().networkPolicies().inNamespace(n).withLabel(Labels.INSTANCE, platform).list()
        .getItems());
    all.addAll(client.network().v1().ingresses().inNamespace(n).withLabel(Labels.INSTANCE, platform).list()
        .getItems());
    return all.stream().map(o -> o.getKind() + "/" + o.getMetadata().getName() + "@" + o.getMetadata().getUid())
        .sorted().toList();
  }
}
