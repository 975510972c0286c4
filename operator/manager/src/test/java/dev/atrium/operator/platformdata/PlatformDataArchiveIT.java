package dev.atrium.operator.platformdata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.atrium.servicetesting.SeaweedServer;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The platform's data taken into a backup bucket and restored from it, against SeaweedFS's S3 gateway (weed, as the
 * object store runs it): the tenant's store, the backup store and a new platform's store are three buckets' worth of
 * real S3. Needs weed (hack/tools.sh).
 */
class PlatformDataArchiveIT {

  private static final Instant T0 = Instant.parse("2026-11-30T02:00:00Z");
  private static final Map<String, Map<String, String>> SECRETS = Map.of(
      "identity-signing-key", Map.of("private-key", "MIIE-the-signing-key", "key-id", "rsa-0011"),
      "database-credentials", Map.of("password", "the-database-password"));
  private static final byte[] DATA_KEY = PlatformDataArchive.dataKey("the generated backup data key");

  private static SeaweedServer weed;
  private static S3Client s3;
  /** The tenant's store: weed's S3 is shared by the tests, so each takes only its own buckets. */
  private static S3Store tenantStore;
  private static JWK tenantKey;
  private static byte[] large;

  @BeforeAll
  static void startTheStore() throws Exception {
    weed = SeaweedServer.start();
    s3 = S3Store.connect(weed.endpoint(), weed.accessKey(), weed.secretKey());
    tenantStore = new S3Store(s3, "", "");
    tenantKey = new ECKeyGenerator(Curve.P_256).generate();
    large = new byte[PartCipher.PART * 2 + 12345];
    new Random(7).nextBytes(large);
  }

  @AfterAll
  static void stopTheStore() {
    if (s3 != null) {
      s3.close();
    }
    if (weed != null) {
      weed.close();
    }
  }

  @Test
  void aBackupHoldsEverySecretAndObjectSealedAndARestoreGivesThemBackByteForByte() {
    String tenant = "t1-netdisk";
    put(tenant, "files/board-minutes.txt", "the minutes of the board meeting".getBytes(StandardCharsets.UTF_8));
    put(tenant, "files/empty", new byte[0]);
    put(tenant, "chunks/large.bin", large);
    put("t1-backups", "unrelated", new byte[] {1});
    PlatformDataArchive archive = new PlatformDataArchive(new S3Store(s3, "t1-backups", "site/"), "acme");

    PlatformDataArchive.Taken taken = archive.take(tenantStore, b -> b.equals(tenant), "tenants", "acme-one",
        "20261130T020000", SECRETS, DATA_KEY, TenantKey.publicKey(tenantKey.toPublicJWK().toJSONString()), T0);

    assertThat(taken.secrets()).isEqualTo(2);
    assertThat(taken.objects()).isEqualTo(3);
    assertThat(taken.objectBytes()).isEqualTo(large.length + 32);
    assertThat(taken.copiedBytes()).isEqualTo(taken.objectBytes());
    assertThat(taken.location()).isEqualTo("s3://t1-backups/site/acme/platform-data/backups/acme-one/");
    // nothing readable in the bucket: no value, no object's content, no object's name
    for (S3Object stored : list("t1-backups", "site/")) {
      String text = new String(s3.getObjectAsBytes(r -> r.bucket("t1-backups").key(stored.key())).asByteArray(),
          StandardCharsets.ISO_8859_1);
      assertThat(text).doesNotContain("board meeting", "the-database-password", "MIIE-the-signing-key",
          "board-minutes");
    }

    Index chosen = archive.choose(null, null).orElseThrow();
    assertThat(chosen.backup()).isEqualTo("acme-one");
    Manifest manifest = archive.open(chosen, TenantKey.privateKey(tenantKey.toJSONString()));
    assertThat(manifest.secrets()).isEqualTo(new TreeMap<>(SECRETS));

    // as into a new platform's empty store: the bucket is gone
    list(tenant, "").forEach(o -> s3.deleteObject(r -> r.bucket(tenant).key(o.key())));
    s3.deleteBucket(r -> r.bucket(tenant));
    long restored = archive.restoreObjects(manifest, tenantStore);
    assertThat(restored).isEqualTo(taken.objectBytes());
    assertThat(get(tenant, "chunks/large.bin")).isEqualTo(large);
    assertThat(new String(get(tenant, "files/board-minutes.txt"), StandardCharsets.UTF_8))
        .isEqualTo("the minutes of the board meeting");
  }

