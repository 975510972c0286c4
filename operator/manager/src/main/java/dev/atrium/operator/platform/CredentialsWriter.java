package dev.atrium.operator.platform;

import dev.atrium.operator.model.GeneratedSecret;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Creates the generated-credentials Secrets, once. An existing Secret is never rewritten, so a
 * password cannot change under a running database; values are never logged.
 */
final class CredentialsWriter {

  private static final int BYTES = 24;
  private final KubernetesClient client;
  private final SecureRandom random = new SecureRandom();

  CredentialsWriter(KubernetesClient client) {
    this.client = client;
  }

  /** @return true when it created the Secret */
  boolean ensure(GeneratedSecret wanted, Secret cached) {
    if (cached != null) {
      return false;
    }
    String namespace = wanted.metadata().getNamespace();
    String name = wanted.metadata().getName();
    // the informer may lag behind a Secret created a moment ago; the server decides
    if (client.secrets().inNamespace(namespace).withName(name).get() != null) {
      return false;
    }
    Map<String, String> data = new LinkedHashMap<>();
    for (String key : wanted.keys()) {
      byte[] bytes = new byte[BYTES];
      random.nextBytes(bytes);
      data.put(key, Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
    }
    Secret secret = new SecretBuilder().withMetadata(wanted.metadata()).withType("Opaque").withStringData(data).build();
    try {
      client.secrets().inNamespace(namespace).resource(secret).create();
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        return false; // another operator replica (or a retry) created it first; theirs stands
      }
      throw new KubernetesClientException("cannot create Secret " + namespace + "/" + name + ": HTTP " + e.getCode(),
          e.getCode(), e.getStatus());
    }
  }
}
