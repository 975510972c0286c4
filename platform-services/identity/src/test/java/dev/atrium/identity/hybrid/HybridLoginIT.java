package dev.atrium.identity.hybrid;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import dev.atrium.identity.testing.Directory;
import dev.atrium.identity.testing.IdentityInstance;
import dev.atrium.identity.testing.OidcClient;
import dev.atrium.servicetesting.OidcBrowser.Outcome;
import dev.atrium.servicetesting.OidcBrowser.Pkce;
import dev.atrium.identity.testing.TestServers;
import dev.atrium.servicetesting.FreePort;
import dev.atrium.servicetesting.Http;
import dev.atrium.servicetesting.PostgresServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Hybrid mode: a company's own OpenID Connect provider (here a second identity, standing for the company's SSO)
 * is trusted; signing in there lands the person in Atrium, with Atrium's tokens.
 */
@ExtendWith(TestServers.class)
class HybridLoginIT {

  @Test
  void signingInAtTheCompanysSsoLandsTheSamePersonInAtrium(PostgresServer postgres) throws Exception {
    int atriumPort = FreePort.pick();
    String atriumIssuer = "http://127.0.0.1:" + atriumPort;
    // the company's SSO answers as localhost, Atrium as 127.0.0.1: two sites, two cookie jars in one browser
    try (IdentityInstance company = IdentityInstance.start(postgres, TestServers.newDatabase(postgres), Map.of(),
        FreePort.pick(), "localhost")) {
      Directory corp = new Directory(company);
      corp.person("pat");
      corp.person("quinn");
      String secret = Directory.expect(201, corp.admin("POST", "/api/admin/apps", Map.of("clientId", "atrium",
          "name", "Atrium", "type", "WEB", "restricted", false,
          "redirectUris", List.of(atriumIssuer + "/login/oauth2/code/corp")))).json().path("clientSecret").asString();

      Map<String, String> trust = Map.of(
          "ATRIUM_IDENTITY_TRUSTED_PROVIDERS", "[{\"name\":\"corp\",\"displayName\":\"Corp SSO\",\"issuer\":\""
              + company.issuer() + "\",\"clientId\":\"atrium\",\"usernameClaim\":\"preferred_username\"}]",
          "ATRIUM_IDENTITY_PROVIDER_CORP_CLIENT_SECRET", secret);
      try (IdentityInstance atrium = IdentityInstance.start(postgres, TestServers.newDatabase(postgres), trust,
          atriumPort)) {
        // pat is in Atrium's directory (as the LDAP sync would bring them) without a password of Atrium's
        Directory.expect(201, new Directory(atrium).admin("POST", "/api/admin/people", Map.of("id", "pat",
            "displayName", "Pat")));

        OidcClient browser = new OidcClient(atrium);
        Pkce pkce = Pkce.create();
        Outcome loginPage = browser.authorize("webos", OidcClient.REDIRECT_URI, pkce, Map.of(), null, null, null);
        assertThat(loginPage.body()).contains("Corp SSO").contains("/oauth2/authorization/corp");

        Outcome landed = browser.follow(atrium.uri("/oauth2/authorization/corp"), OidcClient.REDIRECT_URI, "pat",
            Directory.PASSWORD, null);
        assertThat(landed.code()).as("ended at " + landed.finalUri()).isNotNull();
        var tokens = browser.exchange("webos", "webos-secret", landed.code(), OidcClient.REDIRECT_URI,
            pkce.verifier());
        var claims = SignedJWT.parse(tokens.accessToken()).getJWTClaimsSet();
        assertThat(claims.getSubject()).isEqualTo("pat");
        assertThat(claims.getIssuer()).isEqualTo(atriumIssuer);
        assertThat(claims.getStringClaim("principal_type")).isEqualTo("user");
        assertThat(new Directory(atrium).admin("GET", "/api/admin/audit?actor=pat&action=login", null).body())
            .contains("\\\"provider\\\": \\\"corp\\\"");

        // someone the company knows but Atrium's directory does not is not let in
        OidcClient stranger = new OidcClient(atrium);
        stranger.authorize("webos", OidcClient.REDIRECT_URI, Pkce.create(), Map.of(), null, null, null);
        Outcome refused = stranger.follow(atrium.uri("/oauth2/authorization/corp"), OidcClient.REDIRECT_URI,
            "quinn", Directory.PASSWORD, null);
        assertThat(refused.finalUri().toString()).endsWith("/login?error=sso");
        assertThat(refused.code()).isNull();
        assertThat(Http.get(atrium.uri("/api/admin/people/quinn"), new Directory(atrium).adminToken()).status())
            .isEqualTo(404);
      }
    }
  }
}
