package dev.atrium.operator.platformbackup;

import dev.atrium.api.v1alpha1.PlatformBackup;
import dev.atrium.api.v1alpha1.PlatformBackupSpec;
import dev.atrium.api.v1alpha1.PlatformBackupStatus;
import dev.atrium.api.v1alpha1.SecretKeyRef;
import dev.atrium.testing.kube.TestNamespace;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** What the PlatformBackup tests make and wait for. */
final class PlatformBackups {

  /** What the image's {@code atrium-backup base} prints for a backup of the name filled in. */
  static final String BASE_ANSWER = """
      {"backupId":"20261129T020001","name":"%s","beginTime":"2026-11-29T02:00:01Z","endTime":"2026-11-29T02:00:09Z",
       "beginWal":"000000010000000000000004","endWal":"000000010000000000000005","beginLsn":"0/4000028",
       "endLsn":"0/5000100","timeline":1,"sizeBytes":31457280}
      """;
  /** And what its {@code verify} prints for that backup. */
  static final String VERIFY_ANSWER = """
      {"backupId":"20261129T020001","verified":true,"databases":{"messages":{"public.messages":2401}}}
      """;

  private PlatformBackups() {
  }

  /** An on-demand PlatformBackup of the platform. */
  static void create(KubernetesClient client, TestNamespace ns, String name, String platform) {
    PlatformBackup backup = new PlatformBackup();
    backup.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns.name()).build());
    PlatformBackupSpec spec = new PlatformBackupSpec();
    spec.setPlatform(platform);
    backup.setSpec(spec);
    client.resource(backup).create();
  }

  /** Its status once {@code condition} holds, within {@code minutes}. */
  static PlatformBackupStatus await(KubernetesClient client, TestNamespace ns, String name,
      Predicate<PlatformBackupStatus> condition, int minutes) {
    return client.resources(PlatformBackup.class).inNamespace(ns.name()).withName(name)
        .waitUntilCondition(b -> b != null && b.getStatus() != null && condition.test(b.getStatus()),
            minutes, TimeUnit.MINUTES).getStatus();
  }

  static SecretKeyRef ref(String name, String key) {
    SecretKeyRef ref = new SecretKeyRef();
    ref.setName(name);
    ref.setKey(key);
    return ref;
  }
}
