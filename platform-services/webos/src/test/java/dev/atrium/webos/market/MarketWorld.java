package dev.atrium.webos.market;

import com.sun.net.httpserver.HttpServer;
import dev.atrium.servicetesting.Http;
import dev.atrium.servicetesting.IdentityProcess;
import dev.atrium.servicetesting.PostgresServer;
import dev.atrium.servicetesting.RedisServer;
import dev.atrium.webos.WebosApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The market's ITs' world, real servers started once per run: PostgreSQL, Redis, identity as its own process
 * (service-testing's {@link IdentityProcess}, from its jar), webos in this JVM configured as the operator configures
 * it (identity's address in ATRIUM_GATEWAY_ROUTES_IDENTITY), and two small backends standing for two versions of
 * an app's API (each answers {@code <version> <path>}). Identity's directory: the administrators {@code admin} and
 * {@code rita}, and {@code hana}, {@code ivan} and {@code judy} (in department {@code sales}), who are not.
 */
public final class MarketWorld implements ParameterResolver, AutoCloseable {

  public static final String PASSWORD = "correct horse battery";

  private PostgresServer postgres;
  private RedisServer redis;
  private IdentityProcess identity;
  private ConfigurableApplicationContext webos;
  private final List<HttpServer> backends = new ArrayList<>();
  private final Map<String, URI> backendUrls = new HashMap<>();
  private int webosPort;

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == MarketWorld.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context.getRoot().getStore(ExtensionContext.Namespace.create(MarketWorld.class))
        .computeIfAbsent(MarketWorld.class, key -> start(), MarketWorld.class);
  }

  private static MarketWorld start() {
    MarketWorld world = new MarketWorld();
    try {
      world.postgres = PostgresServer.start();
      world.postgres.createDatabase("identity");
      world.postgres.createDatabase("webos");
      world.redis = RedisServer.start();
      world.identity = IdentityProcess.start(world.postgres, "identity");
      world.backend("v1");
      world.backend("v2");
      world.startWebos();
      world.directory();
      return world;
    } catch (RuntimeException e) {
      world.close();
      throw e;
    }
  }

  private void startWebos() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("server.port", "0");
    env.put("spring.datasource.url", postgres.jdbcUrl("webos"));
    env.put("spring.datasource.username", PostgresServer.SUPERUSER);
    env.put("spring.datasource.password", "");
    env.put("spring.data.redis.host", "127.0.0.1");
    env.put("spring.data.redis.port", Integer.toString(redis.port()));
    env.put("ATRIUM_IDENTITY_ISSUER", identity.issuer());
    env.put("ATRIUM_IDENTITY_JWKS_URI", identity.jwksUri());
    env.put("ATRIUM_GATEWAY_ROUTES_IDENTITY", identity.uri("").toString());
    env.put("ATRIUM_PLATFORM", "it");
    env.put("ATRIUM_SHUTDOWN_TIMEOUT", "5s");
    env.put("logging.level.root", "WARN");
    env.put("logging.level.dev.atrium", "INFO");
    List<String> args = new ArrayList<>();
    env.forEach((key, value) -> args.add("--" + key + "=" + value));
    webos = new SpringApplicationBuilder(WebosApplication.class).run(args.toArray(String[]::new));
    webosPort = Integer.parseInt(webos.getEnvironment().getRequiredProperty("local.server.port"));
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

  private void backend(String version) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext("/", exchange -> {
        byte[] body = (version + " " + exchange.getRequestURI().getPath()).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "text/plain");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
      });
      server.start();
      backends.add(server);
      backendUrls.put(version, URI.create("http://127.0.0.1:" + server.getAddress().getPort()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A fresh access token of {@code person}, signed in through identity's login page with the desktop's client. */
  public String token(String person) {
    return identity.signIn(person, person.equals(IdentityProcess.ADMIN) ? IdentityProcess.ADMIN_PASSWORD : PASSWORD)
        .accessToken();
  }

  /** The backend standing for {@code version} of an app's API ("v1" or "v2"). */
  public String backendUrl(String version) {
    return backendUrls.get(version).toString();
  }

  public URI webos(String path) {
    return URI.create("http://127.0.0.1:" + webosPort + path);
  }

  public URI identity(String path) {
    return identity.uri(path);
  }

  public <T> T bean(Class<T> type) {
    return webos.getBean(type);
  }

  /** A version of a tenant's app as its publisher submits it, its API on the backend {@code backend} (or none). */
  public Map<String, Object> submission(String app, String version, String backend) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("version", version);
    body.put("nameZh", "应用 " + app);
    body.put("nameEn", "App " + app);
    body.put("descriptionEn", "The app " + app + ", version " + version);
    body.put("openUrl", "https://" + app + ".example.test/");
    body.put("backendUrl", backend == null ? null : backendUrl(backend));
    body.put("clientType", "WEB_AND_SERVICE");
    body.put("redirectUris", List.of(dev.atrium.servicetesting.OidcBrowser.REDIRECT_URI));
    return body;
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
    if (webos != null) {
      webos.close();
    }
    backends.forEach(server -> server.stop(0));
    try (AutoCloseable i = identity; AutoCloseable r = redis; AutoCloseable p = postgres) {
      // closed in reverse order
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
