package dev.atrium.identity.keys;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/** The signing_keys table: every key tokens were signed with, the active one and the retired ones. */
@Repository
class SigningKeyStore {

  private final JdbcClient jdbc;

  SigningKeyStore(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** A stored key; {@code privateKeyEncrypted} is null for the platform's own key, which lives in its Secret. */
  record StoredKey(String kid, String publicJwk, String privateKeyEncrypted, Instant createdAt, Instant activatedAt,
      Instant retiredAt) {
  }

  List<StoredKey> all() {
    return jdbc.sql("SELECT kid, public_jwk, private_key_encrypted, created_at, activated_at, retired_at"
        + " FROM signing_keys ORDER BY created_at").query(SigningKeyStore::key).list();
  }

  /** Records the platform's key once; it is active when no other key is. */
  @Transactional
  void registerPlatformKey(String kid, String publicJwk) {
    jdbc.sql("SELECT pg_advisory_xact_lock(hashtext('atrium-identity-signing-keys'))").query().singleRow();
    boolean anyActive = jdbc.sql("SELECT count(*) FROM signing_keys WHERE retired_at IS NULL AND activated_at IS NOT"
        + " NULL").query(Long.class).single() > 0;
    jdbc.sql("INSERT INTO signing_keys (kid, algorithm, public_jwk, activated_at) VALUES (?, 'RS256', ?, ?)"
            + " ON CONFLICT (kid) DO NOTHING")
        .params(kid, publicJwk, anyActive ? null : Timestamp.from(Instant.now())).update();
  }

  /** Makes the new key the active one and retires the one active before. */
  @Transactional
  void rotate(String kid, String publicJwk, String privateKeyEncrypted, Instant now) {
    jdbc.sql("SELECT pg_advisory_xact_lock(hashtext('atrium-identity-signing-keys'))").query().singleRow();
    jdbc.sql("UPDATE signing_keys SET retired_at = ? WHERE retired_at IS NULL AND activated_at IS NOT NULL")
        .param(Timestamp.from(now)).update();
    jdbc.sql("INSERT INTO signing_keys (kid, algorithm, public_jwk, private_key_encrypted, created_at, activated_at)"
        + " VALUES (?, 'RS256', ?, ?, ?, ?)").params(kid, publicJwk, privateKeyEncrypted, Timestamp.from(now),
        Timestamp.from(now)).update();
  }

  private static StoredKey key(ResultSet rs, int row) throws SQLException {
    return new StoredKey(rs.getString("kid"), rs.getString("public_jwk"), rs.getString("private_key_encrypted"),
        instant(rs.getTimestamp("created_at")), instant(rs.getTimestamp("activated_at")),
        instant(rs.getTimestamp("retired_at")));
  }

  private static Instant instant(Timestamp timestamp) {
    return timestamp == null ? null : timestamp.toInstant();
  }
}
