package dev.atrium.identity.apps;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import dev.atrium.identity.testing.Directory;
import dev.atrium.identity.testing.IdentityInstance;
import dev.atrium.identity.testing.OidcClient;
import dev.atrium.servicetesting.OidcBrowser.Outcome;
import dev.atrium.servicetesting.OidcBrowser.Pkce;
import dev.atrium.identity.testing.TestServers;
import dev.atrium.servicetesting.Http;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** Apps are OAuth clients; a person gets tokens only for apps granted to them or their departments. */
@ExtendWith(TestServers.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GrantsIT {

  private final IdentityInstance identity;
  private Directory directory;
  private String crmSecret;

  GrantsIT(IdentityInstance identity) {
    this.identity = identity;
  }

  @BeforeAll
  void setUp() {
    directory = new Directory(identity);
    directory.department("sales", null);
    directory.department("sales-east", "sales");
    directory.person("hana", "sales-east");
    directory.person("ivan");
    directory.person("judy");
    Http.Response registered = Directory.expect(201, directory.admin("POST", "/api/admin/apps", Map.of(
        "clientId", "crm", "name", "CRM", "type", "WEB_AND_SERVICE", "redirectUris",
        List.of(OidcClient.REDIRECT_URI))));
    crmSecret = registered.json().path("clientSecret").asString();
  }

  @Test
  void aDepartmentGrantCoversItsSubDepartmentsAndNobodyElse() {
    Directory.expect(200, directory.admin("PUT", "/api/admin/apps/crm/grants", Map.of("departments",
        List.of("sales"))));
    assertThat(new OidcClient(identity).signIn("crm", crmSecret, "hana", Directory.PASSWORD).accessToken())
        .isNotNull();
    Outcome refused = new OidcClient(identity).authorize("crm", OidcClient.REDIRECT_URI, Pkce.create(), Map.of(),
        "ivan", Directory.PASSWORD, null);
    assertThat(refused.error()).isEqualTo("access_denied");
    assertThat(refused.code()).isNull();
  }

  @Test
  void withdrawingAGrantStopsTheNextRefresh() {
    Directory.expect(200, directory.admin("PUT", "/api/admin/apps/crm/grants", Map.of("people", List.of("judy"))));
    OidcClient client = new OidcClient(identity);
    var tokens = client.signIn("crm", crmSecret, "judy", Directory.PASSWORD);
    Directory.expect(200, directory.admin("PUT", "/api/admin/apps/crm/grants", Map.of("people", List.of())));
    assertThat(client.refresh("crm", crmSecret, tokens.refreshToken()).error()).isEqualTo("invalid_grant");
    assertThat(directory.admin("GET", "/api/admin/audit?target=crm&action=app.grants.replace", null).json().size())
        .isGreaterThanOrEqualTo(2);
  }

  @Test
  void anAppGetsClientCredentialTokensAsAnApp() throws Exception {
    var tokens = new OidcClient(identity).clientCredentials("crm", crmSecret);
    var claims = SignedJWT.parse(tokens.accessToken()).getJWTClaimsSet();
    assertThat(claims.getSubject()).isEqualTo("crm");
    assertThat(claims.getStringClaim("principal_type")).isEqualTo("app");
    assertThat(new OidcClient(identity).clientCredentials("crm", "wrong").status()).isEqualTo(401);
    assertThat(new OidcClient(identity).clientCredentials("netdisk", "netdisk-secret").accessToken()).isNotNull();
  }

  @Test
  void grantsNamingWhatDoesNotExistChangeNothing() {
    Directory.expect(200, directory.admin("PUT", "/api/admin/apps/crm/grants", Map.of("people", List.of("hana"))));
    Http.Response unknown = directory.admin("PUT", "/api/admin/apps/crm/grants", Map.of("people",
        List.of("hana", "ghost"), "departments", List.of("nowhere")));
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.json().path("detail").asString()).contains("person ghost").contains("department nowhere");
    assertThat(directory.admin("GET", "/api/admin/apps/crm/grants", null).json().size()).isEqualTo(1);

    Http.Response noApp = directory.admin("PUT", "/api/admin/apps/no-such-app/grants", Map.of("people",
        List.of("hana")));
    assertThat(noApp.status()).isEqualTo(404);
  }

  @Test
  void anAppRegistrationMustBeUsable() {
    Http.Response noRedirect = directory.admin("POST", "/api/admin/apps", Map.of("clientId", "oa", "name", "OA",
        "type", "WEB"));
    assertThat(noRedirect.status()).isEqualTo(400);
    Http.Response wildcard = directory.admin("POST", "/api/admin/apps", Map.of("clientId", "oa", "name", "OA",
        "type", "WEB", "redirectUris", List.of("https://*.example.test/cb")));
    assertThat(wildcard.json().path("type").asString()).isEqualTo("urn:atrium:problem:invalid-redirect-uri");
    assertThat(directory.admin("GET", "/api/admin/apps/oa", null).status()).isEqualTo(404);
    assertThat(directory.admin("POST", "/api/admin/apps", Map.of("clientId", "crm", "name", "again", "type",
        "SERVICE")).status()).isEqualTo(409);
  }

  @Test
  void aTenantAppsClientIsBroughtInLineAndKeepsItsSecret() {
    Http.Response registered = Directory.expect(201, directory.admin("POST", "/api/admin/apps", Map.of("clientId",
        "wiki", "name", "Wiki", "type", "SERVICE")));
    String secret = registered.json().path("clientSecret").asString();
    String next = "http://wiki.example.test/v2/callback";
    Http.Response updated = Directory.expect(200, directory.admin("PUT", "/api/admin/apps/wiki", Map.of("name",
        "Wiki 2", "type", "WEB_AND_SERVICE", "redirectUris", List.of(next))));
    assertThat(updated.json().path("name").asString()).isEqualTo("Wiki 2");
    assertThat(updated.json().path("restricted").asBoolean()).isTrue();
    assertThat(new OidcClient(identity).clientCredentials("wiki", secret).accessToken()).isNotNull();
    Directory.expect(200, directory.admin("PUT", "/api/admin/apps/wiki/grants", Map.of("people", List.of("ivan"))));
    Outcome signedIn = new OidcClient(identity).authorize("wiki", next, Pkce.create(), Map.of(), "ivan",
        Directory.PASSWORD, null);
    assertThat(signedIn.code()).as("a code for the redirect URI the update added").isNotNull();

    assertThat(directory.admin("PUT", "/api/admin/apps/wiki", Map.of("name", "Wiki", "type", "WEB")).status())
        .isEqualTo(400);
    assertThat(directory.admin("PUT", "/api/admin/apps/webos", Map.of("name", "Mine", "type", "SERVICE")).json()
        .path("type").asString()).isEqualTo("urn:atrium:problem:platform-app");
    assertThat(directory.admin("PUT", "/api/admin/apps/no-such-app", Map.of("name", "X", "type", "SERVICE"))
        .status()).isEqualTo(404);
    assertThat(directory.admin("GET", "/api/admin/audit?target=wiki&action=app.update", null).json().size())
        .isEqualTo(1);
  }

  @Test
  void aSuspendedAppGetsNoTokensForAnyoneNorForItselfAndKeepsItsGrantsForWhenItIsResumed() {
    Http.Response registered = Directory.expect(201, directory.admin("POST", "/api/admin/apps", Map.of("clientId",
        "survey", "name", "Survey", "type", "WEB_AND_SERVICE", "redirectUris", List.of(OidcClient.REDIRECT_URI))));
    String secret = registered.json().path("clientSecret").asString();
    Directory.expect(200, directory.admin("PUT", "/api/admin/apps/survey/grants", Map.of("people", List.of("ivan"))));
    OidcClient signedIn = new OidcClient(identity);
    var tokens = signedIn.signIn("survey", secret, "ivan", Directory.PASSWORD);
    assertThat(tokens.accessToken()).isNotNull();

    Http.Response suspended = Directory.expect(200, directory.admin("PUT", "/api/admin/apps/survey/suspended",
        Map.of("suspended", true)));
    assertThat(suspended.json().path("suspended").asBoolean()).isTrue();
    assertThat(signedIn.refresh("survey", secret, tokens.refreshToken()).error()).isEqualTo("invalid_grant");
    assertThat(new OidcClient(identity).authorize("survey", OidcClient.REDIRECT_URI, Pkce.create(), Map.of(), "ivan",
        Directory.PASSWORD, null).error()).isEqualTo("access_denied");
    var asItself = new OidcClient(identity).clientCredentials("survey", secret);
    assertThat(asItself.status()).isEqualTo(400);
    assertThat(asItself.error()).isEqualTo("unauthorized_client");
    assertThat(directory.admin("GET", "/api/admin/apps/survey/grants", null).json().size()).isEqualTo(1);

    Directory.expect(200, directory.admin("PUT", "/api/admin/apps/survey/suspended", Map.of("suspended", false)));
    assertThat(new OidcClient(identity).signIn("survey", secret, "ivan", Directory.PASSWORD).accessToken())
        .isNotNull();
    assertThat(new OidcClient(identity).clientCredentials("survey", secret).accessToken()).isNotNull();
    assertThat(directory.admin("GET", "/api/admin/audit?target=survey&action=app.suspend", null).json().size())
        .isEqualTo(1);
    assertThat(directory.admin("PUT", "/api/admin/apps/webos/suspended", Map.of("suspended", true)).json()
        .path("type").asString()).isEqualTo("urn:atrium:problem:platform-app");
    assertThat(directory.admin("PUT", "/api/admin/apps/survey/suspended", Map.of()).status()).isEqualTo(400);
  }
}
