package dev.atrium.operator.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrium.api.v1alpha1.BackupDestination;
import dev.atrium.api.v1alpha1.CollaborationPlatformSpec;
import dev.atrium.api.v1alpha1.IngressSpec;
import dev.atrium.api.v1alpha1.RegistrySpec;
import dev.atrium.api.v1alpha1.SecretKeyRef;
import dev.atrium.api.v1alpha1.TrustedProviderSpec;
import dev.atrium.operator.TestPlatforms;
import dev.atrium.operator.database.BackupWiringTest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The Secrets a platform names but does not own, checked before anything is written. */
class ReferencedSecretsTest {

  private static final String BIND_SECRET = "acme-ldap-bind";

  /** Secrets in the platform's namespace, by name, with their keys. */
  private final Map<String, Map<String, ?>> existing = new HashMap<>();
  private final Function<String, Optional<Map<String, ?>>> lookup = name -> Optional.ofNullable(existing.get(name));

  private Optional<String> problem(CollaborationPlatformSpec spec) {
    return ReferencedSecrets.problem(ReferencedSecrets.of(spec), lookup);
  }

  @Test
  void theExampleNamesNoSecret() {
    assertThat(ReferencedSecrets.of(TestPlatforms.example().getSpec())).isEmpty();
    assertThat(problem(TestPlatforms.example().getSpec())).isEmpty();
  }

  @Test
  void missingLdapBindSecretIsNamedWithItsField() {
    Optional<String> problem = problem(TestPlatforms.withLdap(BIND_SECRET).getSpec());

    // the person reading the status must learn which field and which Secret, and what to put in it
    assertThat(problem).hasValueSatisfying(message -> assertThat(message)
        .contains("spec.identity.ldap.bindSecretName")
        .contains(BIND_SECRET)
        .contains("bindDN", "password"));
  }

  @Test
  void aSecretLackingAKeyIsReportedByThatKey() {
    existing.put(BIND_SECRET, Map.of("bindDN", "cn=atrium,dc=acme,dc=example"));

    Optional<String> problem = problem(TestPlatforms.withLdap(BIND_SECRET).getSpec());

    assertThat(problem).hasValueSatisfying(message -> assertThat(message)
        .contains("spec.identity.ldap.bindSecretName")
        .contains(BIND_SECRET)
        .contains("password")
        .doesNotContain("bindDN"));
  }

  @Test
  void aTrustedProvidersMissingClientSecretIsNamedWithItsField() {
    CollaborationPlatformSpec spec = withProviders(provider("acme-sso", "acme-sso-client", "client-secret"),
        provider("partner", "partner-sso-client", "secret"));
    existing.put("acme-sso-client", Map.of("client-secret", "s3cret"));

    // the second provider's Secret is missing: its index, the Secret and the key to put in it
    assertThat(problem(spec)).hasValueSatisfying(message -> assertThat(message)
        .contains("spec.identity.trustedProviders[1].clientSecretRef").contains("partner-sso-client")
        .contains("(keys: secret)"));

    existing.put("partner-sso-client", Map.of("client-secret", "s3cret"));
    assertThat(problem(spec)).hasValueSatisfying(message -> assertThat(message)
        .contains("spec.identity.trustedProviders[1].clientSecretRef").contains("partner-sso-client")
        .contains("lacks the keys secret"));

    existing.put("partner-sso-client", Map.of("secret", "s3cret"));
    assertThat(problem(spec)).isEmpty();
  }

  @Test
  void aSwitchedOffIdentityNeedsNoProvidersSecret() {
    CollaborationPlatformSpec spec = withProviders(provider("acme-sso", "acme-sso-client", "client-secret"));
    spec.getIdentity().setEnabled(false);

    assertThat(ReferencedSecrets.of(spec)).isEmpty();
  }

  @Test
  void aTlsSecretLackingItsKeyIsReported() {
    CollaborationPlatformSpec spec = TestPlatforms.example().getSpec();
    spec.getIngress().setTlsSecretName("acme-tls");
    existing.put("acme-tls", Map.of("tls.crt", "cert"));

    assertThat(problem(spec)).hasValueSatisfying(message -> assertThat(message)
        .contains("spec.ingress.tlsSecretName").contains("acme-tls").contains("tls.key").doesNotContain("tls.crt"));
  }

  @Test
  void aMissingPullSecretIsReported() {
    CollaborationPlatformSpec spec = TestPlatforms.withRegistry("registry.acme.internal", "atrium", "mirror-pull")
        .getSpec();

    assertThat(problem(spec)).hasValueSatisfying(message -> assertThat(message)
        .contains("spec.registry.pullSecrets").contains("mirror-pull"));
  }

