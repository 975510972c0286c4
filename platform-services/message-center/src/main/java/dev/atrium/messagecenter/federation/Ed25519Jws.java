package dev.atrium.messagecenter.federation;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.util.Base64URL;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.util.Set;

/**
 * Nimbus signer and verifier for {@code alg} EdDSA that compute the signature with the JDK's Ed25519. Nimbus
 * parses and assembles the JWS; its own Ed25519 classes need Google Tink, which the service does without.
 */
final class Ed25519Jws {

  /** The algorithm name federation tokens carry: RFC 8037's EdDSA, what every version of the service sends. */
  static final JWSAlgorithm ALGORITHM = JWSAlgorithm.EdDSA;

  private static final String JDK_ALGORITHM = "Ed25519";

  private Ed25519Jws() {
  }

  static JWSSigner signer(PrivateKey key) {
    return new Signer(key);
  }

  static JWSVerifier verifier(PublicKey key) {
    return new Verifier(key);
  }

  private record Signer(PrivateKey key) implements JWSSigner {
    @Override
    public Base64URL sign(JWSHeader header, byte[] signingInput) throws JOSEException {
      try {
        Signature signature = Signature.getInstance(JDK_ALGORITHM);
        signature.initSign(key);
        signature.update(signingInput);
        return Base64URL.encode(signature.sign());
      } catch (GeneralSecurityException e) {
        throw new JOSEException("cannot sign with the Ed25519 key: " + e.getMessage(), e);
      }
    }

    @Override
    public Set<JWSAlgorithm> supportedJWSAlgorithms() {
      return Set.of(ALGORITHM);
    }

    @Override
    public JCAContext getJCAContext() {
      return new JCAContext();
    }
  }

  private record Verifier(PublicKey key) implements JWSVerifier {
    @Override
    public boolean verify(JWSHeader header, byte[] signingInput, Base64URL signature) throws JOSEException {
      try {
        Signature verifier = Signature.getInstance(JDK_ALGORITHM);
        verifier.initVerify(key);
        verifier.update(signingInput);
        return verifier.verify(signature.decode());
      } catch (SignatureException e) {
        return false; // bytes that are no Ed25519 signature at all (e.g. the wrong length) verify nothing
      } catch (GeneralSecurityException e) {
        throw new JOSEException("cannot verify with the Ed25519 key: " + e.getMessage(), e);
      }
    }

    @Override
    public Set<JWSAlgorithm> supportedJWSAlgorithms() {
      return Set.of(ALGORITHM);
    }

    @Override
    public JCAContext getJCAContext() {
      return new JCAContext();
    }
  }
}
