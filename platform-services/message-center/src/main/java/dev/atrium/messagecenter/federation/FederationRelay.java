package dev.atrium.messagecenter.federation;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Drains the federation outbox: for each peer, in one transaction holding that peer's advisory lock (so one
 * replica at a time relays a peer, in queue order), posts the pending rows one by one to
 * {@code <peer endpoint>/messages}, each with a freshly signed token. A row the peer accepts (201, or 200 for a
 * repeat it already had) is marked delivered; on any other answer or no answer the relay stops for that peer
 * and retries the same row after a backoff that doubles per attempt up to a limit, so later rows never
 * overtake it. A peer that refuses the payload itself (400, 413, 422) will refuse it forever: that row is
 * set aside as dead (counted, logged) and the queue moves on. Runs every relay interval, and at once after a
 * send queued something.
 */
@Component
public class FederationRelay implements SmartLifecycle {

  private static final Logger LOG = LoggerFactory.getLogger(FederationRelay.class);

  private final TrustList trust;
  private final FederationOutbox outbox;
  private final FederationTokens tokens;
  private final FederationProperties properties;
  private final TransactionTemplate transactions;
  private final HttpClient http;
  private final Semaphore wake = new Semaphore(0);
  private final AtomicLong depth = new AtomicLong();
  private final AtomicLong dead = new AtomicLong();
  private final Counter attempts;
  private final Counter failures;
  private final Counter delivered;
  private volatile Thread thread;
  private volatile boolean running;

  public FederationRelay(TrustList trust, FederationOutbox outbox, FederationTokens tokens,
      FederationProperties properties, TransactionTemplate transactions, MeterRegistry meters) {
    this.trust = trust;
    this.outbox = outbox;
    this.tokens = tokens;
    this.properties = properties;
    this.transactions = transactions;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    Gauge.builder("messagecenter.federation.outbox.depth", depth, AtomicLong::get)
        .description("Messages queued for peer platforms and not delivered yet").register(meters);
    Gauge.builder("messagecenter.federation.outbox.dead", dead, AtomicLong::get)
        .description("Queued messages a peer refused for good (not retried)").register(meters);
    this.attempts = Counter.builder("messagecenter.federation.relay.attempts")
        .description("Deliveries to peer platforms tried").register(meters);
    this.failures = Counter.builder("messagecenter.federation.relay.failures")
        .description("Deliveries to peer platforms that failed (retried later, or set aside as dead)")
        .register(meters);
    this.delivered = Counter.builder("messagecenter.federation.relay.delivered")
        .description("Messages peer platforms accepted").register(meters);
  }

  @TransactionalEventListener
  public void queued(FederationOutbox.Queued queued) {
    wake.release();
  }

  @Override
  public void start() {
    running = true;
    thread = Thread.ofPlatform().daemon().name("federation-relay").start(this::loop);
  }

  @Override
  public void stop() {
    running = false;
    Thread current = thread;
    if (current != null) {
      current.interrupt();
      try {
        current.join(TimeUnit.SECONDS.toMillis(15));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    // stops before the web server (graceful shutdown) and the data source
    return SmartLifecycle.DEFAULT_PHASE;
  }

  private void loop() {
    while (running) {
      try {
        relayOnce();
        wake.tryAcquire(properties.relayInterval().toMillis(), TimeUnit.MILLISECONDS);
        wake.drainPermits();
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        LOG.warn("federation relay pass failed; retrying: {}", e.toString());
        try {
          Thread.sleep(properties.relayInterval().toMillis());
        } catch (InterruptedException interrupted) {
          return;
        }
      }
    }
  }

  /** One pass over every peer's queue; also refreshes the outbox gauges. */
  void relayOnce() throws InterruptedException {
    if (trust.enabled()) {
      for (TrustList.Peer peer : trust.peers()) {
        transactions.executeWithoutResult(status -> relay(peer));
        if (Thread.interrupted()) {
          throw new InterruptedException();
        }
      }
    }
    outbox.forgetExpiredTokens();
    depth.set(outbox.depth());
    dead.set(outbox.dead());
  }

  private void relay(TrustList.Peer peer) {
    if (!outbox.lockPeer(peer.platform())) {
      return; // another replica relays this peer now
    }
    var now = outbox.now();
    for (FederationOutbox.Row row : outbox.pending(peer.platform(), properties.batchSize())) {
      if (row.nextAttemptAt().isAfter(now) || !running) {
        return; // the head of the queue waits for its retry; nothing may overtake it
      }
      attempts.increment();
      Outcome outcome = post(peer, row.payload());
      switch (outcome.kind()) {
        case DELIVERED -> {
          outbox.delivered(row.id());
          delivered.increment();
        }
        case REFUSED -> {
          failures.increment();
          outbox.dead(row.id(), outcome.error());
          LOG.error("peer {} refused outbox row {} for good, set aside: {}", peer.platform(), row.id(),
              outcome.error());
        }
        case RETRY -> {
          failures.increment();
          Duration backoff = backoff(row.attempts());
          outbox.failed(row.id(), backoff, outcome.error());
          LOG.warn("delivery of outbox row {} to peer {} failed (attempt {}), retrying in {}: {}", row.id(),
              peer.platform(), row.attempts() + 1, backoff, outcome.error());
          return;
        }
      }
    }
  }

  Duration backoff(int previousAttempts) {
    long factor = 1L << Math.min(previousAttempts, 20);
    Duration delay = properties.retryInitial().multipliedBy(factor);
    return delay.compareTo(properties.retryMax()) > 0 ? properties.retryMax() : delay;
  }

  private enum Kind { DELIVERED, RETRY, REFUSED }

  private record Outcome(Kind kind, String error) {
  }

  private Outcome post(TrustList.Peer peer, String payload) {
    byte[] body = payload.getBytes(StandardCharsets.UTF_8);
    HttpRequest request = HttpRequest.newBuilder(URI.create(peer.endpoint() + "/messages"))
        .timeout(properties.requestTimeout())
        .header("Content-Type", "application/json")
        .header("Authorization", tokens.authorization(peer.platform(), body))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      int status = response.statusCode();
      if (status == 200 || status == 201) {
        return new Outcome(Kind.DELIVERED, null);
      }
      String error = status + " " + abbreviate(response.body());
      return status == 400 || status == 413 || status == 422 ? new Outcome(Kind.REFUSED, error)
          : new Outcome(Kind.RETRY, error);
    } catch (IOException e) {
      return new Outcome(Kind.RETRY, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Outcome(Kind.RETRY, "interrupted");
    }
  }

  private static String abbreviate(String text) {
    return text == null ? "" : text.length() > 500 ? text.substring(0, 500) + "..." : text;
  }
}
