package dev.atrium.identity.apps;

import java.util.Locale;

/** One grant of an app: to a person, or to a department (and so everyone in it and below it). */
public record Grant(Kind kind, String id) {

  /** Who a grant names. */
  public enum Kind {
    PERSON, DEPARTMENT;

    String column() {
      return name().toLowerCase(Locale.ROOT);
    }

    static Kind of(String column) {
      return valueOf(column.toUpperCase(Locale.ROOT));
    }
  }
}
