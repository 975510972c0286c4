package dev.atrium.messagecenter.web;

import dev.atrium.messagecenter.config.MessageCenterProperties;
import dev.atrium.service.health.DrainDelay;
import dev.atrium.service.web.ApiExceptionHandler;
import dev.atrium.service.web.ProblemResponses;
import dev.atrium.service.web.RequestSizeLimitFilter;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import tools.jackson.databind.json.JsonMapper;

/**
 * What every platform service has (service-support), with the message center's settings: every error as an
 * RFC 9457 problem, the request size limit, the drain delay at shutdown.
 */
@Configuration
@Import(ApiExceptionHandler.class)
public class WebConfiguration {

  @Bean
  ProblemResponses problemResponses(JsonMapper json) {
    return new ProblemResponses(json);
  }

  @Bean
  FilterRegistrationBean<RequestSizeLimitFilter> requestSizeLimit(MessageCenterProperties properties,
      ProblemResponses problems) {
    FilterRegistrationBean<RequestSizeLimitFilter> registration = new FilterRegistrationBean<>(
        new RequestSizeLimitFilter(properties.maxRequestSize().toBytes(), "ATRIUM_MESSAGE_CENTER_MAX_REQUEST_SIZE",
            problems));
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
    return registration;
  }

  @Bean
  DrainDelay drainDelay(MessageCenterProperties properties) {
    return new DrainDelay(properties.drainDelay());
  }
}
