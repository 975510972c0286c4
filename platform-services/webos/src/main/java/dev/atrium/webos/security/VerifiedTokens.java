package dev.atrium.webos.security;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

/**
 * The gateway's token check, remembered: a token that {@code delegate} accepted (signature, issuer, lifetime,
 * principal type) is accepted again without checking its signature again, until it expires. A client sends the
 * same token with every request for its lifetime, and the RSA signature check and the parsing were a fifth of the
 * gateway's CPU per request (hack/bench-webos.sh, docs/benchmarks.md). Keyed by the whole token (its signature
 * included), so only the very same bytes match; a token without an expiry is never remembered; at most
 * {@code capacity} tokens, all forgotten when full. What is not remembered is checked as before, and a token
 * refused is never remembered.
 */
final class VerifiedTokens implements JwtDecoder {

  private final JwtDecoder delegate;
  private final int capacity;
  private final Clock clock;
  private final Map<String, Jwt> accepted = new ConcurrentHashMap<>();

  VerifiedTokens(JwtDecoder delegate, int capacity, Clock clock) {
    this.delegate = delegate;
    this.capacity = capacity;
    this.clock = clock;
  }

  @Override
  public Jwt decode(String token) throws JwtException {
    Instant now = clock.instant();
    Jwt known = accepted.get(token);
    if (known != null) {
      if (now.isBefore(known.getExpiresAt())) {
        return known;
      }
      accepted.remove(token, known);
    }
    Jwt jwt = delegate.decode(token);
    if (jwt.getExpiresAt() != null && now.isBefore(jwt.getExpiresAt())) {
      if (accepted.size() >= capacity) {
        accepted.clear();
      }
      accepted.put(token, jwt);
    }
    return jwt;
  }
}
