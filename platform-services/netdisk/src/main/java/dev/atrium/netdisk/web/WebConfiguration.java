package dev.atrium.netdisk.web;

import dev.atrium.netdisk.config.NetdiskProperties;
import dev.atrium.service.health.DrainDelay;
import dev.atrium.service.web.ApiExceptionHandler;
import dev.atrium.service.web.ProblemResponses;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import tools.jackson.databind.json.JsonMapper;

/**
 * What every platform service has (service-support): every error as an RFC 9457 problem, the drain delay at
 * shutdown. No request size limit here: uploads are as large as a chunk, and each endpoint bounds its own body.
 */
@Configuration
@Import(ApiExceptionHandler.class)
public class WebConfiguration {

  @Bean
  ProblemResponses problemResponses(JsonMapper json) {
    return new ProblemResponses(json);
  }

  @Bean
  DrainDelay drainDelay(NetdiskProperties properties) {
    return new DrainDelay(properties.drainDelay());
  }
}
