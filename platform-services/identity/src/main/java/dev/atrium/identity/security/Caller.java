package dev.atrium.identity.security;

/**
 * Who calls identity's API, from a token identity issued: a person (their id, whether they administer the
 * tenant, the device the token is bound to if any) or an app (its client id).
 */
public record Caller(String id, Kind kind, boolean admin, String deviceId) {

  /** People and apps; the principal_type claim says which. */
  public enum Kind {
    USER, APP
  }

  public boolean person() {
    return kind == Kind.USER;
  }
}
