package dev.atrium.webos.apps;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.ToIntFunction;

/**
 * A choice among items by integer weights: at random in proportion to the weights, or sticky, where a stable hash
 * of (subject, app) picks a point in the weights, so one person always lands on the same item while the weights
 * stay, and when they change only the people near the moved boundary move.
 */
public final class WeightedChoice<T> {

  private final List<T> items;
  private final long[] upTo;
  private final long total;

  private WeightedChoice(List<T> items, long[] upTo, long total) {
    this.items = items;
    this.upTo = upTo;
    this.total = total;
  }

  /** The choice among {@code items}, each weighing {@code weight} (not negative; 0 is never chosen). */
  public static <T> WeightedChoice<T> of(List<T> items, ToIntFunction<T> weight) {
    long[] upTo = new long[items.size()];
    long total = 0;
    for (int i = 0; i < items.size(); i++) {
      int w = weight.applyAsInt(items.get(i));
      if (w < 0) {
        throw new IllegalArgumentException("a weight must not be negative, but is " + w);
      }
      total += w;
      upTo[i] = total;
    }
    return new WeightedChoice<>(List.copyOf(items), upTo, total);
  }

  /** Whether anything can be chosen (some weight above 0). */
  public boolean isEmpty() {
    return total == 0;
  }

  public T random() {
    return at(ThreadLocalRandom.current().nextLong(total));
  }

  public T sticky(String subject, String app) {
    return at(Long.remainderUnsigned(hash(subject, app), total));
  }

  /** The item whose share of [0, total) holds {@code point}. */
  T at(long point) {
    if (point < 0 || point >= total) {
      throw new IllegalArgumentException("point " + point + " outside [0, " + total + ")");
    }
    int low = 0;
    int high = upTo.length - 1;
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (point < upTo[mid]) {
        high = mid;
      } else {
        low = mid + 1;
      }
    }
    return items.get(low);
  }

  /** The first 64 bits of SHA-256(subject NUL app): the same on every replica and across restarts. */
  static long hash(String subject, String app) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest((subject + '\0' + app).getBytes(StandardCharsets.UTF_8));
      long value = 0;
      for (int i = 0; i < 8; i++) {
        value = (value << 8) | (digest[i] & 0xff);
      }
      return value;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
