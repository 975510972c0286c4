package dev.atrium.webos.apps;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

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

    /** {@code url} as a backend's origin: http(s)://host[:port], nothing else; empty if it is not one. */
    public static Optional<URI> origin(String url) {
      try {
        URI uri = new URI(url);
        if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null
            && (uri.getRawPath() == null || uri.getRawPath().isEmpty() || "/".equals(uri.getRawPath()))
            && uri.getRawQuery() == null && uri.getRawFragment() == null && uri.getRawUserInfo() == null) {
          return Optional.of(new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), null, null, null));
        }
      } catch (URISyntaxException | NullPointerException e) {
        // not an origin
      }
      return Optional.empty();
    }
  }

  /**
   * At most {@code requests} per {@code period} for the whole app, and at most {@code perCaller} per period for
   * any one caller (null: no limit per caller).
   */
  public record RateLimit(long requests, Duration period, Long perCaller) {
  }
}
