package dev.atrium.operator.upgrade;

import dev.atrium.api.v1alpha1.UpgradeStatus;
import dev.atrium.operator.model.Component;
import dev.atrium.operator.model.ConditionReason;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@link UpgradePlanner#plan} decided for one reconcile.
 *
 * @param versions the release version each component must run now: every component, switched-off ones
 *     included (they get spec.version, so they start on it when switched on again)
 * @param databasePartition the database StatefulSet's rollingUpdate partition (0 = all pods)
 * @param runningVersion what status.version should say: the version every component runs; while an upgrade is
 *     under way, the version the platform ran before it
 * @param status the new status.upgrade (null when no upgrade ever happened)
 * @param problemReason null, or why the platform is Degraded: {@link ConditionReason#UPGRADE_NOT_ALLOWED},
 *     {@link ConditionReason#SOURCE_RELEASE_MISSING}, {@link ConditionReason#UPGRADE_HALTED} or
 *     {@link ConditionReason#UPGRADE_ROLLED_BACK}
 * @param problemMessage what failed, naming the component and what is wrong (null when no problem)
 * @param recheckAfter null, or when to look again (end of soak, step deadline)
 * @param events Kubernetes events to record for this change
 */
public record UpgradeDecision(Map<Component, String> versions, int databasePartition, String runningVersion,
    UpgradeStatus status, ConditionReason problemReason, String problemMessage, Duration recheckAfter,
    List<UpgradeEvent> events) {

  public UpgradeDecision {
    Map<Component, String> copy = new EnumMap<>(Component.class);
    copy.putAll(versions);
    versions = Collections.unmodifiableMap(copy);
    events = List.copyOf(events);
  }

  /**
   * The planner refused to move (UpgradeNotAllowed or SourceReleaseMissing): every workload keeps what
   * it runs, and nothing of the target release should be applied.
   */
  public boolean refused() {
    return problemReason == ConditionReason.UPGRADE_NOT_ALLOWED
        || problemReason == ConditionReason.SOURCE_RELEASE_MISSING;
  }

  /** The phase of the new status.upgrade; empty when there is none. */
  public Optional<UpgradePhase> phase() {
    return status == null ? Optional.empty() : UpgradePhase.of(status.getPhase());
  }
}
