package dev.atrium.messagecenter.conversation;

import dev.atrium.messagecenter.conversation.ConversationApi.Conversation;
import dev.atrium.messagecenter.conversation.ConversationApi.Kind;
import dev.atrium.messagecenter.conversation.ConversationApi.Member;
import dev.atrium.messagecenter.conversation.ConversationApi.Message;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The SQL of conversations, members and messages. Rules live in {@link ConversationService}. */
@Repository
class ConversationStore {

  private static final String CONVERSATION_COLUMNS = "c.id, c.kind, c.title, c.last_seq, c.created_at,"
      + " c.last_message_at, m.last_read_seq";
  private static final String MESSAGE_COLUMNS = "id, conversation_id, seq, sender_id, client_message_id, body,"
      + " created_at";

  private final JdbcClient jdbc;

  ConversationStore(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Inserts a conversation; for a DIRECT one whose pair already has one, nothing, and returns false. */
  boolean insert(UUID id, Kind kind, String title, String directKey, String createdBy) {
    return jdbc.sql("INSERT INTO conversation (id, kind, title, direct_key, created_by)"
            + " VALUES (:id, :kind, :title, :key, :by) ON CONFLICT (direct_key) DO NOTHING")
        .param("id", id).param("kind", kind.name()).param("title", title).param("key", directKey)
        .param("by", createdBy).update() == 1;
  }

  Optional<UUID> directConversation(String directKey) {
    return jdbc.sql("SELECT id FROM conversation WHERE direct_key = :key").param("key", directKey)
        .query(UUID.class).optional();
  }

  void addMembers(UUID conversation, Collection<String> users) {
    jdbc.sql("INSERT INTO conversation_member (conversation_id, user_id) SELECT :id, unnest(:users::text[])"
            + " ON CONFLICT DO NOTHING")
        .param("id", conversation).param("users", users.toArray(String[]::new)).update();
  }

  /** The conversation as {@code user} sees it, if {@code user} is a member. */
  Optional<Conversation> visibleTo(UUID conversation, String user) {
    return jdbc.sql("SELECT " + CONVERSATION_COLUMNS + " FROM conversation c JOIN conversation_member m"
            + " ON m.conversation_id = c.id AND m.user_id = :user WHERE c.id = :id")
        .param("id", conversation).param("user", user)
        .query(ConversationStore::conversation).optional();
  }

  List<Conversation> ofUser(String user) {
    return jdbc.sql("SELECT " + CONVERSATION_COLUMNS + " FROM conversation_member m JOIN conversation c"
            + " ON c.id = m.conversation_id WHERE m.user_id = :user"
            + " ORDER BY c.last_message_at DESC NULLS LAST, c.created_at DESC")
        .param("user", user).query(ConversationStore::conversation).list();
  }

  List<Member> members(UUID conversation) {
    return jdbc.sql("SELECT user_id, last_read_seq FROM conversation_member WHERE conversation_id = :id"
            + " ORDER BY user_id")
        .param("id", conversation)
        .query((rs, n) -> new Member(rs.getString("user_id"), rs.getLong("last_read_seq"))).list();
  }

  /** Locks the conversation's row (until commit) and returns its newest sequence number. */
  long lockForSend(UUID conversation) {
    return jdbc.sql("SELECT last_seq FROM conversation WHERE id = :id FOR UPDATE").param("id", conversation)
        .query(Long.class).single();
  }

  Optional<Message> byClientId(UUID conversation, String sender, String clientMessageId) {
    return jdbc.sql("SELECT " + MESSAGE_COLUMNS + " FROM message WHERE conversation_id = :id"
            + " AND sender_id = :sender AND client_message_id = :client")
        .param("id", conversation).param("sender", sender).param("client", clientMessageId)
        .query(ConversationStore::message).optional();
  }

  Message insertMessage(UUID id, UUID conversation, long seq, String sender, String clientMessageId, String body) {
    Message message = jdbc.sql("INSERT INTO message (id, conversation_id, seq, sender_id, client_message_id, body)"
            + " VALUES (:id, :conversation, :seq, :sender, :client, :body) RETURNING " + MESSAGE_COLUMNS)
        .param("id", id).param("conversation", conversation).param("seq", seq).param("sender", sender)
        .param("client", clientMessageId).param("body", body)
        .query(ConversationStore::message).single();
    jdbc.sql("UPDATE conversation SET last_seq = :seq, last_message_at = :at WHERE id = :id")
        .param("seq", seq).param("at", message.createdAt()).param("id", conversation).update();
    return message;
  }

  /** Moves a member's read receipt forward (never back, never past the newest message). */
  void markRead(UUID conversation, String user, long seq) {
    jdbc.sql("UPDATE conversation_member m SET last_read_seq = GREATEST(m.last_read_seq, LEAST(:seq, c.last_seq))"
            + " FROM conversation c WHERE c.id = m.conversation_id AND m.conversation_id = :id AND m.user_id = :user")
        .param("seq", seq).param("id", conversation).param("user", user).update();
  }

  /** Messages older than {@code beforeSeq}, newest first. */
  List<Message> history(UUID conversation, long beforeSeq, int limit) {
    return jdbc.sql("SELECT " + MESSAGE_COLUMNS + " FROM message WHERE conversation_id = :id AND seq < :before"
            + " ORDER BY seq DESC LIMIT :limit")
        .param("id", conversation).param("before", beforeSeq).param("limit", limit)
        .query(ConversationStore::message).list();
  }

  List<Message> messages(Collection<UUID> ids) {
    if (ids.isEmpty()) {
      return List.of();
    }
    return jdbc.sql("SELECT " + MESSAGE_COLUMNS + " FROM message WHERE id = ANY(:ids::uuid[])")
        .param("ids", ids.toArray(UUID[]::new)).query(ConversationStore::message).list();
  }

  private static Conversation conversation(ResultSet rs, int row) throws SQLException {
    long lastSeq = rs.getLong("last_seq");
    long lastRead = rs.getLong("last_read_seq");
    return new Conversation(rs.getObject("id", UUID.class), Kind.valueOf(rs.getString("kind")),
        rs.getString("title"), lastSeq, lastRead, Math.max(0, lastSeq - lastRead),
        rs.getObject("created_at", OffsetDateTime.class), rs.getObject("last_message_at", OffsetDateTime.class), null);
  }

  private static Message message(ResultSet rs, int row) throws SQLException {
    return new Message(rs.getObject("id", UUID.class), rs.getObject("conversation_id", UUID.class),
        rs.getLong("seq"), rs.getString("sender_id"), rs.getString("client_message_id"), rs.getString("body"),
        rs.getObject("created_at", OffsetDateTime.class));
  }
}
