package dev.atrium.messagecenter.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The identity service as the message center sees it: a JWKS endpoint on a random loopback port serving the
 * public half of a freshly generated RSA key, and tokens signed with the private half.
 */
public final class JwksServer implements AutoCloseable {

  public static final String ISSUER = "http://atrium.test/auth";
  public static final String PATH = "/oauth2/jwks";

  private final RSAKey key;
  private final HttpServer server;

  private JwksServer(RSAKey key, HttpServer server) {
    this.key = key;
    this.server = server;
  }

  public static JwksServer start() {
    try {
      RSAKey key = new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
      byte[] body = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.createContext(PATH, exchange -> {
        exchange.getResponseHeaders().add("Content-Type", "application/jwk-set+json");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
      });
      server.start();
      return new JwksServer(key, server);
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot generate an RSA key", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the JWKS endpoint", e);
    }
  }

  public String jwksUri() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + PATH;
  }

  /** A person's access token. */
  public String userToken(String userId, String... departments) {
    return sign(ISSUER, userId, Map.of("principal_type", "user", "departments", List.of(departments)));
  }

  /** An integrated app's client-credentials token. */
  public String appToken(String clientId) {
    return sign(ISSUER, clientId, Map.of("principal_type", "app", "client_id", clientId));
  }

  /** A token with the given issuer and claims, signed with the served key. */
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

  @Override
  public void close() {
    server.stop(0);
  }
}
