package dev.atrium.operator.platformbackup;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.atrium.api.v1alpha1.BackupDestination;
import dev.atrium.api.v1alpha1.BackupSpec;
import dev.atrium.api.v1alpha1.CollaborationPlatform;
import dev.atrium.api.v1alpha1.PlatformBackupStatus;
import dev.atrium.api.v1alpha1.RestoreSpec;
import dev.atrium.api.v1alpha1.SecretKeyRef;
import dev.atrium.operator.OperatorConfig;
import dev.atrium.operator.OperatorHarness;
import dev.atrium.operator.model.Labels;
import dev.atrium.operator.monitoring.OperatorMetrics;
import dev.atrium.operator.platform.CollaborationPlatformReconciler;
import dev.atrium.operator.platformdata.S3Store;
import dev.atrium.servicetesting.SeaweedServer;
import dev.atrium.testing.kube.TestNamespace;
import dev.atrium.testing.kube.WithKubeCluster;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.Operator;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The platform's own data through the whole operator (decision 0017): a backup with spec.backup.encryptionKey takes
 * the generated Secrets and the object store's buckets, sealed, and a new platform restored with the private key gets
 * the same credentials and its buckets back, netdisk held at zero until they are. The database's pods are KWOK's and
 * atrium-backup is played by a script (as in PlatformBackupIT); the object store is SeaweedFS's weed, which stands
 * for every platform's in-cluster store and for the backup bucket. Needs weed (hack/tools.sh).
 */
@WithKubeCluster
class PlatformDataIT {

  private static final String BASE_ANSWER = PlatformBackups.BASE_ANSWER;
  private static final String VERIFY_ANSWER = PlatformBackups.VERIFY_ANSWER;
  private static final String BUCKET = "netdisk-files";

  private static SeaweedServer weed;
  private static S3Client s3;
  private static Operator operator;
  private static JWK tenantKey;
  /** The new platform's refill waits for it, so the test sees the restore midway. */
  private static final CountDownLatch REFILL = new CountDownLatch(1);

