package dev.atrium.messagecenter.security;

import dev.atrium.messagecenter.config.MessageCenterProperties;
import dev.atrium.service.security.BearerApi;
import dev.atrium.service.security.CallerTokens;
import dev.atrium.service.web.ProblemResponses;
import java.util.Set;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Bearer JWTs from the identity service, checked against its JWKS and issuer (service-support's
 * {@link BearerApi}); the API needs one, the probes, metrics and the OpenAPI description do not (the
 * NetworkPolicy keeps those inside the cluster), nor does the federation endpoint, whose requests are signed by
 * peer platforms' keys and checked by the endpoint itself.
 */
@Configuration
public class SecurityConfiguration {

  @Bean
  CallerTokens callerTokens(MessageCenterProperties properties) {
    return new CallerTokens(properties.principalTypeClaim(), properties.departmentsClaim());
  }

  @Bean
  JwtDecoder jwtDecoder(@Value("${spring.security.oauth2.resourceserver.jwt.jwk-set-uri}") String jwksUri,
      @Value("${spring.security.oauth2.resourceserver.jwt.issuer-uri}") String issuer, CallerTokens tokens) {
    return BearerApi.decoder(jwksUri, issuer, tokens);
  }

  /** PushWebSocketHandler's PATH and FRONT_DOOR_PATH (named here, not imported: push builds on security). */
  private static final Set<String> PUSH_PATHS = Set.of("/api/v1/stream", "/messages/api/v1/stream");

  @Bean
  SecurityFilterChain api(HttpSecurity http, CallerTokens tokens, ProblemResponses problems) throws Exception {
    return BearerApi.filterChain(http, tokens, problems, bearerTokens(), "/federation/**");
  }

  /**
   * The token from the Authorization header; for the push WebSocket also from {@code ?access_token=}, since
   * browsers cannot set headers on a WebSocket handshake.
   */
  static BearerTokenResolver bearerTokens() {
    DefaultBearerTokenResolver header = new DefaultBearerTokenResolver();
    DefaultBearerTokenResolver headerOrQuery = new DefaultBearerTokenResolver();
    headerOrQuery.setAllowUriQueryParameter(true);
    return request -> request.getRequestURI().startsWith("/federation/") ? null
        : "GET".equals(request.getMethod()) && PUSH_PATHS.contains(request.getRequestURI())
        ? headerOrQuery.resolve(request) : header.resolve(request);
  }
}
