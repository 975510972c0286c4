package dev.atrium.webos.web;

import dev.atrium.service.health.DrainDelay;
import dev.atrium.service.web.ApiExceptionHandler;
import dev.atrium.service.web.ProblemResponses;
import dev.atrium.webos.config.WebosProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import tools.jackson.databind.json.JsonMapper;

/** Problems for every error (service-support), and the drain delay at shutdown. */
@Configuration
@Import(ApiExceptionHandler.class)
public class WebConfiguration {

  @Bean
  ProblemResponses problemResponses(JsonMapper json) {
    return new ProblemResponses(json);
  }

  @Bean
  DrainDelay drainDelay(WebosProperties properties) {
    return new DrainDelay(properties.drainDelay());
  }
}
