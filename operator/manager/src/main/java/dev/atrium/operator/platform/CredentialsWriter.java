package dev.atrium.operator.platform;

import dev.atrium.operator.model.GeneratedSecret;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Creates the generated-credentials Secrets, once. An existing Secret is never rewritten, so a
 * password cannot change under a running database; values are never logged.
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

  /** @return true when it created the Secret */
  boolean ensure(KubernetesClient client, GeneratedSecret wanted) {
    String namespace = wanted.metadata().getNamespace();
    String name = wanted.metadata().getName();
    String key = key(wanted);
    Instant now = clock.instant();
    prune(now);
    Instant seenAt = seen.get(key);
    if (seenAt != null && seenAt.plus(RECHECK).isAfter(now)) {
      return false;
    }
    if (client.secrets().inNamespace(namespace).withName(name).get() != null) {
      seen.put(key, now);
      return false;
    }
    Map<String, String> data = new LinkedHashMap<>();
    for (String k : wanted.keys()) {
      byte[] bytes = new byte[BYTES];
      random.nextBytes(bytes);
      data.put(k, Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
    }
    Secret secret = new SecretBuilder().withMetadata(wanted.metadata()).withType("Opaque").withStringData(data).build();
    try {
      client.secrets().inNamespace(namespace).resource(secret).create();
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
