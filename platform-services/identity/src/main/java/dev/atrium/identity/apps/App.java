package dev.atrium.identity.apps;

import java.util.Locale;

/**
 * An app: an OAuth client plus who manages it and whether it needs grants.
 *
 * @param restricted tokens only for granted people (the platform's own apps are open to every active person)
 * @param suspended no tokens at all, for anyone or for the app itself, until it is resumed (its client and grants
 *     stay)
 */
public record App(String clientId, String name, ManagedBy managedBy, boolean restricted, boolean suspended) {

  /** The platform's own services (kept in line with the spec) or the tenant's apps (the admin API). */
  public enum ManagedBy {
    PLATFORM, TENANT;

    String column() {
      return name().toLowerCase(Locale.ROOT);
    }

    static ManagedBy of(String column) {
      return valueOf(column.toUpperCase(Locale.ROOT));
    }
  }
}
