package dev.atrium.webos;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The web desktop: today its API gateway (package {@code gateway}: the platform's services; {@code apps}: the
 * published apps' weighted routes and their admin API; {@code ratelimit}, {@code usage}, {@code loadbalancing}).
 */
@SpringBootApplication
@EnableScheduling
@ConfigurationPropertiesScan
public class WebosApplication {
  public static void main(String[] args) {
    SpringApplication.run(WebosApplication.class, args);
  }
}
