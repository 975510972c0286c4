package dev.atrium.webos.market;

import dev.atrium.service.web.ApiException;
import dev.atrium.webos.apps.AppRoute;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Pattern;

/** What the market accepts: an app's id, a version, its texts and URLs, an icon. Each refusal is a 400 problem. */
public final class Validation {

  /** An app's id: its OAuth client's id in identity and its route's key, 2-63 of a-z, 0-9 and '-'. */
  public static final Pattern APP = Pattern.compile("^[a-z0-9][a-z0-9-]{1,62}$");
  public static final Pattern VERSION = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$");
  /** The largest icon accepted. */
  public static final int MAX_ICON_BYTES = 256 * 1024;
  public static final String PNG = "image/png";
  public static final String SVG = "image/svg+xml";
  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  private static final Pattern SVG_ROOT = Pattern.compile("^\\s*(<\\?xml[^>]*\\?>\\s*)?(<!--.*?-->\\s*)*"
      + "(<!DOCTYPE svg[^>]*>\\s*)?(<!--.*?-->\\s*)*<svg[\\s>]", Pattern.DOTALL | Pattern.CASE_INSENSITIVE);
  /** What an icon must not carry: scripts, event handlers, other documents, entities. */
  private static final Pattern SVG_ACTIVE = Pattern.compile("<script|<foreignObject|<iframe|<embed|<object"
      + "|\\son[a-z]+\\s*=|javascript:|<!ENTITY", Pattern.CASE_INSENSITIVE);

  private Validation() {
  }

  public static String app(String app) {
    if (app == null || !APP.matcher(app).matches()) {
      throw invalid("invalid-app", "An app's id is 2-63 lower-case letters, digits and '-', starting with a letter or"
          + " digit; \"" + app + "\" is not.");
    }
    return app;
  }

  /**
   * A submission of a tenant's app, whose OAuth client the market registers in identity (so an app that signs
   * people in needs redirect URIs); {@code ownClient} false for Atrium's own apps, whose clients identity keeps.
   */
  public static void check(Submission s, boolean ownClient) {
    if (s.version() == null || !VERSION.matcher(s.version()).matches()) {
      throw field("version", "1-63 letters, digits, '.', '_' and '-', starting with a letter or digit");
    }
    text("nameZh", s.nameZh(), 1, 100);
    text("nameEn", s.nameEn(), 1, 100);
    text("descriptionZh", s.descriptionZh(), 0, 2000);
    text("descriptionEn", s.descriptionEn(), 0, 2000);
    openUrl(s.openUrl());
    if (s.backendUrl() != null) {
      origin(s.backendUrl());
    }
    if (s.clientType() == null) {
      throw field("clientType", "one of WEB, SERVICE, WEB_AND_SERVICE");
    }
    if (ownClient && s.clientType() != ClientType.SERVICE && s.redirectUris().isEmpty()) {
      throw field("redirectUris", "at least one, for an app that signs people in");
    }
    if (s.redirectUris().size() > 20) {
      throw field("redirectUris", "at most 20");
    }
    s.redirectUris().forEach(uri -> {
      if (!isHttp(uri) || uri.length() > 500) {
        throw field("redirectUris", "absolute http(s) URLs of at most 500 characters, not \"" + uri + "\"");
      }
    });
  }

  /** Where the desktop opens the app: an absolute http(s) URL, or a path on the tenant's own domain. */
  static void openUrl(String url) {
    boolean path = url != null && url.startsWith("/") && !url.startsWith("//") && !url.contains("\\")
        && parses(url);
    if (url == null || url.length() > 2000 || !(path || isHttp(url))) {
      throw field("openUrl", "an http(s) URL or a path starting with '/', not \"" + url + "\"");
    }
  }

  /** A backend's origin, {@code http(s)://host[:port]}, nothing else (the request's own path follows it). */
  public static URI origin(String url) {
    return AppRoute.Backend.origin(url).orElseThrow(() -> field("backendUrl",
        "http(s)://host[:port] without a path, not \"" + url + "\""));
  }

  /**
   * An icon: PNG (by its signature) or SVG (an svg root, no scripts, event handlers or embedded documents), of at
   * most {@link #MAX_ICON_BYTES}; the content type must say which. Returns the content type to serve it with.
   */
  public static String icon(String contentType, byte[] bytes) {
    if (bytes.length == 0) {
      throw invalid("invalid-icon", "The icon is empty.");
    }
    if (bytes.length > MAX_ICON_BYTES) {
      throw new ApiException(org.springframework.http.HttpStatus.CONTENT_TOO_LARGE, "icon-too-large",
          "Icon too large", "An icon is at most " + MAX_ICON_BYTES + " bytes; this one has more.");
    }
    String type = contentType == null ? "" : contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
    if (PNG.equals(type)) {
      if (bytes.length < PNG_SIGNATURE.length
          || !Arrays.equals(Arrays.copyOf(bytes, PNG_SIGNATURE.length), PNG_SIGNATURE)) {
        throw invalid("invalid-icon", "The body is not a PNG image, although its Content-Type says image/png.");
      }
      return PNG;
    }
    if (SVG.equals(type)) {
      String text = new String(bytes, StandardCharsets.UTF_8);
      if (!SVG_ROOT.matcher(text).lookingAt()) {
        throw invalid("invalid-icon", "The body is not an SVG image (no <svg> root), although its Content-Type"
            + " says image/svg+xml.");
      }
      if (SVG_ACTIVE.matcher(text).find()) {
        throw invalid("invalid-icon", "An SVG icon must not carry scripts, event handlers, embedded documents or"
            + " entities.");
      }
      return SVG;
    }
    throw new ApiException(org.springframework.http.HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-icon-type",
        "Unsupported icon type", "An icon is image/png or image/svg+xml, not \"" + contentType + "\".");
  }

  /** A reviewer's reason for a rejection: 1-1000 characters. */
  public static String reason(String reason) {
    text("reason", reason, 1, 1000);
    return reason.strip();
  }

  private static void text(String name, String value, int min, int max) {
    int length = value == null ? 0 : value.strip().length();
    if (value == null || length < min || value.length() > max) {
      throw field(name, min + "-" + max + " characters" + (min > 0 ? ", not blank" : ""));
    }
  }

  private static boolean isHttp(String url) {
    try {
      URI uri = new URI(url);
      return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null
          && uri.getRawUserInfo() == null;
    } catch (URISyntaxException e) {
      return false;
    }
  }

  private static boolean parses(String url) {
    try {
      new URI(url);
      return true;
    } catch (URISyntaxException e) {
      return false;
    }
  }

  private static ApiException field(String name, String expected) {
    return invalid("invalid-field", name + ": must be " + expected + ".");
  }

  private static ApiException invalid(String type, String detail) {
    return ApiException.badRequest(type, detail);
  }
}
