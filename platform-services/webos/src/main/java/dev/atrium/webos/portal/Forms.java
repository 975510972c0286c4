package dev.atrium.webos.portal;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The admin pages' form posts, read from the body itself: the gateway's form filter (Spring Cloud Gateway's, for
 * forwarding form posts) leaves only the query's parameters to {@code getParameter}.
 */
final class Forms {

  /** The largest form read (10,000 ids of 64 characters would be larger: the API takes a list, not a form). */
  static final int MAX_FORM = 256 * 1024;

  private Forms() {
  }

  static Map<String, String> read(HttpServletRequest request) throws IOException {
    return parse(request.getInputStream().readNBytes(MAX_FORM));
  }

  /** The fields of a form body ({@code application/x-www-form-urlencoded}, UTF-8); the last of a repeated one. */
  static Map<String, String> parse(byte[] body) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (String pair : new String(body, StandardCharsets.UTF_8).split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      fields.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
          eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return fields;
  }
}
