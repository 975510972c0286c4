package dev.atrium.operator.platform;

import dev.atrium.api.v1alpha1.BackupDestination;
import dev.atrium.api.v1alpha1.CollaborationPlatform;
import dev.atrium.api.v1alpha1.SecretKeyRef;
import dev.atrium.operator.database.BackupWiring;
import dev.atrium.operator.model.Component;
import dev.atrium.operator.model.GeneratedSecret;
import dev.atrium.operator.model.Names;
import dev.atrium.operator.platformdata.S3Store;
import dev.atrium.operator.release.Release;
import dev.atrium.operator.workload.PlatformContext;
import dev.atrium.operator.workload.Wiring;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a platform's own data goes and comes from (decision 0017), as the API server and the spec say: the backup
 * bucket and its credentials, the tenant's object store, the generated Secrets' values and the tenant's keys. Values
 * read here go only into a sealed manifest or into the new platform's Secrets; none is logged or put in a message.
 */
public final class PlatformData {

  private final KubernetesClient client;
  private final S3Store.Connector connector;

  public PlatformData(KubernetesClient client, S3Store.Connector connector) {
    this.client = client;
    this.connector = connector;
  }

  /** The bucket its backups go to: spec.backup.destination, or the bucket 'backups' in its own object store. */
  public S3Store backupStore(CollaborationPlatform platform) {
    BackupDestination to = platform.getSpec().getBackup().getDestination();
    return to == null ? ownStore(platform, BackupWiring.OWN_BUCKET) : store(platform, to);
  }

  /** The bucket a restore reads the old platform's backups from: spec.restore.source. */
  public S3Store restoreSource(CollaborationPlatform platform) {
    return store(platform, platform.getSpec().getRestore().getSource());
  }

  /** The platform's own object store (every bucket), with the credentials the operator generated for it. */
  public S3Store tenantStore(CollaborationPlatform platform) {
    return ownStore(platform, "");
  }

  /** The value of a key of a Secret the spec names; a clear message (never the value) when it is missing. */
  public String value(CollaborationPlatform platform, String field, SecretKeyRef ref) {
    return value(platform.getMetadata().getNamespace(), ref.getName(), ref.getKey(), field);
  }

  /**
   * The values of the platform's generated Secrets, by name without the platform's prefix: what a restore under
   * another name gives back. One not created yet is left out.
   */
  public Map<String, Map<String, String>> generatedSecrets(CollaborationPlatform platform, Release release) {
    String name = platform.getMetadata().getName();
    Map<String, Map<String, String>> values = new TreeMap<>();
    for (GeneratedSecret wanted : generated(platform, release)) {
      Secret secret = client.secrets().inNamespace(platform.getMetadata().getNamespace())
          .withName(wanted.metadata().getName()).get();
      if (secret != null && secret.getData() != null) {
        Map<String, String> data = new LinkedHashMap<>();
        secret.getData().forEach((k, v) -> data.put(k, new String(Base64.getDecoder().decode(v),
            StandardCharsets.UTF_8)));
        values.put(suffix(name, wanted.metadata().getName()), data);
      }
    }
    return values;
  }

  /** The Secrets the platform's model generates, as it stands on {@code release}. */
  public static List<GeneratedSecret> generated(CollaborationPlatform platform, Release release) {
    return PlatformModel.from(PlatformContext.of(platform, release, "")).secrets();
  }

  /** A generated Secret's name without the platform's prefix, e.g. identity-signing-key. */
  public static String suffix(String platform, String secretName) {
    if (!secretName.startsWith(platform + "-")) {
      throw new IllegalArgumentException("Secret " + secretName + " is not named after platform " + platform);
    }
    return secretName.substring(platform.length() + 1);
  }

  private S3Store ownStore(CollaborationPlatform platform, String bucket) {
    String name = platform.getMetadata().getName();
    String namespace = platform.getMetadata().getNamespace();
    String credentials = Names.credentials(name, Component.OBJECT_STORE);
    return new S3Store(connector.connect(BackupWiring.ownStoreEndpoint(name, namespace),
        value(namespace, credentials, Wiring.S3_ACCESS_KEY, "the object store's credentials"),
        value(namespace, credentials, Wiring.S3_SECRET_KEY, "the object store's credentials")), bucket, "");
  }

  private S3Store store(CollaborationPlatform platform, BackupDestination bucket) {
    String namespace = platform.getMetadata().getNamespace();
    return new S3Store(connector.connect(bucket.getEndpoint(),
        value(namespace, bucket.getAccessKeyId().getName(), bucket.getAccessKeyId().getKey(), "accessKeyId"),
        value(namespace, bucket.getSecretAccessKey().getName(), bucket.getSecretAccessKey().getKey(),
            "secretAccessKey")), bucket.getBucket(), S3Store.prefix(bucket.getPath()));
  }

  private String value(String namespace, String secretName, String key, String what) {
    Secret secret = client.secrets().inNamespace(namespace).withName(secretName).get();
    String encoded = secret == null || secret.getData() == null ? null : secret.getData().get(key);
    if (encoded == null) {
      throw new IllegalStateException(what + ": Secret " + namespace + "/" + secretName + " has no key " + key);
    }
    return new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
  }
}
