package dev.atrium.operator.platform;

import dev.atrium.api.v1alpha1.BackupDestination;
import dev.atrium.api.v1alpha1.CollaborationPlatformSpec;
import dev.atrium.api.v1alpha1.SecretKeyRef;
import dev.atrium.api.v1alpha1.TrustedProviderSpec;
import dev.atrium.operator.database.BackupWiring;
import dev.atrium.operator.identity.IdentityModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Secrets a platform names but does not own: LDAP bind, trusted providers' client secrets, TLS certificate,
 * registry pull secrets.
 */
final class ReferencedSecrets {

  /** A Secret the spec points at, and the keys it must have. */
  record Reference(String field, String name, List<String> keys) {
  }

  private ReferencedSecrets() {
  }

  static List<Reference> of(CollaborationPlatformSpec spec) {
    List<Reference> refs = new ArrayList<>();
    // a switched-off identity or front door needs none of its Secrets
    if (spec.getIdentity() != null && spec.getIdentity().enabled() && spec.getIdentity().getLdap() != null) {
      refs.add(new Reference("spec.identity.ldap.bindSecretName", spec.getIdentity().getLdap().getBindSecretName(),
          List.of(IdentityModel.BIND_DN_KEY, IdentityModel.BIND_PASSWORD_KEY)));
    }
    if (spec.getIdentity() != null && spec.getIdentity().enabled()) {
      List<TrustedProviderSpec> providers = IdentityModel.trustedProviders(spec.getIdentity());
      for (int i = 0; i < providers.size(); i++) {
        SecretKeyRef ref = providers.get(i).getClientSecretRef();
        refs.add(new Reference("spec.identity.trustedProviders[" + i + "].clientSecretRef", ref.getName(),
            List.of(ref.getKey())));
      }
    }
    // an empty name means plain HTTP, as the Ingress and the portal URL read it
    if (spec.getIngress() != null && spec.getIngress().enabled() && spec.getIngress().getTlsSecretName() != null
        && !spec.getIngress().getTlsSecretName().isBlank()) {
      refs.add(new Reference("spec.ingress.tlsSecretName", spec.getIngress().getTlsSecretName(),
          List.of("tls.crt", "tls.key")));
    }
    if (BackupWiring.enabled(spec) && !BackupWiring.toOwnStore(spec)) {
      destination(refs, "spec.backup.destination", spec.getBackup().getDestination());
    }
    if (spec.getRestore() != null && spec.getRestore().getSource() != null) {
      destination(refs, "spec.restore.source", spec.getRestore().getSource());
    }
    if (spec.getRestore() != null && spec.getRestore().getDecryptionKey() != null) {
      SecretKeyRef key = spec.getRestore().getDecryptionKey();
      refs.add(new Reference("spec.restore.decryptionKey", key.getName(), List.of(key.getKey())));
    }
    if (spec.getRegistry() != null && spec.getRegistry().getPullSecrets() != null) {
      spec.getRegistry().getPullSecrets().forEach(name ->
          refs.add(new Reference("spec.registry.pullSecrets", name, List.of())));
    }
    return refs;
  }

  private static void destination(List<Reference> refs, String field, BackupDestination destination) {
    for (var key : List.of(Map.entry("accessKeyId", destination.getAccessKeyId()),
        Map.entry("secretAccessKey", destination.getSecretAccessKey()))) {
      if (key.getValue() != null) {
        refs.add(new Reference(field + "." + key.getKey(), key.getValue().getName(), List.of(key.getValue().getKey())));
      }
    }
  }

  /**
   * The first problem with the references, as a message that names the field and the Secret.
   *
   * @param lookup the keys of a Secret by name, or empty when it does not exist
   */
  static Optional<String> problem(List<Reference> refs, java.util.function.Function<String, Optional<Map<String, ?>>> lookup) {
    for (Reference ref : refs) {
      Optional<Map<String, ?>> data = lookup.apply(ref.name());
      if (data.isEmpty()) {
        return Optional.of(ref.field() + " names Secret '" + ref.name() + "', which does not exist in the platform's"
            + " namespace; create it (keys: " + (ref.keys().isEmpty() ? "a registry credential" : String.join(", ", ref.keys()))
            + ")");
      }
      List<String> missing = ref.keys().stream().filter(k -> !data.get().containsKey(k)).toList();
      if (!missing.isEmpty()) {
        return Optional.of(ref.field() + " names Secret '" + ref.name() + "', which lacks the keys "
            + String.join(", ", missing));
      }
    }
    return Optional.empty();
  }
}