  @Test
  void allReferencedSecretsPresentIsNoProblem() {
    CollaborationPlatformSpec spec = TestPlatforms.withLdap(BIND_SECRET).getSpec();
    IngressSpec ingress = spec.getIngress();
    ingress.setTlsSecretName("acme-tls");
    RegistrySpec registry = new RegistrySpec();
    registry.setHost("registry.acme.internal");
    registry.setPullSecrets(List.of("mirror-pull"));
    spec.setRegistry(registry);
    existing.put(BIND_SECRET, Map.of("bindDN", "cn=atrium", "password", "secret"));
    existing.put("acme-tls", Map.of("tls.crt", "cert", "tls.key", "key"));
    existing.put("mirror-pull", Map.of(".dockerconfigjson", "{}"));

    assertThat(ReferencedSecrets.of(spec)).extracting(ReferencedSecrets.Reference::field).containsExactly(
        "spec.identity.ldap.bindSecretName", "spec.ingress.tlsSecretName", "spec.registry.pullSecrets");
    assertThat(problem(spec)).isEmpty();
  }

  @Test
  void aBackupDestinationsTwoKeysAreCheckedWhileBackupsAreOn() {
    CollaborationPlatformSpec spec = TestPlatforms.example().getSpec();
    spec.setBackup(BackupWiringTest.backup(true, BackupWiringTest.bucket("acme-backups", null, "acme-backup-keys")));

    assertThat(ReferencedSecrets.of(spec)).extracting(r -> r.field() + " " + r.name() + " " + r.keys())
        .containsExactly(
            "spec.backup.destination.accessKeyId acme-backup-keys [access-key-id]",
            "spec.backup.destination.secretAccessKey acme-backup-keys [secret-access-key]");
    assertThat(problem(spec)).hasValueSatisfying(message -> assertThat(message)
        .contains("spec.backup.destination.accessKeyId").contains("acme-backup-keys").contains("does not exist"));

    // switched off, the destination stays in the spec but nothing reads its keys
    spec.getBackup().setEnabled(false);
    assertThat(ReferencedSecrets.of(spec)).isEmpty();
  }

  @Test
  void aBackupSecretWithoutTheSecretAccessKeyIsReportedByThatField() {
    CollaborationPlatformSpec spec = TestPlatforms.example().getSpec();
    spec.setBackup(BackupWiringTest.backup(true, BackupWiringTest.bucket("acme-backups", null, "acme-backup-keys")));
    existing.put("acme-backup-keys", Map.of(BackupWiringTest.ACCESS_KEY_ID, "AKIA"));

    assertThat(problem(spec)).hasValue("spec.backup.destination.secretAccessKey names Secret 'acme-backup-keys', "
        + "which lacks the keys secret-access-key");

    existing.put("acme-backup-keys", Map.of(BackupWiringTest.ACCESS_KEY_ID, "AKIA",
        BackupWiringTest.SECRET_ACCESS_KEY, "s3cret"));
    assertThat(problem(spec)).isEmpty();
  }

  @Test
  void theRestoreSourcesKeysAreCheckedEachInItsSecret() {
    CollaborationPlatformSpec spec = TestPlatforms.example().getSpec();
    BackupDestination source = BackupWiringTest.bucket("globex-backups", null, "globex-backup-keys");
    source.getSecretAccessKey().setName("globex-backup-secret");
    spec.setRestore(BackupWiringTest.restore("globex", source, null, null));
    existing.put("globex-backup-keys", Map.of(BackupWiringTest.ACCESS_KEY_ID, "AKIA"));

    assertThat(ReferencedSecrets.of(spec)).extracting(ReferencedSecrets.Reference::field).containsExactly(
        "spec.restore.source.accessKeyId", "spec.restore.source.secretAccessKey");
    assertThat(problem(spec)).hasValueSatisfying(message -> assertThat(message)
        .contains("spec.restore.source.secretAccessKey").contains("globex-backup-secret")
        .contains("(keys: secret-access-key)"));
  }

  private static CollaborationPlatformSpec withProviders(TrustedProviderSpec... providers) {
    CollaborationPlatformSpec spec = TestPlatforms.example().getSpec();
    spec.getIdentity().setTrustedProviders(List.of(providers));
    return spec;
  }

  private static TrustedProviderSpec provider(String name, String secret, String key) {
    TrustedProviderSpec provider = new TrustedProviderSpec();
    provider.setName(name);
    provider.setDisplayName(name);
    provider.setIssuer("https://sso.acme.example/realms/" + name);
    provider.setClientId("atrium");
    SecretKeyRef ref = new SecretKeyRef();
    ref.setName(secret);
    ref.setKey(key);
    provider.setClientSecretRef(ref);
    return provider;
  }

  @Test
  void anEmptyTlsSecretNameMeansPlainHttpAndNamesNoSecret() {
    // IngressSpec: "plain HTTP when empty"; the Ingress and the portal URL treat a blank name as no TLS
    CollaborationPlatformSpec spec = TestPlatforms.example().getSpec();
    spec.getIngress().setTlsSecretName("");

    assertThat(ReferencedSecrets.of(spec)).isEmpty();
    assertThat(problem(spec)).isEmpty();
  }
}
