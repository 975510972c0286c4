package dev.atrium.messagecenter.push;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.server.context.WebServerGracefulShutdownLifecycle;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.CloseStatus;

/**
 * At shutdown, once the web server's graceful shutdown has let in-flight requests finish (their sends are
 * committed), tells every push socket to reconnect ({@code {"type":"reconnect","after":N}}, close code 1012
 * Service Restart) so its client resumes on another replica from its cursor. Runs before the web server stops.
 */
@Component
class PushDrain implements SmartLifecycle {

  private static final Logger LOG = LoggerFactory.getLogger(PushDrain.class);

  private final SessionRegistry sessions;
  private volatile boolean running;

  PushDrain(SessionRegistry sessions) {
    this.sessions = sessions;
  }

  @Override
  public void start() {
    running = true;
  }

  @Override
  public void stop() {
    var open = sessions.all();
    LOG.info("shutting down: telling {} push session(s) to reconnect elsewhere", open.size());
    open.parallelStream().forEach(s -> s.closeWithReconnectHint("shutting-down", CloseStatus.SERVICE_RESTARTED));
    running = false;
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /** After the graceful shutdown of the web server (which has a higher phase, so stops first). */
  @Override
  public int getPhase() {
    return WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE - 512;
  }
}
