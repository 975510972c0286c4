package dev.atrium.operator.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrium.operator.model.GeneratedSecret;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The generated Secrets: what their values are, and that an existing one is never written again. */
class CredentialsWriterTest {

  private static final String UID = dev.atrium.operator.TestPlatforms.UID;
  /** As the model writes it: controlled by the platform, with the operator's labels. */
  private static final ObjectMeta KEY_SECRET = new ObjectMetaBuilder().withNamespace("acme")
      .withName("acme-message-center-federation")
      .withLabels(dev.atrium.operator.model.Labels.of("acme", dev.atrium.operator.model.Component.MESSAGE_CENTER,
          "1.0.0"))
      .addNewOwnerReference().withApiVersion("atrium.dev/v1alpha1").withKind("CollaborationPlatform")
        .withName("acme").withUid(UID).withController(true).endOwnerReference()
      .build();

  private final CredentialsWriter writer = new CredentialsWriter(Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));
  private final InMemorySecrets secrets = new InMemorySecrets();

  @Test
  void anEd25519KeyPairSignsAndVerifiesWithTheJdk() throws Exception {
    Map<String, String> values = writer.values(GeneratedSecret.ed25519KeyPair(KEY_SECRET));

    assertThat(values).containsOnlyKeys("private-key", "public-key", "key-id");
    PrivateKey privateKey = KeyFactory.getInstance("Ed25519")
        .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(values.get("private-key"))));
    PublicKey publicKey = KeyFactory.getInstance("Ed25519")
        .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(values.get("public-key"))));
    byte[] message = "hello globex".getBytes(StandardCharsets.UTF_8);
    Signature signer = Signature.getInstance("Ed25519");
    signer.initSign(privateKey);
    signer.update(message);
    byte[] signature = signer.sign();
    Signature verifier = Signature.getInstance("Ed25519");
    verifier.initVerify(publicKey);
    verifier.update(message);
    assertThat(verifier.verify(signature)).isTrue();
    // the form peers put in their trust lists: SubjectPublicKeyInfo of Ed25519, 44 bytes
    assertThat(values.get("public-key")).startsWith("MCowBQYDK2VwAyEA").hasSize(60);
    assertThat(values.get("key-id")).matches("ed25519-[0-9a-f]{16}");
  }

  @Test
  void anRsaKeyPairSignsRs256AndItsIdIsThePublicKeysFingerprint() throws Exception {
    Map<String, String> values = writer.values(GeneratedSecret.rsaKeyPair(KEY_SECRET));

    assertThat(values).containsOnlyKeys("private-key", "public-key", "key-id");
    PrivateKey privateKey = KeyFactory.getInstance("RSA")
        .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(values.get("private-key"))));
    byte[] publicDer = Base64.getDecoder().decode(values.get("public-key"));
    RSAPublicKey publicKey = (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(publicDer));
    assertThat(publicKey.getModulus().bitLength()).isEqualTo(3072);
    // the private key alone gives the public one (what identity publishes in its JWKS)
    assertThat(((RSAPrivateCrtKey) privateKey).getModulus()).isEqualTo(publicKey.getModulus());
    assertThat(((RSAPrivateCrtKey) privateKey).getPublicExponent()).isEqualTo(publicKey.getPublicExponent());
    // RS256 is SHA-256 with RSA PKCS#1 v1.5
    byte[] message = "header.payload".getBytes(StandardCharsets.UTF_8);
    Signature signer = Signature.getInstance("SHA256withRSA");
    signer.initSign(privateKey);
    signer.update(message);
    byte[] signature = signer.sign();
    Signature verifier = Signature.getInstance("SHA256withRSA");
    verifier.initVerify(publicKey);
    verifier.update(message);
    assertThat(verifier.verify(signature)).isTrue();
    byte[] fingerprint = MessageDigest.getInstance("SHA-256").digest(publicDer);
    assertThat(values.get("key-id")).matches("rsa-[0-9a-f]{16}")
        .isEqualTo("rsa-" + HexFormat.of().formatHex(fingerprint, 0, 8));
    assertThat(writer.values(GeneratedSecret.rsaKeyPair(KEY_SECRET)).get("key-id")).isNotEqualTo(values.get("key-id"));
  }

  @Test
  void everyKeyPairIsNewAndItsIdNamesIt() {
    Map<String, String> first = writer.values(GeneratedSecret.ed25519KeyPair(KEY_SECRET));
    Map<String, String> second = writer.values(GeneratedSecret.ed25519KeyPair(KEY_SECRET));

    assertThat(second.get("private-key")).isNotEqualTo(first.get("private-key"));
    assertThat(second.get("key-id")).isNotEqualTo(first.get("key-id"));
  }

  @Test
  void randomSecretsStayRandomStrings() {
    Map<String, String> values = writer.values(new GeneratedSecret(KEY_SECRET, List.of("password", "other")));

    assertThat(values).containsOnlyKeys("password", "other");
    assertThat(values.values()).allSatisfy(v -> assertThat(v).matches("[A-Za-z0-9_-]{32}"));
    assertThat(values.get("password")).isNotEqualTo(values.get("other"));
  }

  @Test
  void anAbsentSecretIsCreatedWithItsValuesAndMetadata() {
    assertThat(writer.ensure(secrets, GeneratedSecret.ed25519KeyPair(KEY_SECRET), UID))
        .isEqualTo(CredentialsWriter.Outcome.CREATED);

    assertThat(secrets.created).singleElement().satisfies(s -> {
      assertThat(s.getMetadata().getName()).isEqualTo("acme-message-center-federation");
      assertThat(s.getType()).isEqualTo("Opaque");
      assertThat(s.getStringData()).containsOnlyKeys("private-key", "public-key", "key-id");
    });
  }

  @Test
  void anExistingSecretIsNeverRewritten() {
    secrets.existing.put("acme/acme-message-center-federation", new SecretBuilder().withMetadata(KEY_SECRET).build());

    assertThat(writer.ensure(secrets, GeneratedSecret.ed25519KeyPair(KEY_SECRET), UID))
        .isEqualTo(CredentialsWriter.Outcome.EXISTS);
    assertThat(writer.ensure(secrets, GeneratedSecret.ed25519KeyPair(KEY_SECRET), UID))
        .isEqualTo(CredentialsWriter.Outcome.EXISTS);

    assertThat(secrets.created).isEmpty();
  }

  @Test
  void aSecretOfThatNameThatIsNotThePlatformsIsNeitherAdoptedNorRewritten() {
    // made by hand: no owner reference, no labels
    secrets.existing.put("acme/acme-message-center-federation", new SecretBuilder().withNewMetadata()
        .withName("acme-message-center-federation").withNamespace("acme").endMetadata().build());
    assertThat(writer.ensure(secrets, GeneratedSecret.ed25519KeyPair(KEY_SECRET), UID))
        .isEqualTo(CredentialsWriter.Outcome.NOT_OURS);
    // another platform's (same labels, another owner uid)
    assertThat(writer.ensure(secrets, GeneratedSecret.ed25519KeyPair(KEY_SECRET), "another-uid"))
        .isEqualTo(CredentialsWriter.Outcome.NOT_OURS);
    assertThat(secrets.created).isEmpty();
  }

  @Test
  void aSecretCreatedByAnotherReplicaMeanwhileStands() {
    secrets.conflict = true;

    assertThat(writer.ensure(secrets, GeneratedSecret.ed25519KeyPair(KEY_SECRET), UID))
        .isEqualTo(CredentialsWriter.Outcome.EXISTS);
    assertThat(secrets.created).isEmpty();
  }

  /** Secrets by namespace/name; create refuses (409) a name that exists or, with conflict, every name. */
  private static final class InMemorySecrets implements CredentialsWriter.Secrets {
    final Map<String, Secret> existing = new HashMap<>();
    final List<Secret> created = new ArrayList<>();
    boolean conflict;

    @Override
    public Optional<ObjectMeta> find(String namespace, String name) {
      return Optional.ofNullable(existing.get(namespace + "/" + name)).map(Secret::getMetadata);
    }

    @Override
    public void create(Secret secret) {
      String key = secret.getMetadata().getNamespace() + "/" + secret.getMetadata().getName();
      if (conflict || existing.containsKey(key)) {
        throw new KubernetesClientException("AlreadyExists", 409, null);
      }
      existing.put(key, secret);
      created.add(secret);
    }
  }
}
