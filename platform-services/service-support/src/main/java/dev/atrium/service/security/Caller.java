package dev.atrium.service.security;

import dev.atrium.service.web.ApiException;
import java.util.Set;

/**
 * Who is calling, from the bearer token: a person ({@link Kind#USER}) or an integrated app authenticated with
 * client credentials ({@link Kind#APP}). {@code id} is the token's subject: the user id, or the app's client id.
 *
 * @param departments the person's departments from the token (empty for apps)
 */
public record Caller(String id, Kind kind, Set<String> departments) {

  public enum Kind {
    USER, APP;

    /** The value of the principal-type claim. */
    public String claimValue() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public Caller {
    departments = Set.copyOf(departments);
  }

  public boolean isUser() {
    return kind == Kind.USER;
  }

  public boolean isApp() {
    return kind == Kind.APP;
  }

  /** Refuses (403) unless a person calls; {@code what} names what is for people only. */
  public Caller requireUser(String what) {
    if (!isUser()) {
      throw ApiException.forbidden(what + " are for people; this token is an app's (principal_type app).");
    }
    return this;
  }

  /** Refuses (403) unless an app calls; {@code what} names what only apps may do. */
  public Caller requireApp(String what) {
    if (!isApp()) {
      throw ApiException.forbidden(what + " only an integrated app may do, with a client-credentials token"
          + " (principal_type app); this token is a person's.");
    }
    return this;
  }
}
