package dev.atrium.webos.web;

import dev.atrium.service.cache.CacheReconnection;
import dev.atrium.service.health.DrainDelay;
import dev.atrium.service.web.ApiExceptionHandler;
import dev.atrium.service.web.ProblemResponses;
import dev.atrium.webos.config.WebosProperties;
import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import tools.jackson.databind.json.JsonMapper;

/** Problems for every error (service-support), the drain delay at shutdown, the cache client's reconnection. */
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

  /** After the cache's primary is lost, the Redis client tries again every 2 s at most (Lettuce's default: 30 s). */
  @Bean
  ClientResourcesBuilderCustomizer cacheReconnection() {
    return CacheReconnection.customizer();
  }
}
