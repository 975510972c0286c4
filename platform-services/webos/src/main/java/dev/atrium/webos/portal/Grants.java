package dev.atrium.webos.portal;

import java.util.Arrays;
import java.util.List;
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
