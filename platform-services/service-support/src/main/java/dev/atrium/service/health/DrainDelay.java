package dev.atrium.service.health;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;

/**
 * Shutdown begins with readiness turning false (Spring Boot does that as the context closes); this then keeps
 * serving, unchanged, for the service's drain delay, so that load balancers and Kubernetes endpoints see the
 * replica leave before it stops accepting requests. Only then does graceful shutdown start. A service declares
 * it as a bean with the delay from its settings.
 */
public class DrainDelay implements ApplicationListener<ContextClosedEvent> {

  private static final Logger LOG = LoggerFactory.getLogger(DrainDelay.class);

  private final Duration delay;

  public DrainDelay(Duration delay) {
    this.delay = delay;
  }

  @Override
  public void onApplicationEvent(ContextClosedEvent event) {
    if (delay.isZero() || delay.isNegative()) {
      return;
    }
    LOG.info("draining: not ready, still serving for {}", delay);
    try {
      Thread.sleep(delay);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
