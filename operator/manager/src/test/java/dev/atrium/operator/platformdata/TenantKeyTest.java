package dev.atrium.operator.platformdata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TenantKeyTest {

  private static final byte[] MANIFEST = "{\"secrets\":{\"identity-signing-key\":{}}}".getBytes(StandardCharsets.UTF_8);

  @Test
  void whatIsSealedToAnEcPublicKeyOpensOnlyWithItsPrivateKey() throws Exception {
    JWK pair = new ECKeyGenerator(Curve.P_256).generate();
    String sealed = TenantKey.publicKey(pair.toPublicJWK().toJSONString()).seal(MANIFEST);
    assertThat(sealed).doesNotContain("identity-signing-key");
    assertThat(TenantKey.privateKey(pair.toJSONString()).open(sealed)).isEqualTo(MANIFEST);
  }

  @Test
  void whatIsSealedToAnRsaPublicKeyOpensWithItsPrivateKey() throws Exception {
    JWK pair = new RSAKeyGenerator(2048).generate();
    String sealed = TenantKey.publicKey(pair.toPublicJWK().toJSONString()).seal(MANIFEST);
    assertThat(TenantKey.privateKey(pair.toJSONString()).open(sealed)).isEqualTo(MANIFEST);
  }

  @Test
  void anotherPrivateKeyIsRefusedNamingBothThumbprints() throws Exception {
    JWK pair = new ECKeyGenerator(Curve.P_384).generate();
    JWK other = new ECKeyGenerator(Curve.P_384).generate();
    TenantKey sealing = TenantKey.publicKey(pair.toPublicJWK().toJSONString());
    String sealed = sealing.seal(MANIFEST);
    TenantKey wrong = TenantKey.privateKey(other.toJSONString());
    assertThatThrownBy(() -> wrong.open(sealed)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(sealing.thumbprint()).hasMessageContaining(wrong.thumbprint());
  }

  @Test
  void aPublicAndItsPrivateHalfHaveOneThumbprint() throws Exception {
    JWK pair = new ECKeyGenerator(Curve.P_521).generate();
    assertThat(TenantKey.publicKey(pair.toPublicJWK().toJSONString()).thumbprint())
        .isEqualTo(TenantKey.privateKey(pair.toJSONString()).thumbprint());
  }

  @Test
  void aPrivateKeyGivenAsTheEncryptionKeyIsRefusedWithoutQuotingIt() throws Exception {
    JWK pair = new ECKeyGenerator(Curve.P_256).generate();
    String d = pair.toECKey().getD().toString();
    assertThatThrownBy(() -> TenantKey.publicKey(pair.toJSONString())).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("private key").hasMessageNotContaining(d);
  }

  @Test
  void aPublicKeyGivenAsTheDecryptionKeyIsRefused() throws Exception {
    JWK pair = new ECKeyGenerator(Curve.P_256).generate();
    assertThatThrownBy(() -> TenantKey.privateKey(pair.toPublicJWK().toJSONString()))
        .hasMessageContaining("needs the private one");
  }

  @Test
  void aWeakOrUnknownKeyIsRefusedSayingWhy() throws Exception {
    JWK small = new RSAKeyGenerator(1024, true).generate();
    assertThatThrownBy(() -> TenantKey.publicKey(small.toPublicJWK().toJSONString()))
        .hasMessageContaining("1024 bits");
    // an X25519 public key (RFC 8037's example): a JWK of type OKP
    assertThatThrownBy(() -> TenantKey.publicKey("{\"kty\":\"OKP\",\"crv\":\"X25519\","
        + "\"x\":\"3p7bfXt9wbTTW2HC7OQ1Nz-DQ8hbeGdNrfx-FG-IK08\"}")).hasMessageContaining("must be EC");
    assertThatThrownBy(() -> TenantKey.publicKey("{\"kty\":\"oct\",\"k\":\"c2VjcmV0\"}"))
        .hasMessageContaining("must be EC");
  }

  @Test
  void textThatIsNoJwkIsRefusedWithoutQuotingIt() {
    assertThatThrownBy(() -> TenantKey.privateKey("{\"kty\": \"EC\", secret-material"))
        .hasMessageContaining("not a JWK").hasMessageNotContaining("secret-material");
  }
}
