package dev.atrium.service.cache;

import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;

/**
 * How soon a service's Redis client tries again after losing the cache. Lettuce's default backs off exponentially up
 * to 30 s; a Sentinel failover takes 10-15 s here (down-after 10 s), so a client that had backed off to 16 s and then
 * 30 s found the new primary up to half a minute after Sentinel named it, and a push published meanwhile reached no
 * socket. Capped at 2 s, a client is back within 2 s of the failover; each attempt first asks Sentinel for the primary,
 * which is cheap. A service that uses the cache declares {@link #customizer()} as a bean.
 */
public final class CacheReconnection {

  /** The first wait, so that a lost connection is not retried in a tight loop. */
  public static final Duration FIRST_DELAY = Duration.ofMillis(100);
  /** The longest wait between two attempts. */
  public static final Duration LONGEST_DELAY = Duration.ofSeconds(2);

  private CacheReconnection() {
  }

  /** Lettuce's client resources with the capped delay (Spring Boot applies every such customizer). */
  public static ClientResourcesBuilderCustomizer customizer() {
    return resources -> resources.reconnectDelay(delay());
  }

  /** Doubling from {@link #FIRST_DELAY}, never above {@link #LONGEST_DELAY}. */
  static Delay delay() {
    return Delay.exponential(FIRST_DELAY, LONGEST_DELAY, 2, TimeUnit.MILLISECONDS);
  }
}
