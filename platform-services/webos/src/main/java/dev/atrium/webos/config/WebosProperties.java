package dev.atrium.webos.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Webos's own settings, from the environment the operator sets (README.md of this module lists each variable).
 *
 * @param drainDelay how long a stopping replica keeps serving after readiness turns false
 * @param principalTypeClaim the claim saying whether a token is a person's or an app's
 * @param departmentsClaim the claim with a person's departments
 * @param gateway the gateway's settings
 */
@ConfigurationProperties("atrium.webos")
public record WebosProperties(Duration drainDelay, String principalTypeClaim, String departmentsClaim,
    Gateway gateway) {

  /**
   * @param routeReload how often every replica reads the app routes from the database
   * @param dnsRefresh how often the replicas of a backend are looked up again (ATRIUM_GATEWAY_PODS_*)
   * @param adminCheckCache how long identity's answer "is this token's person an administrator" is kept
   * @param stickyCookie the cookie that keeps one person's sign-in on one identity replica
   * @param rateLimitTimeout how long a request waits for Redis to decide its rate limit before it is let through
   * @param usageFlush how often this replica adds its request counts to the shared counts in Redis
   */
  public record Gateway(Duration routeReload, Duration dnsRefresh, Duration adminCheckCache, String stickyCookie,
      Duration rateLimitTimeout, Duration usageFlush) {
  }
}
