package dev.atrium.identity.devices;

import java.time.Instant;
import java.util.Locale;
import java.util.UUID;

/** A person's registered device; never its secrets. */
public record Device(UUID id, String personId, String name, String platform, Status status, boolean wipeRequested,
    Instant registeredAt, Instant activatedAt, Instant lastSeenAt, Instant statusChangedAt, String statusChangedBy) {

  /** Where a device is in its life. Only active devices may hold tokens. */
  public enum Status {
    PENDING, ACTIVE, LOST, REVOKED;

    String column() {
      return name().toLowerCase(Locale.ROOT);
    }

    static Status of(String column) {
      return valueOf(column.toUpperCase(Locale.ROOT));
    }
  }
}
