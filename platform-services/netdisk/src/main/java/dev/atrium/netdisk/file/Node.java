package dev.atrium.netdisk.file;

import java.time.OffsetDateTime;
import java.util.UUID;

/** A file or a folder. For a file, size, sha256 and version are those of its current version. */
public record Node(UUID id, UUID spaceId, UUID parentId, String name, boolean folder, long size, String sha256,
    int version, String createdBy, OffsetDateTime createdAt, String modifiedBy, OffsetDateTime modifiedAt,
    OffsetDateTime trashedAt, String trashedBy, boolean trashRoot) {

  public boolean trashed() {
    return trashedAt != null;
  }
}
