package dev.atrium.webos.portal;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import tools.jackson.databind.JsonNode;

/** An app's grants as the admin page shows and edits them: people and departments as comma-separated ids. */
final class Grants {

  private Grants() {
  }

  /** Who is granted, from identity's {@code [{"kind": "PERSON"|"DEPARTMENT", "id"}]}. */
  record Summary(String people, String departments) {
  }

  static Summary summary(JsonNode grants) {
    return new Summary(ids(grants, "PERSON"), ids(grants, "DEPARTMENT"));
  }

  /** The largest grants form read (10,000 ids of 64 characters would be larger: the API takes a list, not a form). */
  static final int MAX_FORM = 256 * 1024;

  /** The fields of a form body ({@code application/x-www-form-urlencoded}, UTF-8); the last of a repeated one. */
  static Map<String, String> form(byte[] body) {
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

  /** The ids typed in a field: separated by commas, spaces or new lines, blanks and repeats dropped. */
  static List<String> split(String typed) {
    return Arrays.stream(typed.split("[,\\s]+")).map(String::trim).filter(id -> !id.isEmpty()).distinct().toList();
  }

  private static String ids(JsonNode grants, String kind) {
    if (grants == null || !grants.isArray()) {
      return "";
    }
    return String.join(", ", StreamSupport.stream(grants.spliterator(), false)
        .filter(grant -> kind.equalsIgnoreCase(grant.path("kind").asString(""))).map(grant -> grant.path("id")
            .asString("")).toList());
  }
}
