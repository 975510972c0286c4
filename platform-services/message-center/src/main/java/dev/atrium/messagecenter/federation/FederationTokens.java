package dev.atrium.messagecenter.federation;

import dev.atrium.messagecenter.web.ApiException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.Signature;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The signed tokens of federation requests: a compact JWS (RFC 7515, {@code alg} EdDSA with Ed25519, RFC 8037)
 * in {@code Authorization: Federation <token>}, whose claims bind it to one request: {@code iss} the sending
 * platform, {@code aud} the receiving one, {@code iat}/{@code exp} a short validity, {@code jti} a fresh id
 * (the receiver accepts each once) and {@code body_sha256} the base64url SHA-256 of the exact request body.
 */
@Component
public class FederationTokens {

  public static final String SCHEME = "Federation";
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getUrlDecoder();

  private final TrustList trust;
  private final FederationProperties properties;
  private final JsonMapper json;
  private final Clock clock;

  public FederationTokens(TrustList trust, FederationProperties properties, JsonMapper json) {
    this.trust = trust;
    this.properties = properties;
    this.json = json;
    this.clock = Clock.systemUTC();
  }

  /** A verified request: who sent it, its token id and until when that id must be remembered. */
  public record Verified(String origin, String jti, Instant expiresAt) {
  }

  /** The Authorization header value for sending {@code body} to {@code peer}. */
  public String authorization(String peer, byte[] body) {
    Instant now = clock.instant();
    ObjectNode header = json.createObjectNode().put("alg", "EdDSA").put("typ", "JWT").put("kid", trust.keyId());
    ObjectNode claims = json.createObjectNode().put("iss", trust.platform()).put("aud", peer)
        .put("iat", now.getEpochSecond()).put("exp", now.plus(properties.tokenTtl()).getEpochSecond())
        .put("jti", UUID.randomUUID().toString()).put("body_sha256", sha256(body));
    String input = B64.encodeToString(json.writeValueAsBytes(header)) + "." + B64.encodeToString(
        json.writeValueAsBytes(claims));
    try {
      Signature signer = Signature.getInstance("Ed25519");
      signer.initSign(trust.privateKey());
      signer.update(input.getBytes(StandardCharsets.US_ASCII));
      return SCHEME + " " + input + "." + B64.encodeToString(signer.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign a federation request", e);
    }
  }

  /** Checks a request's token against the trust list and its body; refuses with a problem detail. */
  public Verified verify(String authorization, byte[] body) {
    if (!trust.enabled()) {
      throw refused(HttpStatus.FORBIDDEN, "federation-disabled", "Federation is not configured on this platform.");
    }
    if (authorization == null || !authorization.startsWith(SCHEME + " ")) {
      throw refused(HttpStatus.UNAUTHORIZED, "federation-unauthenticated", "Send 'Authorization: " + SCHEME
          + " <JWS>' signed with your platform's key (see the message center's README, Federation).");
    }
    String[] parts = authorization.substring(SCHEME.length() + 1).trim().split("\\.", -1);
    if (parts.length != 3) {
      throw refused(HttpStatus.UNAUTHORIZED, "invalid-federation-token", "The token is not a compact JWS"
          + " (header.claims.signature).");
    }
    JsonNode header;
    JsonNode claims;
    try {
      header = json.readTree(B64D.decode(parts[0]));
      claims = json.readTree(B64D.decode(parts[1]));
    } catch (IllegalArgumentException | JacksonException e) {
      throw refused(HttpStatus.UNAUTHORIZED, "invalid-federation-token", "The token's header or claims are not"
          + " base64url JSON.");
    }
    if (!"EdDSA".equals(header.path("alg").asString(""))) {
      throw refused(HttpStatus.UNAUTHORIZED, "invalid-federation-token", "alg must be EdDSA (Ed25519).");
    }
    String origin = claims.path("iss").asString("");
    TrustList.Peer peer = trust.peer(origin).orElseThrow(() -> refused(HttpStatus.FORBIDDEN, "untrusted-peer",
        "Platform '" + origin + "' is not in this platform's trust list; its operator must add your platform,"
            + " endpoint and public key."));
    if (!peer.keyId().equals(header.path("kid").asString(""))) {
      throw refused(HttpStatus.UNAUTHORIZED, "unknown-federation-key", "Key id '" + header.path("kid").asString("")
          + "' is not the key this platform trusts for '" + origin + "' (" + peer.keyId() + ").");
    }
    try {
      Signature verifier = Signature.getInstance("Ed25519");
      verifier.initVerify(peer.publicKey());
      verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
      if (!verifier.verify(B64D.decode(parts[2]))) {
        throw refused(HttpStatus.UNAUTHORIZED, "invalid-signature", "The token's signature does not verify with"
            + " the public key trusted for '" + origin + "'.");
      }
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw refused(HttpStatus.UNAUTHORIZED, "invalid-signature", "The token's signature cannot be checked: "
          + e.getMessage());
    }
    if (!trust.platform().equals(claims.path("aud").asString(""))) {
      throw refused(HttpStatus.UNAUTHORIZED, "wrong-audience", "The token is for '" + claims.path("aud")
          .asString("") + "', not for this platform ('" + trust.platform() + "').");
    }
    Instant now = clock.instant();
    Instant expires = Instant.ofEpochSecond(claims.path("exp").asLong(0));
    Instant issued = Instant.ofEpochSecond(claims.path("iat").asLong(0));
    if (now.isAfter(expires.plus(properties.clockSkew())) || issued.isAfter(now.plus(properties.clockSkew()))
        || expires.isAfter(issued.plus(properties.tokenTtl()).plus(properties.clockSkew()))) {
      throw refused(HttpStatus.UNAUTHORIZED, "token-expired", "The token is expired or not valid yet (iat "
          + issued + ", exp " + expires + ", now " + now + "); sign each request afresh, with a correct clock.");
    }
    String jti = claims.path("jti").asString("");
    if (jti.isBlank() || jti.length() > 200) {
      throw refused(HttpStatus.UNAUTHORIZED, "invalid-federation-token", "jti must be a fresh id per request.");
    }
    if (!MessageDigest.isEqual(sha256(body).getBytes(StandardCharsets.US_ASCII),
        claims.path("body_sha256").asString("").getBytes(StandardCharsets.US_ASCII))) {
      throw refused(HttpStatus.UNAUTHORIZED, "invalid-signature", "The request body is not the one the token"
          + " signed (body_sha256 differs).");
    }
    return new Verified(origin, jti, expires.plus(properties.clockSkew()));
  }

  static ApiException refused(HttpStatus status, String type, String detail) {
    return new ApiException(status, type, "Federation request refused", detail);
  }

  private static String sha256(byte[] body) {
    try {
      return B64.encodeToString(MessageDigest.getInstance("SHA-256").digest(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
