package dev.atrium.webos.security;

import dev.atrium.service.security.BearerApi;
import dev.atrium.service.security.CallerTokens;
import dev.atrium.service.web.ProblemResponses;
import dev.atrium.webos.config.WebosProperties;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Authentication once, at the gateway: every route but the public ones needs a valid bearer JWT from the
 * tenant's identity (service-support's {@link BearerApi}: its JWKS, its issuer, a principal type), checked before
 * anything is forwarded; the Authorization header then goes on unchanged, and the backends check it again. Public:
 * identity's own routes ({@code /auth/**}: its login, token and discovery endpoints, and its API, which checks
 * tokens itself), netdisk's share links ({@code /netdisk/s/**}), the app market's icons
 * ({@code /webos/api/v1/market/icons/**}: an {@code <img>} sends no token) and the probes. Every path the portal's
 * session chain (package portal, ordered first) does not take is this chain's.
 */
@Configuration
public class SecurityConfiguration {

  /** Paths that need no token at the gateway. */
  static final List<String> PUBLIC = List.of("/auth/", "/netdisk/s/", "/webos/api/v1/market/icons/");

  @Bean
  CallerTokens callerTokens(WebosProperties properties) {
    return new CallerTokens(properties.principalTypeClaim(), properties.departmentsClaim());
  }

  /**
   * No observation of Spring Security's own work: without this, every request's filter chain is wrapped in
   * observations (one around each filter, the authentication and the authorization) even when their meters are
   * switched off, a share of the gateway's CPU per request (docs/benchmarks.md, "What limits the gateway").
   */
  @Bean
  SecurityObservationSettings securityObservationSettings() {
    return SecurityObservationSettings.noObservations();
  }

  @Bean
  JwtDecoder jwtDecoder(@Value("${spring.security.oauth2.resourceserver.jwt.jwk-set-uri}") String jwksUri,
      @Value("${spring.security.oauth2.resourceserver.jwt.issuer-uri}") String issuer, CallerTokens tokens) {
    return new VerifiedTokens(BearerApi.decoder(jwksUri, issuer, tokens), 4096, Clock.systemUTC());
  }

  @Bean
  @Order(2)
  SecurityFilterChain api(HttpSecurity http, CallerTokens tokens, ProblemResponses problems) throws Exception {
    BearerHeader header = new BearerHeader();
    return BearerApi.filterChain(http, tokens, problems,
        request -> isPublic(request) ? null : header.resolve(request),
        PUBLIC.stream().map(prefix -> prefix + "**").toArray(String[]::new));
  }

  private static boolean isPublic(HttpServletRequest request) {
    String path = request.getRequestURI();
    return PUBLIC.stream().anyMatch(path::startsWith);
  }
}
