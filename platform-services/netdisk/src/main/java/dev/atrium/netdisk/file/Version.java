package dev.atrium.netdisk.file;

import java.time.OffsetDateTime;
import java.util.UUID;

/** One version of a file's content. */
public record Version(UUID nodeId, int number, String sha256, long size, String createdBy, OffsetDateTime createdAt) {
}
