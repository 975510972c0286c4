package dev.atrium.operator.database;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrium.api.v1alpha1.BackupDestination;
import dev.atrium.api.v1alpha1.BackupSpec;
import dev.atrium.api.v1alpha1.CollaborationPlatform;
import dev.atrium.api.v1alpha1.CollaborationPlatformSpec;
import dev.atrium.api.v1alpha1.RestoreSpec;
import dev.atrium.api.v1alpha1.SecretKeyRef;
import dev.atrium.operator.TestPlatforms;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the database's container learns of spec.backup and spec.restore: where the image's backup tools archive to
 * and restore from, with the keys by secretKeyRef only.
 */
public class BackupWiringTest {

  public static final String ACCESS_KEY_ID = "access-key-id";
  public static final String SECRET_ACCESS_KEY = "secret-access-key";

  /** acme's environment when it backs up to the root of acme-backups with the schema's defaults. */
  private static final List<String> ACME_BACKS_UP = List.of(
      "ATRIUM_BACKUP_DESTINATION=s3://acme-backups",
      "ATRIUM_BACKUP_SERVER_NAME=acme",
      "ATRIUM_BACKUP_ENDPOINT=https://backup.acme.example:9000",
      "ATRIUM_BACKUP_RETENTION_DAYS=7",
      "AWS_ACCESS_KEY_ID<-acme-backup-keys/access-key-id",
      "AWS_SECRET_ACCESS_KEY<-acme-backup-keys/secret-access-key");

  /** A bucket at https://backup.acme.example:9000 whose keys are in the Secret, under the two keys above. */
  public static BackupDestination bucket(String bucket, String path, String secret) {
    BackupDestination destination = new BackupDestination();
    destination.setEndpoint("https://backup.acme.example:9000");
    destination.setBucket(bucket);
    destination.setPath(path);
    destination.setAccessKeyId(key(secret, ACCESS_KEY_ID));
    destination.setSecretAccessKey(key(secret, SECRET_ACCESS_KEY));
    return destination;
  }

  private static SecretKeyRef key(String secret, String key) {
    SecretKeyRef ref = new SecretKeyRef();
    ref.setName(secret);
    ref.setKey(key);
    return ref;
  }

  /** spec.backup as the API server stores it: the schema's defaults, on or off, to the destination if any. */
  public static BackupSpec backup(boolean enabled, BackupDestination destination) {
    BackupSpec backup = new BackupSpec();
    backup.setEnabled(enabled);
    backup.setDestination(destination);
    backup.setSchedule("0 2 * * *");
    backup.setRetentionDays(7);
    backup.setBeforeUpgrade(true);
    return backup;
  }

  /** spec.restore of that platform's backups in the source, from a base backup and to a time if given. */
  public static RestoreSpec restore(String platform, BackupDestination source, String backup, String targetTime) {
    RestoreSpec restore = new RestoreSpec();
    restore.setPlatform(platform);
    restore.setSource(source);
    restore.setBackup(backup);
    restore.setTargetTime(targetTime);
    return restore;
  }

  private static CollaborationPlatformSpec spec(Consumer<CollaborationPlatformSpec> change) {
    CollaborationPlatform platform = TestPlatforms.example();
    change.accept(platform.getSpec());
    return platform.getSpec();
  }

  /** The environment as NAME=value, or NAME<-secret/key for a value from a Secret. */
  private static List<String> describe(List<EnvVar> env) {
    return env.stream().map(e -> e.getValue() != null ? e.getName() + "=" + e.getValue()
        : e.getName() + "<-" + e.getValueFrom().getSecretKeyRef().getName() + "/"
            + e.getValueFrom().getSecretKeyRef().getKey()).toList();
  }

