package dev.atrium.messagecenter.federation;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/** The outbox of messages to peers: written in the send's transaction, drained by {@link FederationRelay}. */
@Repository
public class FederationOutbox {

  private final JdbcClient jdbc;
  private final JsonMapper json;
  private final ApplicationEventPublisher events;

  public FederationOutbox(JdbcClient jdbc, JsonMapper json, ApplicationEventPublisher events) {
    this.jdbc = jdbc;
    this.json = json;
    this.events = events;
  }

  /** Published when rows were queued; after the commit it wakes the relay. */
  public record Queued(String peer) {
  }

  /** A queued row. */
  record Row(long id, String peer, String payload, int attempts, OffsetDateTime nextAttemptAt) {
  }

  /** Queues {@code message} for {@code peer}, in the caller's transaction. */
  @Transactional(propagation = Propagation.MANDATORY)
  public void enqueue(String peer, FederatedMessage message) {
    jdbc.sql("INSERT INTO federation_outbox (peer, message_id, payload) VALUES (:peer, :id, :payload)")
        .param("peer", peer).param("id", message.messageId()).param("payload", json.writeValueAsString(message))
        .update();
    events.publishEvent(new Queued(peer));
  }

  /** Takes the peer's relay lock for this transaction: one replica relays a peer at a time, in order. */
  boolean lockPeer(String peer) {
    return Boolean.TRUE.equals(jdbc.sql("SELECT pg_try_advisory_xact_lock(hashtext('federation-outbox:' || :peer))")
        .param("peer", peer).query(Boolean.class).single());
  }

  /** The peer's oldest pending rows, in the order they were queued. */
  List<Row> pending(String peer, int limit) {
    return jdbc.sql("SELECT id, peer, payload, attempts, next_attempt_at FROM federation_outbox"
            + " WHERE peer = :peer AND delivered_at IS NULL AND dead_at IS NULL ORDER BY id LIMIT :limit")
        .param("peer", peer).param("limit", limit)
        .query((rs, n) -> new Row(rs.getLong("id"), rs.getString("peer"), rs.getString("payload"),
            rs.getInt("attempts"), rs.getObject("next_attempt_at", OffsetDateTime.class)))
        .list();
  }

  OffsetDateTime now() {
    return jdbc.sql("SELECT now()").query(OffsetDateTime.class).single();
  }

  void delivered(long id) {
    jdbc.sql("UPDATE federation_outbox SET delivered_at = now(), attempts = attempts + 1 WHERE id = :id")
        .param("id", id).update();
  }

  void failed(long id, Duration retryIn, String error) {
    jdbc.sql("UPDATE federation_outbox SET attempts = attempts + 1, last_error = :error,"
            + " next_attempt_at = now() + make_interval(secs => :secs) WHERE id = :id")
        .param("error", error).param("secs", retryIn.toMillis() / 1000.0).param("id", id).update();
  }

  void dead(long id, String error) {
    jdbc.sql("UPDATE federation_outbox SET attempts = attempts + 1, last_error = :error, dead_at = now()"
            + " WHERE id = :id")
        .param("error", error).param("id", id).update();
  }

  /** Rows waiting for delivery, all peers. */
  long depth() {
    return jdbc.sql("SELECT count(*) FROM federation_outbox WHERE delivered_at IS NULL AND dead_at IS NULL")
        .query(Long.class).single();
  }

  /** Rows a peer refused for good. */
  long dead() {
    return jdbc.sql("SELECT count(*) FROM federation_outbox WHERE dead_at IS NOT NULL").query(Long.class).single();
  }

  /** Forgets replay-protection token ids past their expiry. */
  void forgetExpiredTokens() {
    jdbc.sql("DELETE FROM federation_token WHERE expires_at < now()").update();
  }

  /** Remembers a federation token id until it expires; false when it was seen before (a replay). */
  @Transactional(propagation = Propagation.MANDATORY)
  public boolean rememberToken(FederationTokens.Verified token) {
    return jdbc.sql("INSERT INTO federation_token (jti, origin, expires_at) VALUES (:jti, :origin, :exp)"
            + " ON CONFLICT DO NOTHING")
        .param("jti", token.origin() + ":" + token.jti()).param("origin", token.origin())
        .param("exp", OffsetDateTime.ofInstant(token.expiresAt(), java.time.ZoneOffset.UTC)).update() == 1;
  }

  /**
   * Records that {@code origin}'s message {@code originMessageId} is stored here as {@code messageId}; when it
   * was received before, nothing, and returns the id it was stored as.
   */
  @Transactional(propagation = Propagation.MANDATORY)
  public java.util.Optional<UUID> rememberReceived(String origin, UUID originMessageId, UUID messageId) {
    int inserted = jdbc.sql("INSERT INTO federated_message (origin, origin_message_id, message_id)"
            + " VALUES (:origin, :oid, :mid) ON CONFLICT DO NOTHING")
        .param("origin", origin).param("oid", originMessageId).param("mid", messageId).update();
    if (inserted == 1) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(jdbc.sql("SELECT message_id FROM federated_message WHERE origin = :origin"
            + " AND origin_message_id = :oid")
        .param("origin", origin).param("oid", originMessageId).query(UUID.class).single());
  }
}
