package dev.atrium.webos.apps;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A published app's API route, {@code /apps/{app}/**}: the versions of its backend with their weights (a gray
 * release is two versions, e.g. 90 and 10), whether one person always stays on one version, and its rate limit.
 * Keyed by the app's id, which the app market will own with the app's versions.
 *
 * @param rateLimit the limit, or null for none
 */
public record AppRoute(String app, List<Backend> backends, boolean sticky, RateLimit rateLimit, Instant updatedAt,
    String updatedBy) {

  public AppRoute {
    backends = List.copyOf(backends);
  }

  /** One version of the app's backend: its origin ({@code http(s)://host[:port]}) and its weight. */
  public record Backend(String version, URI url, int weight) {
  }

  /**
   * At most {@code requests} per {@code period} for the whole app, and at most {@code perCaller} per period for
   * any one caller (null: no limit per caller).
   */
  public record RateLimit(long requests, Duration period, Long perCaller) {
  }
}
