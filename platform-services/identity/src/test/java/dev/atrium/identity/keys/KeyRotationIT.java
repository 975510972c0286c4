package dev.atrium.identity.keys;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import dev.atrium.identity.testing.Directory;
import dev.atrium.identity.testing.IdentityInstance;
import dev.atrium.identity.testing.OidcClient;
import dev.atrium.identity.testing.TestKeys;
import dev.atrium.identity.testing.TestServers;
import dev.atrium.servicetesting.Http;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Rotation: a new key signs, the old one stays in the JWKS so its tokens still verify. */
@ExtendWith(TestServers.class)
class KeyRotationIT {

  @Test
  void afterRotationTheNewKeySignsAndTheOldOneIsStillPublished(IdentityInstance identity) throws Exception {
    Directory directory = new Directory(identity);
    String before = new OidcClient(identity).clientCredentials("netdisk", "netdisk-secret").accessToken();
    assertThat(SignedJWT.parse(before).getHeader().getKeyID()).isEqualTo(TestKeys.KEY_ID);

    String rotated = Directory.expect(200, directory.admin("POST", "/api/admin/keys/rotate", null)).json()
        .path("activeKeyId").asString();
    String after = new OidcClient(identity).clientCredentials("netdisk", "netdisk-secret").accessToken();
    assertThat(SignedJWT.parse(after).getHeader().getKeyID()).isEqualTo(rotated).isNotEqualTo(TestKeys.KEY_ID);

    JWKSet jwks = JWKSet.parse(Http.get(identity.uri("/oauth2/jwks"), null).body());
    assertThat(jwks.getKeys()).extracting(k -> k.getKeyID()).containsExactlyInAnyOrder(TestKeys.KEY_ID, rotated);
    assertThat(jwks.getKeys()).allMatch(k -> !k.isPrivate());
    for (String token : new String[] {before, after}) {
      SignedJWT jwt = SignedJWT.parse(token);
      RSAKey key = (RSAKey) jwks.getKeyByKeyId(jwt.getHeader().getKeyID());
      assertThat(jwt.verify(new RSASSAVerifier(key))).isTrue();
    }
    assertThat(directory.admin("GET", "/api/admin/keys", null).body()).contains("retired-published")
        .doesNotContain("private");
  }
}