  @Test
  void theNextBackupCopiesOnlyWhatChangedAndRetentionDeletesOnlyWhatNoBackupNeeds() {
    String tenant = "t2-netdisk";
    put(tenant, "a", "first".getBytes(StandardCharsets.UTF_8));
    put(tenant, "b", large);
    PlatformDataArchive archive = new PlatformDataArchive(new S3Store(s3, "t2-backups", ""), "acme");
    TenantKey key = TenantKey.publicKey(tenantKey.toPublicJWK().toJSONString());
    archive.take(tenantStore, b -> b.equals(tenant), "tenants", "one", null, SECRETS, DATA_KEY, key, T0);

    PlatformDataArchive.Taken unchanged = archive.take(tenantStore, b -> b.equals(tenant), "tenants", "two", null, SECRETS,
        DATA_KEY, key, T0.plus(Duration.ofDays(1)));
    assertThat(unchanged.copiedBytes()).isZero();

    put(tenant, "a", "second".getBytes(StandardCharsets.UTF_8));
    PlatformDataArchive.Taken changed = archive.take(tenantStore, b -> b.equals(tenant), "tenants", "three", null, SECRETS,
        DATA_KEY, key, T0.plus(Duration.ofDays(2)));
    assertThat(changed.copiedBytes()).isEqualTo("second".length());
    assertThat(list("t2-backups", "acme/platform-data/blobs/")).hasSize(3);

    // a restore to a time between two backups takes the earlier one
    TenantKey open = TenantKey.privateKey(tenantKey.toJSONString());
    assertThat(archive.choose(null, T0.plus(Duration.ofHours(36))).orElseThrow().backup()).isEqualTo("two");
    assertThat(archive.choose("three", null).orElseThrow().backup()).isEqualTo("three");

    // retention of one day at day 2: backups one and two go; "first"'s blob with them, "b"'s stays for three
    PlatformDataArchive.Pruned pruned = archive.prune(T0.plus(Duration.ofDays(2)));
    assertThat(pruned.backups()).containsExactly("one", "two");
    assertThat(pruned.blobs()).isEqualTo(1);
    Manifest left = archive.open(archive.choose(null, null).orElseThrow(), open);
    s3.deleteObject(r -> r.bucket(tenant).key("a"));
    archive.restoreObjects(left, tenantStore);
    assertThat(new String(get(tenant, "a"), StandardCharsets.UTF_8)).isEqualTo("second");
    assertThat(get(tenant, "b")).isEqualTo(large);
  }

  @Test
  void anAlteredBlobStopsTheRestoreWithAClearReasonAndAnotherKeyOpensNothing() throws Exception {
    put("t3-netdisk", "file", "the contract".getBytes(StandardCharsets.UTF_8));
    PlatformDataArchive archive = new PlatformDataArchive(new S3Store(s3, "t3-backups", ""), "acme");
    archive.take(tenantStore, b -> b.equals("t3-netdisk"), "tenants", "one", null, SECRETS, DATA_KEY,
        TenantKey.publicKey(tenantKey.toPublicJWK().toJSONString()), T0);
    Index index = archive.choose(null, null).orElseThrow();

    TenantKey someoneElse = TenantKey.privateKey(new ECKeyGenerator(Curve.P_256).generate().toJSONString());
    assertThatThrownBy(() -> archive.open(index, someoneElse)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("thumbprint");

    String blob = "acme/platform-data/blobs/" + index.blobs().get(0);
    byte[] sealed = s3.getObjectAsBytes(r -> r.bucket("t3-backups").key(blob)).asByteArray();
    sealed[20] ^= 1;
    s3.putObject(r -> r.bucket("t3-backups").key(blob), RequestBody.fromBytes(sealed));
    Manifest manifest = archive.open(index, TenantKey.privateKey(tenantKey.toJSONString()));
    assertThatThrownBy(() -> archive.restoreObjects(manifest, tenantStore))
        .isInstanceOf(UncheckedIOException.class).hasMessageContaining("t3-netdisk/file")
        .hasMessageContaining("does not open");
  }

  private static void put(String bucket, String key, byte[] bytes) {
    if (s3.listBuckets().buckets().stream().noneMatch(b -> b.name().equals(bucket))) {
      s3.createBucket(r -> r.bucket(bucket));
    }
    s3.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromBytes(bytes));
  }

  private static byte[] get(String bucket, String key) {
    return s3.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asByteArray();
  }

  private static List<S3Object> list(String bucket, String prefix) {
    return s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix)).contents().stream().toList();
  }
}
