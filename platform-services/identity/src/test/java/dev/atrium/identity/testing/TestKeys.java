package dev.atrium.identity.testing;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** An RSA key as the operator generates one (PKCS#8, base64), made once per test run. */
public final class TestKeys {

  public static final String KEY_ID = "rsa-test0000";
  private static final String PRIVATE_KEY;

  static {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      KeyPair pair = generator.generateKeyPair();
      PRIVATE_KEY = Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded());
    } catch (NoSuchAlgorithmException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private TestKeys() {
  }

  public static String privateKey() {
    return PRIVATE_KEY;
  }
}
