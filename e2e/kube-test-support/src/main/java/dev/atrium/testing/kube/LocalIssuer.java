package dev.atrium.testing.kube;

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
import java.util.UUID;

/**
 * An OpenID Connect provider as far as the platform's services see one, until identity exists (a platform
 * trusts it as {@code spec.identity.external}): a JWKS on an address the pods reach (this machine's end of
 * the real node's veth), and access tokens signed with its key, with the claims identity's tokens carry.
 */
public final class LocalIssuer implements AutoCloseable {

  public static final String PATH = "/oauth2/jwks";

  private final RSAKey key;
  private final HttpServer server;
  private final String issuer;

  private LocalIssuer(RSAKey key, HttpServer server, String issuer) {
    this.key = key;
    this.server = server;
    this.issuer = issuer;
  }

  public static LocalIssuer start(String address) {
    try {
      RSAKey key = new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
      byte[] body = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(address), 0), 0);
      server.createContext(PATH, exchange -> {
        exchange.getResponseHeaders().add("Content-Type", "application/jwk-set+json");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
      });
      server.start();
      String base = "http://" + address + ":" + server.getAddress().getPort();
      return new LocalIssuer(key, server, base);
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot generate an RSA key", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the JWKS endpoint", e);
    }
  }

  public String issuer() {
    return issuer;
  }

  public String jwksUri() {
    return issuer + PATH;
  }

  /** A person's access token, with the claims identity's tokens carry. */
  public String userToken(String userId, String... departments) {
    Instant now = Instant.now();
    JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(issuer).subject(userId)
        .issueTime(Date.from(now)).expirationTime(Date.from(now.plus(Duration.ofMinutes(30))))
        .jwtID(UUID.randomUUID().toString())
        .claim("principal_type", "user").claim("departments", List.of(departments)).build();
    try {
      SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
      jwt.sign(new RSASSASigner(key));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign a token", e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
