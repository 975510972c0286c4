package dev.atrium.webos.gateway;

import java.util.Locale;
import java.util.Optional;

/**
 * The platform's services the gateway fronts, each under one public path. The operator names a service's address
 * {@code ATRIUM_GATEWAY_ROUTES_<NAME>}; {@code NAME} is the constant's name.
 */
public enum PlatformRoute {
  /** identity under /auth, without the prefix (its issuer is {@code <scheme>://<domain>/auth}) */
  IDENTITY("/auth", true),
  /** the message center's API under /messages, without the prefix ({@code /messages/api/v1/...}) */
  MESSAGE_CENTER("/messages", true),
  /** netdisk under /netdisk, as it is (its own paths start with /netdisk) */
  NETDISK("/netdisk", false);

  private final String prefix;
  private final boolean stripPrefix;

  PlatformRoute(String prefix, boolean stripPrefix) {
    this.prefix = prefix;
    this.stripPrefix = stripPrefix;
  }

  public String prefix() {
    return prefix;
  }

  public boolean stripPrefix() {
    return stripPrefix;
  }

  /** The load balancer's service id and the metrics' route tag: {@code identity}, {@code message-center}, ... */
  public String serviceId() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The constant named {@code name} (as in the variables' names), if any. */
  public static Optional<PlatformRoute> named(String name) {
    for (PlatformRoute route : values()) {
      if (route.name().equals(name)) {
        return Optional.of(route);
      }
    }
    return Optional.empty();
  }
}
