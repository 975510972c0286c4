package dev.atrium.webos.market;

import java.util.Collection;

/** What the app's OAuth client does with identity (identity's app types). */
public enum ClientType {
  /** Signs people in (authorization code with PKCE). */
  WEB,
  /** Calls APIs as itself (client credentials). */
  SERVICE,
  /** Both. */
  WEB_AND_SERVICE;

  /** The type that does what each of {@code types} does (two versions of an app on a gray release share a client). */
  public static ClientType covering(Collection<ClientType> types) {
    boolean web = types.stream().anyMatch(type -> type != SERVICE);
    boolean service = types.stream().anyMatch(type -> type != WEB);
    if (web && service) {
      return WEB_AND_SERVICE;
    }
    return web ? WEB : SERVICE;
  }
}
