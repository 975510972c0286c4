package dev.atrium.identity.authserver;

import dev.atrium.identity.apps.AppService;
import dev.atrium.identity.apps.ClientSecrets;
import dev.atrium.identity.config.IdentityProperties;
import dev.atrium.identity.keys.KeyRing;
import java.util.function.Consumer;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.authorization.JdbcOAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.authentication.ClientSecretAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationValidator;
import org.springframework.security.oauth2.server.authorization.client.JdbcRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.config.annotation.web.configuration.OAuth2AuthorizationServerConfiguration;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.util.matcher.MediaTypeRequestMatcher;

/**
 * The OpenID Connect provider, on Spring Authorization Server: discovery, JWKS, authorization code with PKCE
 * (through the login page), client credentials, refresh, revocation, introspection, RP-initiated logout and
 * userinfo. Clients and authorizations live in the database, so any replica exchanges a code, refreshes,
 * revokes or introspects; the browser's login session (the saved authorization request and who signed in) is
 * the replica's own (README, Replicas).
 */
@Configuration
public class AuthorizationServerConfiguration {

  @Bean
  @Order(1)
  SecurityFilterChain authorizationServer(HttpSecurity http, TokenPolicy policy) throws Exception {
    http.oauth2AuthorizationServer(server -> {
      http.securityMatcher(server.getEndpointsMatcher());
      server.oidc(Customizer.withDefaults())
          .clientAuthentication(clients -> clients.authenticationProviders(clientSecretsBySha256()))
          .authorizationEndpoint(endpoint -> endpoint.authenticationProviders(grantsAtAuthorization(policy)));
    });
    http.authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
        // people sent to the authorization endpoint without a session sign in first
        .exceptionHandling(exceptions -> exceptions.defaultAuthenticationEntryPointFor(
            new LoginUrlAuthenticationEntryPoint("/login"), new MediaTypeRequestMatcher(MediaType.TEXT_HTML)));
    return http.build();
  }

  private static Consumer<List<AuthenticationProvider>> clientSecretsBySha256() {
    return providers -> providers.stream().filter(ClientSecretAuthenticationProvider.class::isInstance)
        .map(ClientSecretAuthenticationProvider.class::cast)
        .forEach(provider -> provider.setPasswordEncoder(new ClientSecrets()));
  }

  /** Refuses, at the authorization endpoint, a signed-in person the app is not granted to (access_denied). */
  private static Consumer<List<AuthenticationProvider>> grantsAtAuthorization(TokenPolicy policy) {
    Consumer<OAuth2AuthorizationCodeRequestAuthenticationContext> validator =
        new OAuth2AuthorizationCodeRequestAuthenticationValidator().andThen(policy::checkAuthorizationRequest);
    return providers -> providers.stream()
        .filter(OAuth2AuthorizationCodeRequestAuthenticationProvider.class::isInstance)
        .map(OAuth2AuthorizationCodeRequestAuthenticationProvider.class::cast)
        .forEach(provider -> provider.setAuthenticationValidator(validator));
  }

  @Bean
  AuthorizationServerSettings authorizationServerSettings(IdentityProperties properties) {
    return AuthorizationServerSettings.builder().issuer(properties.issuer()).build();
  }

  @Bean
  RegisteredClientRepository registeredClientRepository(JdbcOperations jdbc) {
    return new JdbcRegisteredClientRepository(jdbc);
  }

  @Bean
  OAuth2AuthorizationService authorizationService(JdbcOperations jdbc, RegisteredClientRepository clients) {
    return new JdbcOAuth2AuthorizationService(jdbc, clients);
  }

  @Bean
  JwtDecoder jwtDecoder(KeyRing keys) {
    return OAuth2AuthorizationServerConfiguration.jwtDecoder(keys);
  }

  @Bean
  OAuth2TokenCustomizer<JwtEncodingContext> tokenClaims(TokenPolicy policy) {
    return policy::customize;
  }

  @Bean
  AppService.TokenLifetimes tokenLifetimes(IdentityProperties properties) {
    return new AppService.TokenLifetimes(properties.accessTokenTtl(), properties.refreshTokenTtl(),
        properties.authorizationCodeTtl());
  }
}
