package dev.atrium.netdisk.storage;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Creates netdisk's bucket once, when it is missing, in the background after start: at a platform's first start
 * the object store may come up after netdisk, and readiness (the bucket answers) stays down until then.
 */
@Component
public class BucketCreator {

  private static final Logger LOG = LoggerFactory.getLogger(BucketCreator.class);

  private final ObjectStore store;

  public BucketCreator(ObjectStore store) {
    this.store = store;
  }

  @EventListener(ApplicationReadyEvent.class)
  public void createWhenMissing() {
    Thread.ofVirtual().name("bucket-creator").start(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        try {
          store.ensureBucket(Duration.ofMinutes(5));
          return;
        } catch (IllegalStateException e) {
          LOG.warn("{}; trying again", e.getMessage());
        }
      }
    });
  }
}
