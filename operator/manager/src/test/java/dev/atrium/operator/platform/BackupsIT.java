package dev.atrium.operator.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrium.api.v1alpha1.BackupDestination;
import dev.atrium.api.v1alpha1.BackupSpec;
import dev.atrium.api.v1alpha1.BackupTrigger;
import dev.atrium.api.v1alpha1.CollaborationPlatform;
import dev.atrium.api.v1alpha1.PlatformBackup;
import dev.atrium.api.v1alpha1.SecretKeyRef;
import dev.atrium.operator.OperatorHarness;
import dev.atrium.operator.model.Labels;
import dev.atrium.testing.kube.TestNamespace;
import dev.atrium.testing.kube.WithKubeCluster;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * spec.backup with the whole operator on the local control plane (KWOK runs the pods, so no backup runs: the
 * database's pods carry no Patroni role). What is shown: the database archives to the bucket the spec names, the
 * first scheduled PlatformBackup is made at once and owned by the platform, and the status sums it up; a schedule
 * the operator cannot read is Degraded with its reason, and nothing else changes; an upgrade waits for a backup
 * taken for it (here one that cannot run: KWOK's pods answer no exec, so it fails, and the upgrade stays held and
 * Degraded until the spec says to go on without one).
 */
@WithKubeCluster
class BackupsIT {

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
  void aPlatformThatBacksUpArchivesToItsBucketAndHasItsFirstBackupTakenAtOnce(KubernetesClient client,
      TestNamespace ns) {
    keys(client, ns);
    Instant before = Instant.now();
    create(client, ns, "kept", "0 2 * * *");

    PlatformBackup first = firstBackupOf(client, ns, "kept");
    assertThat(first.getMetadata().getName()).startsWith("kept-");
    assertThat(first.getSpec().getPlatform()).isEqualTo("kept");
    assertThat(first.getSpec().getTrigger()).isEqualTo(BackupTrigger.Scheduled);
    assertThat(first.getMetadata().getOwnerReferences()).singleElement()
        .satisfies(owner -> assertThat(owner.getName()).isEqualTo("kept"));

    StatefulSet database = client.apps().statefulSets().inNamespace(ns.name()).withName("kept-database")
        .waitUntilCondition(s -> s != null, 2, TimeUnit.MINUTES);
    assertThat(database.getSpec().getTemplate().getSpec().getContainers().getFirst().getEnv())
        .anySatisfy(e -> {
          assertThat(e.getName()).isEqualTo("ATRIUM_BACKUP_DESTINATION");
          assertThat(e.getValue()).isEqualTo("s3://site-backups/tenants");
        });

    CollaborationPlatform platform = await(client, ns, "kept", p -> p.getStatus() != null
        && p.getStatus().getBackup() != null && p.getStatus().getBackup().getNextScheduledBackup() != null);
    assertThat(platform.getStatus().getBackup().getArchiving()).isTrue();
    assertThat(platform.getStatus().getBackup().getCompleted()).isZero();
    assertThat(Instant.parse(platform.getStatus().getBackup().getNextScheduledBackup())).isAfter(before);
    // no second one in the same minute, however often the platform is reconciled
    assertThat(client.resources(PlatformBackup.class).inNamespace(ns.name()).list().getItems())
        .filteredOn(b -> "kept".equals(b.getSpec().getPlatform())).hasSize(1);
  }

  @Test
  void aScheduleTheOperatorCannotReadIsReportedAndNoBackupIsMade(KubernetesClient client, TestNamespace ns) {
    keys(client, ns);
    create(client, ns, "odd", "0 25 * * *");
    CollaborationPlatform platform = await(client, ns, "odd", p -> p.getStatus() != null && p.getStatus()
        .getConditions().stream().anyMatch(c -> "Degraded".equals(c.getType()) && "True".equals(c.getStatus())));
    Condition degraded = platform.getStatus().getConditions().stream()
        .filter(c -> "Degraded".equals(c.getType())).findFirst().orElseThrow();
    assertThat(degraded.getReason()).isEqualTo("InvalidBackupSchedule");
    assertThat(degraded.getMessage()).contains("spec.backup.schedule").contains("hour");
    assertThat(client.resources(PlatformBackup.class).inNamespace(ns.name()).list().getItems())
        .noneMatch(b -> "odd".equals(b.getSpec().getPlatform()));
  }

  @Test
  void anEncryptionKeyTheOperatorCannotSealToIsReportedWithItsReason(KubernetesClient client, TestNamespace ns) {
    keys(client, ns);
    CollaborationPlatform platform = OperatorHarness.examplePlatform(ns.name());
    platform.getMetadata().setName("weak-key");
    platform.getSpec().getObjectStore().setReplicas(1);
    BackupSpec backup = new BackupSpec();
    backup.setEnabled(true);
    // a JSON object the schema takes, but an RSA key of 16 bits
    backup.setEncryptionKey("{\"kty\":\"RSA\",\"n\":\"AQAB\",\"e\":\"AQAB\"}");
    platform.getSpec().setBackup(backup);
    client.resources(CollaborationPlatform.class).inNamespace(ns.name()).resource(platform).create();

    CollaborationPlatform reported = await(client, ns, "weak-key", p -> p.getStatus() != null && p.getStatus()
        .getConditions().stream().anyMatch(c -> "Degraded".equals(c.getType()) && "True".equals(c.getStatus())));
    Condition degraded = reported.getStatus().getConditions().stream()
        .filter(c -> "Degraded".equals(c.getType())).findFirst().orElseThrow();
    assertThat(degraded.getReason()).isEqualTo("InvalidBackupEncryptionKey");
    assertThat(degraded.getMessage()).contains("spec.backup.encryptionKey").contains("2048");
  }

  private static PlatformBackup firstBackupOf(KubernetesClient client, TestNamespace ns, String platform) {
    Instant deadline = Instant.now().plusSeconds(120);
    while (Instant.now().isBefore(deadline)) {
      var found = client.resources(PlatformBackup.class).inNamespace(ns.name()).list().getItems().stream()
          .filter(b -> platform.equals(b.getSpec().getPlatform())).findFirst();
      if (found.isPresent()) {
        return found.get();
      }
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
    throw new AssertionError("no PlatformBackup of " + platform + " within 2 minutes");
  }

  @Test
  void anUpgradeWaitsForItsBackupAndAFailedOneHoldsItUntilTheSpecSaysToGoOnWithout(KubernetesClient client,
      TestNamespace ns) {
    keys(client, ns);
    create(client, ns, "upgrading", "0 2 * * *", "1.0.0");
    await(client, ns, "upgrading", p -> p.getStatus() != null && "Ready".equals(p.getStatus().getPhase()));
    // Patroni's label on the database's pod, so the backup has a primary to run in
    client.pods().inNamespace(ns.name()).withName("upgrading-database-0").patch(PatchContext.of(
        PatchType.JSON_MERGE), "{\"metadata\":{\"labels\":{\"" + Labels.PATRONI_ROLE + "\":\""
        + Labels.PATRONI_LEADER + "\"}}}");

    client.resources(CollaborationPlatform.class).inNamespace(ns.name()).withName("upgrading")
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"version\":\"1.1.0\"}}");
    CollaborationPlatform held = await(client, ns, "upgrading", p -> p.getStatus().getUpgrade() != null
        && "Paused".equals(p.getStatus().getUpgrade().getPhase()));
    assertThat(held.getStatus().getUpgrade().getMessage()).startsWith("waits before database")
        .contains("PlatformBackup upgrading-before-1-1-0-");
    PlatformBackup before = client.resources(PlatformBackup.class).inNamespace(ns.name()).list().getItems().stream()
        .filter(b -> b.getSpec().getTrigger() == BackupTrigger.BeforeUpgrade).findFirst().orElseThrow();
    assertThat(before.getMetadata().getLabels()).containsEntry(Labels.UPGRADE_TO, "1.1.0");

    // a backup that failed to run is taken again a minute later, three times in all; then the upgrade is Degraded
    CollaborationPlatform degraded = await(client, ns, "upgrading", p -> p.getStatus().getConditions().stream()
        .anyMatch(c -> "Degraded".equals(c.getType()) && "UpgradeBackupFailed".equals(c.getReason())));
    assertThat(client.resources(PlatformBackup.class).inNamespace(ns.name()).list().getItems())
        .filteredOn(b -> b.getSpec().getTrigger() == BackupTrigger.BeforeUpgrade).hasSize(3);
    assertThat(degraded.getStatus().getUpgrade().getPhase()).isEqualTo("Paused");
    assertThat(client.apps().statefulSets().inNamespace(ns.name()).withName("upgrading-database").get()
        .getMetadata().getLabels()).as("nothing moved").containsEntry(Labels.VERSION, "1.0.0");

    OperatorHarness.changeSpec(client, ns.name(), "upgrading", p -> p.getSpec().getBackup().setBeforeUpgrade(false));
    client.resources(CollaborationPlatform.class).inNamespace(ns.name()).withName("upgrading")
        .waitUntilCondition(p -> p != null && p.getStatus() != null && p.getStatus().getUpgrade() != null
        && p.getStatus().getUpgrade().getCompleted() != null
        && p.getStatus().getUpgrade().getCompleted().contains("database"), 8, TimeUnit.MINUTES);
  }

  private static void keys(KubernetesClient client, TestNamespace ns) {
    if (client.secrets().inNamespace(ns.name()).withName("backup-keys").get() == null) {
      client.resource(new SecretBuilder().withNewMetadata().withName("backup-keys").withNamespace(ns.name())
          .endMetadata().addToStringData("id", "backup-writer").addToStringData("secret", "not-logged").build())
          .create();
    }
  }

  private static void create(KubernetesClient client, TestNamespace ns, String name, String schedule) {
    create(client, ns, name, schedule, null);
  }

  private static void create(KubernetesClient client, TestNamespace ns, String name, String schedule,
      String version) {
    CollaborationPlatform platform = OperatorHarness.examplePlatform(ns.name());
    platform.getMetadata().setName(name);
    if (version != null) {
      platform.getSpec().setVersion(version);
    }
    platform.getSpec().getObjectStore().setReplicas(1); // the test cluster's volumes are shared by the module
    BackupSpec backup = new BackupSpec();
    backup.setEnabled(true);
    backup.setSchedule(schedule);
    BackupDestination to = new BackupDestination();
    to.setEndpoint("https://backup.site.example:9000");
    to.setBucket("site-backups");
    to.setPath("tenants");
    to.setAccessKeyId(ref("id"));
    to.setSecretAccessKey(ref("secret"));
    backup.setDestination(to);
    platform.getSpec().setBackup(backup);
    client.resources(CollaborationPlatform.class).inNamespace(ns.name()).resource(platform).create();
  }

  private static SecretKeyRef ref(String key) {
    SecretKeyRef ref = new SecretKeyRef();
    ref.setName("backup-keys");
    ref.setKey(key);
    return ref;
  }

  private static CollaborationPlatform await(KubernetesClient client, TestNamespace ns, String name,
      Predicate<CollaborationPlatform> condition) {
    return client.resources(CollaborationPlatform.class).inNamespace(ns.name()).withName(name)
        .waitUntilCondition(p -> p != null && condition.test(p), 4, TimeUnit.MINUTES);
  }
}
