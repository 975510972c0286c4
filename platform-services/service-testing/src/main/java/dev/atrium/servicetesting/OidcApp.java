package dev.atrium.servicetesting;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;

/**
 * A small real web app that signs people in with identity as its OpenID Connect client, as a tenant's app published
 * in the market does: the authorization code flow with PKCE (S256), its state bound to the browser by a cookie and a
 * nonce checked in the ID token; the code exchanged at identity's token endpoint with the client's id and secret
 * (HTTP Basic); the person's name from identity's userinfo. Then it says "Hello <name>" and keeps them signed in by
 * its own cookie. The secret is set once the market's approval has shown it ({@link #clientSecret}). The browser
 * goes to the issuer's public address; the app itself may reach identity at another (its back channel: inside a
 * cluster, identity's Service).
 */
public final class OidcApp implements AutoCloseable {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final HttpServer server;
  private final String clientId;
  private final String issuer;
  private final String backChannel;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  /** Sign-ins under way, by state: the PKCE verifier and the nonce. */
  private final Map<String, String[]> pending = new ConcurrentHashMap<>();
  /** Signed-in browsers, by the app's session cookie: the person's name. */
  private final Map<String, String> sessions = new ConcurrentHashMap<>();
  private final AtomicInteger signIns = new AtomicInteger();
  private volatile String secret;

  private OidcApp(HttpServer server, String clientId, String issuer, String backChannel) {
    this.server = server;
    this.clientId = clientId;
    this.issuer = strip(issuer);
    this.backChannel = strip(backChannel);
  }

  private static String strip(String uri) {
    return uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
  }

  /** The app {@code clientId} of identity at {@code issuer}, on {@code address} (any of 127.0.0.0/8), any port. */
  public static OidcApp start(String clientId, String issuer, String address) {
    return start(clientId, issuer, issuer, address);
  }

