package dev.atrium.operator.upgrade;

import dev.atrium.api.v1alpha1.UpgradeStatus;
import dev.atrium.operator.model.Component;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link UpgradePlanner#plan} decided for one reconcile.
 *
 * @param versions the release version each component must run now (every component)
 * @param databasePartition the database StatefulSet's rollingUpdate partition (0 = all pods)
 * @param runningVersion what status.version should say: the version every component runs; while an upgrade is
 *     under way, the version the platform ran before it
 * @param status the new status.upgrade (null when no upgrade ever happened)
 * @param problemReason null, or a CamelCase reason for Degraded=True
 * @param problemMessage what failed, naming the component and what is wrong
 * @param recheckAfter null, or when to look again (end of soak, step deadline)
 * @param events Kubernetes events to record for this change
 */
public record UpgradeDecision(Map<Component, String> versions, int databasePartition, String runningVersion,
    UpgradeStatus status, String problemReason, String problemMessage, Duration recheckAfter, List<Event> events) {

  public UpgradeDecision {
    Map<Component, String> copy = new EnumMap<>(Component.class);
    copy.putAll(versions);
    versions = Collections.unmodifiableMap(copy);
    events = List.copyOf(events);
  }

  /** A Kubernetes event: type Normal or Warning, a CamelCase reason and a message. */
  public record Event(String type, String reason, String message) {
  }
}
