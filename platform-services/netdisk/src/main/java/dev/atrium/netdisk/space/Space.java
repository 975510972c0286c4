package dev.atrium.netdisk.space;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A space: a person's own, a department's or a team's. Its quota counts every version of every file in it, the
 * trash included, plus the declared sizes of uploads in progress.
 */
public record Space(UUID id, Kind kind, String name, String ownerId, long quotaBytes, long usedBytes,
    long reservedBytes, OffsetDateTime createdAt) {

  public enum Kind {
    PERSONAL, DEPARTMENT, TEAM
  }

  public long freeBytes() {
    return Math.max(0, quotaBytes - usedBytes - reservedBytes);
  }
}
