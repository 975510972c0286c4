package dev.atrium.netdisk.security;

import dev.atrium.netdisk.config.NetdiskProperties;
import dev.atrium.service.security.BearerApi;
import dev.atrium.service.security.CallerTokens;
import dev.atrium.service.web.ProblemResponses;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Bearer JWTs from the identity service on the API (service-support's {@link BearerApi}); share links
 * ({@code /netdisk/s/**}) are public: the link's token, password and limits are checked by the share feature.
 */
@Configuration
public class SecurityConfiguration {

  static final String SHARE_LINKS = "/netdisk/s/";

  @Bean
  CallerTokens callerTokens(NetdiskProperties properties) {
    return new CallerTokens(properties.principalTypeClaim(), properties.departmentsClaim());
  }

  @Bean
  JwtDecoder jwtDecoder(@Value("${spring.security.oauth2.resourceserver.jwt.jwk-set-uri}") String jwksUri,
      @Value("${spring.security.oauth2.resourceserver.jwt.issuer-uri}") String issuer, CallerTokens tokens) {
    return BearerApi.decoder(jwksUri, issuer, tokens);
  }

  @Bean
  SecurityFilterChain api(HttpSecurity http, CallerTokens tokens, ProblemResponses problems) throws Exception {
    DefaultBearerTokenResolver header = new DefaultBearerTokenResolver();
    return BearerApi.filterChain(http, tokens, problems,
        request -> request.getRequestURI().startsWith(SHARE_LINKS) ? null : header.resolve(request),
        SHARE_LINKS + "**");
  }
}
