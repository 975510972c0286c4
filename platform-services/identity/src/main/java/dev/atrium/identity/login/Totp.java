package dev.atrium.identity.login;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Time-based one-time passwords (RFC 6238 over RFC 4226): HMAC-SHA1, 30-second steps, 6 digits, one step of
 * drift either way, what every authenticator app speaks. Written here (docs/decisions/0009-totp.md): it is
 * forty lines of the JDK's HMAC, where a library would bring a QR-code stack the service does not need.
 */
public final class Totp {

  private static final int STEP_SECONDS = 30;
  private static final int DIGITS = 6;
  private static final char[] BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  private Totp() {
  }

  /** A new 160-bit secret. */
  public static byte[] newSecret() {
    byte[] secret = new byte[20];
    RANDOM.nextBytes(secret);
    return secret;
  }

  /** The code for the step that holds the instant. */
  public static String code(byte[] secret, Instant at) {
    return hotp(secret, at.getEpochSecond() / STEP_SECONDS);
  }

  /** Whether the code is the current step's, the previous or the next. */
  public static boolean verify(byte[] secret, String code, Instant now) {
    if (code == null || !code.matches("\\d{" + DIGITS + "}")) {
      return false;
    }
    long step = now.getEpochSecond() / STEP_SECONDS;
    boolean ok = false;
    for (long s = step - 1; s <= step + 1; s++) {
      ok |= MessageDigest.isEqual(hotp(secret, s).getBytes(), code.getBytes());
    }
    return ok;
  }

  /** The otpauth URI an authenticator app reads (as text or a QR code). */
  public static String uri(String issuer, String account, byte[] secret) {
    return "otpauth://totp/" + enc(issuer) + ":" + enc(account) + "?secret=" + base32(secret) + "&issuer="
        + enc(issuer) + "&algorithm=SHA1&digits=" + DIGITS + "&period=" + STEP_SECONDS;
  }

  static String base32(byte[] data) {
    StringBuilder out = new StringBuilder();
    int buffer = 0;
    int bits = 0;
    for (byte b : data) {
      buffer = (buffer << 8) | (b & 0xff);
      bits += 8;
      while (bits >= 5) {
        out.append(BASE32[(buffer >> (bits - 5)) & 31]);
        bits -= 5;
      }
    }
    if (bits > 0) {
      out.append(BASE32[(buffer << (5 - bits)) & 31]);
    }
    return out.toString();
  }

  private static String hotp(byte[] secret, long counter) {
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(secret, "HmacSHA1"));
      byte[] hash = mac.doFinal(ByteBuffer.allocate(8).putLong(counter).array());
      int offset = hash[hash.length - 1] & 0x0f;
      int binary = ((hash[offset] & 0x7f) << 24) | ((hash[offset + 1] & 0xff) << 16)
          | ((hash[offset + 2] & 0xff) << 8) | (hash[offset + 3] & 0xff);
      return String.format("%0" + DIGITS + "d", binary % 1_000_000);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String enc(String value) {
    return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
  }
}
