package dev.atrium.messagecenter.push;

import dev.atrium.messagecenter.config.MessageCenterProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
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

/**
 * The push sessions connected to this replica, by user; delivers fan-out events to them, and sweeps for entries
 * whose publish never arrived: Redis pub/sub delivers at most once (a subscription reconnecting after a failover
 * misses what was published meanwhile), so every {@code socketSweepInterval} one query reads the stream heads of
 * the users connected here, and a session still behind the previous sweep's head reads its gap from the database.
 * An entry whose publish was lost therefore arrives within two intervals.
 */
@Component
public class SessionRegistry implements DisposableBean {

  private static final Logger LOG = LoggerFactory.getLogger(SessionRegistry.class);
  private static final int SWEEP_BATCH = 1000;

  private final Map<String, Set<PushSession>> byUser = new ConcurrentHashMap<>();
  private final ExecutorService delivery = Executors.newVirtualThreadPerTaskExecutor();
  private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(
      Thread.ofPlatform().daemon().name("push-timers").factory());
  // its own thread: a slow database must not hold up pings and expiries
  private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(
      Thread.ofPlatform().daemon().name("push-sweep").factory());
  private final UserStreams streams;
  private final Counter recovered;
  private Map<String, Long> previousHeads = Map.of(); // the sweeper thread's own

  public SessionRegistry(MeterRegistry meters, MessageCenterProperties properties, UserStreams streams) {
    this.streams = streams;
    Gauge.builder("messagecenter.sockets.open", this, SessionRegistry::size)
        .description("WebSocket push sessions open on this replica").register(meters);
    this.recovered = Counter.builder("messagecenter.push.sweep.recovered")
        .description("Sessions the sweep found behind their stream (a publish that never reached this replica)")
        .register(meters);
    long sweep = properties.socketSweepInterval().toMillis();
    if (sweep > 0) {
      sweeper.scheduleWithFixedDelay(this::sweep, sweep, sweep, TimeUnit.MILLISECONDS);
    }
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
    sweeper.shutdownNow();
  }

  /**
   * Hands a catch-up from the database to every session still behind the head its user's stream had at the
   * previous sweep: an entry that old had a whole interval for its publish to arrive, so live traffic in flight
   * causes no extra reads.
   */
  void sweep() {
    try {
      List<String> users = List.copyOf(byUser.keySet());
      Map<String, Long> heads = new HashMap<>();
      for (int from = 0; from < users.size(); from += SWEEP_BATCH) {
        heads.putAll(streams.heads(users.subList(from, Math.min(users.size(), from + SWEEP_BATCH))));
      }
      previousHeads.forEach((user, head) -> {
        for (PushSession session : byUser.getOrDefault(user, Set.of())) {
          if (session.lastSent() < head) {
            recovered.increment();
            onItsThread(session, PushSession::catchUp);
          }
        }
      });
      previousHeads = heads;
    } catch (RuntimeException e) {
      // the database is away: the next sweep tries again; sockets keep what they have
      LOG.warn("push sweep failed: {}", e.toString());
    }
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
        onItsThread(session, s -> s.offer(entry.seq(), event));
      }
    }
  }

  private interface Delivery {
    void to(PushSession session) throws Exception;
  }

  /** Runs one delivery to a session on a virtual thread of its own; a failed one closes the session. */
  private void onItsThread(PushSession session, Delivery delivery) {
    this.delivery.execute(() -> {
      try {
        delivery.to(session);
      } catch (Exception e) {
        LOG.debug("push to session {} failed; closing it, the client resumes from its cursor", session.id(), e);
        session.closeWithReconnectHint("delivery-failed", CloseStatus.SERVER_ERROR);
      }
    });
  }

  public int size() {
    return byUser.values().stream().mapToInt(Set::size).sum();
  }

  List<PushSession> all() {
    return byUser.values().stream().flatMap(Set::stream).toList();
  }
}
