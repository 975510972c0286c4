package dev.atrium.messagecenter.federation;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.atrium.service.web.ApiException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * The signed tokens of federation requests: a compact JWS (RFC 7515, {@code alg} EdDSA with Ed25519, RFC 8037)
 * in {@code Authorization: Federation <token>}, whose claims bind it to one request: {@code iss} the sending
 * platform, {@code aud} the receiving one, {@code iat}/{@code exp} a short validity, {@code jti} a fresh id
 * (the receiver accepts each once, see {@link FederationReceiver}) and {@code body_sha256} the base64url SHA-256
 * of the exact request body. Nimbus JOSE+JWT parses and assembles the JWS and its claims; the signature itself
 * is the JDK's Ed25519 ({@link Ed25519Jws}). Time comes from the injected clock.
 */
@Component
public class FederationTokens {

  public static final String SCHEME = "Federation";
  static final String BODY_HASH_CLAIM = "body_sha256";
  /** Every claim a token must carry; a peer at any version of the service sends all of them. */
  static final List<String> REQUIRED_CLAIMS = List.of("iss", "aud", "iat", "exp", "jti", BODY_HASH_CLAIM);
  // RFC 7515 encodes each part as base64url without padding; Nimbus's own decoder skips stray characters
  private static final Pattern BASE64URL = Pattern.compile("[A-Za-z0-9_-]+");
  private static final List<String> PART_NAMES = List.of("header", "claims", "signature");
  private static final int MAX_JTI_LENGTH = 200;

  private final TrustList trust;
  private final FederationProperties properties;
  private final Clock clock;

  public FederationTokens(TrustList trust, FederationProperties properties, Clock clock) {
    this.trust = trust;
    this.properties = properties;
    this.clock = clock;
  }

  /** A verified request: who sent it, its token id and until when that id must be remembered. */
  public record Verified(String origin, String jti, Instant expiresAt) {
  }

  /** The Authorization header value for sending {@code body} to {@code peer}. */
  public String authorization(String peer, byte[] body) {
    return SCHEME + " " + sign(peer, body, UUID.randomUUID().toString());
  }

  /** A compact JWS for sending {@code body} to {@code peer} with token id {@code jti}. */
  String sign(String peer, byte[] body, String jti) {
    Instant now = clock.instant();
    JWSHeader header = new JWSHeader.Builder(Ed25519Jws.ALGORITHM).type(JOSEObjectType.JWT).keyID(trust.keyId())
        .build();
    // one audience is serialized as a string, as peers of every version expect
    JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(trust.platform()).audience(peer)
        .issueTime(Date.from(now)).expirationTime(Date.from(now.plus(properties.tokenTtl()))).jwtID(jti)
        .claim(BODY_HASH_CLAIM, sha256(body)).build();
    SignedJWT token = new SignedJWT(header, claims);
    try {
      token.sign(Ed25519Jws.signer(trust.privateKey()));
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign a federation request", e);
    }
    return token.serialize();
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
    SignedJWT token = parse(authorization.substring(SCHEME.length() + 1).trim());
    JWTClaimsSet claims = claims(token);
    String origin = claims.getIssuer();
    TrustList.Peer peer = trust.peer(origin).orElseThrow(() -> refused(HttpStatus.FORBIDDEN, "untrusted-peer",
        "Platform '" + origin + "' is not in this platform's trust list; its operator must add your platform,"
            + " endpoint and public key."));
    String keyId = token.getHeader().getKeyID();
    if (!peer.keyId().equals(keyId)) {
      throw refused(HttpStatus.UNAUTHORIZED, "unknown-federation-key", "Key id '" + (keyId == null ? "" : keyId)
          + "' is not the key this platform trusts for '" + origin + "' (" + peer.keyId() + ").");
    }
    if (!signatureVerifies(token, peer)) {
      throw refused(HttpStatus.UNAUTHORIZED, "invalid-signature", "The token's signature does not verify with"
          + " the public key trusted for '" + origin + "'.");
    }
    if (!List.of(trust.platform()).equals(claims.getAudience())) {
      throw refused(HttpStatus.UNAUTHORIZED, "wrong-audience", "The token is for " + claims.getAudience()
          + ", not for this platform alone ('" + trust.platform() + "').");
    }
    Instant expires = checkValidity(claims.getIssueTime().toInstant(), claims.getExpirationTime().toInstant());
    String jti = claims.getJWTID();
    if (jti.isBlank() || jti.length() > MAX_JTI_LENGTH) {
      throw invalid("jti must be a fresh id per request, at most " + MAX_JTI_LENGTH + " characters.");
    }
    if (!MessageDigest.isEqual(sha256(body).getBytes(StandardCharsets.US_ASCII),
        bodyHash(claims).getBytes(StandardCharsets.US_ASCII))) {
      throw refused(HttpStatus.UNAUTHORIZED, "invalid-signature", "The request body is not the one the token"
          + " signed (" + BODY_HASH_CLAIM + " differs).");
    }
    return new Verified(origin, jti, expires.plus(properties.clockSkew()));
  }

