package dev.atrium.netdisk.upload;

import java.time.OffsetDateTime;
import java.util.UUID;

/** An upload in progress (or finished): where the file goes, its size and chunking, and its S3 multipart upload. */
public record Upload(UUID id, UUID spaceId, UUID parentId, String name, UUID replaces, String onConflict, long size,
    int chunkSize, String sha256, String objectKey, String s3UploadId, String state, Long challengeOffset,
    Integer challengeLength, String createdBy, OffsetDateTime createdAt, OffsetDateTime expiresAt, UUID nodeId) {

  static final String COLUMNS = "id, space_id, parent_id, name, replaces, on_conflict, size, chunk_size, sha256,"
      + " object_key, s3_upload_id, state, challenge_offset, challenge_length, created_by, created_at, expires_at,"
      + " node_id";

  public int chunks() {
    return size == 0 ? 0 : (int) ((size + chunkSize - 1) / chunkSize);
  }

  public long chunkLength(int number) {
    return Math.min(chunkSize, size - (long) number * chunkSize);
  }

  public boolean instant() {
    return s3UploadId == null;
  }
}
