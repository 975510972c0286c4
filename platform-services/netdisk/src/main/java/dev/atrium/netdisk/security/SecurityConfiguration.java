package dev.atrium.netdisk.security;

import dev.atrium.netdisk.config.NetdiskProperties;
import dev.atrium.service.security.CallerTokens;
import dev.atrium.service.web.ProblemResponses;
import dev.atrium.service.web.Problems;
import java.util.stream.Collectors;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Bearer JWTs from the identity service on the API; share links ({@code /netdisk/s/**}) are public (the link's
 * token, password and limits are checked by the share feature), as are the probes, metrics and the OpenAPI
 * description (the NetworkPolicy keeps those inside the cluster).
 */
@Configuration
public class SecurityConfiguration {

  @Bean
  CallerTokens callerTokens(NetdiskProperties properties) {
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
            .requestMatchers("/netdisk/s/**").permitAll()
            .anyRequest().authenticated())
        .oauth2ResourceServer(resourceServer -> resourceServer
            .bearerTokenResolver(request -> request.getRequestURI().startsWith("/netdisk/s/") ? null
                : new org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver()
                    .resolve(request))
            .jwt(jwt -> jwt.jwtAuthenticationConverter(tokens::authentication))
            .authenticationEntryPoint((request, response, e) -> {
              challenge.commence(request, response, e);
              problems.write(request, response, Problems.of(HttpStatus.UNAUTHORIZED, "unauthenticated",
                  "Authentication required", "Send an access token from the identity service as"
                      + " 'Authorization: Bearer <token>'. " + reason(e)));
            })
            .accessDeniedHandler((request, response, e) -> problems.write(request, response,
                Problems.of(HttpStatus.FORBIDDEN, "forbidden", "Not allowed", e.getMessage()))));
    return http.build();
  }

  private static String reason(AuthenticationException e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof JwtValidationException invalid && !invalid.getErrors().isEmpty()) {
        return invalid.getErrors().stream().map(error -> error.getDescription() == null ? error.getErrorCode()
            : error.getDescription()).collect(Collectors.joining("; "));
      }
    }
    if (e instanceof OAuth2AuthenticationException oauth && oauth.getError().getDescription() != null) {
      return oauth.getError().getDescription();
    }
    return e.getMessage();
  }
}
