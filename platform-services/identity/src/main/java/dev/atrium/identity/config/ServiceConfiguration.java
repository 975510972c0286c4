package dev.atrium.identity.config;

import dev.atrium.service.health.DrainDelay;
import dev.atrium.service.web.ApiExceptionHandler;
import dev.atrium.service.web.ProblemResponses;
import dev.atrium.service.web.RequestSizeLimitFilter;
import java.time.Clock;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import tools.jackson.databind.json.JsonMapper;

/** What every platform service has (service-support): problems for every error, the size limit, the drain. */
@Configuration
@Import(ApiExceptionHandler.class)
public class ServiceConfiguration {

  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }

  @Bean
  ProblemResponses problemResponses(JsonMapper json) {
    return new ProblemResponses(json);
  }

  @Bean
  FilterRegistrationBean<RequestSizeLimitFilter> requestSizeLimit(IdentityProperties properties,
      ProblemResponses problems) {
    FilterRegistrationBean<RequestSizeLimitFilter> registration = new FilterRegistrationBean<>(
        new RequestSizeLimitFilter(properties.maxRequestSize().toBytes(), "ATRIUM_IDENTITY_MAX_REQUEST_SIZE", problems));
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
    return registration;
  }

  @Bean
  DrainDelay drainDelay(IdentityProperties properties) {
    return new DrainDelay(properties.drainDelay());
  }
}
