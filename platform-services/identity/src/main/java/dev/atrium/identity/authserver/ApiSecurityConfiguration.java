package dev.atrium.identity.authserver;

import dev.atrium.identity.config.IdentityProperties;
import dev.atrium.identity.security.Caller;
import dev.atrium.identity.security.DeviceBinding;
import dev.atrium.identity.directory.DirectoryStore;
import dev.atrium.identity.directory.Person;
import dev.atrium.identity.keys.KeyRing;
import dev.atrium.service.web.ProblemResponses;
import dev.atrium.service.web.Problems;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Identity's own API ({@code /api/**}): bearer tokens identity issued, checked against its key ring and
 * issuer, and at every request against the directory (a disabled person's tokens stop at once) and the device
 * registry (a token bound to a revoked or lost device stops at once). {@code /api/admin/**} is for the tenant's
 * administrators only, decided from the directory, not from the token.
 */
@Configuration
public class ApiSecurityConfiguration {

  public static final String PRINCIPAL_TYPE = "principal_type";
  public static final String DEVICE_ID = "device_id";

  @Bean
  @Order(2)
  SecurityFilterChain api(HttpSecurity http, KeyRing keys, IdentityProperties properties, DirectoryStore directory,
      DeviceBinding devices, ProblemResponses problems) throws Exception {
    NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSource(keys).build();
    decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(
        JwtValidators.createDefaultWithIssuer(properties.issuer()),
        jwt -> stillValid(jwt, directory, devices)));
    BearerTokenAuthenticationEntryPoint challenge = new BearerTokenAuthenticationEntryPoint();
    http.securityMatcher("/api/**")
        .csrf(csrf -> csrf.disable())
        .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .authorizeHttpRequests(requests -> requests
            // a device reads its own state (and the wipe flag) with its device secret, even once revoked
            .requestMatchers("/api/devices/*/verify", "/api/devices/*/activate").permitAll()
            .requestMatchers("/api/admin/**").access((authentication, context) -> new AuthorizationDecision(
                authentication.get().getPrincipal() instanceof Caller caller && caller.admin()))
            .anyRequest().authenticated())
        .oauth2ResourceServer(resourceServer -> resourceServer
            .jwt(jwt -> jwt.decoder(decoder).jwtAuthenticationConverter(token -> authentication(token, directory)))
            .authenticationEntryPoint((request, response, e) -> {
              challenge.commence(request, response, e);
              problems.write(request, response, Problems.of(HttpStatus.UNAUTHORIZED, "unauthenticated",
                  "Authentication required", "Send an access token from identity as 'Authorization: Bearer"
                      + " <token>'. " + (e.getMessage() == null ? "" : e.getMessage())));
            })
            .accessDeniedHandler((request, response, e) -> problems.write(request, response,
                Problems.of(HttpStatus.FORBIDDEN, "forbidden", "Not allowed",
                    "This needs a tenant administrator's token."))));
    return http.build();
  }

  private static OAuth2TokenValidatorResult stillValid(Jwt jwt, DirectoryStore directory, DeviceBinding devices) {
    Object type = jwt.getClaims().get(PRINCIPAL_TYPE);
    if ("user".equals(type)) {
      if (!directory.person(jwt.getSubject()).map(Person::active).orElse(false)) {
        return failure("the person this token was issued to is disabled or unknown");
      }
      String device = jwt.getClaimAsString(DEVICE_ID);
      if (device != null && !devices.active(device, jwt.getSubject())) {
        return failure("the device this token is bound to is revoked, lost or unknown");
      }
      return OAuth2TokenValidatorResult.success();
    }
    return "app".equals(type) ? OAuth2TokenValidatorResult.success()
        : failure("the token's principal_type must be user or app");
  }

  private static OAuth2TokenValidatorResult failure(String description) {
    return OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token", description, null));
  }

  private static AbstractAuthenticationToken authentication(Jwt jwt, DirectoryStore directory) {
    boolean user = "user".equals(jwt.getClaims().get(PRINCIPAL_TYPE));
    boolean admin = user && directory.person(jwt.getSubject()).map(p -> p.active() && p.admin()).orElse(false);
    Caller caller = new Caller(jwt.getSubject(), user ? Caller.Kind.USER : Caller.Kind.APP, admin,
        jwt.getClaimAsString(DEVICE_ID));
    return new CallerAuthentication(caller, jwt);
  }

  /** An authenticated caller with the token it came with. */
  static final class CallerAuthentication extends AbstractAuthenticationToken {
    private final Caller caller;
    private final Jwt jwt;

    CallerAuthentication(Caller caller, Jwt jwt) {
      super(List.of(new SimpleGrantedAuthority("ROLE_" + caller.kind().name())));
      this.caller = caller;
      this.jwt = jwt;
      setAuthenticated(true);
    }

    @Override
    public Object getCredentials() {
      return jwt;
    }

    @Override
    public Caller getPrincipal() {
      return caller;
    }
  }
}