  @BeforeAll
  static void start(KubernetesClient client) throws Exception {
    OperatorHarness.installCrd(client);
    weed = SeaweedServer.start();
    s3 = S3Store.connect(weed.endpoint(), weed.accessKey(), weed.secretKey());
    tenantKey = new ECKeyGenerator(Curve.P_256).generate();
    // every store the operator asks for is this weed: the platforms' own stores and the sites' backup buckets
    S3Store.Connector stores = (endpoint, id, secret) -> {
      if (endpoint.contains("copy-object-store")) {
        try {
          REFILL.await(3, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return S3Store.connect(weed.endpoint(), weed.accessKey(), weed.secretKey());
    };
    PodExec script = (namespace, pod, container, command, timeout) -> switch (command.get(1)) {
      case "base" -> new PodExec.Result(0, BASE_ANSWER.formatted(command.get(3)), "");
      case "verify" -> new PodExec.Result(0, VERIFY_ANSWER, "");
      default -> new PodExec.Result(1, "", "no answer scripted for " + command);
    };
    operator = new Operator(o -> o.withKubernetesClient(client).withCloseClientOnStop(false));
    operator.register(new CollaborationPlatformReconciler(OperatorConfig.DEFAULT_REGISTRY,
        new OperatorMetrics(new PrometheusRegistry()), Clock.systemUTC(), stores));
    operator.register(new PlatformBackupReconciler(Clock.systemUTC(), c -> script, stores));
    operator.start();
  }

  @AfterAll
  static void stop() {
    REFILL.countDown();
    if (operator != null) {
      operator.stop();
    }
    if (s3 != null) {
      s3.close();
    }
    if (weed != null) {
      weed.close();
    }
  }

  @Test
  void aRestoreWithTheTenantsKeyGetsTheOldCredentialsAndBucketsAndNetdiskWaitsForThem(KubernetesClient client,
      TestNamespace ns) {
    siteKeys(client, ns);
    CollaborationPlatform origin = platform(ns, "origin");
    BackupSpec backup = new BackupSpec();
    backup.setEnabled(true);
    backup.setEncryptionKey(tenantKey.toPublicJWK().toJSONString());
    origin.getSpec().setBackup(backup);
    client.resource(origin).create();
    s3.createBucket(r -> r.bucket(BUCKET));
    s3.putObject(r -> r.bucket(BUCKET).key("alice/plan.txt"), RequestBody.fromString("the plan for 2027"));
    s3.putObject(r -> r.bucket(BUCKET).key("bob/empty"), RequestBody.empty());

    // the database's pod as Patroni labels its leader, so the backup has a primary to run in
    client.pods().inNamespace(ns.name()).withName("origin-database-0")
        .waitUntilCondition(p -> p != null, 2, TimeUnit.MINUTES);
    client.pods().inNamespace(ns.name()).withName("origin-database-0").patch(PatchContext.of(PatchType.JSON_MERGE),
        "{\"metadata\":{\"labels\":{\"" + Labels.PATRONI_ROLE + "\":\"" + Labels.PATRONI_LEADER + "\"}}}");
    client.secrets().inNamespace(ns.name()).withName("origin-database-backup-data-key")
        .waitUntilCondition(s -> s != null, 2, TimeUnit.MINUTES);
    backupOf(client, ns, "origin-before-move", "origin");
    PlatformBackupStatus taken = await(client, ns, "origin-before-move", s -> s.getVerified() != null
        || "Failed".equals(s.getPhase()));
    assertThat(taken.getConditions()).extracting(Condition::getMessage).noneMatch(m -> m.contains("could not"));
    assertThat(taken.getVerified()).isTrue();
    assertThat(taken.getPlatformData()).isNotNull();
    assertThat(taken.getPlatformData().getObjects()).isEqualTo(2);
    assertThat(taken.getPlatformData().getObjectBytes()).isEqualTo("the plan for 2027".length());
    assertThat(taken.getPlatformData().getSecrets()).isGreaterThanOrEqualTo(5);
    assertThat(taken.getPlatformData().getLocation()).isEqualTo("s3://backups/origin/platform-data/backups/"
        + "origin-before-move/");
    // the backup bucket holds nothing readable
    s3.listObjectsV2Paginator(r -> r.bucket("backups")).contents().forEach(o -> assertThat(new String(
        s3.getObjectAsBytes(r -> r.bucket("backups").key(o.key())).asByteArray(), StandardCharsets.ISO_8859_1))
        .doesNotContain("the plan for 2027", "alice/plan.txt", secretValue(client, ns, "origin-identity-admin")));

    // a new cluster: the objects are gone
    s3.deleteObject(r -> r.bucket(BUCKET).key("alice/plan.txt"));
    s3.deleteObject(r -> r.bucket(BUCKET).key("bob/empty"));
    privateKeySecret(client, ns, "tenant-key", tenantKey);
    client.resource(restored(ns, "copy", "tenant-key")).create();

    CollaborationPlatform midway = awaitPlatform(client, ns, "copy", p -> p.getStatus() != null
        && p.getStatus().getRestore() != null && "RestoringObjects".equals(p.getStatus().getRestore().getPhase())
        && p.getStatus().getRestore().getMessage() != null
        && p.getStatus().getRestore().getMessage().startsWith("refilling"));
    assertThat(midway.getStatus().getRestore().getBackup()).isEqualTo("origin-before-move");
    // not Ready while its data is not all back, whatever its components say
    assertThat(midway.getStatus().getConditions()).filteredOn(c -> "Ready".equals(c.getType())).singleElement()
        .satisfies(c -> assertThat(c.getStatus()).isEqualTo("False"));
    for (String secret : List.of("identity-signing-key", "identity-admin", "database-credentials",
        "object-store-credentials")) {
      // compared by digest: a failure prints no key
      assertThat(digest(data(client, ns, "copy-" + secret))).as(secret)
          .isEqualTo(digest(data(client, ns, "origin-" + secret)));
    }
    assertThat(client.apps().deployments().inNamespace(ns.name()).withName("copy-netdisk").get().getSpec()
        .getReplicas()).isZero();

    REFILL.countDown();
    CollaborationPlatform done = awaitPlatform(client, ns, "copy", p -> p.getStatus().getRestore() != null
        && "Restored".equals(p.getStatus().getRestore().getPhase()));
    assertThat(done.getStatus().getRestore().getObjects()).isEqualTo(2);
    assertThat(s3.getObjectAsBytes(r -> r.bucket(BUCKET).key("alice/plan.txt")).asUtf8String())
        .isEqualTo("the plan for 2027");
    client.apps().deployments().inNamespace(ns.name()).withName("copy-netdisk")
        .waitUntilCondition(d -> d.getSpec().getReplicas() != null && d.getSpec().getReplicas() > 0, 1,
            TimeUnit.MINUTES);
  }

  @Test
  void aRestoreWithAnotherKeyGeneratesNoCredentialAndDeploysNothing(KubernetesClient client, TestNamespace ns)
      throws Exception {
    siteKeys(client, ns);
    privateKeySecret(client, ns, "someone-elses-key", new ECKeyGenerator(Curve.P_256).generate());
    // nothing sealed under this name either way: the first problem found is the missing backup or the key
    client.resource(restored(ns, "wrong", "someone-elses-key")).create();
    CollaborationPlatform refused = awaitPlatform(client, ns, "wrong", p -> p.getStatus() != null
        && p.getStatus().getConditions().stream().anyMatch(c -> "RestoreFailed".equals(c.getReason())));
    assertThat(refused.getStatus().getRestore().getPhase()).isEqualTo("Failed");
    assertThat(client.secrets().inNamespace(ns.name()).withName("wrong-identity-signing-key").get()).isNull();
    assertThat(client.apps().statefulSets().inNamespace(ns.name()).withName("wrong-database").get()).isNull();
  }

  private static CollaborationPlatform platform(TestNamespace ns, String name) {
    CollaborationPlatform platform = OperatorHarness.examplePlatform(ns.name());
    platform.getMetadata().setName(name);
    platform.getSpec().getObjectStore().setReplicas(1);
    return platform;
  }

  private static CollaborationPlatform restored(TestNamespace ns, String name, String keySecret) {
    CollaborationPlatform platform = platform(ns, name);
    RestoreSpec restore = new RestoreSpec();
    restore.setPlatform("origin");
    BackupDestination source = new BackupDestination();
    source.setEndpoint("http://store.site.example:9000");
    source.setBucket("backups");
    source.setAccessKeyId(ref("site-keys", "id"));
    source.setSecretAccessKey(ref("site-keys", "secret"));
    restore.setSource(source);
    restore.setDecryptionKey(ref(keySecret, "jwk"));
    platform.getSpec().setRestore(restore);
    return platform;
  }

  private static void siteKeys(KubernetesClient client, TestNamespace ns) {
    if (client.secrets().inNamespace(ns.name()).withName("site-keys").get() == null) {
      client.resource(new SecretBuilder().withNewMetadata().withName("site-keys").withNamespace(ns.name())
          .endMetadata().addToStringData("id", "site").addToStringData("secret", "not-logged").build()).create();
    }
  }

  private static void privateKeySecret(KubernetesClient client, TestNamespace ns, String name, JWK key) {
    client.resource(new SecretBuilder().withNewMetadata().withName(name).withNamespace(ns.name()).endMetadata()
        .addToStringData("jwk", key.toJSONString()).build()).create();
  }

  private static SecretKeyRef ref(String name, String key) {
    return PlatformBackups.ref(name, key);
  }

  private static Map<String, String> data(KubernetesClient client, TestNamespace ns, String name) {
    Secret secret = client.secrets().inNamespace(ns.name()).withName(name).get();
    assertThat(secret).as("Secret " + name).isNotNull();
    return secret.getData();
  }

  private static String digest(Map<String, String> data) {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
          .digest(new java.util.TreeMap<>(data).toString().getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String secretValue(KubernetesClient client, TestNamespace ns, String name) {
    return new String(java.util.Base64.getDecoder().decode(data(client, ns, name).values().iterator().next()),
        StandardCharsets.UTF_8);
  }

  private static void backupOf(KubernetesClient client, TestNamespace ns, String name, String platform) {
    PlatformBackups.create(client, ns, name, platform);
  }

  private static PlatformBackupStatus await(KubernetesClient client, TestNamespace ns, String name,
      Predicate<PlatformBackupStatus> condition) {
    return PlatformBackups.await(client, ns, name, condition, 3);
  }

  private static CollaborationPlatform awaitPlatform(KubernetesClient client, TestNamespace ns, String name,
      Predicate<CollaborationPlatform> condition) {
    return client.resources(CollaborationPlatform.class).inNamespace(ns.name()).withName(name)
        .waitUntilCondition(p -> p != null && condition.test(p), 4, TimeUnit.MINUTES);
  }
}