  /**
   * The same, calling identity's token and userinfo endpoints at {@code backChannel} (its address as the app reaches
   * it) while the browser goes to {@code issuer}.
   */
  public static OidcApp start(String clientId, String issuer, String backChannel, String address) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(address, 0), 50);
      OidcApp app = new OidcApp(server, clientId, issuer, backChannel);
      server.createContext("/", app::handle);
      server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
      server.start();
      return app;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public URI uri(String path) {
    return URI.create("http://" + server.getAddress().getAddress().getHostAddress() + ":"
        + server.getAddress().getPort() + path);
  }

  /** Where identity sends the browser back with the code. */
  public URI redirectUri() {
    return uri("/callback");
  }

  /** The client secret the market's approval showed. */
  public void clientSecret(String secret) {
    this.secret = secret;
  }

  /** How many times someone was signed in (a code exchanged and the userinfo read). */
  public int signIns() {
    return signIns.get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Map<String, String> cookies = cookies(exchange);
      switch (exchange.getRequestURI().getPath()) {
        case "/" -> {
          String name = sessions.get(cookies.getOrDefault("app_session", ""));
          if (name != null) {
            answer(exchange, 200, "<!DOCTYPE html><html lang=\"en\"><head><title>Board</title></head><body><h1>Hello "
                + escape(name) + "</h1></body></html>");
          } else {
            startSignIn(exchange);
          }
        }
        case "/callback" -> {
          try {
            callback(exchange, query(exchange.getRequestURI()), cookies);
          } catch (RuntimeException e) {
            answer(exchange, 500, "sign-in failed: " + escape(String.valueOf(e.getMessage())));
          }
        }
        default -> answer(exchange, 404, "not found");
      }
    }
  }

  private void startSignIn(HttpExchange exchange) throws IOException {
    String state = random();
    String verifier = random();
    String nonce = random();
    pending.put(state, new String[] {verifier, nonce});
    Map<String, String> params = new LinkedHashMap<>();
    params.put("response_type", "code");
    params.put("client_id", clientId);
    params.put("redirect_uri", redirectUri().toString());
    params.put("scope", "openid profile");
    params.put("state", state);
    params.put("nonce", nonce);
    params.put("code_challenge", challenge(verifier));
    params.put("code_challenge_method", "S256");
    exchange.getResponseHeaders().add("Set-Cookie", "app_state=" + state + "; Path=/; HttpOnly; SameSite=Lax");
    exchange.getResponseHeaders().add("Location", issuer + "/oauth2/authorize?" + form(params));
    exchange.sendResponseHeaders(302, -1);
  }

  private void callback(HttpExchange exchange, Map<String, String> query, Map<String, String> cookies)
      throws IOException {
    String state = query.get("state");
    String[] started = state == null || !state.equals(cookies.get("app_state")) ? null : pending.remove(state);
    if (started == null) {
      answer(exchange, 400, "sign-in failed: unknown state");
      return;
    }
    if (query.get("code") == null) {
      answer(exchange, 403, "sign-in failed: identity said " + query.get("error"));
      return;
    }
    JsonNode tokens = exchange(query.get("code"), started[0]);
    JsonNode idToken = claims(tokens.path("id_token").asString(""));
    if (!idToken.path("aud").toString().contains("\"" + clientId + "\"")
        || !started[1].equals(idToken.path("nonce").asString())) {
      answer(exchange, 400, "sign-in failed: the ID token is not for this sign-in: " + idToken);
      return;
    }
    JsonNode userinfo = Http.JSON.readTree(send(HttpRequest.newBuilder(URI.create(backChannel + "/userinfo"))
        .header("Authorization", "Bearer " + tokens.path("access_token").asString()).GET()));
    String session = random();
    sessions.put(session, userinfo.path("name").asString(userinfo.path("sub").asString()));
    signIns.incrementAndGet();
    exchange.getResponseHeaders().add("Set-Cookie", "app_session=" + session + "; Path=/; HttpOnly; SameSite=Lax");
    exchange.getResponseHeaders().add("Location", "/");
    exchange.sendResponseHeaders(302, -1);
  }

  private JsonNode exchange(String code, String verifier) {
    String basic = Base64.getEncoder().encodeToString((enc(clientId) + ":" + enc(secret))
        .getBytes(StandardCharsets.UTF_8));
    return Http.JSON.readTree(send(HttpRequest.newBuilder(URI.create(backChannel + "/oauth2/token"))
        .header("Authorization", "Basic " + basic)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form(Map.of("grant_type", "authorization_code", "code", code,
            "redirect_uri", redirectUri().toString(), "code_verifier", verifier))))));
  }

  private String send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException(response.uri() + " answered " + response.statusCode() + ": "
            + response.body());
      }
      return response.body();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A JWT's claims; its signature is not checked: it came straight from identity's token endpoint. */
  private static JsonNode claims(String jwt) {
    String[] parts = jwt.split("\\.");
    return Http.JSON.readTree(parts.length < 2 ? "{}"
        : new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
  }

  private static void answer(HttpExchange exchange, int status, String html) throws IOException {
    byte[] body = html.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
    exchange.sendResponseHeaders(status, body.length);
    exchange.getResponseBody().write(body);
  }

  private static Map<String, String> cookies(HttpExchange exchange) {
    Map<String, String> cookies = new LinkedHashMap<>();
    exchange.getRequestHeaders().getOrDefault("Cookie", java.util.List.of()).forEach(header -> {
      for (String pair : header.split(";")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          cookies.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
      }
    });
    return cookies;
  }

  private static Map<String, String> query(URI uri) {
    Map<String, String> params = new LinkedHashMap<>();
    if (uri.getRawQuery() != null) {
      for (String pair : uri.getRawQuery().split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          params.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
      }
    }
    return params;
  }

  private static String form(Map<String, String> params) {
    return params.entrySet().stream().map(e -> e.getKey() + "=" + enc(e.getValue()))
        .collect(Collectors.joining("&"));
  }

  private static String enc(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static String challenge(String verifier) {
    try {
      return Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256")
          .digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String random() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
