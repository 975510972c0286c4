package dev.atrium.netdisk.storage;

import dev.atrium.service.jdbc.RecordRows;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Stored contents and their references. Every version of every file holds one reference to its content's
 * blob; a blob whose last reference goes is deleted (its object through {@link ObjectDeletions}, after the
 * transaction). Callers run these inside their transaction.
 */
@Repository
public class Blobs {

  public record Blob(String sha256, long size, String objectKey, long refs) {
  }

  private final JdbcClient jdbc;
  private final ObjectDeletions deletions;

  public Blobs(JdbcClient jdbc, ObjectDeletions deletions) {
    this.jdbc = jdbc;
    this.deletions = deletions;
  }

  public Optional<Blob> find(String sha256) {
    return jdbc.sql("select sha256, size, object_key, refs from blob where sha256 = ?").param(sha256)
        .query(RecordRows.of(Blob.class)).optional();
  }

  /**
   * One more reference to stored content, if it is stored: false when it is not (or its last reference is being
   * dropped right now, which this waits for).
   */
  public boolean reference(String sha256) {
    return jdbc.sql("update blob set refs = refs + 1 where sha256 = ? and refs > 0").param(sha256).update() == 1;
  }

  /**
   * Content just written to {@code objectKey}: it becomes the blob with one reference, or, when the same content
   * was stored meanwhile by another upload, that blob gets the reference and this object is deleted.
   *
   * @return the object key the content is kept under
   */
  public String adopt(String sha256, long size, String objectKey) {
    String kept = jdbc.sql("""
        insert into blob (sha256, size, object_key, refs) values (?, ?, ?, 1)
        on conflict (sha256) do update set refs = blob.refs + 1
        returning object_key""").params(sha256, size, objectKey).query(String.class).single();
    if (!kept.equals(objectKey)) {
      deletions.request(objectKey, null);
    }
    return kept;
  }

  /** Drops one reference; the last one deletes the blob and (after commit) its object. */
  public void release(String sha256) {
    Long left = jdbc.sql("update blob set refs = refs - 1 where sha256 = ? returning refs").param(sha256)
        .query(Long.class).optional().orElseThrow(() -> new IllegalStateException("no blob " + sha256));
    if (left == 0) {
      jdbc.sql("delete from blob where sha256 = ? and refs = 0 returning object_key").param(sha256)
          .query(String.class).optional().ifPresent(key -> deletions.request(key, null));
    }
  }
}
