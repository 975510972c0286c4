package dev.atrium.webos.gateway;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The platform routes from the environment: {@code ATRIUM_GATEWAY_ROUTES_<NAME>} is a service's URL (a route
 * exists only for the services so named), {@code ATRIUM_GATEWAY_PODS_<NAME>} optionally its headless Service as
 * {@code host:port}. A malformed value stops the service at start, naming the variable.
 */
public final class PlatformRoutes {

  public static final String ROUTES = "ATRIUM_GATEWAY_ROUTES_";
  public static final String PODS = "ATRIUM_GATEWAY_PODS_";

  private final Map<PlatformRoute, Upstream> upstreams;

  private PlatformRoutes(Map<PlatformRoute, Upstream> upstreams) {
    this.upstreams = upstreams;
  }

  /** The routes {@code environment} (variable name to value) configures; other variables are ignored. */
  public static PlatformRoutes from(Map<String, String> environment) {
    Map<PlatformRoute, Upstream> upstreams = new EnumMap<>(PlatformRoute.class);
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, String> entry : new TreeMap<>(environment).entrySet()) {
      String name = entry.getKey();
      String value = entry.getValue() == null ? "" : entry.getValue().trim();
      if (!name.startsWith(ROUTES) || value.isEmpty()) {
        continue;
      }
      Optional<PlatformRoute> route = PlatformRoute.named(name.substring(ROUTES.length()));
      if (route.isEmpty()) {
        problems.add(name + " names no service the gateway knows (" + List.of(PlatformRoute.values()) + ")");
        continue;
      }
      URI url = serviceUrl(name, value, problems);
      String podsName = PODS + route.get().name();
      String podsValue = environment.getOrDefault(podsName, "").trim();
      Optional<Upstream.Pods> pods = podsValue.isEmpty() ? Optional.empty() : pods(podsName, podsValue, problems);
      if (url != null) {
        upstreams.put(route.get(), new Upstream(route.get(), url, pods));
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("The gateway's routes are misconfigured: " + String.join("; ", problems));
    }
    return new PlatformRoutes(upstreams);
  }

  public Optional<Upstream> upstream(PlatformRoute route) {
    return Optional.ofNullable(upstreams.get(route));
  }

  public List<Upstream> all() {
    return List.copyOf(upstreams.values());
  }

  private static URI serviceUrl(String name, String value, List<String> problems) {
    try {
      URI url = new URI(value);
      if (!("http".equals(url.getScheme()) || "https".equals(url.getScheme())) || url.getHost() == null
          || (url.getPath() != null && !url.getPath().isEmpty() && !"/".equals(url.getPath()))
          || url.getQuery() != null) {
        problems.add(name + " must be http(s)://host[:port] without a path, but is \"" + value + "\"");
        return null;
      }
      return url;
    } catch (URISyntaxException e) {
      problems.add(name + " is not a URL: \"" + value + "\"");
      return null;
    }
  }

  private static Optional<Upstream.Pods> pods(String name, String value, List<String> problems) {
    int colon = value.lastIndexOf(':');
    if (colon > 0 && colon < value.length() - 1 && value.indexOf('/') < 0) {
      try {
        int port = Integer.parseInt(value.substring(colon + 1));
        if (port > 0 && port < 65536) {
          return Optional.of(new Upstream.Pods(value.substring(0, colon), port));
        }
      } catch (NumberFormatException e) {
        // reported below
      }
    }
    problems.add(name + " must be <headless-service-host>:<port>, but is \"" + value + "\"");
    return Optional.empty();
  }
}
