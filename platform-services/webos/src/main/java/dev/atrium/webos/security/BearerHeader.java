package dev.atrium.webos.security;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.BearerTokenErrors;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;

/**
 * The bearer token of a request's {@code Authorization} header, read exactly as Spring Security's
 * {@code DefaultBearerTokenResolver} with its defaults reads it (a header starting with "bearer" in any case must be
 * {@code Bearer <token68>}, else the token is malformed; no token from the query or the body), but by a loop over the
 * characters instead of its case-insensitive regular expression, which ran over the whole token (about a kilobyte)
 * on every request through the gateway (docs/benchmarks.md, "What limits the gateway").
 */
final class BearerHeader implements BearerTokenResolver {

  private static final String PREFIX = "Bearer ";

  @Override
  public String resolve(HttpServletRequest request) {
    return token(request.getHeader(HttpHeaders.AUTHORIZATION));
  }

  /** The token of {@code authorization}, null if it is not a bearer one; throws if it is a malformed one. */
  static String token(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, PREFIX, 0, PREFIX.length() - 1)) {
      return null;
    }
    int length = authorization.length();
    int at = PREFIX.length();
    if (length <= at || authorization.charAt(at - 1) != ' ') {
      throw malformed();
    }
    while (at < length && tokenCharacter(authorization.charAt(at))) {
      at++;
    }
    if (at == PREFIX.length()) {
      throw malformed();
    }
    while (at < length && authorization.charAt(at) == '=') {
      at++;
    }
    if (at != length) {
      throw malformed();
    }
    return authorization.substring(PREFIX.length());
  }

  /** RFC 6750's b64token characters but the padding: {@code [a-zA-Z0-9-._~+/]}. */
  private static boolean tokenCharacter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
        || c == '_' || c == '~' || c == '+' || c == '/';
  }

  private static OAuth2AuthenticationException malformed() {
    return new OAuth2AuthenticationException(BearerTokenErrors.invalidToken("Bearer token is malformed"));
  }
}
