package dev.atrium.messagecenter.security;

import dev.atrium.messagecenter.config.MessageCenterProperties;
import dev.atrium.service.security.CallerTokens;
import dev.atrium.service.web.ProblemResponses;
import dev.atrium.service.web.Problems;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Bearer JWTs from the identity service, checked against its JWKS and issuer; the API needs one, the probes,
 * metrics and the OpenAPI description do not (the NetworkPolicy keeps those inside the cluster).
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
    NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSetUri(jwksUri).build();
    decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(JwtValidators.createDefaultWithIssuer(issuer),
        tokens.validator()));
    return decoder;
  }

  @Bean
  SecurityFilterChain api(HttpSecurity http, CallerTokens tokens, ProblemResponses problems) throws Exception {
    BearerTokenAuthenticationEntryPoint challenge = new BearerTokenAuthenticationEntryPoint();
    http
        .csrf(csrf -> csrf.disable())
        .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .authorizeHttpRequests(requests -> requests
            .requestMatchers("/actuator/health/**", "/actuator/health", "/actuator/info", "/actuator/prometheus",
                "/v3/api-docs", "/v3/api-docs/**", "/error").permitAll()
            // signed by peer platforms' keys, checked by the federation endpoint itself
            .requestMatchers("/federation/**").permitAll()
            .anyRequest().authenticated())
        .oauth2ResourceServer(resourceServer -> resourceServer
            .bearerTokenResolver(bearerTokens())
            .jwt(jwt -> jwt.jwtAuthenticationConverter(tokens::authentication))
            .authenticationEntryPoint((request, response, e) -> {
              challenge.commence(request, response, e); // sets WWW-Authenticate as RFC 6750 asks
              problems.write(request, response, Problems.of(HttpStatus.UNAUTHORIZED, "unauthenticated",
                  "Authentication required", "Send an access token from the identity service as"
                      + " 'Authorization: Bearer <token>'. " + reason(e)));
            })
            .accessDeniedHandler((request, response, e) -> problems.write(request, response,
                Problems.of(HttpStatus.FORBIDDEN, "forbidden", "Not allowed", e.getMessage()))));
    return http.build();
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
        : "GET".equals(request.getMethod()) && "/api/v1/stream".equals(request.getRequestURI())
        ? headerOrQuery.resolve(request) : header.resolve(request);
  }

  private static String reason(AuthenticationException e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof JwtValidationException invalid && !invalid.getErrors().isEmpty()) {
        return invalid.getErrors().stream().map(error -> error.getDescription() == null ? error.getErrorCode()
            : error.getDescription()).collect(java.util.stream.Collectors.joining("; "));
      }
    }
    if (e instanceof OAuth2AuthenticationException oauth && oauth.getError().getDescription() != null) {
      return oauth.getError().getDescription();
    }
    return e.getMessage();
  }
}
