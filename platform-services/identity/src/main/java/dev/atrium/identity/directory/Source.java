package dev.atrium.identity.directory;

import java.util.Locale;

/** Where a person or department comes from: the admin API, or the company's LDAP/AD through the sync. */
public enum Source {
  LOCAL, LDAP;

  public String column() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Source of(String column) {
    return valueOf(column.toUpperCase(Locale.ROOT));
  }
}
