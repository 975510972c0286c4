package dev.atrium.webos.portal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.servlet.LocaleResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.i18n.CookieLocaleResolver;
import org.springframework.web.servlet.i18n.LocaleChangeInterceptor;

/**
 * The portal's pages: Chinese or English (the browser's languages, or {@code ?lang=zh-CN} / {@code ?lang=en},
 * remembered in a cookie, as identity's login page does); the 403 page for someone who is no administrator; a
 * session identity no longer backs sends the person to sign in again.
 */
@Configuration
@ControllerAdvice(assignableTypes = {DesktopController.class, AdminController.class, MarketPages.class})
public class PortalPages implements WebMvcConfigurer {

  static final Locale CHINESE = Locale.SIMPLIFIED_CHINESE;

  @Bean
  LocaleResolver localeResolver(PortalProperties portal) {
    CookieLocaleResolver resolver = new CookieLocaleResolver("WEBOS_LANG");
    resolver.setCookieMaxAge(Duration.ofDays(365));
    resolver.setCookieSecure(portal.secure());
    resolver.setDefaultLocaleFunction(request -> language(request.getLocale()));
    return resolver;
  }

  /** Chinese for any Chinese browser, English otherwise. */
  static Locale language(Locale wanted) {
    return wanted != null && "zh".equals(wanted.getLanguage()) ? CHINESE : Locale.ENGLISH;
  }

  @Override
  public void addInterceptors(InterceptorRegistry registry) {
    LocaleChangeInterceptor lang = new LocaleChangeInterceptor();
    lang.setParamName("lang");
    lang.setIgnoreInvalidLocale(true);
    registry.addInterceptor(lang).addPathPatterns("/", "/admin/**");
  }

  @ExceptionHandler(AdminGate.NotAdmin.class)
  @ResponseStatus(HttpStatus.FORBIDDEN)
  String forbidden(Model model) {
    return "portal/forbidden";
  }

  @ExceptionHandler(PersonTokens.SignedOut.class)
  void signedOut(HttpServletRequest request, HttpServletResponse response) throws IOException {
    var session = request.getSession(false);
    if (session != null) {
      session.invalidate();
    }
    if (request.getRequestURI().startsWith("/portal/")) {
      response.sendError(HttpServletResponse.SC_UNAUTHORIZED);
    } else {
      response.sendRedirect(PortalSecurity.LOGIN);
    }
  }
}
