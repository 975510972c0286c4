package dev.atrium.webos.gateway;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationPredicate;
import java.util.List;
import org.springframework.http.server.observation.ServerRequestObservationContext;

/**
 * Spring's {@code http.server.requests} observation, but not of the requests the gateway forwards: those are timed
 * and counted once, by the gateway's own {@code webos.gateway.requests} (package usage: by route, app, version
 * and status class), and a second timer with its histogram on every forwarded request was a share of the
 * gateway's CPU per request (docs/benchmarks.md, "What limits the gateway"). Webos's own endpoints (the admin API,
 * the app market, the portal, the probes) are still observed as {@code http.server.requests}.
 */
final class ProxiedRequestsObservation implements ObservationPredicate {

  static final String SERVER_REQUESTS = "http.server.requests";
  static final String APPS = "/apps/";

  private final List<String> prefixes;

  /** {@code prefixes}: the platform routes' public paths ({@code /auth}, ...), each also with what is below it. */
  ProxiedRequestsObservation(List<String> prefixes) {
    this.prefixes = List.copyOf(prefixes);
  }

  @Override
  public boolean test(String name, Observation.Context context) {
    return !(SERVER_REQUESTS.equals(name) && context instanceof ServerRequestObservationContext server
        && server.getCarrier() != null && proxied(server.getCarrier().getRequestURI()));
  }

  /** Whether a route forwards {@code path}: {@code /apps/{app}/**}, or a platform route's prefix and below. */
  boolean proxied(String path) {
    if (path == null) {
      return false;
    }
    if (path.startsWith(APPS)) {
      return path.length() > APPS.length() && path.charAt(APPS.length()) != '/';
    }
    for (String prefix : prefixes) {
      if (path.startsWith(prefix) && (path.length() == prefix.length() || path.charAt(prefix.length()) == '/')) {
        return true;
      }
    }
    return false;
  }
}
