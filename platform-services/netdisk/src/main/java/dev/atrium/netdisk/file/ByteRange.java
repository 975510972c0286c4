package dev.atrium.netdisk.file;

import dev.atrium.service.web.ApiException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;

/**
 * The one byte range of a {@code Range} header (RFC 9110 14.2) netdisk serves: {@code bytes=first-last},
 * {@code bytes=first-} or {@code bytes=-suffix}. A header it does not understand, or several ranges, is
 * ignored (the whole content is sent, as the RFC allows); a range that starts past the end is refused (416).
 */
public record ByteRange(long first, long last) {

  private static final Pattern ONE = Pattern.compile("bytes=(\\d{0,19})-(\\d{0,19})");

  public long length() {
    return last - first + 1;
  }

  public String contentRange(long size) {
    return "bytes " + first + "-" + last + "/" + size;
  }

  /** The range to send of {@code size} bytes, empty for the whole. */
  public static Optional<ByteRange> parse(String header, long size) {
    if (header == null) {
      return Optional.empty();
    }
    Matcher m = ONE.matcher(header.strip());
    if (!m.matches() || m.group(1).isEmpty() && m.group(2).isEmpty()) {
      return Optional.empty();
    }
    if (m.group(1).isEmpty()) {
      long suffix = Long.parseLong(m.group(2));
      if (suffix == 0 || size == 0) {
        throw unsatisfiable(header, size);
      }
      return Optional.of(new ByteRange(Math.max(0, size - suffix), size - 1));
    }
    long first = Long.parseLong(m.group(1));
    long last = m.group(2).isEmpty() ? size - 1 : Math.min(Long.parseLong(m.group(2)), size - 1);
    if (!m.group(2).isEmpty() && Long.parseLong(m.group(2)) < first) {
      return Optional.empty(); // not a valid range: ignored
    }
    if (first >= size) {
      throw unsatisfiable(header, size);
    }
    return Optional.of(new ByteRange(first, last));
  }

  private static ApiException unsatisfiable(String header, long size) {
    return new ApiException(HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE, "range-not-satisfiable",
        "Range not satisfiable", "The range '" + header + "' lies past the end of the content, which is " + size
            + " bytes long (bytes 0-" + (size - 1) + ").").withHeader("Content-Range", "bytes */" + size);
  }
}
