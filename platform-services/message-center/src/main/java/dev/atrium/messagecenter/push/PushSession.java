package dev.atrium.messagecenter.push;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PingMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * One connected client of one user. It sends the user's stream strictly in order, each entry once: an entry
 * that is next is sent, one already sent is dropped, and one past a gap makes the session read the gap from
 * the database first. So neither Redis losing a message nor two entries arriving out of order loses anything.
 */
final class PushSession {

  private static final int PAGE = 200;

  private final WebSocketSession socket;
  private final String userId;
  private final UserStreams streams;
  private final Payloads payloads;
  private final JsonMapper json;
  private final PushMetrics metrics;
  private final ReentrantLock lock = new ReentrantLock();
  private volatile long lastSent; // read without the lock by the sweep, which only compares
  private boolean closed;
  private ScheduledFuture<?> expiry;

  PushSession(WebSocketSession socket, String userId, long after, UserStreams streams, Payloads payloads,
      JsonMapper json, PushMetrics metrics) {
    this.socket = socket;
    this.userId = userId;
    this.lastSent = after;
    this.streams = streams;
    this.payloads = payloads;
    this.json = json;
    this.metrics = metrics;
  }

  String userId() {
    return userId;
  }

  String id() {
    return socket.getId();
  }

  long lastSent() {
    return lastSent;
  }

  /** Sends everything stored after what was sent. */
  void catchUp() throws IOException {
    lock.lock();
    try {
      while (!closed) {
        List<UserStreams.StoredEntry> page = streams.after(userId, lastSent, PAGE);
        if (page.isEmpty()) {
          return;
        }
        Map<String, List<UserStreams.StoredEntry>> byKind = page.stream()
            .collect(Collectors.groupingBy(UserStreams.StoredEntry::kind));
        Map<String, Map<UUID, Object>> loaded = byKind.entrySet().stream().collect(Collectors.toMap(
            Map.Entry::getKey, e -> payloads.load(e.getKey(), e.getValue().stream().map(UserStreams.StoredEntry::refId)
                .toList())));
        for (UserStreams.StoredEntry entry : page) {
          send(entry.seq(), entry.kind(), json.valueToTree(loaded.get(entry.kind()).get(entry.refId())), -1);
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /** A live entry from the fan-out: sent if next, dropped if already sent, else the gap is read first. */
  void offer(long seq, PushEvent event) throws IOException {
    lock.lock();
    try {
      if (closed || seq <= lastSent) {
        return;
      }
      if (seq == lastSent + 1) {
        send(seq, event.kind(), event.data(), event.publishedAtMillis());
      } else {
        catchUp();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Sends a last frame telling the client to reconnect (and from where), then closes. */
  void closeWithReconnectHint(String reason, CloseStatus status) {
    closeWith("reconnect", reason, status);
  }

  /**
   * Sends a last frame telling the client to get a fresh token and reconnect from where it was, then closes
   * with 1008 (policy violation): its token expired.
   */
  void closeForReauthentication() {
    closeWith("reauthenticate", "token-expired", CloseStatus.POLICY_VIOLATION.withReason("token expired"));
  }

  /** A keepalive ping; a failed one closes the socket (the client resumes from its cursor). */
  void ping() {
    lock.lock();
    try {
      if (!closed) {
        socket.sendMessage(new PingMessage());
      }
    } catch (IOException | RuntimeException e) {
      closed = true;
      try {
        socket.close(CloseStatus.SESSION_NOT_RELIABLE);
      } catch (IOException | RuntimeException ignored) {
        // gone already
      }
    } finally {
      lock.unlock();
    }
  }

  /** The expiry close scheduled for this session, cancelled when it closes first. */
  void expiry(ScheduledFuture<?> task) {
    this.expiry = task;
  }

  private void closeWith(String type, String reason, CloseStatus status) {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      ObjectNode frame = json.createObjectNode().put("type", type).put("after", lastSent)
          .put("reason", reason);
      socket.sendMessage(new TextMessage(json.writeValueAsString(frame)));
      socket.close(status);
    } catch (IOException | RuntimeException e) {
      // the client is gone already; it reconnects with its cursor
    } finally {
      closed = true;
      lock.unlock();
    }
  }

  void sendHello() throws IOException {
    lock.lock();
    try {
      socket.sendMessage(new TextMessage(json.writeValueAsString(
          json.createObjectNode().put("type", "hello").put("after", lastSent).put("user", userId))));
    } finally {
      lock.unlock();
    }
  }

  void markClosed() {
    lock.lock();
    try {
      closed = true;
      if (expiry != null) {
        expiry.cancel(false);
      }
    } finally {
      lock.unlock();
    }
  }

  private void send(long seq, String kind, JsonNode data, long publishedAtMillis) throws IOException {
    ObjectNode frame = json.createObjectNode().put("type", "event").put("seq", seq).put("kind", kind);
    frame.set("data", data);
    socket.sendMessage(new TextMessage(json.writeValueAsString(frame)));
    lastSent = seq;
    metrics.delivered(kind, publishedAtMillis);
  }
}
