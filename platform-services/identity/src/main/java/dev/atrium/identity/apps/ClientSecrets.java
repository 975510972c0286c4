package dev.atrium.identity.apps;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * How client secrets are stored: SHA-256, not a password hash. Client secrets are 256 random bits made by the
 * operator or by {@link #generate()}, so a slow hash adds nothing against guessing and would cap the client
 * credentials grants a core can serve (docs/decisions/0008-client-secret-hashing.md). People's passwords use
 * Argon2id.
 */
public final class ClientSecrets implements PasswordEncoder {

  public static final String PREFIX = "{sha256}";
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A new random secret, 256 bits, URL-safe base64. */
  public static String generate() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  @Override
  public String encode(CharSequence raw) {
    return PREFIX + HexFormat.of().formatHex(sha256(raw));
  }

  @Override
  public boolean matches(CharSequence raw, String encoded) {
    if (raw == null || encoded == null || !encoded.startsWith(PREFIX)) {
      return false;
    }
    byte[] expected;
    try {
      expected = HexFormat.of().parseHex(encoded.substring(PREFIX.length()));
    } catch (IllegalArgumentException e) {
      return false;
    }
    return MessageDigest.isEqual(expected, sha256(raw));
  }

  private static byte[] sha256(CharSequence raw) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(raw.toString().getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
