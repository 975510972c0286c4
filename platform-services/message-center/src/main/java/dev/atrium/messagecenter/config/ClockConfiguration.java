package dev.atrium.messagecenter.config;

import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The clock the service tells time by: the system clock in UTC. A bean rather than {@code Instant.now()} in the
 * code, so what depends on time (federation tokens' validity) takes it as a parameter and tests can fix it.
 */
@Configuration(proxyBeanMethods = false)
public class ClockConfiguration {

  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }
}
