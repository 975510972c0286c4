package dev.atrium.webos.portal;

import dev.atrium.webos.gateway.PlatformRoute;
import dev.atrium.webos.gateway.PlatformRoutes;
import dev.atrium.webos.gateway.Upstream;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.AuthorizationCodeOAuth2AuthorizedClientProvider;
import org.springframework.security.oauth2.client.DelegatingOAuth2AuthorizedClientProvider;
import org.springframework.security.oauth2.client.RefreshTokenOAuth2AuthorizedClientProvider;
import org.springframework.security.oauth2.client.oidc.web.logout.OidcClientInitiatedLogoutSuccessHandler;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.registration.InMemoryClientRegistrationRepository;
import org.springframework.security.oauth2.client.web.DefaultOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.web.HttpSessionOAuth2AuthorizedClientRepository;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizedClientRepository;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.session.data.redis.config.annotation.web.http.EnableRedisHttpSession;
import org.springframework.session.web.http.CookieSerializer;
import org.springframework.session.web.http.DefaultCookieSerializer;

/**
 * The portal's sign-in: Spring Security's OAuth2 login at identity as its client {@code webos} (authorization code
 * with PKCE; the provider configured here, not discovered: the browser goes to the issuer's authorization and
 * logout endpoints, webos itself to identity's token endpoint and JWKS in the cluster; the ID token must name the
 * issuer). The session, with the person's tokens in it, is kept in the tenant's Redis (Spring Session), so any
 * replica serves a signed-in person. CSRF is on. This chain, ordered first, takes the portal's own paths
 * ({@link #PATHS}); the API gateway's bearer-token chain takes every other.
 */
@Configuration
@EnableRedisHttpSession(redisNamespace = "webos:session", maxInactiveIntervalInSeconds = 8 * 3600)
public class PortalSecurity {

  static final String LOGIN = "/oauth2/authorization/" + PortalProperties.REGISTRATION;

  @Bean
  ClientRegistrationRepository clientRegistrations(PortalProperties portal, PlatformRoutes routes) {
    String issuer = strip(portal.issuer());
    String identity = routes.upstream(PlatformRoute.IDENTITY).map(Upstream::serviceUrl).map(Object::toString)
        .map(PortalSecurity::strip).orElse(issuer);
    ClientRegistration registration = ClientRegistration.withRegistrationId(PortalProperties.REGISTRATION)
        .clientId(portal.clientId())
        .clientSecret(portal.clientSecret())
        .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
        .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
        .clientSettings(ClientRegistration.ClientSettings.builder().requireProofKey(true).build())
        .redirectUri(portal.base() + "/login/oauth2/code/{registrationId}")
        .scope("openid", "profile")
        .authorizationUri(issuer + "/oauth2/authorize")
        .tokenUri(identity + "/oauth2/token")
        .jwkSetUri(portal.jwksUri())
        .issuerUri(issuer)
        .userNameAttributeName("sub")
        .providerConfigurationMetadata(Map.of("end_session_endpoint", issuer + "/connect/logout"))
        .clientName("Atrium")
        .build();
    return new InMemoryClientRegistrationRepository(registration);
  }

  @Bean
  OAuth2AuthorizedClientRepository authorizedClients() {
    return new HttpSessionOAuth2AuthorizedClientRepository();
  }

  /**
   * The person's access token for the services, refreshed with the refresh token when it is about to expire. A
   * refresh also brings a new ID token; the event it publishes has Spring Security put it in the session
   * (OAuth2 login's listener), so sign-out sends identity the ID token it knows now (identity keeps only the latest).
   */
  @Bean
  OAuth2AuthorizedClientManager authorizedClientManager(ClientRegistrationRepository registrations,
      OAuth2AuthorizedClientRepository authorizedClients, ApplicationEventPublisher events) {
    DefaultOAuth2AuthorizedClientManager manager = new DefaultOAuth2AuthorizedClientManager(registrations,
        authorizedClients);
    RefreshTokenOAuth2AuthorizedClientProvider refresh = new RefreshTokenOAuth2AuthorizedClientProvider();
    refresh.setApplicationEventPublisher(events);
    manager.setAuthorizedClientProvider(new DelegatingOAuth2AuthorizedClientProvider(
        new AuthorizationCodeOAuth2AuthorizedClientProvider(), refresh));
    return manager;
  }

  @Bean
  CookieSerializer sessionCookie(PortalProperties portal) {
    DefaultCookieSerializer cookie = new DefaultCookieSerializer();
    cookie.setCookieName("WEBOS_SESSION");
    cookie.setUseHttpOnlyCookie(true);
    cookie.setSameSite("Lax");
    cookie.setUseSecureCookie(portal.secure());
    return cookie;
  }

  /** The portal's paths; every other one is the API gateway's chain's (bearer tokens, as before). */
  static final String[] PATHS = {"/", "/portal/**", "/admin", "/admin/**", "/assets/**", "/logout",
      "/oauth2/authorization/**", "/login/oauth2/code/**"};

  @Bean
  @Order(1)
  SecurityFilterChain portal(HttpSecurity http, ClientRegistrationRepository registrations,
      OAuth2AuthorizedClientRepository authorizedClients, PortalProperties portal) throws Exception {
    OidcClientInitiatedLogoutSuccessHandler logout = new OidcClientInitiatedLogoutSuccessHandler(registrations);
    logout.setPostLogoutRedirectUri(portal.base() + "/");
    RequestMatcher script = request -> request.getRequestURI().startsWith("/portal/");
    http
        .securityMatcher(PATHS)
        .authorizeHttpRequests(requests -> requests
            .requestMatchers("/assets/**").permitAll()
            .anyRequest().authenticated())
        .oauth2Login(login -> login
            .loginPage(LOGIN)
            .authorizedClientRepository(authorizedClients))
        .oauth2Client(client -> client.authorizedClientRepository(authorizedClients))
        .logout(out -> out.logoutUrl("/logout").logoutSuccessHandler(logout))
        .exceptionHandling(errors -> errors
            // the page's own requests get a 401 they can act on (reload: sign in again), pages go to identity
            .defaultAuthenticationEntryPointFor((request, response, e) -> {
              response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
              response.setContentType(MediaType.APPLICATION_JSON_VALUE);
              response.getOutputStream().write("{\"error\":\"signed-out\"}".getBytes(StandardCharsets.UTF_8));
            }, script)
            .defaultAuthenticationEntryPointFor(new LoginUrlAuthenticationEntryPoint(LOGIN), request -> true));
    return http.build();
  }

  private static String strip(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
