package dev.atrium.identity.login;

import dev.atrium.identity.hybrid.ProviderLogin;
import dev.atrium.identity.hybrid.TrustedProviders;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.servlet.LocaleResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.i18n.CookieLocaleResolver;
import org.springframework.web.servlet.i18n.LocaleChangeInterceptor;

/**
 * The login page and everything else that is not the protocol or the API: a server-rendered form (works
 * without JavaScript) in Chinese or English (the browser's languages, or {@code ?lang=zh-CN|en} remembered in a
 * cookie), with a button per trusted provider (hybrid mode); probes and metrics open (the NetworkPolicy keeps them inside the cluster).
 */
@Configuration
public class LoginConfiguration implements WebMvcConfigurer {

  public static final List<Locale> LANGUAGES = List.of(Locale.ENGLISH, Locale.SIMPLIFIED_CHINESE);

  @Bean
  @Order(3)
  SecurityFilterChain pages(HttpSecurity http, PasswordLogin login, TrustedProviders providers,
      ProviderLogin providerLogin) throws Exception {
    http.authorizeHttpRequests(requests -> requests
            .requestMatchers("/login", "/error", "/css/**", "/actuator/health", "/actuator/health/**",
                "/actuator/info", "/actuator/prometheus", "/v3/api-docs", "/v3/api-docs/**").permitAll()
            .anyRequest().authenticated())
        .authenticationProvider(login.provider())
        .formLogin(form -> form.loginPage("/login")
            .authenticationDetailsSource(LoginDetails::new)
            .failureHandler((request, response, e) -> {
              String reason = e instanceof PasswordLogin.CodeRequiredException ? "code"
                  : e instanceof LockedException ? "locked"
                  : e instanceof AuthenticationServiceException ? "unavailable" : "bad";
              String username = request.getParameter("username");
              request.getSession().setAttribute(LoginController.LAST_USERNAME,
                  username == null || username.length() > 64 ? "" : username);
              response.sendRedirect(request.getContextPath() + "/login?error=" + reason);
            }))
        // hybrid mode: or at the company's own SSO (a button per trusted provider on the login page)
        .oauth2Login(sso -> sso.loginPage("/login").clientRegistrationRepository(providers)
            .successHandler(providerLogin).failureHandler(providerLogin));
    return http.build();
  }

  @Bean
  LocaleResolver localeResolver() {
    CookieLocaleResolver resolver = new CookieLocaleResolver("ATRIUM_LANG");
    resolver.setCookieMaxAge(Duration.ofDays(365));
    resolver.setDefaultLocaleFunction(request -> {
      for (var languages = request.getLocales(); languages.hasMoreElements(); ) {
        Locale wanted = languages.nextElement();
        if ("zh".equals(wanted.getLanguage())) {
          return Locale.SIMPLIFIED_CHINESE;
        }
        if ("en".equals(wanted.getLanguage())) {
          return Locale.ENGLISH;
        }
      }
      return Locale.ENGLISH;
    });
    return resolver;
  }

  @Override
  public void addInterceptors(InterceptorRegistry registry) {
    LocaleChangeInterceptor change = new LocaleChangeInterceptor();
    change.setParamName("lang");
    change.setIgnoreInvalidLocale(true);
    registry.addInterceptor(change);
  }
}
