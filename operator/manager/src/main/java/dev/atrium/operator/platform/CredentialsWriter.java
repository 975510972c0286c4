package dev.atrium.operator.platform;

import dev.atrium.operator.model.GeneratedSecret;
import dev.atrium.operator.model.Labels;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Creates the generated-credentials Secrets, once. An existing Secret is never rewritten, so a
 * password cannot change under a running database nor a signing key under its peers; values are
 * never logged.
 *
 * <p>The operator neither lists nor watches Secrets: RBAC cannot narrow list/watch to the Secrets it
 * made, and a cluster-wide Secret watch could read every credential in the cluster. It asks for each
 * Secret by name instead (get, then create if absent) and remembers for a while that it exists, so a
 * steady platform costs no requests; a Secret deleted by hand is recreated within {@link #RECHECK}.
 */
final class CredentialsWriter {

  static final Duration RECHECK = Duration.ofMinutes(5);
  private static final int BYTES = 24;
  private final SecureRandom random = new SecureRandom();
  private final Clock clock;
  /** Secrets seen to exist, by namespace, name and owner uid, with when they were seen. */
  private final Map<String, Instant> seen = new ConcurrentHashMap<>();
  private volatile Instant lastPruned = Instant.EPOCH;

  CredentialsWriter(Clock clock) {
    this.clock = clock;
  }

  /** What {@link #ensure} found or did. */
  enum Outcome {
    CREATED,
    /** It exists and is this platform's: left as it is. */
    EXISTS,
    /** It exists and was not generated for this platform: left as it is, and nothing may use it. */
    NOT_OURS
  }

  /** The two calls the writer makes: the API server's in the operator, a map's in tests. */
  interface Secrets {
    /** The Secret's metadata (never its data), or empty when there is none. */
    Optional<ObjectMeta> find(String namespace, String name);

    /** @throws KubernetesClientException with code 409 when it exists already */
    void create(Secret secret);

    static Secrets of(KubernetesClient client) {
      return new Secrets() {
        @Override
        public Optional<ObjectMeta> find(String namespace, String name) {
          return Optional.ofNullable(client.secrets().inNamespace(namespace).withName(name).get())
              .map(Secret::getMetadata);
        }

        @Override
        public void create(Secret secret) {
          client.secrets().inNamespace(secret.getMetadata().getNamespace()).resource(secret).create();
        }
      };
    }
  }

  Outcome ensure(KubernetesClient client, GeneratedSecret wanted, String platformUid) {
    return ensure(Secrets.of(client), wanted, platformUid);
  }

  /** As below, with the values a restore brought for it (null: fresh ones). */
  Outcome ensure(KubernetesClient client, GeneratedSecret wanted, String platformUid, Map<String, String> restored) {
    return ensure(Secrets.of(client), wanted, platformUid, restored);
  }

  Outcome ensure(Secrets secrets, GeneratedSecret wanted, String platformUid) {
    return ensure(secrets, wanted, platformUid, null);
  }

  /**
   * Creates the Secret unless one of its name exists. One that exists counts as this platform's only when the
   * platform controls it (its uid in the controller owner reference) and it carries the managed-by label: a
   * Secret someone made under that name is never adopted, since it may lack every key the platform needs.
   */
  Outcome ensure(Secrets secrets, GeneratedSecret wanted, String platformUid, Map<String, String> restored) {
    String namespace = wanted.metadata().getNamespace();
    String name = wanted.metadata().getName();
    String key = key(wanted);
    Instant now = clock.instant();
    prune(now);
    Instant seenAt = seen.get(key);
    if (seenAt != null && seenAt.plus(RECHECK).isAfter(now)) {
      return Outcome.EXISTS;
    }
    Optional<ObjectMeta> existing = secrets.find(namespace, name);
    if (existing.isPresent()) {
      if (!ours(existing.get(), platformUid)) {
        return Outcome.NOT_OURS; // not remembered: once it is deleted, the next pass creates the real one
      }
      seen.put(key, now);
      return Outcome.EXISTS;
    }
    Secret secret = new SecretBuilder().withMetadata(wanted.metadata()).withType("Opaque")
        .withStringData(restored(wanted, restored).orElseGet(() -> values(wanted))).build();
    try {
      secrets.create(secret);
      seen.put(key, now);
      return Outcome.CREATED;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        return Outcome.EXISTS; // another operator replica (or a retry) created it first; the next pass looks at it
      }
      throw new KubernetesClientException("cannot create Secret " + namespace + "/" + name + ": HTTP " + e.getCode(),
          e.getCode(), e.getStatus());
    }
  }

  private static boolean ours(ObjectMeta existing, String platformUid) {
    boolean controlled = platformUid != null && existing.getOwnerReferences() != null && existing.getOwnerReferences()
        .stream().anyMatch(o -> Boolean.TRUE.equals(o.getController()) && platformUid.equals(o.getUid()));
    return controlled && existing.getLabels() != null
        && Labels.MANAGED_BY_VALUE.equals(existing.getLabels().get(Labels.MANAGED_BY));
  }

  /**
   * The values a restore brought, when they have every key the Secret needs now; a Secret the old platform lacked, or
   * one whose keys changed since, gets fresh values.
   */
  static Optional<Map<String, String>> restored(GeneratedSecret wanted, Map<String, String> restored) {
    if (restored == null || !restored.keySet().containsAll(wanted.keys())) {
      return Optional.empty();
    }
    Map<String, String> values = new LinkedHashMap<>();
    wanted.keys().forEach(k -> values.put(k, restored.get(k)));
    return Optional.of(values);
  }

  /** Fresh values for every key of the Secret. */
  Map<String, String> values(GeneratedSecret wanted) {
    Map<String, String> data = new LinkedHashMap<>();
    switch (wanted.kind()) {
      case RANDOM -> {
        for (String k : wanted.keys()) {
          byte[] bytes = new byte[BYTES];
          random.nextBytes(bytes);
          data.put(k, Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
        }
      }
      case ED25519_KEY_PAIR -> keyPair(data, "Ed25519", 255, "ed25519-");
      case RSA_KEY_PAIR -> keyPair(data, "RSA", GeneratedSecret.RSA_KEY_BITS, "rsa-");
    }
    return data;
  }

  /**
   * A new key pair: the private key PKCS#8 and the public key X.509 SubjectPublicKeyInfo, both base64 DER, and
   * the key id, the prefix and 16 hex digits of the public key's SHA-256: a new key (after the Secret is deleted)
   * gets a new id, as peers and token verifiers need.
   */
  private void keyPair(Map<String, String> data, String algorithm, int bits, String idPrefix) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
      generator.initialize(bits, random);
      KeyPair pair = generator.generateKeyPair();
      byte[] publicKey = pair.getPublic().getEncoded();
      data.put(GeneratedSecret.PRIVATE_KEY, Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded()));
      data.put(GeneratedSecret.PUBLIC_KEY, Base64.getEncoder().encodeToString(publicKey));
      byte[] fingerprint = MessageDigest.getInstance("SHA-256").digest(publicKey);
      data.put(GeneratedSecret.KEY_ID, idPrefix + HexFormat.of().formatHex(fingerprint, 0, 8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(algorithm + " is missing from this JVM", e);
    }
  }

  /** Drops what is too old to trust anyway, at most once per {@link #RECHECK}: deleted platforms leave nothing behind. */
  private void prune(Instant now) {
    Instant last = lastPruned;
    if (last.plus(RECHECK).isBefore(now)) {
      lastPruned = now;
      seen.values().removeIf(at -> !at.plus(RECHECK).isAfter(now));
    }
  }

  // the owner's uid is part of the key: a platform deleted and created again under the same name
  // owns new Secrets (the old ones went with the old platform)
  private static String key(GeneratedSecret wanted) {
    String owner = wanted.metadata().getOwnerReferences() == null ? ""
        : wanted.metadata().getOwnerReferences().stream().map(OwnerReference::getUid).findFirst().orElse("");
    return wanted.metadata().getNamespace() + "/" + wanted.metadata().getName() + "/" + owner;
  }
}