  static Stream<Arguments> platformsWithoutBackupOrRestore() {
    BackupDestination bucket = bucket("acme-backups", null, "acme-backup-keys");
    return Stream.of(
        Arguments.of("no spec.backup at all", spec(s -> s.setBackup(null))),
        Arguments.of("spec.backup as the schema defaults it", spec(s -> s.setBackup(backup(false, null)))),
        Arguments.of("switched off with a destination kept", spec(s -> s.setBackup(backup(false, bucket)))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("platformsWithoutBackupOrRestore")
  void aPlatformThatNeitherBacksUpNorRestoresGivesTheDatabaseNothing(String why, CollaborationPlatformSpec spec) {
    assertThat(BackupWiring.enabled(spec)).isFalse();
    assertThat(BackupWiring.env(TestPlatforms.NAME, "acme-ns", spec)).isEmpty();
  }

  @Test
  void withoutADestinationTheBackupsGoToTheTenantsOwnObjectStoreWithItsGeneratedCredentials() {
    CollaborationPlatformSpec spec = spec(s -> s.setBackup(backup(true, null)));
    assertThat(BackupWiring.enabled(spec)).isTrue();
    assertThat(BackupWiring.toOwnStore(spec)).isTrue();
    assertThat(describe(BackupWiring.env(TestPlatforms.NAME, "acme-ns", spec))).containsExactlyInAnyOrder(
        "ATRIUM_BACKUP_DESTINATION=s3://backups",
        "ATRIUM_BACKUP_SERVER_NAME=acme",
        "ATRIUM_BACKUP_ENDPOINT=http://acme-object-store.acme-ns.svc:8333",
        "ATRIUM_BACKUP_RETENTION_DAYS=7",
        "AWS_ACCESS_KEY_ID<-acme-object-store-credentials/access-key",
        "AWS_SECRET_ACCESS_KEY<-acme-object-store-credentials/secret-key");
  }

  @Test
  void aBucketWithoutAPathIsArchivedToAtItsRoot() {
    CollaborationPlatformSpec spec = spec(s -> s.setBackup(backup(true, bucket("acme-backups", null,
        "acme-backup-keys"))));

    assertThat(BackupWiring.enabled(spec)).isTrue();
    assertThat(describe(BackupWiring.env(TestPlatforms.NAME, "acme-ns", spec))).containsExactlyInAnyOrderElementsOf(
        ACME_BACKS_UP);
  }

  @Test
  void aPathGoesBetweenTheBucketAndThePlatformsOwnDirectory() {
    BackupSpec backup = backup(true, bucket("site-backups", "tenants/acme", "site-backup-keys"));
    backup.setRetentionDays(30);
    CollaborationPlatformSpec spec = spec(s -> s.setBackup(backup));

    // barman keeps a server's backups under <destination>/<server name>/: s3://site-backups/tenants/acme/tenant-7/
    assertThat(describe(BackupWiring.env("tenant-7", "acme-ns", spec))).contains(
        "ATRIUM_BACKUP_DESTINATION=s3://site-backups/tenants/acme",
        "ATRIUM_BACKUP_SERVER_NAME=tenant-7",
        "ATRIUM_BACKUP_RETENTION_DAYS=30");
  }

  @Test
  void aRetentionTheSpecLeavesOutIsTheSchemasSevenDays() {
    BackupSpec backup = backup(true, bucket("acme-backups", null, "acme-backup-keys"));
    backup.setRetentionDays(null);

    assertThat(describe(BackupWiring.env(TestPlatforms.NAME, "acme-ns", spec(s -> s.setBackup(backup)))))
        .contains("ATRIUM_BACKUP_RETENTION_DAYS=7");
  }

  @Test
  void aRestoreToTheEndOfTheArchiveNamesNoBackupAndNoTime() {
    CollaborationPlatformSpec spec = spec(s -> s.setRestore(restore("globex", bucket("globex-backups", "tenants",
        "globex-backup-keys"), null, null)));

    assertThat(describe(BackupWiring.env(TestPlatforms.NAME, "acme-ns", spec))).containsExactlyInAnyOrder(
        "ATRIUM_RESTORE_DESTINATION=s3://globex-backups/tenants",
        "ATRIUM_RESTORE_SERVER_NAME=globex",
        "ATRIUM_RESTORE_ENDPOINT=https://backup.acme.example:9000",
        "ATRIUM_RESTORE_ACCESS_KEY_ID<-globex-backup-keys/access-key-id",
        "ATRIUM_RESTORE_SECRET_ACCESS_KEY<-globex-backup-keys/secret-access-key");
  }

  @Test
  void aRestoreFromABackupToATimeBesideItsOwnBackupsKeepsTheTwoBucketsApart() {
    CollaborationPlatformSpec spec = spec(s -> {
      s.setBackup(backup(true, bucket("acme-backups", null, "acme-backup-keys")));
      s.setRestore(restore("globex", bucket("globex-backups", null, "globex-backup-keys"), "20261129T020000",
          "2026-11-29T10:15:00Z"));
    });

    List<String> env = describe(BackupWiring.env(TestPlatforms.NAME, "acme-ns", spec));
    assertThat(env).containsAll(ACME_BACKS_UP);
    assertThat(env).filteredOn(e -> !ACME_BACKS_UP.contains(e)).containsExactlyInAnyOrder(
        "ATRIUM_RESTORE_DESTINATION=s3://globex-backups",
        "ATRIUM_RESTORE_SERVER_NAME=globex",
        "ATRIUM_RESTORE_ENDPOINT=https://backup.acme.example:9000",
        "ATRIUM_RESTORE_ACCESS_KEY_ID<-globex-backup-keys/access-key-id",
        "ATRIUM_RESTORE_SECRET_ACCESS_KEY<-globex-backup-keys/secret-access-key",
        "ATRIUM_RESTORE_BACKUP_ID=20261129T020000",
        "ATRIUM_RESTORE_TARGET_TIME=2026-11-29T10:15:00Z");
  }

  @Test
  void theKeysReachThePodOnlyBySecretKeyRef() {
    CollaborationPlatformSpec spec = spec(s -> {
      s.setBackup(backup(true, bucket("acme-backups", "tenants/acme", "acme-backup-keys")));
      s.setRestore(restore("globex", bucket("globex-backups", null, "globex-backup-keys"), null, null));
    });
    List<String> secretsAndKeys = List.of("acme-backup-keys", "globex-backup-keys", ACCESS_KEY_ID, SECRET_ACCESS_KEY);

    List<EnvVar> env = BackupWiring.env(TestPlatforms.NAME, "acme-ns", spec);

    // every variable that carries a key takes it from a Secret, never as a value
    assertThat(env).filteredOn(e -> e.getName().contains("KEY")).hasSize(4).allSatisfy(e -> {
      assertThat(e.getValue()).isNull();
      assertThat(e.getValueFrom().getSecretKeyRef().getName()).endsWith("-backup-keys");
    });
    // and no plain value is a Secret's name, a key's name, or anything but the bucket, the names and the days
    List<String> values = env.stream().map(EnvVar::getValue).filter(Objects::nonNull).toList();
    assertThat(values).noneMatch(v -> secretsAndKeys.stream().anyMatch(v::contains))
        .allMatch(v -> v.startsWith("s3://") || v.startsWith("https://") || v.matches("[a-z]+|[0-9]+"));
  }

  @Test
  void verifyKeepsItsReserveAgainstTheDatabaseClaimAsTheSpecSizesIt() {
    assertThat(BackupWiring.claimBytes(spec(s -> { }))).hasValue(20L << 30);
    assertThat(BackupWiring.claimBytes(spec(s -> s.getDatabase().getStorage().setSize("1.5Gi"))))
        .hasValue(3L << 29);
    assertThat(BackupWiring.claimBytes(spec(s -> s.getDatabase().getStorage().setSize("500M")))).hasValue(500_000_000L);
    // nothing to say when the spec has no size (the schema's default fills it on the API server)
    assertThat(BackupWiring.claimBytes(spec(s -> s.getDatabase().setStorage(null)))).isEmpty();
    assertThat(BackupWiring.claimBytes(null)).isEmpty();
  }
}
