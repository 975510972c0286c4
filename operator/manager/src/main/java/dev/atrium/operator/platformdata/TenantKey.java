package dev.atrium.operator.platformdata;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEDecrypter;
import com.nimbusds.jose.JWEEncrypter;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDHDecrypter;
import com.nimbusds.jose.crypto.ECDHEncrypter;
import com.nimbusds.jose.crypto.RSADecrypter;
import com.nimbusds.jose.crypto.RSAEncrypter;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import java.text.ParseException;
import java.util.Set;

/**
 * The tenant's key pair for the platform's data in a backup (spec.backup.encryptionKey, spec.restore.decryptionKey):
 * a JWK, EC on P-256, P-384 or P-521 (sealed with ECDH-ES+A256KW) or RSA of 2048 bits or more (RSA-OAEP-256), the
 * content always A256GCM. The operator holds only the public half; the private half comes to a restore.
 */
public final class TenantKey {

  static final int MIN_RSA_BITS = 2048;
  private static final Set<Curve> CURVES = Set.of(Curve.P_256, Curve.P_384, Curve.P_521);

  private final JWK key;
  private final String thumbprint;

  private TenantKey(JWK key) {
    this.key = key;
    try {
      this.thumbprint = key.computeThumbprint().toString();
    } catch (JOSEException e) {
      throw new IllegalArgumentException("its RFC 7638 thumbprint cannot be computed: " + e.getMessage(), e);
    }
  }

  /**
   * The public key the platform's data is sealed to.
   *
   * @throws IllegalArgumentException saying what is wrong with it (never quoting a private part)
   */
  public static TenantKey publicKey(String json) {
    JWK key = parse(json, "encryptionKey");
    if (key.isPrivate()) {
      throw new IllegalArgumentException("encryptionKey holds a private key; give only its public part (a JWK "
          + "without \"d\"): the private key stays with the tenant until a restore");
    }
    return new TenantKey(key);
  }

  /** The private key a restore opens the platform's data with. */
  public static TenantKey privateKey(String json) {
    JWK key = parse(json, "decryptionKey");
    if (!key.isPrivate()) {
      throw new IllegalArgumentException("decryptionKey is a public key; a restore needs the private one (a JWK with "
          + "\"d\")");
    }
    return new TenantKey(key);
  }

  private static JWK parse(String json, String field) {
    JWK key;
    try {
      key = JWK.parse(json == null ? "" : json.strip());
    } catch (ParseException e) {
      // the parser's message may quote the text, which may be a private key: only its position
      throw new IllegalArgumentException(field + " is not a JWK (JSON Web Key, RFC 7517): unreadable at offset "
          + e.getErrorOffset(), null);
    }
    if (key instanceof ECKey ec) {
      if (!CURVES.contains(ec.getCurve())) {
        throw new IllegalArgumentException(field + " is an EC key on " + ec.getCurve()
            + "; it must be on P-256, P-384 or P-521");
      }
    } else if (key instanceof RSAKey rsa) {
      if (rsa.size() < MIN_RSA_BITS) {
        throw new IllegalArgumentException(field + " is an RSA key of " + rsa.size() + " bits; it needs "
            + MIN_RSA_BITS + " or more");
      }
    } else {
      throw new IllegalArgumentException(field + " is a JWK of type " + key.getKeyType()
          + "; it must be EC (P-256, P-384, P-521) or RSA");
    }
    return key;
  }

  /** The key's RFC 7638 thumbprint (SHA-256, base64url): the same for its public and its private half. */
  public String thumbprint() {
    return thumbprint;
  }

  /** The bytes sealed to this (public) key: a JWE in compact form, its kid this key's thumbprint. */
  public String seal(byte[] plaintext) {
    JWEAlgorithm algorithm = key instanceof ECKey ? JWEAlgorithm.ECDH_ES_A256KW : JWEAlgorithm.RSA_OAEP_256;
    JWEObject jwe = new JWEObject(new JWEHeader.Builder(algorithm, EncryptionMethod.A256GCM).keyID(thumbprint)
        .contentType("application/json").build(), new Payload(plaintext));
    try {
      JWEEncrypter encrypter = key instanceof ECKey ec ? new ECDHEncrypter(ec.toPublicJWK())
          : new RSAEncrypter(((RSAKey) key).toPublicJWK());
      jwe.encrypt(encrypter);
    } catch (JOSEException e) {
      throw new IllegalStateException("sealing failed: " + e.getMessage(), e);
    }
    return jwe.serialize();
  }

  /**
   * What {@link #seal} sealed, opened with this (private) key.
   *
   * @throws IllegalArgumentException when it is sealed to another key, or altered
   */
  public byte[] open(String compact) {
    JWEObject jwe;
    try {
      jwe = JWEObject.parse(compact);
    } catch (ParseException e) {
      throw new IllegalArgumentException("not a JWE in compact form: " + e.getMessage(), e);
    }
    String kid = jwe.getHeader().getKeyID();
    if (kid != null && !kid.equals(thumbprint)) {
      throw new IllegalArgumentException("it is sealed to the key of thumbprint " + kid + ", and decryptionKey's "
          + "thumbprint is " + thumbprint);
    }
    try {
      JWEDecrypter decrypter = key instanceof ECKey ec ? new ECDHDecrypter(ec) : new RSADecrypter((RSAKey) key);
      jwe.decrypt(decrypter);
    } catch (JOSEException e) {
      throw new IllegalArgumentException("it does not open with decryptionKey (altered, or sealed to another key): "
          + e.getMessage(), e);
    }
    return jwe.getPayload().toBytes();
  }
}
