package dev.atrium.operator.database;

import dev.atrium.api.v1alpha1.BackupDestination;
import dev.atrium.api.v1alpha1.BackupSpec;
import dev.atrium.api.v1alpha1.CollaborationPlatformSpec;
import dev.atrium.api.v1alpha1.RestoreSpec;
import dev.atrium.api.v1alpha1.SecretKeyRef;
import dev.atrium.operator.model.Component;
import dev.atrium.operator.model.Names;
import dev.atrium.operator.workload.Wiring;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * What the database image's backup tools read (hack/images/postgresql, docs/images/postgresql.md): where WAL is
 * archived and base backups go (spec.backup), and where a new platform's database comes from (spec.restore). The
 * keys reach the pods by secretKeyRef only.
 */
public final class BackupWiring {

  /** The image's command the operator runs in the primary's container: base backups, their check, the list. */
  public static final String COMMAND = "atrium-backup";

  private BackupWiring() {
  }

  /** The bucket in the tenant's own object store that holds its backups when spec.backup names no destination. */
  public static final String OWN_BUCKET = "backups";

  /** Whether the platform archives WAL and takes base backups. */
  public static boolean enabled(CollaborationPlatformSpec spec) {
    return spec.getBackup() != null && spec.getBackup().enabled();
  }

  /** The key of the generated Secret {@code Names.backupDataKey} holding the platform data's key (decision 0017). */
  public static final String DATA_KEY = "data-key";

  /**
   * Whether its backups take the platform's own data too (generated credentials, identity's keys, the buckets), sealed
   * to spec.backup.encryptionKey.
   */
  public static boolean sealsPlatformData(CollaborationPlatformSpec spec) {
    return enabled(spec) && spec.getBackup().getEncryptionKey() != null
        && !spec.getBackup().getEncryptionKey().isBlank();
  }

  /** Whether the new platform takes its credentials and buckets from the backup (spec.restore.decryptionKey). */
  public static boolean restoresPlatformData(CollaborationPlatformSpec spec) {
    return spec.getRestore() != null && spec.getRestore().getDecryptionKey() != null;
  }

  /** Whether its backups go to the tenant's own object store (spec.backup names no destination). */
  public static boolean toOwnStore(CollaborationPlatformSpec spec) {
    return enabled(spec) && spec.getBackup().getDestination() == null;
  }

  /** The environment of the database's container for spec.backup and spec.restore (empty when neither is set). */
  static List<EnvVar> env(String platform, String namespace, CollaborationPlatformSpec spec) {
    List<EnvVar> env = new ArrayList<>();
    if (enabled(spec)) {
      BackupSpec backup = spec.getBackup();
      BackupDestination to = backup.getDestination();
      env.add(plain("ATRIUM_BACKUP_DESTINATION", to == null ? "s3://" + OWN_BUCKET : url(to)));
      env.add(plain("ATRIUM_BACKUP_SERVER_NAME", platform));
      env.add(plain("ATRIUM_BACKUP_ENDPOINT", to == null ? ownStoreEndpoint(platform, namespace) : to.getEndpoint()));
      env.add(plain("ATRIUM_BACKUP_RETENTION_DAYS", String.valueOf(backup.getRetentionDays() == null ? 7
          : backup.getRetentionDays())));
      if (to == null) {
        // the object store's own credentials, which the operator generated
        String store = Names.credentials(platform, Component.OBJECT_STORE);
        env.add(Wiring.secretEnv("AWS_ACCESS_KEY_ID", store, Wiring.S3_ACCESS_KEY));
        env.add(Wiring.secretEnv("AWS_SECRET_ACCESS_KEY", store, Wiring.S3_SECRET_KEY));
      } else {
        env.add(secret("AWS_ACCESS_KEY_ID", to.getAccessKeyId()));
        env.add(secret("AWS_SECRET_ACCESS_KEY", to.getSecretAccessKey()));
      }
    }
    RestoreSpec restore = spec.getRestore();
    if (restore != null) {
      BackupDestination from = restore.getSource();
      env.add(plain("ATRIUM_RESTORE_DESTINATION", url(from)));
      env.add(plain("ATRIUM_RESTORE_SERVER_NAME", restore.getPlatform()));
      env.add(plain("ATRIUM_RESTORE_ENDPOINT", from.getEndpoint()));
      env.add(secret("ATRIUM_RESTORE_ACCESS_KEY_ID", from.getAccessKeyId()));
      env.add(secret("ATRIUM_RESTORE_SECRET_ACCESS_KEY", from.getSecretAccessKey()));
      if (restore.getBackup() != null) {
        env.add(plain("ATRIUM_RESTORE_BACKUP_ID", restore.getBackup()));
      }
      if (restore.getTargetTime() != null) {
        env.add(plain("ATRIUM_RESTORE_TARGET_TIME", restore.getTargetTime()));
      }
    }
    return env;
  }

  /**
   * The size in bytes of each database pod's claim as the spec asks for it (spec.database.storage.size), which
   * {@code atrium-backup verify} keeps its reserve of free space against when the file system is larger; empty when
   * the spec says none or says it in a form the API server would not have admitted.
   */
  public static OptionalLong claimBytes(CollaborationPlatformSpec spec) {
    if (spec == null || spec.getDatabase() == null || spec.getDatabase().getStorage() == null
        || spec.getDatabase().getStorage().getSize() == null) {
      return OptionalLong.empty();
    }
    try {
      long bytes = Quantity.getAmountInBytes(new Quantity(spec.getDatabase().getStorage().getSize())).longValue();
      return bytes > 0 ? OptionalLong.of(bytes) : OptionalLong.empty();
    } catch (IllegalArgumentException | ArithmeticException e) {
      return OptionalLong.empty();
    }
  }

  /** The S3 endpoint of the tenant's own object store, its Service inside the cluster. */
  public static String ownStoreEndpoint(String platform, String namespace) {
    return "http://" + Names.serviceHost(platform, Component.OBJECT_STORE, namespace) + ":"
        + Component.OBJECT_STORE.port();
  }

  /** barman's destination URL: s3://bucket[/path]; the platform's own directory below it is its server name. */
  static String url(BackupDestination destination) {
    return "s3://" + destination.getBucket()
        + (destination.getPath() == null || destination.getPath().isBlank() ? "" : "/" + destination.getPath());
  }

  private static EnvVar plain(String name, String value) {
    return new EnvVarBuilder().withName(name).withValue(value).build();
  }

  private static EnvVar secret(String name, SecretKeyRef ref) {
    return new EnvVarBuilder().withName(name).withNewValueFrom().withNewSecretKeyRef().withName(ref.getName())
        .withKey(ref.getKey()).endSecretKeyRef().endValueFrom().build();
  }
}
