package dev.atrium.identity.keys;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import dev.atrium.identity.config.IdentityProperties;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * The keys tokens are signed with. The platform's own key (generated once by the operator, from its Secret) is
 * the first; rotation adds a new key, stored encrypted, which signs from then on, while a retired key stays in
 * the JWKS until every token it signed has expired. Every replica reads the ring from the database, so a
 * rotation at one replica reaches the others within {@link #RELOAD}.
 */
@Component
public class KeyRing implements JWKSource<SecurityContext> {

  static final Duration RELOAD = Duration.ofSeconds(10);
  // tokens are checked with some clock skew; keep a retired key a little longer than the tokens it signed
  private static final Duration SKEW = Duration.ofMinutes(5);

  private final SigningKeyStore store;
  private final SecretBox box;
  private final Clock clock;
  private final RSAKey platformKey;
  private final Duration publishAfterRetirement;
  private volatile Ring ring;

  public KeyRing(IdentityProperties properties, SigningKeyStore store, SecretBox box, Clock clock) {
    this.store = store;
    this.box = box;
    this.clock = clock;
    this.platformKey = platformKey(properties.signingKey(), properties.signingKeyId());
    // ID tokens live 30 minutes (the server's default); access tokens as configured
    this.publishAfterRetirement = max(properties.accessTokenTtl(), Duration.ofMinutes(30)).plus(SKEW);
    store.registerPlatformKey(platformKey.getKeyID(), platformKey.toPublicJWK().toJSONString());
  }

  /** A key of the ring as the admin API shows it: never its private part. */
  public record KeyInfo(String kid, String state, Instant createdAt, Instant activatedAt, Instant retiredAt,
      Instant publishedUntil) {
  }

  /** The key new tokens are signed with. */
  public String activeKeyId() {
    return ring().active().getKeyID();
  }

  /** The public keys the JWKS publishes: the active key and retired keys whose tokens may still be valid. */
  public JWKSet publicKeys() {
    return new JWKSet(ring().published().stream().map(JWK::toPublicJWK).toList());
  }

  @Override
  public List<JWK> get(JWKSelector selector, SecurityContext context) {
    // the signing key (with its private part) and the published public keys; the encoder asks by key id
    Ring current = ring();
    List<JWK> keys = new ArrayList<>();
    keys.add(current.active());
    current.published().stream().filter(k -> !k.getKeyID().equals(current.active().getKeyID()))
        .map(JWK::toPublicJWK).forEach(keys::add);
    return selector.select(new JWKSet(keys));
  }

  /** Generates a new key, makes it the signing key and retires the one before; returns the new key's id. */
  public String rotate() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(3072);
      KeyPair pair = generator.generateKeyPair();
      RSAKey key = rsaKey((RSAPublicKey) pair.getPublic(), (RSAPrivateCrtKey) pair.getPrivate(),
          keyId((RSAPublicKey) pair.getPublic()));
      String sealed = box.seal(Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded()));
      store.rotate(key.getKeyID(), key.toPublicJWK().toJSONString(), sealed, clock.instant());
      ring = null;
      return key.getKeyID();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot generate an RSA key", e);
    }
  }

  public List<KeyInfo> describe() {
    Instant now = clock.instant();
    return store.all().stream().map(k -> {
      Instant until = k.retiredAt() == null ? null : k.retiredAt().plus(publishAfterRetirement);
      String state = k.activatedAt() == null ? "standby" : k.retiredAt() == null ? "active"
          : until.isAfter(now) ? "retired-published" : "retired";
      return new KeyInfo(k.kid(), state, k.createdAt(), k.activatedAt(), k.retiredAt(), until);
    }).toList();
  }

  private Ring ring() {
    Ring current = ring;
    Instant now = clock.instant();
    if (current == null || current.loadedAt().plus(RELOAD).isBefore(now)) {
      current = load(now);
      ring = current;
    }
    return current;
  }

  private Ring load(Instant now) {
    RSAKey active = null;
    Instant activeSince = Instant.MIN;
    List<RSAKey> published = new ArrayList<>();
    for (SigningKeyStore.StoredKey stored : store.all()) {
      if (stored.activatedAt() == null) {
        continue;
      }
      boolean current = stored.retiredAt() == null;
      if (!current && !stored.retiredAt().plus(publishAfterRetirement).isAfter(now)) {
        continue;
      }
      RSAKey key = stored.kid().equals(platformKey.getKeyID()) ? platformKey : open(stored);
      published.add(key);
      if (current && stored.activatedAt().isAfter(activeSince)) {
        active = key;
        activeSince = stored.activatedAt();
      }
    }
    if (active == null) {
      throw new IllegalStateException("identity's key ring has no active signing key");
    }
    return new Ring(active, List.copyOf(published), now);
  }

  private RSAKey open(SigningKeyStore.StoredKey stored) {
    try {
      RSAKey publicKey = RSAKey.parse(stored.publicJwk());
      if (stored.privateKeyEncrypted() == null) {
        throw new IllegalStateException("signing key " + stored.kid() + " has no private part and is not the"
            + " platform's key (ATRIUM_IDENTITY_SIGNING_KEY_ID): was the platform's key Secret replaced?");
      }
      RSAPrivateCrtKey privateKey = privateKey(box.open(stored.privateKeyEncrypted()));
      return rsaKey(publicKey.toRSAPublicKey(), privateKey, stored.kid());
    } catch (ParseException | JOSEException e) {
      throw new IllegalStateException("signing key " + stored.kid() + " cannot be read", e);
    }
  }

  private record Ring(RSAKey active, List<RSAKey> published, Instant loadedAt) {
  }

  static RSAKey platformKey(String base64Pkcs8, String kid) {
    RSAPrivateCrtKey privateKey = privateKey(base64Pkcs8);
    try {
      RSAPublicKey publicKey = (RSAPublicKey) KeyFactory.getInstance("RSA")
          .generatePublic(new RSAPublicKeySpec(privateKey.getModulus(), privateKey.getPublicExponent()));
      return rsaKey(publicKey, privateKey, kid);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("ATRIUM_IDENTITY_SIGNING_KEY is not an RSA private key", e);
    }
  }

  private static RSAPrivateCrtKey privateKey(String base64Pkcs8) {
    try {
      byte[] der = Base64.getMimeDecoder().decode(base64Pkcs8.trim());
      return (RSAPrivateCrtKey) KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (GeneralSecurityException | IllegalArgumentException | ClassCastException e) {
      // never the value itself: it is a secret
      throw new IllegalStateException("the signing key is not a base64 PKCS#8 RSA private key ("
          + e.getClass().getSimpleName() + ")");
    }
  }

  private static RSAKey rsaKey(RSAPublicKey publicKey, RSAPrivateCrtKey privateKey, String kid) {
    return new RSAKey.Builder(publicKey).privateKey(privateKey).keyID(kid).keyUse(KeyUse.SIGNATURE)
        .algorithm(JWSAlgorithm.RS256).build();
  }

  static String keyId(RSAPublicKey publicKey) {
    try {
      byte[] fingerprint = MessageDigest.getInstance("SHA-256").digest(publicKey.getEncoded());
      return "rsa-" + HexFormat.of().formatHex(fingerprint, 0, 8);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}
