package dev.atrium.cli.bundle;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** SHA-256 digests as OCI writes them: {@code sha256:<64 lowercase hex>}. */
public final class Digests {

  private static final Pattern SHA256 = Pattern.compile("sha256:[0-9a-f]{64}");

  private Digests() {
  }

  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  public static String of(byte[] data) {
    return format(sha256().digest(data));
  }

  public static String format(byte[] hash) {
    return "sha256:" + HexFormat.of().formatHex(hash);
  }

  /** True for {@code sha256:} and 64 lowercase hex digits, the only form the bundle takes. */
  public static boolean valid(String digest) {
    return digest != null && SHA256.matcher(digest).matches();
  }

  /** The hex part, as a blob's file name in an OCI layout. */
  public static String hex(String digest) {
    if (!valid(digest)) {
      throw new IllegalArgumentException("not a sha256 digest: " + digest);
    }
    return digest.substring("sha256:".length());
  }

  /** What {@link #copy} read: how many bytes and their digest. */
  public record Copied(long size, String digest) {
  }

  /** Copies {@code in} to {@code out} (which may be null: only counted and hashed). */
  public static Copied copy(InputStream in, OutputStream out) throws IOException {
    MessageDigest sha = sha256();
    byte[] buffer = new byte[1 << 16];
    long size = 0;
    for (int n; (n = in.read(buffer)) > 0; ) {
      sha.update(buffer, 0, n);
      if (out != null) {
        out.write(buffer, 0, n);
      }
      size += n;
    }
    return new Copied(size, format(sha.digest()));
  }
}
