package dev.atrium.identity.login;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrium.identity.testing.Directory;
import dev.atrium.identity.testing.IdentityInstance;
import dev.atrium.identity.testing.OidcClient;
import dev.atrium.servicetesting.OidcBrowser.Outcome;
import dev.atrium.servicetesting.OidcBrowser.Pkce;
import dev.atrium.identity.testing.TestServers;
import dev.atrium.servicetesting.Http;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A person who set up TOTP signs in with password and code; the password alone is not enough. */
@ExtendWith(TestServers.class)
class SecondFactorIT {

  @Test
  void afterConfirmingTotpTheLoginNeedsTheCode(IdentityInstance identity) {
    Directory directory = new Directory(identity);
    directory.person("mia");
    String token = new OidcClient(identity).signIn("webos", "webos-secret", "mia", Directory.PASSWORD).accessToken();
    String uri = Directory.expect(200, Http.post(identity.uri("/api/me/totp"), token, "{}")).json()
        .path("otpauthUri").asString();
    byte[] secret = base32(uri.replaceAll(".*secret=([A-Z2-7]+).*", "$1"));
    assertThat(Http.post(identity.uri("/api/me/totp/confirm"), token, Map.of("code", "000000")).status())
        .isEqualTo(400);
    Directory.expect(204, Http.post(identity.uri("/api/me/totp/confirm"), token,
        Map.of("code", Totp.code(secret, Instant.now()))));

    Outcome withoutCode = new OidcClient(identity).authorize("webos", OidcClient.REDIRECT_URI, Pkce.create(),
        Map.of(), "mia", Directory.PASSWORD, null);
    assertThat(withoutCode.finalUri().toString()).endsWith("/login?error=code");
    assertThat(withoutCode.body()).contains("one-time code").contains("required");

    Outcome wrongCode = new OidcClient(identity).authorize("webos", OidcClient.REDIRECT_URI, Pkce.create(),
        Map.of(), "mia", Directory.PASSWORD, "123456".equals(Totp.code(secret, Instant.now())) ? "654321" : "123456");
    assertThat(wrongCode.finalUri().toString()).endsWith("/login?error=bad");

    Outcome withCode = new OidcClient(identity).authorize("webos", OidcClient.REDIRECT_URI, Pkce.create(), Map.of(),
        "mia", Directory.PASSWORD, Totp.code(secret, Instant.now()));
    assertThat(withCode.code()).isNotNull();
  }

  private static byte[] base32(String text) {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int buffer = 0;
    int bits = 0;
    for (char c : text.toCharArray()) {
      buffer = (buffer << 5) | alphabet.indexOf(c);
      bits += 5;
      if (bits >= 8) {
        out.write((buffer >> (bits - 8)) & 0xff);
        bits -= 8;
      }
    }
    return out.toByteArray();
  }
}
