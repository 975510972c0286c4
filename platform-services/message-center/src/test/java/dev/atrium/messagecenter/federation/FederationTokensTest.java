package dev.atrium.messagecenter.federation;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atrium.service.web.ApiException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Federation tokens between two platforms, acme (the sender) and globex (the receiver), each with its own key
 * and a trust list naming the other, on fixed clocks. Tokens that are wrong in one respect are built by hand
 * the way the previous, hand-rolled version of the service built every token, and signed with the right key,
 * so each refusal is for the one thing the test got wrong.
 */
class FederationTokensTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Duration TTL = Duration.ofSeconds(60);
  private static final Duration SKEW = Duration.ofSeconds(30);
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static final byte[] BODY = "{\"messageId\":\"0b6f0f0e-8d42-4c0f-9a51-3b8f4f1f2a10\",\"body\":\"hi\"}"
      .getBytes(UTF_8);
  private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

  private final KeyPair acmeKeys = keys();
  private final KeyPair globexKeys = keys();
  private final FederationTokens globex = platform("globex", globexKeys, "acme", acmeKeys, at(NOW));

  // --- accepted

  @Test
  void aTokenSignedByATrustedPeerIsAccepted() {
    FederationTokens.Verified verified = globex.verify(acme(at(NOW)).authorization("globex", BODY), BODY);
    assertThat(verified.origin()).isEqualTo("acme");
    assertThat(verified.jti()).isNotBlank();
    assertThat(verified.expiresAt()).as("remembered until no clock within the skew accepts it")
        .isEqualTo(NOW.plus(TTL).plus(SKEW));
  }

  @Test
  void tokensKeepTheWireFormatPeersOfEveryVersionRead() throws GeneralSecurityException {
    String token = acme(at(NOW)).authorization("globex", BODY);
    assertThat(token).startsWith("Federation ");
    String[] parts = token.substring("Federation ".length()).split("\\.");
    assertThat(parts).hasSize(3);
    JsonNode header = JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
    JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
    assertThat(header.path("alg").asString()).isEqualTo("EdDSA");
    assertThat(header.path("kid").asString()).isEqualTo("acme-1");
    assertThat(header.path("typ").asString()).isEqualTo("JWT");
    assertThat(claims.propertyNames()).containsExactlyInAnyOrderElementsOf(FederationTokens.REQUIRED_CLAIMS);
    assertThat(claims.path("iss").asString()).isEqualTo("acme");
    assertThat(claims.path("aud").isString()).as("aud a string, as older peers read it").isTrue();
    assertThat(claims.path("aud").asString()).isEqualTo("globex");
    assertThat(claims.path("iat").isIntegralNumber()).isTrue();
    assertThat(claims.path("iat").asLong()).isEqualTo(NOW.getEpochSecond());
    assertThat(claims.path("exp").asLong()).isEqualTo(NOW.plus(TTL).getEpochSecond());
    assertThat(claims.path("body_sha256").asString()).isEqualTo(sha256(BODY));
    // what an older peer checks: Ed25519 over the ASCII of header.claims, with the JDK
    Signature verifier = Signature.getInstance("Ed25519");
    verifier.initVerify(acmeKeys.getPublic());
    verifier.update((parts[0] + "." + parts[1]).getBytes(US_ASCII));
    assertThat(verifier.verify(Base64.getUrlDecoder().decode(parts[2]))).isTrue();
  }

  @Test
  void aTokenAsThePreviousVersionSignedItIsAccepted() {
    // header members in that version's order, claims as it wrote them, signed with the JDK
    String token = handMade(header(), claims(), acmeKeys.getPrivate());
    assertThat(globex.verify("Federation " + token, BODY).origin()).isEqualTo("acme");
  }

  @Test
  void theTokenIdIsFreshPerRequestAndIsWhatReplayProtectionRemembers() {
    FederationTokens acme = acme(at(NOW));
    String first = acme.authorization("globex", BODY);
    String second = acme.authorization("globex", BODY);
    assertThat(globex.verify(first, BODY).jti()).isNotEqualTo(globex.verify(second, BODY).jti());
    // verifying holds no state: refusing the second use of a jti is FederationReceiver's, against the database
    // (FederationIT delivers a token twice)
    assertThat(globex.verify(first, BODY)).isEqualTo(globex.verify(first, BODY));
  }

  // --- time

  @Test
  void anExpiredTokenIsRefusedOnceTheSkewIsSpent() {
    String token = acme(at(NOW)).authorization("globex", BODY);
    Instant lastAccepted = NOW.plus(TTL).plus(SKEW);
    assertThat(receiverAt(lastAccepted).verify(token, BODY).origin()).isEqualTo("acme");
    assertRefused(() -> receiverAt(lastAccepted.plusSeconds(1)).verify(token, BODY), 401, "token-expired",
        "expired at " + NOW.plus(TTL));
  }

  @Test
  void aTokenIssuedInTheFutureBeyondTheSkewIsRefused() {
    String token = acme(at(NOW.plus(SKEW).plusSeconds(1))).authorization("globex", BODY);
    assertRefused(() -> globex.verify(token, BODY), 401, "token-expired", "not valid yet");
  }

  @Test
  void aTokenIssuedInTheFutureWithinTheSkewIsAccepted() {
    String token = acme(at(NOW.plus(SKEW))).authorization("globex", BODY);
    assertThat(globex.verify(token, BODY).origin()).isEqualTo("acme");
  }

  @Test
  void aTokenValidForLongerThanTheTtlIsRefused() {
    Map<String, Object> claims = claims();
    claims.put("exp", NOW.plus(TTL).plus(SKEW).getEpochSecond() + 1);
    assertRefused(() -> globex.verify("Federation " + handMade(header(), claims, acmeKeys.getPrivate()), BODY), 401,
        "token-expired", "longer than");
  }

  // --- who signed it

  @Test
  void aKeyIdOtherThanTheTrustedOneIsRefused() {
    Map<String, Object> header = header();
    header.put("kid", "acme-2");
    assertRefused(() -> globex.verify("Federation " + handMade(header, claims(), acmeKeys.getPrivate()), BODY), 401,
        "unknown-federation-key", "'acme-2' is not the key this platform trusts for 'acme' (acme-1)");
    header.remove("kid");
    assertRefused(() -> globex.verify("Federation " + handMade(header, claims(), acmeKeys.getPrivate()), BODY), 401,
        "unknown-federation-key", "Key id ''");
  }

  @Test
  void aSignatureByAnotherKeyIsRefused() {
    String forged = handMade(header(), claims(), keys().getPrivate());
    assertRefused(() -> globex.verify("Federation " + forged, BODY), 401, "invalid-signature", "does not verify");
  }

  @Test
  void aTokenChangedAfterSigningIsRefused() {
    String token = acme(at(NOW)).authorization("globex", BODY).substring("Federation ".length());
    String[] parts = token.split("\\.");
    // claims re-encoded with another jti, the original signature kept
    ObjectNode claims = (ObjectNode) JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
    claims.put("jti", UUID.randomUUID().toString());
    String changedClaims = parts[0] + "." + B64URL.encodeToString(JSON.writeValueAsBytes(claims)) + "." + parts[2];
    assertRefused(() -> globex.verify("Federation " + changedClaims, BODY), 401, "invalid-signature",
        "does not verify");
    // one bit of the signature flipped
    byte[] signature = Base64.getUrlDecoder().decode(parts[2]);
    signature[10] ^= 1;
    String changedSignature = parts[0] + "." + parts[1] + "." + B64URL.encodeToString(signature);
    assertRefused(() -> globex.verify("Federation " + changedSignature, BODY), 401, "invalid-signature",
        "does not verify");
    // a signature too short to be an Ed25519 one
    String truncated = parts[0] + "." + parts[1] + "." + parts[2].substring(0, 40);
    assertRefused(() -> globex.verify("Federation " + truncated, BODY), 401, "invalid-signature",
        "does not verify");
  }

  @Test
  void aBodyOtherThanTheSignedOneIsRefused() {
    String token = acme(at(NOW)).authorization("globex", BODY);
    assertRefused(() -> globex.verify(token, "{\"body\":\"other\"}".getBytes(UTF_8)), 401, "invalid-signature",
        "body_sha256 differs");
  }

  @Test
  void aPlatformNotInTheTrustListIsRefused() {
    Map<String, Object> claims = claims();
    claims.put("iss", "initech");
    assertRefused(() -> globex.verify("Federation " + handMade(header(), claims, acmeKeys.getPrivate()), BODY), 403,
        "untrusted-peer", "'initech' is not in this platform's trust list");
  }

  @Test
  void aTokenForAnotherPlatformIsRefused() {
    assertRefused(() -> globex.verify(acme(at(NOW)).authorization("initech", BODY), BODY), 401, "wrong-audience",
        "[initech]");
    Map<String, Object> claims = claims();
    claims.put("aud", List.of("globex", "initech"));
    assertRefused(() -> globex.verify("Federation " + handMade(header(), claims, acmeKeys.getPrivate()), BODY), 401,
        "wrong-audience", "not for this platform alone");
  }

  // --- structure

  @Test
  void aTokenThatIsNotThreePartsIsRefused() {
    String token = handMade(header(), claims(), acmeKeys.getPrivate());
    String[] parts = token.split("\\.");
    assertMalformed(parts[0] + "." + parts[1], "it has 2 part(s) separated by '.', a JWS has 3");
    assertMalformed(token + "." + parts[2], "it has 4 part(s)");
    assertMalformed("", "it has 1 part(s)");
  }

  @Test
  void aPartThatIsNotBase64UrlIsRefused() {
    String[] parts = handMade(header(), claims(), acmeKeys.getPrivate()).split("\\.");
    assertMalformed(parts[0] + "!." + parts[1] + "." + parts[2], "header is not base64url");
    assertMalformed(parts[0] + "." + parts[1] + "=." + parts[2], "claims is not base64url");
    assertMalformed(parts[0] + "." + parts[1] + ".+" + parts[2].substring(1), "signature is not base64url");
    assertMalformed(parts[0] + "." + parts[1] + "." + parts[2].substring(1), "signature is not base64url");
    assertMalformed(parts[0] + "." + parts[1] + ".", "signature is not base64url");
  }

  @Test
  void aHeaderThatIsNotAJwsHeaderIsRefused() {
    String[] parts = handMade(header(), claims(), acmeKeys.getPrivate()).split("\\.");
    assertMalformed(B64URL.encodeToString("not json".getBytes(UTF_8)) + "." + parts[1] + "." + parts[2],
        "not a JWS header");
    Map<String, Object> unsigned = header();
    unsigned.put("alg", "none");
    assertMalformed(handMade(unsigned, claims(), acmeKeys.getPrivate()), "not a JWS header");
    unsigned.remove("alg");
    assertMalformed(handMade(unsigned, claims(), acmeKeys.getPrivate()), "not a JWS header");
  }

  @Test
  void anAlgorithmOtherThanEdDsaIsRefused() {
    Map<String, Object> header = header();
    header.put("alg", "HS256");
    assertMalformed(handMade(header, claims(), acmeKeys.getPrivate()), "alg must be EdDSA (Ed25519); this token's"
        + " is HS256");
  }

  @Test
  void criticalHeaderParametersAreRefused() {
    Map<String, Object> header = header();
    header.put("crit", List.of("exp"));
    header.put("exp", NOW.getEpochSecond());
    assertMalformed(handMade(header, claims(), acmeKeys.getPrivate()), "critical parameters");
  }

  @Test
  void aTokenWithoutEveryClaimIsRefused() {
    for (String claim : FederationTokens.REQUIRED_CLAIMS) {
      Map<String, Object> claims = claims();
      claims.remove(claim);
      assertMalformed(handMade(header(), claims, acmeKeys.getPrivate()), "lacks the claim(s) [" + claim + "]");
    }
    Map<String, Object> claims = claims();
    claims.remove("exp");
    claims.remove("jti");
    assertMalformed(handMade(header(), claims, acmeKeys.getPrivate()), "lacks the claim(s) [exp, jti]");
  }

  @Test
  void claimsOfTheWrongTypeAreRefused() {
    String[] parts = handMade(header(), claims(), acmeKeys.getPrivate()).split("\\.");
    assertMalformed(parts[0] + "." + B64URL.encodeToString("[1,2]".getBytes(UTF_8)) + "." + parts[2],
        "claims are not a JSON object of JWT claims");
    Map<String, Object> claims = claims();
    claims.put("iat", "yesterday");
    assertMalformed(handMade(header(), claims, acmeKeys.getPrivate()), "claims are not a JSON object of JWT claims");
    claims = claims();
    claims.put("body_sha256", 42);
    assertMalformed(handMade(header(), claims, acmeKeys.getPrivate()), "claims are not a JSON object of JWT claims");
  }

  @Test
  void aBlankOrOverlongTokenIdIsRefused() {
    Map<String, Object> claims = claims();
    claims.put("jti", " ");
    assertMalformed(handMade(header(), claims, acmeKeys.getPrivate()), "jti must be a fresh id");
    claims.put("jti", "x".repeat(201));
    assertMalformed(handMade(header(), claims, acmeKeys.getPrivate()), "jti must be a fresh id");
  }

  @Test
  void aRequestWithoutAFederationTokenIsRefused() {
    assertRefused(() -> globex.verify(null, BODY), 401, "federation-unauthenticated", "Authorization: Federation");
    String token = acme(at(NOW)).authorization("globex", BODY).substring("Federation ".length());
    assertRefused(() -> globex.verify("Bearer " + token, BODY), 401, "federation-unauthenticated",
        "Authorization: Federation");
  }

  @Test
  void aPlatformWithoutAKeyRefusesEveryToken() {
    FederationProperties withoutKey = properties(null, "globex-1", peers("acme", acmeKeys));
    FederationTokens off = new FederationTokens(new TrustList("globex", withoutKey, JSON), withoutKey, at(NOW));
    assertRefused(() -> off.verify(acme(at(NOW)).authorization("globex", BODY), BODY), 403, "federation-disabled",
        "not configured");
  }

  // --- helpers

  private FederationTokens acme(Clock clock) {
    return platform("acme", acmeKeys, "globex", globexKeys, clock);
  }

  private FederationTokens receiverAt(Instant now) {
    return platform("globex", globexKeys, "acme", acmeKeys, at(now));
  }

  private static Clock at(Instant instant) {
    return Clock.fixed(instant, ZoneOffset.UTC);
  }

  private static FederationTokens platform(String name, KeyPair own, String peer, KeyPair peerKeys, Clock clock) {
    FederationProperties properties = properties(Base64.getEncoder().encodeToString(own.getPrivate().getEncoded()),
        name + "-1", peers(peer, peerKeys));
    return new FederationTokens(new TrustList(name, properties, JSON), properties, clock);
  }

  private static String peers(String peer, KeyPair keys) {
    return JSON.writeValueAsString(List.of(Map.of("platform", peer, "endpoint", "https://" + peer
        + ".example/federation", "keyId", peer + "-1", "publicKey", Base64.getEncoder().encodeToString(
        keys.getPublic().getEncoded()))));
  }

  private static FederationProperties properties(String privateKey, String keyId, String peers) {
    return new FederationProperties(null, keyId, privateKey, null, peers, TTL, SKEW, Duration.ofSeconds(1),
        Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), 1);
  }

  /** The header acme's tokens carry, in the member order the previous version wrote. */
  private static Map<String, Object> header() {
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("alg", "EdDSA");
    header.put("typ", "JWT");
    header.put("kid", "acme-1");
    return header;
  }

  /** The claims of a token from acme to globex for {@link #BODY}, issued now. */
  private static Map<String, Object> claims() {
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("iss", "acme");
    claims.put("aud", "globex");
    claims.put("iat", NOW.getEpochSecond());
    claims.put("exp", NOW.plus(TTL).getEpochSecond());
    claims.put("jti", UUID.randomUUID().toString());
    claims.put("body_sha256", sha256(BODY));
    return claims;
  }

  /** A compact JWS of exactly this header and these claims, signed with the JDK's Ed25519. */
  private static String handMade(Map<String, Object> header, Map<String, Object> claims, PrivateKey key) {
    String input = B64URL.encodeToString(JSON.writeValueAsBytes(header)) + "."
        + B64URL.encodeToString(JSON.writeValueAsBytes(claims));
    try {
      Signature signer = Signature.getInstance("Ed25519");
      signer.initSign(key);
      signer.update(input.getBytes(US_ASCII));
      return input + "." + B64URL.encodeToString(signer.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private void assertMalformed(String token, String detail) {
    assertRefused(() -> globex.verify("Federation " + token, BODY), 401, "invalid-federation-token", detail);
  }

  private static void assertRefused(ThrowingCallable call, int status, String type, String detail) {
    assertThatThrownBy(call).isInstanceOfSatisfying(ApiException.class, e -> {
      assertThat(e.problem().getType()).hasToString("urn:atrium:problem:" + type);
      assertThat(e.problem().getStatus()).isEqualTo(status);
      assertThat(e.problem().getDetail()).contains(detail);
    });
  }

  private static String sha256(byte[] body) {
    try {
      return B64URL.encodeToString(MessageDigest.getInstance("SHA-256").digest(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static KeyPair keys() {
    try {
      return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
