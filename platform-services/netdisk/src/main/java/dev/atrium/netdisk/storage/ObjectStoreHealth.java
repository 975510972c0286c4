package dev.atrium.netdisk.storage;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;

/**
 * Readiness ("objectStore"): the bucket answers. Not liveness: an object store outage must not restart netdisk's
 * pods. Before the bucket exists (a platform's first start) it is down without a stack trace in the log.
 */
@Component("objectStoreHealthIndicator")
public class ObjectStoreHealth implements HealthIndicator {

  private final ObjectStore store;

  public ObjectStoreHealth(ObjectStore store) {
    this.store = store;
  }

  @Override
  public Health health() {
    try {
      store.reachable();
      return Health.up().withDetail("bucket", store.bucket()).build();
    } catch (NoSuchBucketException e) {
      return Health.down().withDetail("bucket", store.bucket() + " not made yet").build();
    } catch (SdkException e) {
      return Health.down().withDetail("error", e.getClass().getSimpleName() + ": " + e.getMessage()).build();
    }
  }
}
