package dev.atrium.operator.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrium.api.v1alpha1.CollaborationPlatform;
import dev.atrium.operator.OperatorHarness;
import dev.atrium.operator.model.Labels;
import dev.atrium.testing.kube.TestNamespace;
import dev.atrium.testing.kube.WithKubeCluster;
import dev.atrium.testing.kube.WorkloadPatches;
import dev.atrium.api.v1alpha1.LdapSpec;
import dev.atrium.api.v1alpha1.StorageSpec;
import dev.atrium.api.v1alpha1.VolumeReclaimPolicy;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
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

    List<Deployment> deployments = client.apps().deployments().inNamespace(ns.name())
        .withLabel(Labels.INSTANCE, "acme").list().getItems();
    assertThat(deployments).extracting(d -> d.getMetadata().getName())
        .containsExactlyInAnyOrder("acme-identity", "acme-webos", "acme-message-center", "acme-netdisk");
    List<StatefulSet> statefulSets = client.apps().statefulSets().inNamespace(ns.name())
        .withLabel(Labels.INSTANCE, "acme").list().getItems();
    assertThat(statefulSets).extracting(s -> s.getMetadata().getName())
        .containsExactlyInAnyOrder("acme-database", "acme-cache", "acme-object-store");
    assertThat(client.policy().v1().podDisruptionBudget().inNamespace(ns.name()).withLabel(Labels.INSTANCE, "acme")
        .list().getItems()).hasSize(7);
    assertThat(client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(ns.name())
        .withLabel(Labels.INSTANCE, "acme").list().getItems())
        .singleElement().satisfies(h -> assertThat(h.getSpec().getMinReplicas()).isEqualTo(2));
    assertThat(client.network().v1().networkPolicies().inNamespace(ns.name()).withLabel(Labels.INSTANCE, "acme")
        .list().getItems()).hasSize(8);
    assertThat(client.network().v1().ingresses().inNamespace(ns.name()).withName("acme").get().getSpec()
        .getRules().get(0).getHost()).isEqualTo("collab.acme.example");
    assertThat(client.secrets().inNamespace(ns.name()).withLabel(Labels.INSTANCE, "acme").list().getItems()).extracting(s -> s.getMetadata().getName())
        .containsExactlyInAnyOrder("acme-database-credentials", "acme-cache-credentials", "acme-object-store-credentials",
            "acme-identity-signing-key", "acme-identity-keys", "acme-identity-admin", "acme-webos-oauth-client",
            "acme-netdisk-oauth-client");
    assertThat(client.persistentVolumeClaims().inNamespace(ns.name()).withLabel(Labels.INSTANCE, "acme").list()
        .getItems()).as("one bound volume per data store pod").hasSize(2 + 3 + 4)
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

  @Test
  void changedReplicasAndResourcesAreApplied(KubernetesClient client, TestNamespace ns) {
    create(client, ns, "scale", p -> { });
    awaitReady(client, ns, "scale");

    OperatorHarness.changeSpec(client, ns.name(), "scale", p -> {
      p.getSpec().getWebos().setReplicas(3);
      p.getSpec().getIdentity().setResources(new ResourceRequirementsBuilder()
          .addToRequests("cpu", new Quantity("500m")).addToRequests("memory", new Quantity("768Mi"))
          .addToLimits("memory", new Quantity("1536Mi")).build());
    });

    CollaborationPlatform ready = awaitReady(client, ns, "scale");
    assertThat(ready.getStatus().getObservedGeneration()).isEqualTo(ready.getMetadata().getGeneration());
    assertThat(deployment(client, ns, "scale-webos").getSpec().getReplicas()).isEqualTo(3);
    assertThat(deployment(client, ns, "scale-webos").getStatus().getReadyReplicas()).isEqualTo(3);
    assertThat(deployment(client, ns, "scale-identity").getSpec().getTemplate().getSpec().getContainers().get(0)
        .getResources().getRequests()).containsEntry("cpu", new Quantity("500m"));
  }

  @Test
  void resyncOfAnUnchangedPlatformWritesNothing(KubernetesClient client, TestNamespace ns) throws Exception {
    create(client, ns, "steady", p -> { });
    awaitReady(client, ns, "steady");
    settle(client, ns, "steady");

    // a fresh operator reconciles every platform it finds; for one already converged that is reads only
    operator.stop();
    operator.resetCounts();
    double before = operator.reconciles();
    operator.start();
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (operator.reconciles() < before + 1 && Instant.now().isBefore(deadline)) {
      Thread.sleep(200);
    }
    Thread.sleep(3000); // let any write that a reconcile would cause happen before counting

    assertThat(operator.reconciles()).as("reconciled after the restart").isGreaterThan(before);
    assertThat(operator.writes()).as("API writes during the resync").isEmpty();
  }

  @Test
  void driftIsRepaired(KubernetesClient client, TestNamespace ns) {
    create(client, ns, "drift", p -> { });
    awaitReady(client, ns, "drift");
    String image = deployment(client, ns, "drift-webos").getSpec().getTemplate().getSpec().getContainers().get(0)
        .getImage();

    client.services().inNamespace(ns.name()).withName("drift-identity").delete();
    WorkloadPatches.replaceFirstImageAndReplicas(client.apps().deployments().inNamespace(ns.name())
        .withName("drift-webos"), "evil.example/webos:latest", 7);

    client.services().inNamespace(ns.name()).withName("drift-identity")
        .waitUntilCondition(s -> s != null && s.getMetadata().getDeletionTimestamp() == null, 60, TimeUnit.SECONDS);
    Deployment restored = client.apps().deployments().inNamespace(ns.name()).withName("drift-webos")
        .waitUntilCondition(d -> image.equals(d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
            && Integer.valueOf(2).equals(d.getSpec().getReplicas()), 60, TimeUnit.SECONDS);
    assertThat(restored.getSpec().getReplicas()).isEqualTo(2);
    awaitReady(client, ns, "drift");
  }

  @Test
  void unknownVersionIsReportedAndNothingIsChangedOrDeleted(KubernetesClient client, TestNamespace ns) {
    create(client, ns, "versions", p -> { });
    awaitReady(client, ns, "versions");
    List<String> before = managedObjects(client, ns, "versions");

    OperatorHarness.changeSpec(client, ns.name(), "versions", p -> p.getSpec().setVersion("9.9.9"));

    CollaborationPlatform degraded = awaitCondition(client, ns, "versions", "Degraded", "True");
    Condition condition = condition(degraded, "Degraded");
    assertThat(condition.getReason()).isEqualTo("UnknownVersion");
    assertThat(condition.getMessage()).contains("9.9.9").contains("1.0.0");
    assertThat(degraded.getStatus().getPhase()).isEqualTo("Degraded");
    assertThat(degraded.getStatus().getVersion()).as("still running").isEqualTo("1.0.0");
    assertThat(managedObjects(client, ns, "versions")).isEqualTo(before);
    assertThat(client.v1().events().inNamespace(ns.name()).withField("involvedObject.name", "versions").list()
        .getItems()).as("a Warning event tells kubectl describe why")
        .anySatisfy(e -> assertThat(e.getType() + "/" + e.getReason()).isEqualTo("Warning/UnknownVersion"));
    assertThat(deployment(client, ns, "versions-webos").getSpec().getTemplate().getSpec().getContainers().get(0)
        .getImage()).contains(":1.0.0@sha256:");

    OperatorHarness.changeSpec(client, ns.name(), "versions", p -> p.getSpec().setVersion("1.0.0"));
    assertThat(condition(awaitReady(client, ns, "versions"), "Degraded").getStatus()).isEqualTo("False");
  }

  @Test
  void missingLdapBindSecretIsReportedUntilItExists(KubernetesClient client, TestNamespace ns) {
    create(client, ns, "directory", p -> {
      LdapSpec ldap = new LdapSpec();
      ldap.setUrl("ldaps://ldap.example.com");
      ldap.setBaseDN("dc=example,dc=com");
      ldap.setBindSecretName("directory-ldap-bind");
      ldap.setSyncInterval("15m");
      p.getSpec().getIdentity().setLdap(ldap);
    });

    CollaborationPlatform degraded = awaitCondition(client, ns, "directory", "Degraded", "True");
    assertThat(condition(degraded, "Degraded").getReason()).isEqualTo("MissingSecret");
    assertThat(condition(degraded, "Degraded").getMessage())
        .contains("spec.identity.ldap.bindSecretName").contains("directory-ldap-bind");
    assertThat(client.apps().deployments().inNamespace(ns.name()).withLabel(Labels.INSTANCE, "directory").list()
        .getItems()).as("nothing deployed while the spec cannot be met").isEmpty();

    client.secrets().inNamespace(ns.name()).resource(new SecretBuilder().withNewMetadata()
        .withName("directory-ldap-bind").endMetadata()
        .addToStringData("bindDN", "cn=atrium,dc=example,dc=com").addToStringData("password", "s3cret-bind")
        .build()).create();

    awaitReady(client, ns, "directory");
    assertThat(deployment(client, ns, "directory-identity").getSpec().getTemplate().getSpec().getContainers().get(0)
        .getEnv()).anySatisfy(e -> {
          assertThat(e.getName()).isEqualTo("ATRIUM_LDAP_BIND_PASSWORD");
          assertThat(e.getValue()).as("the password stays in its Secret").isNull();
          assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("directory-ldap-bind");
        });
  }

  @Test
  void operatorRestartedMidReconcileConvergesWithoutDuplicates(KubernetesClient client, TestNamespace ns) {
    create(client, ns, "restart", p -> { });
    // stop as soon as the first objects exist, before the rest are written
    client.apps().statefulSets().inNamespace(ns.name()).withName("restart-database")
        .waitUntilCondition(s -> s != null, 60, TimeUnit.SECONDS);
    operator.stop();
    operator.start();

    awaitReady(client, ns, "restart");
    assertThat(client.apps().deployments().inNamespace(ns.name()).withLabel(Labels.INSTANCE, "restart").list()
        .getItems()).hasSize(4);
    assertThat(client.apps().statefulSets().inNamespace(ns.name()).withLabel(Labels.INSTANCE, "restart").list()
        .getItems()).hasSize(3);
    // the data stores' credentials, identity's three and the two platform clients', each once
    assertThat(client.secrets().inNamespace(ns.name()).withLabel(Labels.INSTANCE, "restart").list().getItems())
        .hasSize(8);
  }

  @Test
  void deletingThePlatformRemovesWhatItOwnsButKeepsRetainedVolumes(KubernetesClient client, TestNamespace ns) {
    create(client, ns, "gone", p -> {
      StorageSpec storage = new StorageSpec();
      storage.setSize("2Gi");
      storage.setReclaimPolicy(VolumeReclaimPolicy.Delete);
      p.getSpec().getCache().setStorage(storage);
    });
    awaitReady(client, ns, "gone");
    String databaseSecret = new String(java.util.Base64.getDecoder().decode(client.secrets().inNamespace(ns.name())
        .withName("gone-database-credentials").get().getData().get("app-password")));

    platforms(client, ns).withName("gone").delete();

    client.apps().statefulSets().inNamespace(ns.name()).withLabel(Labels.INSTANCE, "gone")
        .informOnCondition(List::isEmpty).orTimeout(2, TimeUnit.MINUTES).join();
    client.apps().deployments().inNamespace(ns.name()).withLabel(Labels.INSTANCE, "gone")
        .informOnCondition(List::isEmpty).orTimeout(2, TimeUnit.MINUTES).join();
    client.persistentVolumeClaims().inNamespace(ns.name()).withLabel(Labels.NAME, "cache")
        .withLabel(Labels.INSTANCE, "gone").informOnCondition(List::isEmpty).orTimeout(2, TimeUnit.MINUTES).join();
    assertThat(client.persistentVolumeClaims().inNamespace(ns.name()).withLabel(Labels.INSTANCE, "gone").list()
        .getItems()).extracting(c -> c.getMetadata().getName())
        .as("database (Retain) and object store (Retain) volumes stay")
        .containsExactlyInAnyOrder("data-gone-database-0", "data-gone-database-1", "data-gone-object-store-0",
            "data-gone-object-store-1", "data-gone-object-store-2", "data-gone-object-store-3");
    assertThat(databaseSecret).isNotBlank();
  }

  private static NonNamespaceOperation<CollaborationPlatform, KubernetesResourceList<CollaborationPlatform>,
      Resource<CollaborationPlatform>> platforms(KubernetesClient client, TestNamespace ns) {
    return client.resources(CollaborationPlatform.class).inNamespace(ns.name());
  }

  private static void create(KubernetesClient client, TestNamespace ns, String name,
      java.util.function.Consumer<CollaborationPlatform> customize) {
    CollaborationPlatform platform = OperatorHarness.examplePlatform(ns.name());
    platform.getMetadata().setName(name);
    // smaller than the example, so that several platforms fit on the test cluster's volumes
    platform.getSpec().getObjectStore().setReplicas(4);
    customize.accept(platform);
    platforms(client, ns).resource(platform).create();
  }

  private static CollaborationPlatform awaitReady(KubernetesClient client, TestNamespace ns, String name) {
    return platforms(client, ns).withName(name).waitUntilCondition(p -> p != null && p.getStatus() != null
        && Objects.equals(p.getStatus().getObservedGeneration(), p.getMetadata().getGeneration())
        && "True".equals(OperatorHarness.readyCondition(p).get("status")), 3, TimeUnit.MINUTES);
  }

  private static CollaborationPlatform awaitCondition(KubernetesClient client, TestNamespace ns, String name,
      String type, String status) {
    return platforms(client, ns).withName(name).waitUntilCondition(p -> p != null && p.getStatus() != null
        && Objects.equals(p.getStatus().getObservedGeneration(), p.getMetadata().getGeneration())
        && p.getStatus().getConditions().stream().anyMatch(c -> type.equals(c.getType()) && status.equals(c.getStatus())),
        2, TimeUnit.MINUTES);
  }

  /** Waits until the platform's objects stop changing (e.g. the autoscaler has raised its Deployment). */
  private static void settle(KubernetesClient client, TestNamespace ns, String name) throws InterruptedException {
    String last = "";
    for (int stable = 0; stable < 3; ) {
      Thread.sleep(1000);
      String now = managedObjects(client, ns, name).toString() + awaitReady(client, ns, name).getStatus()
          .getComponents().stream().map(c -> c.getName() + c.getReadyReplicas()).toList();
      stable = now.equals(last) ? stable + 1 : 0;
      last = now;
    }
  }

  private static Condition condition(CollaborationPlatform platform, String type) {
    return platform.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElseThrow();
  }

  private static Deployment deployment(KubernetesClient client, TestNamespace ns, String name) {
    return client.apps().deployments().inNamespace(ns.name()).withName(name).get();
  }

  /** Kind, name and resourceVersion of every object the platform owns. */
  private static List<String> managedObjects(KubernetesClient client, TestNamespace ns, String platform) {
    List<HasMetadata> all = new ArrayList<>();
    all.addAll(client.apps().deployments().inNamespace(ns.name()).withLabel(Labels.INSTANCE, platform).list().getItems());
    all.addAll(client.apps().statefulSets().inNamespace(ns.name()).withLabel(Labels.INSTANCE, platform).list().getItems());
    all.addAll(client.services().inNamespace(ns.name()).withLabel(Labels.INSTANCE, platform).list().getItems());
    all.addAll(client.configMaps().inNamespace(ns.name()).withLabel(Labels.INSTANCE, platform).list().getItems());
    all.addAll(client.network().v1().networkPolicies().inNamespace(ns.name()).withLabel(Labels.INSTANCE, platform)
        .list().getItems());
    return all.stream().map(o -> o.getKind() + "/" + o.getMetadata().getName() + "@" + o.getMetadata()
        .getResourceVersion()).sorted().toList();
  }

  private static void assertRestricted(PodTemplateSpec template) {
    var pod = template.getSpec();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    // only the database's pods call the API server (Patroni), as their own account
    boolean database = "database".equals(template.getMetadata().getLabels().get(Labels.NAME));
    assertThat(pod.getAutomountServiceAccountToken()).isEqualTo(database);
    assertThat(pod.getContainers()).allSatisfy(c -> {
      assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
      assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
      assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
      assertThat(c.getResources().getRequests()).containsKeys("cpu", "memory");
      assertThat(c.getReadinessProbe()).isNotNull();
    });
  }
}
