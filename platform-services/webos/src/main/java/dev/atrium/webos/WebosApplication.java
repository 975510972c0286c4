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
    // the replicas' A records are looked up every few seconds (ATRIUM_GATEWAY_DNS_REFRESH): the JVM must not keep
    // an answer for its default 30 s, nor a "no such host" (no ready pod) for long
    java.security.Security.setProperty("networkaddress.cache.ttl", "1");
    java.security.Security.setProperty("networkaddress.cache.negative.ttl", "1");
    SpringApplication.run(WebosApplication.class, args);
  }
}
