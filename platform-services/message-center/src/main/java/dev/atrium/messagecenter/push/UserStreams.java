package dev.atrium.messagecenter.push;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Each user's delivery stream: what the user's sessions must be pushed, numbered per user without gaps. Numbers
 * are taken under the user's row lock inside the caller's transaction, so they commit in order, and a client
 * that reconnects with the last number it saw misses nothing. After the commit, the appended entries are
 * announced as a {@link StreamAppended} event, which the push fan-out sends to the replicas.
 */
@Repository
public class UserStreams {

  private final JdbcClient jdbc;
  private final ApplicationEventPublisher events;

  public UserStreams(JdbcClient jdbc, ApplicationEventPublisher events) {
    this.jdbc = jdbc;
    this.events = events;
  }

  /** An entry of one user's stream. */
  public record Entry(String userId, long seq) {
  }

  /** Appends one event (of {@code kind}, referring to {@code refId}) to the streams of {@code users}. */
  @Transactional(propagation = Propagation.MANDATORY)
  public List<Entry> append(String kind, UUID refId, Collection<String> users) {
    String[] ids = users.stream().distinct().sorted().toArray(String[]::new);
    if (ids.length == 0) {
      return List.of();
    }
    jdbc.sql("INSERT INTO user_stream (user_id) SELECT unnest(:ids::text[]) ON CONFLICT DO NOTHING")
        .param("ids", ids).update();
    // lock in a fixed order, so that two sends to overlapping groups cannot deadlock
    jdbc.sql("SELECT user_id FROM user_stream WHERE user_id = ANY(:ids::text[]) ORDER BY user_id FOR UPDATE")
        .param("ids", ids).query(String.class).list();
    List<Entry> entries = new ArrayList<>(jdbc.sql("""
            WITH bumped AS (
              UPDATE user_stream SET last_seq = last_seq + 1 WHERE user_id = ANY(:ids::text[])
              RETURNING user_id, last_seq)
            INSERT INTO user_event (user_id, seq, kind, ref_id)
            SELECT user_id, last_seq, :kind, :ref FROM bumped
            RETURNING user_id, seq""")
        .param("ids", ids).param("kind", kind).param("ref", refId)
        .query((rs, n) -> new Entry(rs.getString("user_id"), rs.getLong("seq"))).list());
    events.publishEvent(new StreamAppended(kind, refId, List.copyOf(entries)));
    return entries;
  }

  /** The entries of a user's stream after {@code afterSeq}, oldest first, at most {@code limit}. */
  public List<StoredEntry> after(String userId, long afterSeq, int limit) {
    return jdbc.sql("SELECT seq, kind, ref_id FROM user_event WHERE user_id = :user AND seq > :after"
            + " ORDER BY seq LIMIT :limit")
        .param("user", userId).param("after", afterSeq).param("limit", limit)
        .query((rs, n) -> new StoredEntry(rs.getLong("seq"), rs.getString("kind"), rs.getObject("ref_id", UUID.class)))
        .list();
  }

  /** The newest number of a user's stream (0 when nothing was ever appended). */
  public long head(String userId) {
    return jdbc.sql("SELECT last_seq FROM user_stream WHERE user_id = :user").param("user", userId)
        .query(Long.class).optional().orElse(0L);
  }

  /** The newest number of each of {@code users}' streams that has one, by user. */
  public Map<String, Long> heads(Collection<String> users) {
    Map<String, Long> heads = new HashMap<>();
    jdbc.sql("SELECT user_id, last_seq FROM user_stream WHERE user_id = ANY(:ids::text[])")
        .param("ids", users.toArray(String[]::new))
        .query(rs -> {
          heads.put(rs.getString("user_id"), rs.getLong("last_seq"));
        });
    return heads;
  }

  /** A stored stream entry: its number and what it refers to. */
  public record StoredEntry(long seq, String kind, UUID refId) {
  }

  /** Published (after commit, see {@code PushFanOut}) when an event was appended to users' streams. */
  public record StreamAppended(String kind, UUID refId, List<Entry> entries) {
  }
}
