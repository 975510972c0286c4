package dev.atrium.messagecenter.conversation;

import dev.atrium.messagecenter.config.MessageCenterProperties;
import dev.atrium.messagecenter.conversation.ConversationApi.Conversation;
import dev.atrium.messagecenter.conversation.ConversationApi.CreateConversation;
import dev.atrium.messagecenter.conversation.ConversationApi.HistoryPage;
import dev.atrium.messagecenter.conversation.ConversationApi.Kind;
import dev.atrium.messagecenter.conversation.ConversationApi.Message;
import dev.atrium.messagecenter.conversation.ConversationApi.SendMessage;
import dev.atrium.messagecenter.federation.FederatedInbox;
import dev.atrium.messagecenter.federation.FederatedMessage;
import dev.atrium.messagecenter.federation.FederationOutbox;
import dev.atrium.messagecenter.federation.TrustList;
import dev.atrium.messagecenter.push.UserStreams;
import dev.atrium.service.security.Caller;
import dev.atrium.service.web.ApiException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.TreeSet;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Conversations and their messages: who may see what, idempotent sends numbered per conversation, read
 * receipts and unread counts. Every refusal happens before anything is written, and each send is one
 * transaction: message, sequence number, sender's receipt and the members' stream entries, or nothing.
 * Messages from peer platforms arrive through {@link FederatedInbox}, which federation calls once it has
 * verified the request: this package uses federation, federation only knows the interface.
 */
@Service
public class ConversationService implements FederatedInbox {

  /** The kind of the user-stream entries that carry a message. */
  public static final String MESSAGE_EVENT = "message";

  private final ConversationStore store;
  private final UserStreams streams;
  private final MessageCenterProperties properties;
  private final TrustList trust;
  private final FederationOutbox outbox;
  private final Counter sent;

  ConversationService(ConversationStore store, UserStreams streams, MessageCenterProperties properties,
      TrustList trust, FederationOutbox outbox, MeterRegistry meters) {
    this.store = store;
    this.streams = streams;
    this.properties = properties;
    this.trust = trust;
    this.outbox = outbox;
    this.sent = Counter.builder("messagecenter.messages.sent")
        .description("Messages stored (idempotent repeats not counted)").register(meters);
  }

  /** The result of a send: the message, and whether this call stored it (false: a repeat). */
  public record Sent(Message message, boolean created) {
  }

  /** The result of opening a conversation: it, and whether this call created it (false: the existing 1:1). */
  public record Opened(Conversation conversation, boolean created) {
  }

  @Transactional
  public Opened create(Caller caller, CreateConversation request) {
    requireUser(caller);
    TreeSet<String> others = new TreeSet<>(request.members());
    others.remove(caller.id());
    if (request.kind() == Kind.DIRECT) {
      if (others.size() != 1) {
        throw ApiException.badRequest("invalid-members", "A DIRECT conversation has exactly one other member;"
            + " this request names " + others.size() + ". Use kind GROUP for more.");
      }
      String other = others.first();
      trust.remote(other); // a remote person must be on a trusted peer
      String key = directKey(caller.id(), other);
      UUID id = UUID.randomUUID();
      if (!store.insert(id, Kind.DIRECT, null, key, caller.id())) {
        return new Opened(get(caller, store.directConversation(key).orElseThrow()), false);
      }
      store.addMembers(id, List.of(caller.id(), other));
      return new Opened(get(caller, id), true);
    }
    if (others.isEmpty()) {
      throw ApiException.badRequest("invalid-members", "A GROUP conversation needs at least one member besides you.");
    }
    if (others.size() + 1 > properties.maxGroupMembers()) {
      throw ApiException.badRequest("too-many-members", "A group has at most " + properties.maxGroupMembers()
          + " members; this one would have " + (others.size() + 1) + ".");
    }
    for (String member : others) {
      if (trust.remote(member).isPresent()) {
        throw ApiException.badRequest("federated-group-unsupported", "'" + member + "' is on another platform;"
            + " groups are within one platform. Open a DIRECT conversation with them instead.");
      }
    }
    UUID id = UUID.randomUUID();
    store.insert(id, Kind.GROUP, request.title(), null, caller.id());
    others.add(caller.id());
    store.addMembers(id, others);
    return new Opened(get(caller, id), true);
  }

  @Transactional(readOnly = true)
  public Conversation get(Caller caller, UUID id) {
    Conversation conversation = visible(caller, id);
    return new Conversation(conversation.id(), conversation.kind(), conversation.title(), conversation.lastSeq(),
        conversation.lastReadSeq(), conversation.unread(), conversation.createdAt(), conversation.lastMessageAt(),
        store.members(id));
  }

  @Transactional(readOnly = true)
  public List<Conversation> list(Caller caller) {
    requireUser(caller);
    return store.ofUser(caller.id());
  }

