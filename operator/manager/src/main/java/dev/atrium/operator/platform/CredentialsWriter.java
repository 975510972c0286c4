package dev.atrium.operator.platform;

import dev.atrium.operator.model.GeneratedSecret;
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

  /** The two calls the writer makes: the API server's in the operator, a map's in tests. */
  interface Secrets {
    boolean exists(String namespace, String name);

    /** @throws KubernetesClientException with code 409 when it exists already */
    void create(Secret secret);

    static Secrets of(KubernetesClient client) {
      return new Secrets() {
        @Override
        public boolean exists(String namespace, String name) {
          return client.secrets().inNamespace(namespace).withName(name).get() != null;
        }

        @Override
        public void create(Secret secret) {
          client.secrets().inNamespace(secret.getMetadata().getNamespace()).resource(secret).create();
        }
      };
    }
  }

  /** @return true when it created the Secret */
  boolean ensure(KubernetesClient client, GeneratedSecret wanted) {
    return ensure(Secrets.of(client), wanted);
  }

  /** @return true when it created the Secret */
  boolean ensure(Secrets secrets, GeneratedSecret wanted) {
    String namespace = wanted.metadata().getNamespace();
    String name = wanted.metadata().getName();
    String key = key(wanted);
    Instant now = clock.instant();
    prune(now);
    Instant seenAt = seen.get(key);
    if (seenAt != null && seenAt.plus(RECHECK).isAfter(now)) {
      return false;
    }
    if (secrets.exists(namespace, name)) {
      seen.put(key, now);
      return false;
    }
    Secret secret = new SecretBuilder().withMetadata(wanted.metadata()).withType("Opaque")
        .withStringData(values(wanted)).build();
    try {
      secrets.create(secret);
      seen.put(key, now);
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        seen.put(key, now);
        return false; // another operator replica (or a retry) created it first; theirs stands
      }
      throw new KubernetesClientException("cannot create Secret " + namespace + "/" + name + ": HTTP " + e.getCode(),
          e.getCode(), e.getStatus());
    }
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
      case ED25519_KEY_PAIR -> {
        try {
          KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
          generator.initialize(255, random);
          KeyPair pair = generator.generateKeyPair();
          byte[] publicKey = pair.getPublic().getEncoded(); // X.509 SubjectPublicKeyInfo
          data.put(GeneratedSecret.PRIVATE_KEY, Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded()));
          data.put(GeneratedSecret.PUBLIC_KEY, Base64.getEncoder().encodeToString(publicKey));
          // names this very key: a new key (after the Secret is deleted) gets a new id, as peers need
          byte[] fingerprint = MessageDigest.getInstance("SHA-256").digest(publicKey);
          data.put(GeneratedSecret.KEY_ID, "ed25519-" + HexFormat.of().formatHex(fingerprint, 0, 8));
        } catch (GeneralSecurityException e) {
          throw new IllegalStateException("Ed25519 is missing from this JVM", e);
        }
      }
    }
    return data;
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
