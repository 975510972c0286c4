package dev.atrium.messagecenter.serviceaccount;

import dev.atrium.service.security.CallerTokens;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Records the departments of every person who calls the API (see {@link DepartmentDirectory}). */
@Configuration
class DepartmentTracking implements WebMvcConfigurer, HandlerInterceptor {

  private final DepartmentDirectory directory;

  DepartmentTracking(DepartmentDirectory directory) {
    this.directory = directory;
  }

  @Override
  public void addInterceptors(InterceptorRegistry registry) {
    registry.addInterceptor(this).addPathPatterns("/api/**");
  }

  @Override
  public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
    if (SecurityContextHolder.getContext().getAuthentication() instanceof CallerTokens.CallerAuthentication auth) {
      directory.seen(auth.getPrincipal());
    }
    return true;
  }
}