  /** The token's structure: three base64url parts, a JWS header with alg EdDSA and nothing we would ignore. */
  private static SignedJWT parse(String compact) {
    String[] parts = compact.split("\\.", -1);
    if (parts.length != 3) {
      throw invalid("The token is not a compact JWS: it has " + parts.length + " part(s) separated by '.',"
          + " a JWS has 3 (header.claims.signature).");
    }
    for (int i = 0; i < parts.length; i++) {
      if (!BASE64URL.matcher(parts[i]).matches() || parts[i].length() % 4 == 1) {
        throw invalid("The token's " + PART_NAMES.get(i) + " is not base64url (A-Z a-z 0-9 - _, no padding).");
      }
    }
    SignedJWT token;
    try {
      token = SignedJWT.parse(compact);
    } catch (ParseException e) {
      throw invalid("The token's header is not a JWS header: " + e.getMessage());
    }
    JWSHeader header = token.getHeader();
    if (!Ed25519Jws.ALGORITHM.equals(header.getAlgorithm())) {
      throw invalid("alg must be " + Ed25519Jws.ALGORITHM + " (Ed25519); this token's is "
          + header.getAlgorithm() + ".");
    }
    // RFC 7515 4.1.11: a receiver must refuse critical parameters it does not understand, and it knows none
    if (header.getCriticalParams() != null && !header.getCriticalParams().isEmpty()
        || !header.isBase64URLEncodePayload()) {
      throw invalid("The token's header has critical parameters " + header.getCriticalParams()
          + "; federation tokens use none (and a base64url payload).");
    }
    return token;
  }

  /** The token's claims, each required one present with its JWT type. */
  private static JWTClaimsSet claims(SignedJWT token) {
    JWTClaimsSet claims = readClaims(token);
    List<String> missing = REQUIRED_CLAIMS.stream().filter(name -> claims.getClaim(name) == null).toList();
    if (!missing.isEmpty()) {
      throw invalid("The token lacks the claim(s) " + missing + "; a federation token carries all of "
          + REQUIRED_CLAIMS + ".");
    }
    return claims;
  }

  private static JWTClaimsSet readClaims(SignedJWT token) {
    try {
      JWTClaimsSet claims = token.getJWTClaimsSet(); // checks the types of the registered claims (iss, exp, ...)
      claims.getStringClaim(BODY_HASH_CLAIM);
      return claims;
    } catch (ParseException e) {
      throw invalid("The token's claims are not a JSON object of JWT claims: " + e.getMessage());
    }
  }

  private static String bodyHash(JWTClaimsSet claims) {
    try {
      return claims.getStringClaim(BODY_HASH_CLAIM);
    } catch (ParseException e) {
      throw new IllegalStateException("checked when the claims were read", e);
    }
  }

  private static boolean signatureVerifies(SignedJWT token, TrustList.Peer peer) {
    try {
      return token.verify(Ed25519Jws.verifier(peer.publicKey()));
    } catch (JOSEException e) {
      throw refused(HttpStatus.UNAUTHORIZED, "invalid-signature", "The token's signature cannot be checked: "
          + e.getMessage());
    }
  }

  /** Refuses a token outside its validity, allowing for clock skew; answers when it expires. */
  private Instant checkValidity(Instant issued, Instant expires) {
    Instant now = clock.instant();
    Duration skew = properties.clockSkew();
    if (now.isAfter(expires.plus(skew))) {
      throw refused(HttpStatus.UNAUTHORIZED, "token-expired", "The token expired at " + expires + " (now " + now
          + ", clock skew allowed " + skew + "); sign each request afresh.");
    }
    if (issued.isAfter(now.plus(skew))) {
      throw refused(HttpStatus.UNAUTHORIZED, "token-expired", "The token is not valid yet: issued at " + issued
          + ", more than " + skew + " after now (" + now + "). Check the sending platform's clock.");
    }
    // a token valid for longer than this platform's ttl would stretch the window for replays of it
    if (expires.isAfter(issued.plus(properties.tokenTtl()).plus(skew))) {
      throw refused(HttpStatus.UNAUTHORIZED, "token-expired", "The token is valid from " + issued + " to "
          + expires + ", longer than the " + properties.tokenTtl() + " this platform accepts.");
    }
    return expires;
  }

  private static ApiException invalid(String detail) {
    return refused(HttpStatus.UNAUTHORIZED, "invalid-federation-token", detail);
  }

  static ApiException refused(HttpStatus status, String type, String detail) {
    return new ApiException(status, type, "Federation request refused", detail);
  }

  private static String sha256(byte[] body) {
    try {
      return Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256")
          .digest(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
