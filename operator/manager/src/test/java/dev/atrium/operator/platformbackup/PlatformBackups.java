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
