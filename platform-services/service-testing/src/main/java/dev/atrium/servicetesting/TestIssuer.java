package dev.atrium.servicetesting;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The identity service as a resource server and a confidential client see it, for services' integration tests
 * that do not need identity itself: a JWKS endpoint serving the public half of a fresh RSA key, a token
 * endpoint for the client-credentials grant (clients registered with {@link #registerClient}), and tokens
 * signed with the private half carrying identity's claims ({@code principal_type}, {@code departments}).
 * Identity's own behaviour is tested against identity (platform-services/identity).
 */
public final class TestIssuer implements AutoCloseable {

  public static final String ISSUER = "http://atrium.test/auth";

  private final RSAKey key;
  private final HttpServer server;
  private final Map<String, String> clients = new ConcurrentHashMap<>();
  private final AtomicInteger tokensIssued = new AtomicInteger();

  private TestIssuer(RSAKey key, HttpServer server) {
    this.key = key;
    this.server = server;
  }

  public static TestIssuer start() {
    try {
      RSAKey key = new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      TestIssuer issuer = new TestIssuer(key, server);
      byte[] jwks = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
      server.createContext("/oauth2/jwks", exchange -> respond(exchange, 200, "application/jwk-set+json", jwks));
      server.createContext("/oauth2/token", issuer::token);
      server.start();
      return issuer;
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot generate an RSA key", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the test issuer", e);
    }
  }

  public String jwksUri() {
    return base() + "/oauth2/jwks";
  }

  public String tokenUri() {
    return base() + "/oauth2/token";
  }

  /** A confidential client that may use the client-credentials grant (HTTP Basic or form credentials). */
  public void registerClient(String clientId, String secret) {
    clients.put(clientId, secret);
  }

  /** How many client-credentials tokens the endpoint issued. */
  public int tokensIssued() {
    return tokensIssued.get();
  }

  /** A person's access token. */
  public String userToken(String userId, String... departments) {
    return sign(userId, Map.of("principal_type", "user", "departments", List.of(departments)));
  }

  /** An integrated app's client-credentials token. */
  public String appToken(String clientId) {
    return sign(clientId, Map.of("principal_type", "app", "client_id", clientId));
  }

  /** A token with the given claims, signed with the served key. */
  public String sign(String subject, Map<String, Object> claims) {
    return sign(ISSUER, subject, claims);
  }

  /** A token with the given issuer and claims (an {@code exp} among them replaces the 30 minutes), signed with the served key. */
  public String sign(String issuer, String subject, Map<String, Object> claims) {
    return signWith(key, issuer, subject, claims);
  }

  /** A token signed with a key the JWKS endpoint does not serve. */
  public static String signWithUnknownKey(String subject, Map<String, Object> claims) {
    try {
      return signWith(new RSAKeyGenerator(2048).keyID("unknown").generate(), ISSUER, subject, claims);
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String signWith(RSAKey key, String issuer, String subject, Map<String, Object> claims) {
    Instant now = Instant.now();
    JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder().issuer(issuer).subject(subject)
        .issueTime(Date.from(now)).expirationTime(Date.from(now.plus(Duration.ofMinutes(30))))
        .jwtID(UUID.randomUUID().toString());
    claims.forEach(builder::claim);
    try {
      SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
          builder.build());
      jwt.sign(new RSASSASigner(key));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign a test token", e);
    }
  }

  private void token(HttpExchange exchange) throws IOException {
    Map<String, String> form = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
    String clientId = form.get("client_id");
    String secret = form.get("client_secret");
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    if (authorization != null && authorization.startsWith("Basic ")) {
      String[] pair = new String(Base64.getDecoder().decode(authorization.substring(6)), StandardCharsets.UTF_8)
          .split(":", 2);
      clientId = URLDecoder.decode(pair[0], StandardCharsets.UTF_8);
      secret = pair.length == 2 ? URLDecoder.decode(pair[1], StandardCharsets.UTF_8) : null;
    }
    if (!"POST".equals(exchange.getRequestMethod()) || !"client_credentials".equals(form.get("grant_type"))) {
      respond(exchange, 400, "application/json", "{\"error\":\"unsupported_grant_type\"}"
          .getBytes(StandardCharsets.UTF_8));
      return;
    }
    if (clientId == null || secret == null || !secret.equals(clients.get(clientId))) {
      respond(exchange, 401, "application/json", "{\"error\":\"invalid_client\"}".getBytes(StandardCharsets.UTF_8));
      return;
    }
    tokensIssued.incrementAndGet();
    String body = "{\"access_token\":\"" + appToken(clientId) + "\",\"token_type\":\"Bearer\",\"expires_in\":1800}";
    respond(exchange, 200, "application/json", body.getBytes(StandardCharsets.UTF_8));
  }

  private static Map<String, String> form(String body) {
    Map<String, String> form = new HashMap<>();
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return form;
  }

  private static void respond(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
    exchange.getResponseHeaders().add("Content-Type", type);
    exchange.sendResponseHeaders(status, body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }

  private String base() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
