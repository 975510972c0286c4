package dev.atrium.messagecenter.health;

import dev.atrium.messagecenter.config.MessageCenterProperties;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.stereotype.Component;

/**
 * Shutdown begins with readiness turning false (Spring Boot does that as the context closes); this then keeps
 * serving, unchanged, for {@code atrium.message-center.drain-delay}, so that load balancers and Kubernetes
 * endpoints see the replica leave before it stops accepting requests. Only then does graceful shutdown start.
 */
@Component
class DrainDelay implements ApplicationListener<ContextClosedEvent> {

  private static final Logger LOG = LoggerFactory.getLogger(DrainDelay.class);

  private final Duration delay;

  DrainDelay(MessageCenterProperties properties) {
    this.delay = properties.drainDelay();
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
