package dev.atrium.webos.portal;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The portal's settings, from the environment the operator sets (README.md of this module lists each variable).
 *
 * @param publicUrl where people reach the tenant's domain ({@code <scheme>://<domain>}): the sign-in redirect, the
 *     address after sign-out and whether cookies are Secure follow from it (unset: the request's own address)
 * @param clientId webos as identity's OAuth client
 * @param clientSecret its secret
 * @param issuer identity's issuer as browsers see it ({@code <scheme>://<domain>/auth}); the browser is sent to its
 *     authorization and logout endpoints, and ID tokens must name it
 * @param jwksUri identity's signing keys, in the cluster
 * @param streamUrl the message center's push socket as the page opens it; empty: the front door's
 *     {@code /messages/api/v1/stream} on the page's own origin
 * @param appUrls where each app opens, {@code clientId=url} pairs separated by commas, for apps whose address no
 *     other part of webos knows
 * @param serviceTimeout how long a panel waits for its service before it says the service is unavailable
 * @param appsRefresh how often an open desktop reads its apps again, so a grant, an approval or a withdrawal shows
 *     without a reload (nothing pushes those to the page)
 */
@ConfigurationProperties("atrium.webos.portal")
public record PortalProperties(URI publicUrl, String clientId, String clientSecret, String issuer, String jwksUri,
    String streamUrl, String appUrls, Duration serviceTimeout, Duration appsRefresh) {

  /** The registration id of identity in Spring Security's OAuth2 login (the redirect URI ends with it). */
  static final String REGISTRATION = "atrium";

  /** {@link #appUrls} as a map; a pair without '=' or with a blank side is ignored. */
  Map<String, URI> appUrlMap() {
    Map<String, URI> urls = new LinkedHashMap<>();
    if (appUrls == null) {
      return urls;
    }
    for (String pair : appUrls.split(",")) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        continue;
      }
      String id = pair.substring(0, eq).trim();
      String url = pair.substring(eq + 1).trim();
      if (!id.isEmpty() && !url.isEmpty()) {
        urls.put(id, URI.create(url));
      }
    }
    return urls;
  }

  /** The public URL without a trailing slash; unset, Spring Security's {@code {baseUrl}} (the request's own). */
  String base() {
    String url = publicUrl == null ? "" : publicUrl.toString();
    if (url.isBlank()) {
      return "{baseUrl}";
    }
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  boolean secure() {
    return publicUrl != null && "https".equalsIgnoreCase(publicUrl.getScheme());
  }
}