  @Transactional
  public Sent send(Caller caller, UUID conversationId, SendMessage request) {
    visible(caller, conversationId);
    if (request.body().isBlank()) {
      throw ApiException.badRequest("empty-message", "body is empty; send at least one visible character.");
    }
    int length = request.body().codePointCount(0, request.body().length());
    if (length > properties.maxMessageLength()) {
      throw new ApiException(HttpStatus.CONTENT_TOO_LARGE, "message-too-long", "Message too long",
          "body has " + length + " characters; a message has at most " + properties.maxMessageLength()
              + ". Split it into several messages.");
    }
    long lastSeq = store.lockForSend(conversationId);
    var repeat = store.byClientId(conversationId, caller.id(), request.clientMessageId());
    if (repeat.isPresent()) {
      if (!repeat.get().body().equals(request.body())) {
        throw ApiException.conflict("client-message-id-reused", "clientMessageId " + request.clientMessageId()
            + " was already used for another message in this conversation (seq " + repeat.get().seq()
            + "). Use a new id for a new message.");
      }
      return new Sent(repeat.get(), false);
    }
    Message message = store.insertMessage(UUID.randomUUID(), conversationId, lastSeq + 1, caller.id(),
        request.clientMessageId(), request.body());
    store.markRead(conversationId, caller.id(), message.seq());
    List<String> members = store.members(conversationId).stream().map(ConversationApi.Member::userId).toList();
    streams.append(MESSAGE_EVENT, message.id(), members.stream().filter(m -> m.indexOf('@') < 0).toList());
    for (String member : members) {
      // a remote member: queued in this transaction, delivered by the relay once the peer answers
      trust.remote(member).ifPresent(remote -> outbox.enqueue(remote.peer().platform(), new FederatedMessage(
          message.id(), conversationId, message.seq(), caller.id(), remote.localId(), message.body(),
          message.createdAt())));
    }
    sent.increment();
    return new Sent(message, true);
  }

  /**
   * Stores a message a peer platform delivered (its token verified and remembered by federation): in the 1:1
   * conversation of the recipient with {@code sender@origin}, created on first contact. A message id seen
   * before from the same origin is a repeated delivery and stores nothing.
   */
  @Override
  @Transactional
  public FederatedInbox.Delivery deliver(String origin, FederatedMessage message) {
    if (message.messageId() == null || !localId(message.sender()) || !localId(message.recipient())
        || message.body() == null || message.body().isBlank()) {
      throw ApiException.badRequest("invalid-field", "A federated message needs messageId, a sender and a"
          + " recipient (ids on their own platforms, without '@') and a non-empty body.");
    }
    int length = message.body().codePointCount(0, message.body().length());
    if (length > properties.maxMessageLength()) {
      throw new ApiException(HttpStatus.CONTENT_TOO_LARGE, "message-too-long", "Message too long",
          "body has " + length + " characters; this platform takes at most " + properties.maxMessageLength() + ".");
    }
    String sender = message.sender() + "@" + origin;
    String key = directKey(message.recipient(), sender);
    UUID conversationId = UUID.randomUUID();
    if (store.insert(conversationId, Kind.DIRECT, null, key, sender)) {
      store.addMembers(conversationId, List.of(message.recipient(), sender));
    } else {
      conversationId = store.directConversation(key).orElseThrow();
    }
    long lastSeq = store.lockForSend(conversationId);
    UUID id = UUID.randomUUID();
    var before = outbox.rememberReceived(origin, message.messageId(), id);
    if (before.isPresent()) {
      Message earlier = store.messages(List.of(before.get())).getFirst();
      return new FederatedInbox.Delivery(earlier.id(), earlier.conversationId(), false);
    }
    Message stored = store.insertMessage(id, conversationId, lastSeq + 1, sender, message.messageId().toString(),
        message.body());
    streams.append(MESSAGE_EVENT, stored.id(), List.of(message.recipient()));
    return new FederatedInbox.Delivery(stored.id(), stored.conversationId(), true);
  }

  private static boolean localId(String id) {
    return id != null && !id.isBlank() && id.indexOf('@') < 0 && id.length() <= 200;
  }

  @Transactional(readOnly = true)
  public HistoryPage history(Caller caller, UUID conversationId, Long before, Integer limit) {
    visible(caller, conversationId);
    int size = limit == null ? properties.defaultPageSize() : limit;
    if (size < 1 || size > properties.maxPageSize()) {
      throw ApiException.badRequest("invalid-parameter", "limit must be between 1 and " + properties.maxPageSize()
          + "; was " + size + ".");
    }
    List<Message> page = store.history(conversationId, before == null ? Long.MAX_VALUE : before, size + 1);
    boolean more = page.size() > size;
    List<Message> messages = more ? page.subList(0, size) : page;
    return new HistoryPage(List.copyOf(messages), more ? messages.getLast().seq() : null);
  }

  @Transactional
  public void markRead(Caller caller, UUID conversationId, long seq) {
    visible(caller, conversationId);
    store.markRead(conversationId, caller.id(), seq);
  }

  /** Messages by id, for the push stream; no visibility check (the stream entry is the proof). */
  @Transactional(readOnly = true)
  public List<Message> messages(List<UUID> ids) {
    return store.messages(ids);
  }

  private Conversation visible(Caller caller, UUID id) {
    requireUser(caller);
    // unknown and not-yours look the same: whether a conversation exists is itself private
    return store.visibleTo(id, caller.id()).orElseThrow(() -> ApiException.notFound("conversation", id));
  }

  private static void requireUser(Caller caller) {
    caller.requireUser("Conversations");
  }

  static String directKey(String a, String b) {
    String first = a.compareTo(b) <= 0 ? a : b;
    String second = first.equals(a) ? b : a;
    return first.length() + ":" + first + "|" + second;
  }
}
