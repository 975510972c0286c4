package dev.atrium.service.security;

import dev.atrium.service.web.ProblemResponses;
import dev.atrium.service.web.Problems;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
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
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.web.SecurityFilterChain;

/**
 * A service's API behind identity's bearer JWTs, as every platform service (but identity itself) has it: tokens
 * checked against identity's JWKS, issuer and {@link CallerTokens}' rules; stateless; the probes, metrics and
 * OpenAPI description open (the NetworkPolicy keeps them inside the cluster), plus the service's own public
 * paths; a missing or refused token is a 401 problem naming why, with the RFC 6750 {@code WWW-Authenticate}.
 */
public final class BearerApi {

  private static final List<String> ALWAYS_PUBLIC = List.of("/actuator/health/**", "/actuator/health",
      "/actuator/info", "/actuator/prometheus", "/v3/api-docs", "/v3/api-docs/**", "/error");

  private BearerApi() {
  }

  /** Identity's tokens: signed by a key of its JWKS, from its issuer, and acceptable to {@code tokens}. */
  public static JwtDecoder decoder(String jwksUri, String issuer, CallerTokens tokens) {
    NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSetUri(jwksUri).build();
    decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(JwtValidators.createDefaultWithIssuer(issuer),
        tokens.validator()));
    return decoder;
  }

  /**
   * The filter chain: every request authenticated except {@code publicPaths} and the probes; {@code resolver}
   * finds the token (null for requests that carry none by design).
   */
  public static SecurityFilterChain filterChain(HttpSecurity http, CallerTokens tokens, ProblemResponses problems,
      BearerTokenResolver resolver, String... publicPaths) throws Exception {
    List<String> open = new ArrayList<>(ALWAYS_PUBLIC);
    open.addAll(List.of(publicPaths));
    BearerTokenAuthenticationEntryPoint challenge = new BearerTokenAuthenticationEntryPoint();
    http
        .csrf(csrf -> csrf.disable())
        .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .authorizeHttpRequests(requests -> requests
            .requestMatchers(open.toArray(String[]::new)).permitAll()
            .anyRequest().authenticated())
        .oauth2ResourceServer(resourceServer -> resourceServer
            .bearerTokenResolver(resolver)
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

  /** Why a token was refused, in words a client can act on. */
  static String reason(AuthenticationException e) {
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
