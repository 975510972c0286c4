package dev.atrium.messagecenter.push;

import dev.atrium.messagecenter.config.MessageCenterProperties;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.CloseStatus;

/** The push sessions connected to this replica, by user; delivers fan-out events to them. */
@Component
public class SessionRegistry implements DisposableBean {

  private static final Logger LOG = LoggerFactory.getLogger(SessionRegistry.class);

  private final Map<String, Set<PushSession>> byUser = new ConcurrentHashMap<>();
  private final ExecutorService delivery = Executors.newVirtualThreadPerTaskExecutor();
  private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(
      Thread.ofPlatform().daemon().name("push-timers").factory());

  public SessionRegistry(MeterRegistry meters, MessageCenterProperties properties) {
    Gauge.builder("messagecenter.sockets.open", this, SessionRegistry::size)
        .description("WebSocket push sessions open on this replica").register(meters);
    long ping = properties.socketPingInterval().toMillis();
    if (ping > 0) {
      // keepalive: proxies and NATs drop connections that look idle; pings also find dead peers
      timers.scheduleAtFixedRate(() -> all().forEach(PushSession::ping), ping, ping, TimeUnit.MILLISECONDS);
    }
  }

  /** Closes the session with a reauthentication hint when its token expires. */
  void expireAt(PushSession session, Instant expiresAt) {
    long delay = Math.max(0, Duration.between(Instant.now(), expiresAt).toMillis());
    session.expiry(timers.schedule(session::closeForReauthentication, delay, TimeUnit.MILLISECONDS));
  }

  @Override
  public void destroy() {
    timers.shutdownNow();
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
