package dev.atrium.webos.market;

/** What the app's OAuth client does with identity (identity's app types). */
public enum ClientType {
  /** Signs people in (authorization code with PKCE). */
  WEB,
  /** Calls APIs as itself (client credentials). */
  SERVICE,
  /** Both. */
  WEB_AND_SERVICE
}
