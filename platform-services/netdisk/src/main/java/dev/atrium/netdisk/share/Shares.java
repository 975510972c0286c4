package dev.atrium.netdisk.share;

import dev.atrium.service.jdbc.RecordRows;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Share links: a random token naming a file, with an optional expiry, password and download limit. */
@Repository
public class Shares {

  static final String COLUMNS = "id, token, node_id, created_by, created_at, expires_at, password_hash, download_limit,"
      + " downloads, failed_attempts, locked_until, revoked_at, revoked_by";

  /** A share link as stored (the password only as its hash). */
  public record Share(UUID id, String token, UUID nodeId, String createdBy, OffsetDateTime createdAt,
      OffsetDateTime expiresAt, String passwordHash, Integer downloadLimit, int downloads, int failedAttempts,
      OffsetDateTime lockedUntil, OffsetDateTime revokedAt, String revokedBy) {
  }

  private final JdbcClient jdbc;

  public Shares(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  public Share create(UUID nodeId, String token, String by, OffsetDateTime expiresAt, String passwordHash,
      Integer downloadLimit) {
    UUID id = UUID.randomUUID();
    jdbc.sql("insert into share (id, token, node_id, created_by, expires_at, password_hash, download_limit)"
        + " values (?, ?, ?, ?, ?, ?, ?)").params(id, token, nodeId, by, expiresAt, passwordHash, downloadLimit).update();
    return find(id).orElseThrow();
  }

  public Optional<Share> find(UUID id) {
    return jdbc.sql("select " + COLUMNS + " from share where id = ?").param(id).query(RecordRows.of(Share.class)).optional();
  }

  public Optional<Share> byToken(String token) {
    return jdbc.sql("select " + COLUMNS + " from share where token = ?").param(token).query(RecordRows.of(Share.class)).optional();
  }

  public List<Share> ofNode(UUID nodeId) {
    return jdbc.sql("select " + COLUMNS + " from share where node_id = ? order by created_at desc").param(nodeId)
        .query(RecordRows.of(Share.class)).list();
  }

  public void revoke(UUID id, String by) {
    jdbc.sql("update share set revoked_at = now(), revoked_by = ? where id = ? and revoked_at is null").params(by, id)
        .update();
  }

  /** Counts a download if the limit allows one more: false when it is used up. */
  public boolean countDownload(UUID id) {
    return jdbc.sql("update share set downloads = downloads + 1 where id = ?"
        + " and (download_limit is null or downloads < download_limit)").param(id).update() == 1;
  }

  /** A wrong password: after {@code attempts} in a row the link locks until {@code lockUntil}. */
  public void failedPassword(UUID id, int attempts, OffsetDateTime lockUntil) {
    jdbc.sql("update share set failed_attempts = failed_attempts + 1, locked_until = case when failed_attempts + 1 >= ?"
        + " then ? else locked_until end where id = ?").params(attempts, lockUntil, id).update();
  }

  public void passwordAccepted(UUID id) {
    jdbc.sql("update share set failed_attempts = 0 where id = ? and failed_attempts > 0").param(id).update();
  }
}
