package dev.atrium.webos.market;

import dev.atrium.servicetesting.Http;
import dev.atrium.servicetesting.IdentityProcess;
import dev.atrium.servicetesting.OidcBrowser;
import dev.atrium.webos.testing.Backend;
import dev.atrium.webos.testing.TestServers;
import dev.atrium.webos.testing.WebosInstance;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The market's ITs' world, real servers started once per run: the run's PostgreSQL and Redis
 * ({@link TestServers}), identity as its own process on that PostgreSQL (service-testing's {@link IdentityProcess},
 * from its jar), a webos replica trusting identity's tokens and asking identity (ATRIUM_GATEWAY_ROUTES_IDENTITY) as
 * the operator configures it, and two {@link Backend}s standing for versions v1 and v2 of an app's API. Identity's
 * directory: the administrators {@code admin} and {@code rita}, and {@code hana}, {@code ivan} and {@code judy} (in
 * department {@code sales}), who are not.
 */
public final class MarketWorld implements ParameterResolver, AutoCloseable {

  public static final String PASSWORD = "correct horse battery";

  private IdentityProcess identity;
  private WebosInstance webos;
  private final Map<String, Backend> backends = new LinkedHashMap<>();

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == MarketWorld.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    TestServers.Servers servers = TestServers.servers(context);
    return context.getRoot().getStore(ExtensionContext.Namespace.create(MarketWorld.class))
        .computeIfAbsent(MarketWorld.class, key -> start(servers), MarketWorld.class);
  }

  private static MarketWorld start(TestServers.Servers servers) {
    MarketWorld world = new MarketWorld();
    try {
      String database = servers.newDatabase();
      world.identity = IdentityProcess.start(servers.postgres(), servers.newDatabase());
      world.backends.put("v1", Backend.start("v1"));
      world.backends.put("v2", Backend.start("v2"));
      world.webos = WebosInstance.start(servers, database, Map.of(
          "ATRIUM_IDENTITY_ISSUER", world.identity.issuer(),
          "ATRIUM_IDENTITY_JWKS_URI", world.identity.jwksUri(),
          "ATRIUM_GATEWAY_ROUTES_IDENTITY", world.identity.uri("").toString()));
      world.directory();
      return world;
    } catch (RuntimeException e) {
      world.close();
      throw e;
    }
  }

  private void directory() {
    String admin = token(IdentityProcess.ADMIN);
    expect(201, Http.post(identity.uri("/api/admin/departments"), admin, Map.of("id", "sales", "name", "Sales")));
    for (String person : List.of("rita", "hana", "ivan", "judy")) {
      Map<String, Object> body = new LinkedHashMap<>(Map.of("id", person, "displayName", "Person " + person,
          "email", person + "@example.test", "password", PASSWORD, "admin", person.equals("rita")));
      body.put("departments", person.equals("judy") ? List.of("sales") : List.of());
      expect(201, Http.post(identity.uri("/api/admin/people"), admin, body));
    }
  }

  /** A fresh access token of {@code person}, signed in through identity's login page with the desktop's client. */
  public String token(String person) {
    return identity.signIn(person, person.equals(IdentityProcess.ADMIN) ? IdentityProcess.ADMIN_PASSWORD : PASSWORD)
        .accessToken();
  }

  public URI webos(String path) {
    return webos.uri(path);
  }

  public URI identity(String path) {
    return identity.uri(path);
  }

  /** Which backend answered a request through the gateway, and the path it got: {@code "v1 /hello"}. */
  public static String answeredBy(Http.Response response) {
    expect(200, response);
    return response.json().path("backend").asString() + " " + response.json().path("path").asString();
  }

  /** A version of a tenant's app as its publisher submits it, its API on the backend {@code backend} (or none). */
  public Map<String, Object> submission(String app, String version, String backend) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("version", version);
    body.put("nameZh", "应用 " + app);
    body.put("nameEn", "App " + app);
    body.put("descriptionEn", "The app " + app + ", version " + version);
    body.put("openUrl", "https://" + app + ".example.test/");
    body.put("backendUrl", backend == null ? null : backends.get(backend).origin().toString());
    body.put("clientType", "WEB_AND_SERVICE");
    body.put("redirectUris", List.of(redirectUri(app, version)));
    return body;
  }

  /** The redirect URI of {@code version} of {@code app}'s OAuth client, as {@link #submission} submits it. */
  public static String redirectUri(String app, String version) {
    return "http://" + app + ".example.test/" + version + "/callback";
  }

  /** Whether identity gives {@code person} a code for {@code app}'s client redirected to {@code redirectUri}. */
  public boolean signsInAt(String app, String redirectUri, String person) {
    return new OidcBrowser(identity.uri("")).authorize(app, redirectUri, OidcBrowser.Pkce.create(), Map.of(), person,
        PASSWORD, null).code() != null;
  }

  /** {@code admin} publishes {@code app} at version v1 on backend v1, and rita approves it; the approval's answer. */
  public Http.Response publishAndApprove(String app) {
    expect(201, Http.post(webos("/webos/api/v1/market/apps"), token(IdentityProcess.ADMIN), Map.of("app", app,
        "submission", submission(app, "v1", "v1"))));
    return expect(200, Http.post(webos("/webos/api/v1/market/apps/" + app + "/versions/v1/approve"), token("rita"),
        "{}"));
  }

  /** The apps in {@code person}'s catalogue. */
  public List<String> catalogue(String person) {
    List<String> apps = new ArrayList<>();
    expect(200, Http.get(webos("/webos/api/v1/market/catalogue"), token(person))).json()
        .forEach(app -> apps.add(app.path("app").asString()));
    return apps;
  }

  public static Http.Response expect(int status, Http.Response response) {
    if (response.status() != status) {
      throw new AssertionError("expected " + status + ", got " + response);
    }
    return response;
  }

  @Override
  public void close() {
    List<AutoCloseable> closeables = new ArrayList<>(List.of(webos == null ? () -> { } : webos));
    closeables.addAll(backends.values());
    closeables.add(identity);
    TestServers.closeAll(closeables.toArray(AutoCloseable[]::new));
  }
}
