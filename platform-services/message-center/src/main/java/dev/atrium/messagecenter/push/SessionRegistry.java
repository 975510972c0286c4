package dev.atrium.messagecenter.push;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.CloseStatus;

/** The push sessions connected to this replica, by user; delivers fan-out events to them. */
@Component
public class SessionRegistry {

  private static final Logger LOG = LoggerFactory.getLogger(SessionRegistry.class);

  private final Map<String, Set<PushSession>> byUser = new ConcurrentHashMap<>();
  private final ExecutorService delivery = Executors.newVirtualThreadPerTaskExecutor();

  public SessionRegistry(MeterRegistry meters) {
    Gauge.builder("messagecenter.sockets.open", this, SessionRegistry::size)
        .description("WebSocket push sessions open on this replica").register(meters);
  }

  void add(PushSession session) {
    byUser.computeIfAbsent(session.userId(), u -> ConcurrentHashMap.newKeySet()).add(session);
  }

  void remove(PushSession session) {
    byUser.computeIfPresent(session.userId(), (u, sessions) -> {
      sessions.remove(session);
      return sessions.isEmpty() ? null : sessions;
    });
  }

  /** Hands each local session of each entry's user its entry; each session on its own virtual thread. */
  void deliver(PushEvent event) {
    for (UserStreams.Entry entry : event.entries()) {
      for (PushSession session : byUser.getOrDefault(entry.userId(), Set.of())) {
        delivery.execute(() -> {
          try {
            session.offer(entry.seq(), event);
          } catch (Exception e) {
            LOG.debug("push to session {} failed; closing it, the client resumes from its cursor", session.id(), e);
            session.closeWithReconnectHint("delivery-failed", CloseStatus.SERVER_ERROR);
          }
        });
      }
    }
  }

  public int size() {
    return byUser.values().stream().mapToInt(Set::size).sum();
  }

  List<PushSession> all() {
    return byUser.values().stream().flatMap(Set::stream).toList();
  }
}
