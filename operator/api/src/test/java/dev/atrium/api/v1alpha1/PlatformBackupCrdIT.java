package dev.atrium.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrium.testing.kube.Crds;
import dev.atrium.testing.kube.TestNamespace;
import dev.atrium.testing.kube.WithKubeCluster;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The committed PlatformBackup CRD on a real API server: the trigger's default, the platform it names, a spec that
 * never changes, a status that only the status subresource writes, and the columns kubectl shows.
 */
@WithKubeCluster
class PlatformBackupCrdIT {

  private static final String CRD = "platformbackups.atrium.dev";
  private static final String IMMUTABLE = "a PlatformBackup's spec does not change once it is created: create another one";

  @BeforeAll
  static void installCrd(KubernetesClient client) {
    Crds.install(client, CrdDriftTest.crdsDir().resolve(CRD + "-v1.yml"));
  }

  private static PlatformBackup backup(String name, String platform) {
    PlatformBackup backup = new PlatformBackup();
    backup.getMetadata().setName(name);
    PlatformBackupSpec spec = new PlatformBackupSpec();
    spec.setPlatform(platform);
    backup.setSpec(spec);
    return backup;
  }

  @Test
  void aBackupThatSaysNothingOfItsTriggerIsOnDemand(KubernetesClient client, TestNamespace ns) {
    PlatformBackup created = client.resources(PlatformBackup.class).inNamespace(ns.name())
        .resource(backup("by-hand", "acme")).create();

    assertThat(created.getSpec().getPlatform()).isEqualTo("acme");
    assertThat(created.getSpec().getTrigger()).isEqualTo(BackupTrigger.OnDemand);
  }

  /** Each a backup with one mistake in what it names, the field, the message and whether CEL rules were skipped. */
  static Stream<Arguments> invalidBackups() {
    return Stream.of(
        Arguments.of("no platform", Map.of(), "spec.platform", "Required value", true),
        Arguments.of("a platform that is no name", Map.of("platform", "Acme_Platform"), "spec.platform",
            "should match", false),
        Arguments.of("a platform name longer than a label", Map.of("platform", "a".repeat(64)), "spec.platform",
            "may not be more than 63 bytes", true),
        Arguments.of("an unknown trigger", Map.of("platform", "acme", "trigger", "Hourly"), "spec.trigger",
            "supported values: \"BeforeUpgrade\", \"OnDemand\", \"Scheduled\"", true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidBackups")
  void aBadBackupIsRefusedNamingTheFieldOnce(String why, Map<String, Object> spec, String field, String message,
      boolean rulesSkipped, KubernetesClient client, TestNamespace ns) {
    GenericKubernetesResource backup = Serialization.unmarshal("""
        apiVersion: atrium.dev/v1alpha1
        kind: PlatformBackup
        metadata:
          name: invalid
        """, GenericKubernetesResource.class);
    backup.setAdditionalProperty("spec", spec);

    Refusal.assertRefusedOnce(() -> client.resource(backup).inNamespace(ns.name()).create(), field, message,
        rulesSkipped);
  }

  @Test
  void aBackupWithoutASpecIsRefused(KubernetesClient client, TestNamespace ns) {
    PlatformBackup nothing = new PlatformBackup();
    nothing.getMetadata().setName("nothing");

    Refusal.assertRefusedOnce(() -> client.resources(PlatformBackup.class).inNamespace(ns.name()).resource(nothing)
        .create(), "spec", "Required value", true);
  }

  @Test
  void theSpecCannotChangeOnceCreated(KubernetesClient client, TestNamespace ns) {
    var backups = client.resources(PlatformBackup.class).inNamespace(ns.name());
    PlatformBackup created = backups.resource(backup("fixed", "acme")).create();

    PlatformBackup otherPlatform = backups.withName("fixed").get();
    otherPlatform.getSpec().setPlatform("globex");
    Refusal.assertRefusedOnce(() -> backups.resource(otherPlatform).update(), "spec", IMMUTABLE, false);

    PlatformBackup otherTrigger = backups.withName("fixed").get();
    otherTrigger.getSpec().setTrigger(BackupTrigger.Scheduled);
    Refusal.assertRefusedOnce(() -> backups.resource(otherTrigger).update(), "spec", IMMUTABLE, false);

    PlatformBackup stored = backups.withName("fixed").get();
    assertThat(stored.getMetadata().getResourceVersion()).isEqualTo(created.getMetadata().getResourceVersion());
    assertThat(stored.getSpec().getPlatform()).isEqualTo("acme");
    assertThat(stored.getSpec().getTrigger()).isEqualTo(BackupTrigger.OnDemand);
  }

  @Test
  void theStatusIsWrittenOnlyThroughItsSubresource(KubernetesClient client, TestNamespace ns) {
    var backups = client.resources(PlatformBackup.class).inNamespace(ns.name());
    backups.resource(backup("reported", "acme")).create();

    // a status sent with the object itself is dropped, as for every resource with a status subresource
    PlatformBackup withStatus = backups.withName("reported").get();
    withStatus.setStatus(status("Completed", "20261129T020000"));
    withStatus.getMetadata().setLabels(Map.of("written", "by-update"));
    PlatformBackup updated = backups.resource(withStatus).update();
    assertThat(updated.getMetadata().getLabels()).containsEntry("written", "by-update");
    assertThat(updated.getStatus()).isNull();

    // the status subresource keeps it, and leaves the spec alone
    PlatformBackup reported = backups.withName("reported").get();
    reported.setStatus(status("Completed", "20261129T020000"));
    backups.resource(reported).updateStatus();
    PlatformBackup stored = backups.withName("reported").get();
    assertThat(stored.getStatus().getPhase()).isEqualTo("Completed");
    assertThat(stored.getStatus().getBackupId()).isEqualTo("20261129T020000");
    assertThat(stored.getStatus().getVerifiedRows()).containsEntry("messages.public.message", 42L);
    assertThat(stored.getSpec().getPlatform()).isEqualTo("acme");
  }

  private static PlatformBackupStatus status(String phase, String backupId) {
    PlatformBackupStatus status = new PlatformBackupStatus();
    status.setPhase(phase);
    status.setBackupId(backupId);
    status.setVerified(true);
    status.setVerifiedRows(Map.of("messages.public.message", 42L));
    return status;
  }

  @Test
  void kubectlShowsThePlatformTriggerPhaseAndVerificationOfEachBackup(KubernetesClient client) {
    CustomResourceDefinitionVersion served = client.apiextensions().v1().customResourceDefinitions().withName(CRD)
        .get().getSpec().getVersions().stream().filter(CustomResourceDefinitionVersion::getServed).findFirst()
        .orElseThrow();

    assertThat(served.getName()).isEqualTo(CollaborationPlatform.VERSION);
    assertThat(served.getSubresources().getStatus()).isNotNull();
    assertThat(served.getAdditionalPrinterColumns())
        // the server leaves out a priority of 0, the default
        .extracting(c -> c.getName() + " " + c.getJsonPath() + " " + c.getType() + " "
            + Objects.requireNonNullElse(c.getPriority(), 0))
        .containsExactlyInAnyOrder(
            "Platform .spec.platform string 0",
            "Trigger .spec.trigger string 0",
            "Phase .status.phase string 0",
            "Verified .status.verified boolean 0",
            // barman's id only with -o wide
            "Backup .status.backupId string 1",
            "Age .metadata.creationTimestamp date 0");
  }
}
