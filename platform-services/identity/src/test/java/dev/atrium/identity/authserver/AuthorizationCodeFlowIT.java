package dev.atrium.identity.authserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import dev.atrium.identity.testing.Directory;
import dev.atrium.identity.testing.IdentityInstance;
import dev.atrium.identity.testing.OidcClient;
import dev.atrium.servicetesting.OidcBrowser.Tokens;
import dev.atrium.identity.testing.TestServers;
import dev.atrium.servicetesting.Http;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** The authorization code flow with PKCE through the login page, and what the tokens carry and allow. */
@ExtendWith(TestServers.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthorizationCodeFlowIT {

  private final IdentityInstance identity;
  private Directory directory;

  AuthorizationCodeFlowIT(IdentityInstance identity) {
    this.identity = identity;
  }

  @BeforeAll
  void people() {
    directory = new Directory(identity);
    directory.department("rnd", null);
    directory.department("platform", "rnd");
    directory.person("alice", "platform");
    directory.person("bob");
    directory.person("carol");
    directory.person("dave");
  }

  @Test
  void discoveryNamesTheIssuerAndEveryEndpoint() {
    Http.Response discovery = Http.get(identity.uri("/.well-known/openid-configuration"), null);
    assertThat(discovery.status()).isEqualTo(200);
    assertThat(discovery.json().path("issuer").asString()).isEqualTo(identity.issuer());
    for (String endpoint : List.of("authorization_endpoint", "token_endpoint", "jwks_uri", "userinfo_endpoint",
        "end_session_endpoint", "revocation_endpoint", "introspection_endpoint")) {
      assertThat(discovery.json().path(endpoint).asString()).as(endpoint).startsWith(identity.issuer());
    }
    assertThat(discovery.json().path("code_challenge_methods_supported").toString()).contains("S256");
  }

  @Test
  void aPersonSignsInAndTheTokenCarriesWhatTheMessageCenterExpects() throws Exception {
    Tokens tokens = new OidcClient(identity).signIn("webos", "webos-secret", "alice", Directory.PASSWORD);

    var access = SignedJWT.parse(tokens.accessToken()).getJWTClaimsSet();
    assertThat(access.getSubject()).isEqualTo("alice");
    assertThat(access.getIssuer()).isEqualTo(identity.issuer());
    assertThat(access.getStringClaim("principal_type")).isEqualTo("user");
    // the person's department and every department above it
    assertThat(access.getStringListClaim("departments")).containsExactly("platform", "rnd");
    var id = SignedJWT.parse(tokens.idToken()).getJWTClaimsSet();
    assertThat(id.getStringClaim("name")).isEqualTo("Person alice");
    assertThat(id.getStringClaim("preferred_username")).isEqualTo("alice");
    assertThat(Http.get(identity.uri("/api/me"), tokens.accessToken()).json().path("person").path("id").asString())
        .isEqualTo("alice");
  }

  @Test
  void theCommandLineClientSignsInWithoutASecretOnAnyLoopbackPort() {
    OidcClient cli = new OidcClient(identity);
    OidcClient.Pkce pkce = OidcClient.Pkce.create();
    String redirect = "http://127.0.0.1:" + (20000 + new java.util.Random().nextInt(20000)) + "/callback";
    OidcClient.Outcome outcome = cli.authorize("atrium-cli", redirect, pkce, Map.of(), "bob", Directory.PASSWORD, null);
    assertThat(outcome.code()).as("ended at " + outcome.finalUri()).isNotNull();
    Tokens tokens = cli.publicExchange("atrium-cli", outcome.code(), redirect, pkce.verifier());
    assertThat(tokens.accessToken()).isNotNull();
    // without the verifier a stolen code is worthless
    OidcClient.Outcome again = cli.authorize("atrium-cli", redirect, OidcClient.Pkce.create(), Map.of(), null, null,
        null);
    assertThat(cli.publicExchange("atrium-cli", again.code(), redirect, "not-the-verifier").error())
        .isEqualTo("invalid_grant");
  }

  @Test
  void theLoginPageSpeaksChineseAndEnglishWithoutJavaScript() {
    OidcClient browser = new OidcClient(identity);
    String chinese = browser.get(identity.uri("/login?lang=zh-CN")).body();
    assertThat(chinese).contains("登录").contains("密码").doesNotContain("<script");
    // the choice is remembered in a cookie
    assertThat(browser.get(identity.uri("/login")).body()).contains("账号");
    String english = new OidcClient(identity).get(identity.uri("/login")).body();
    assertThat(english).contains("Sign in").contains("Password").contains("name=\"_csrf\"");
  }

  @Test
  void behindTheGatewaysAuthPrefixRedirectsAndTheLoginPagePointAtThePublicAddress() {
    // what webos's gateway sends for https://collab.example/auth/...: the prefix stripped, the public origin in headers
    Map<String, String> forwarded = Map.of("X-Forwarded-Prefix", "/auth", "X-Forwarded-Host", "collab.example",
        "X-Forwarded-Proto", "https");
    String authorize = "/oauth2/authorize?response_type=code&client_id=atrium-cli&scope=openid"
        + "&redirect_uri=http%3A%2F%2F127.0.0.1%3A8400%2Fcallback&code_challenge_method=S256"
        + "&code_challenge=" + OidcClient.Pkce.create().challenge();
    Http.Response toLogin = Http.send(headers(Http.builder(identity.uri(authorize), null), forwarded).GET());
    assertThat(toLogin.status()).isEqualTo(302);
    assertThat(toLogin.header("Location")).isEqualTo("https://collab.example/auth/login");

    String page = Http.send(headers(Http.builder(identity.uri("/login"), null), forwarded).GET()).body();
    assertThat(page).contains("action=\"/auth/login\"").contains("href=\"/auth/css/login.css\"");
    // without the headers (a service calling identity in the cluster) nothing changes
    assertThat(Http.send(Http.builder(identity.uri(authorize), null).GET()).header("Location"))
        .isEqualTo(identity.uri("/login").toString());
  }

  private static java.net.http.HttpRequest.Builder headers(java.net.http.HttpRequest.Builder builder,
      Map<String, String> headers) {
    headers.forEach(builder::header);
    return builder;
  }

  @Test
  void refreshGivesNewTokensAndRevocationEndsThem() {
    OidcClient client = new OidcClient(identity);
    Tokens tokens = client.signIn("webos", "webos-secret", "bob", Directory.PASSWORD);
    Tokens refreshed = client.refresh("webos", "webos-secret", tokens.refreshToken());
    assertThat(refreshed.status()).isEqualTo(200);
    assertThat(refreshed.accessToken()).isNotEqualTo(tokens.accessToken());

    Tokens introspected = client.post("/oauth2/introspect", "webos", "webos-secret",
        Map.of("token", refreshed.accessToken()));
    assertThat(introspected.json().path("active").asBoolean()).isTrue();
    assertThat(introspected.json().path("sub").asString()).isEqualTo("bob");

    assertThat(client.post("/oauth2/revoke", "webos", "webos-secret", Map.of("token", refreshed.refreshToken(),
        "token_type_hint", "refresh_token")).status()).isEqualTo(200);
    assertThat(client.refresh("webos", "webos-secret", refreshed.refreshToken()).error()).isEqualTo("invalid_grant");
    assertThat(client.post("/oauth2/introspect", "webos", "webos-secret", Map.of("token", refreshed.accessToken()))
        .json().path("active").asBoolean()).isFalse();
  }

  @Test
  void aDisabledPersonCannotRefreshOrUseTheApiAnyMore() {
    OidcClient client = new OidcClient(identity);
    Tokens tokens = client.signIn("webos", "webos-secret", "carol", Directory.PASSWORD);
    Directory.expect(200, directory.admin("POST", "/api/admin/people/carol/disable", null));

    assertThat(Http.get(identity.uri("/api/me"), tokens.accessToken()).status()).isEqualTo(401);
    assertThat(client.refresh("webos", "webos-secret", tokens.refreshToken()).error()).isEqualTo("invalid_grant");
    OidcClient.Outcome again = new OidcClient(identity).authorize("webos", OidcClient.REDIRECT_URI,
        OidcClient.Pkce.create(), Map.of(), "carol", Directory.PASSWORD, null);
    assertThat(again.finalUri().toString()).contains("/login?error=bad");
    // history stays: the person is there, disabled
    assertThat(directory.admin("GET", "/api/admin/people/carol", null).json().path("status").asString())
        .isEqualTo("DISABLED");
  }

  @Test
  void logoutEndsTheSessionAndReturnsToTheApp() {
    OidcClient browser = new OidcClient(identity);
    Tokens tokens = browser.signIn("webos", "webos-secret", "dave", Directory.PASSWORD);
    var logout = browser.get(identity.uri("/connect/logout?id_token_hint=" + tokens.idToken()
        + "&post_logout_redirect_uri=" + OidcClient.POST_LOGOUT_URI + "&client_id=webos"));
    assertThat(logout.statusCode()).isEqualTo(302);
    assertThat(logout.headers().firstValue("Location").orElseThrow()).startsWith(OidcClient.POST_LOGOUT_URI);
    // the session is gone: the next authorization asks for the login page again
    OidcClient.Outcome next = browser.authorize("webos", OidcClient.REDIRECT_URI, OidcClient.Pkce.create(), Map.of(),
        null, null, null);
    assertThat(next.finalUri().getPath()).isEqualTo("/login");
  }
}
