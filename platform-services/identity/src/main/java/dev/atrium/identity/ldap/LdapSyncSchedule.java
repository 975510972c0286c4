package dev.atrium.identity.ldap;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * Runs the sync every {@code ATRIUM_LDAP_SYNC_INTERVAL} (after a run ends), the first time shortly after the
 * start. Every replica schedules it; the sync's lock lets one run at a time, and a replica whose turn comes
 * less than half an interval after another's successful run skips it.
 */
@Component
@ConditionalOnBooleanProperty("atrium.ldap.enabled")
class LdapSyncSchedule implements SchedulingConfigurer {

  static final Duration FIRST_RUN = Duration.ofSeconds(3);
  private static final Logger LOG = LoggerFactory.getLogger(LdapSyncSchedule.class);

  private final LdapSync sync;
  private final Duration interval;

  LdapSyncSchedule(LdapSync sync, LdapProperties properties) {
    this.sync = sync;
    this.interval = properties.interval();
  }

  @Override
  public void configureTasks(ScheduledTaskRegistrar registrar) {
    Duration first = interval.compareTo(FIRST_RUN) < 0 ? interval : FIRST_RUN;
    registrar.addFixedDelayTask(new FixedDelayTask(this::runOnce, interval, first));
  }

  void runOnce() {
    try {
      sync.run(LdapSync.ACTOR, interval.dividedBy(2));
    } catch (RuntimeException e) {
      // a run records its own failures; this is what failed around it (the database, say): try again next time
      LOG.warn("scheduled LDAP sync did not run: {}", e.toString());
    }
  }
}
