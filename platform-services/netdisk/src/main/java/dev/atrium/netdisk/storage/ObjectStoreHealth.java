package dev.atrium.netdisk.storage;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;

/** Readiness ("objectStore"): the bucket answers. Not liveness: an object store outage must not restart netdisk's pods. */
@Component("objectStoreHealthIndicator")
public class ObjectStoreHealth extends AbstractHealthIndicator {

  private final ObjectStore store;

  public ObjectStoreHealth(ObjectStore store) {
    super("the object store does not answer");
    this.store = store;
  }

  @Override
  protected void doHealthCheck(Health.Builder builder) {
    store.reachable();
    builder.up().withDetail("bucket", store.bucket());
  }
}
