package dev.atrium.identity.authserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import dev.atrium.identity.testing.Directory;
import dev.atrium.identity.testing.IdentityInstance;
import dev.atrium.identity.testing.OidcClient;
import dev.atrium.servicetesting.OidcBrowser.Outcome;
import dev.atrium.servicetesting.OidcBrowser.Pkce;
import dev.atrium.identity.testing.TestServers;
import dev.atrium.servicetesting.Http;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** What identity refuses: wrong passwords, locked people, unknown clients and redirects, tampered tokens. */
@ExtendWith(TestServers.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RefusalsIT {

  private final IdentityInstance identity;
  private Directory directory;

  RefusalsIT(IdentityInstance identity) {
    this.identity = identity;
  }

  @BeforeAll
  void people() {
    directory = new Directory(identity);
    directory.person("erin");
    directory.person("frank");
    directory.person("grace");
  }

  @Test
  void aWrongPasswordShowsTheLoginPageAgainWithAClearError() {
    Outcome outcome = new OidcClient(identity).authorize("webos", OidcClient.REDIRECT_URI, Pkce.create(), Map.of(),
        "erin", "not her password", null);
    assertThat(outcome.finalUri().toString()).endsWith("/login?error=bad");
    assertThat(outcome.body()).contains("Wrong account or password.");
    // one attempt, one failure counted and audited
    assertThat(directory.admin("GET", "/api/admin/audit?actor=erin&action=login", null).json().size()).isEqualTo(1);
    // an unknown person gets the very same answer
    Outcome unknown = new OidcClient(identity).authorize("webos", OidcClient.REDIRECT_URI, Pkce.create(), Map.of(),
        "nobody", "whatever-password", null);
    assertThat(unknown.finalUri().toString()).endsWith("/login?error=bad");
  }

  @Test
  void fiveFailuresInARowLockThePersonEvenAgainstTheRightPassword() {
    for (int i = 0; i < 5; i++) {
      new OidcClient(identity).authorize("webos", OidcClient.REDIRECT_URI, Pkce.create(), Map.of(), "frank",
          "wrong password " + i, null);
    }
    Outcome locked = new OidcClient(identity).authorize("webos", OidcClient.REDIRECT_URI, Pkce.create(), Map.of(),
        "frank", Directory.PASSWORD, null);
    assertThat(locked.finalUri().toString()).endsWith("/login?error=locked");
    Http.Response audit = directory.admin("GET", "/api/admin/audit?target=frank&action=lockout", null);
    assertThat(audit.json().size()).isEqualTo(1);
    assertThat(audit.body()).doesNotContain("wrong password");

    String metrics = Http.get(identity.uri("/actuator/prometheus"), null).body();
    assertThat(metrics).contains("atrium_identity_events_total{action=\"lockout\",outcome=\"success\"");
    Directory.expect(204, directory.admin("POST", "/api/admin/people/frank/unlock", null));
    assertThat(new OidcClient(identity).signIn("webos", "webos-secret", "frank", Directory.PASSWORD).accessToken())
        .isNotNull();
  }

  @Test
  void anUnknownClientOrAnUnregisteredRedirectIsRefusedWithoutRedirecting() {
    Outcome unknownClient = new OidcClient(identity).authorize("no-such-app", OidcClient.REDIRECT_URI, Pkce.create(),
        Map.of(), null, null, null);
    assertThat(unknownClient.status()).isEqualTo(400);
    Outcome strangeRedirect = new OidcClient(identity).authorize("webos", "http://evil.example.test/steal",
        Pkce.create(), Map.of(), null, null, null);
    assertThat(strangeRedirect.status()).isEqualTo(400);
    assertThat(strangeRedirect.finalUri().getHost()).isEqualTo("127.0.0.1");
  }

  @Test
  void aPersonAppWithoutPkceIsRefused() {
    Outcome outcome = new OidcClient(identity).authorize("webos", OidcClient.REDIRECT_URI, null, Map.of(), null,
        null, null);
    assertThat(outcome.error()).isEqualTo("invalid_request");
  }

  @Test
  void aTamperedOrForeignTokenIsRefused() throws Exception {
    String token = new OidcClient(identity).signIn("webos", "webos-secret", "grace", Directory.PASSWORD).accessToken();
    String[] parts = token.split("\\.");
    String claims = new String(Base64.getUrlDecoder().decode(parts[1])).replace("\"grace\"", "\"admin\"");
    String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(claims.getBytes())
        + "." + parts[2];
    assertThat(SignedJWT.parse(tampered).getJWTClaimsSet().getSubject()).isEqualTo("admin");
    assertThat(Http.get(identity.uri("/api/admin/people"), tampered).status()).isEqualTo(401);
    assertThat(Http.get(identity.uri("/api/me"), "not-a-token").status()).isEqualTo(401);
    Http.Response problem = Http.get(identity.uri("/api/me"), null);
    assertThat(problem.status()).isEqualTo(401);
    assertThat(problem.header("Content-Type")).startsWith("application/problem+json");
  }

  @Test
  void anExpiredTokenIsRefusedThoughItsSignatureIsGood() throws Exception {
    // signed with the platform's own key and naming a real person, but expired beyond the allowed clock skew
    java.security.interfaces.RSAPrivateKey key = (java.security.interfaces.RSAPrivateKey) java.security.KeyFactory
        .getInstance("RSA").generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(
            Base64.getDecoder().decode(dev.atrium.identity.testing.TestKeys.privateKey())));
    java.time.Instant issued = java.time.Instant.now().minusSeconds(3600);
    SignedJWT expired = new SignedJWT(new com.nimbusds.jose.JWSHeader.Builder(com.nimbusds.jose.JWSAlgorithm.RS256)
        .keyID(dev.atrium.identity.testing.TestKeys.KEY_ID).build(), new com.nimbusds.jwt.JWTClaimsSet.Builder()
        .issuer(identity.issuer()).subject("grace").claim("principal_type", "user")
        .issueTime(java.util.Date.from(issued)).expirationTime(java.util.Date.from(issued.plusSeconds(300)))
        .build());
    expired.sign(new com.nimbusds.jose.crypto.RSASSASigner(key));
    Http.Response refused = Http.get(identity.uri("/api/me"), expired.serialize());
    assertThat(refused.status()).isEqualTo(401);
    assertThat(refused.body()).contains("expired");
    // the same token, fresh, is accepted: what was refused is the expiry
    SignedJWT fresh = new SignedJWT(expired.getHeader(), new com.nimbusds.jwt.JWTClaimsSet.Builder(
        expired.getJWTClaimsSet()).issueTime(new java.util.Date())
        .expirationTime(java.util.Date.from(java.time.Instant.now().plusSeconds(300))).build());
    fresh.sign(new com.nimbusds.jose.crypto.RSASSASigner(key));
    assertThat(Http.get(identity.uri("/api/me"), fresh.serialize()).status()).isEqualTo(200);
  }

  @Test
  void aPersonIsNotAnAdministrator() {
    String token = new OidcClient(identity).signIn("webos", "webos-secret", "grace", Directory.PASSWORD).accessToken();
    Http.Response refused = Http.get(identity.uri("/api/admin/people"), token);
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.json().path("type").asString()).isEqualTo("urn:atrium:problem:forbidden");
  }

  @Test
  void malformedAndOversizedRequestsGetProblems() {
    Http.Response malformed = directory.admin("POST", "/api/admin/people", "{\"id\": ");
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(malformed.json().path("type").asString()).isEqualTo("urn:atrium:problem:malformed-body");
    Http.Response invalid = directory.admin("POST", "/api/admin/people",
        Map.of("id", "Has Spaces", "displayName", "x"));
    assertThat(invalid.status()).isEqualTo(400);
    assertThat(invalid.json().path("detail").asString()).contains("id:");
    Http.Response huge = directory.admin("POST", "/api/admin/people",
        Map.of("id", "huge", "displayName", "x".repeat(70_000)));
    assertThat(huge.status()).isEqualTo(413);
    assertThat(directory.admin("GET", "/api/admin/people/huge", null).status()).isEqualTo(404);
  }
}
