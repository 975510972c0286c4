package dev.atrium.operator.model;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.List;

/**
 * A Secret of credentials the operator generates. The model only names it, its kind and its keys;
 * the reconciler creates it once and never rewrites it, so builders stay pure and a password or
 * signing key never changes by accident.
 */
public record GeneratedSecret(ObjectMeta metadata, Kind kind, List<String> keys) {

  /** What the values are. */
  public enum Kind {
    /** Each key an independent random string. */
    RANDOM,
    /** An Ed25519 key pair under {@link #PRIVATE_KEY}, {@link #PUBLIC_KEY} and {@link #KEY_ID}. */
    ED25519_KEY_PAIR,
    /**
     * An RSA key pair of {@link #RSA_KEY_BITS} bits under {@link #PRIVATE_KEY}, {@link #PUBLIC_KEY} and
     * {@link #KEY_ID}: for JWTs signed RS256, which every OAuth resource server checks by default.
     */
    RSA_KEY_PAIR;

    /** Whether the values are a key pair under {@link #PRIVATE_KEY}, {@link #PUBLIC_KEY} and {@link #KEY_ID}. */
    public boolean keyPair() {
      return this != RANDOM;
    }
  }

  /** The size of a generated RSA key: 3072 bits, NIST's choice for use beyond 2030 (SP 800-57 part 1). */
  public static final int RSA_KEY_BITS = 3072;

  /** PKCS#8 private key, base64 DER. */
  public static final String PRIVATE_KEY = "private-key";
  /** X.509 SubjectPublicKeyInfo public key, base64 DER. */
  public static final String PUBLIC_KEY = "public-key";
  /** A fingerprint of the public key, to name the key to peers (a JWT's kid). */
  public static final String KEY_ID = "key-id";

  public GeneratedSecret {
    keys = List.copyOf(keys);
    if (kind.keyPair() && !keys.equals(List.of(PRIVATE_KEY, PUBLIC_KEY, KEY_ID))) {
      throw new IllegalArgumentException("a key pair Secret has the keys " + PRIVATE_KEY + ", " + PUBLIC_KEY + ", "
          + KEY_ID);
    }
  }

  /** Random strings under the given keys. */
  public GeneratedSecret(ObjectMeta metadata, List<String> keys) {
    this(metadata, Kind.RANDOM, keys);
  }

  /** An Ed25519 signing key pair with its key id. */
  public static GeneratedSecret ed25519KeyPair(ObjectMeta metadata) {
    return new GeneratedSecret(metadata, Kind.ED25519_KEY_PAIR, List.of(PRIVATE_KEY, PUBLIC_KEY, KEY_ID));
  }

  /** An RSA signing key pair with its key id. */
  public static GeneratedSecret rsaKeyPair(ObjectMeta metadata) {
    return new GeneratedSecret(metadata, Kind.RSA_KEY_PAIR, List.of(PRIVATE_KEY, PUBLIC_KEY, KEY_ID));
  }
}
