package dev.atrium.cli.bundle;

import java.io.PrintWriter;
import java.util.Locale;

/** Progress lines on stderr: what is being done, with sizes a person reads. */
public final class Progress {

  private final PrintWriter err;

  public Progress(PrintWriter err) {
    this.err = err;
  }

  public void say(String format, Object... args) {
    err.println(String.format(Locale.ROOT, format, args));
    err.flush();
  }

  /** {@code 1536} → {@code 1.5 KiB}; below 1 KiB in bytes. */
  public static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double value = n;
    int unit = -1;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
  }

  /** A digest shortened for progress lines: {@code sha256:0123456789ab}. */
  public static String shortDigest(String digest) {
    return digest.length() > 19 ? digest.substring(0, 19) : digest;
  }
}
