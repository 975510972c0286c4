package dev.atrium.operator.upgrade;

import dev.atrium.operator.model.ConditionReason;
import java.util.Objects;

/**
 * A Kubernetes event the upgrade planner asks for: a reason and a message. Its type follows from
 * the reason (a refusal or a stop is a Warning, everything else Normal), so the two cannot disagree.
 *
 * @param reason why, as an event reason
 * @param message what happened, naming the component and versions
 */
public record UpgradeEvent(Reason reason, String message) {

  public UpgradeEvent {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(message, "message");
  }

  /** Normal or Warning, from the reason. */
  public Type type() {
    return reason.type();
  }

  /** The type of a Kubernetes event. */
  public enum Type {
    NORMAL("Normal"),
    WARNING("Warning");

    private final String token;

    Type(String token) {
      this.token = token;
    }

    /** As the event's type field says it: Normal or Warning. */
    public String token() {
      return token;
    }

    @Override
    public String toString() {
      return token;
    }
  }

  /**
   * Every reason of an upgrade event. The Warnings are the upgrade's Degraded reasons and take their
   * token from {@link ConditionReason}, so an event and the condition it goes with are spelt alike;
   * so does UpgradePaused, the Progressing condition's reason while paused.
   */
  public enum Reason {
    /** An upgrade to a newer release began (Normal). */
    UPGRADE_STARTED("UpgradeStarted"),
    /** spec.version was set back during an upgrade: a return to the version it left began (Normal). */
    ROLLBACK_STARTED("RollbackStarted"),
    /** A component was put on the new version, or the database moved from its replicas to its primary. */
    COMPONENT_UPGRADING("ComponentUpgrading"),
    /** A component runs the new version and stayed healthy for the soak. */
    COMPONENT_UPGRADED("ComponentUpgraded"),
    /** spec.upgrade.paused holds the upgrade before a component. */
    UPGRADE_PAUSED(ConditionReason.UPGRADE_PAUSED, Type.NORMAL),
    /** spec.upgrade.paused was cleared: the held upgrade goes on. */
    UPGRADE_RESUMED("UpgradeResumed"),
    /** Every component runs the new version. */
    UPGRADE_SUCCEEDED("UpgradeSucceeded"),
    /** Refused: the target release does not upgrade from a version the platform runs. */
    UPGRADE_NOT_ALLOWED(ConditionReason.UPGRADE_NOT_ALLOWED, Type.WARNING),
    /** Refused: a release the platform runs, or is to keep running, is not in the cluster. */
    SOURCE_RELEASE_MISSING(ConditionReason.SOURCE_RELEASE_MISSING, Type.WARNING),
    /** A component did not become healthy in time and the upgrade stopped there. */
    UPGRADE_HALTED(ConditionReason.UPGRADE_HALTED, Type.WARNING),
    /** A component did not become healthy in time and was returned to the version it ran. */
    UPGRADE_ROLLED_BACK(ConditionReason.UPGRADE_ROLLED_BACK, Type.WARNING);

    private final String token;
    private final Type type;
    private final ConditionReason condition;

    Reason(String token) {
      this.token = token;
      this.type = Type.NORMAL;
      this.condition = null;
    }

    Reason(ConditionReason condition, Type type) {
      this.token = condition.token();
      this.type = type;
      this.condition = condition;
    }

    /** As the event's reason field says it, e.g. ComponentUpgraded. */
    public String token() {
      return token;
    }

    public Type type() {
      return type;
    }

    /** The event that announces a Degraded reason of the planner (UpgradeNotAllowed, UpgradeHalted, ...). */
    static Reason of(ConditionReason problem) {
      for (Reason reason : values()) {
        if (reason.condition == problem && reason.type == Type.WARNING) {
          return reason;
        }
      }
      throw new IllegalArgumentException("no upgrade event announces " + problem);
    }

    @Override
    public String toString() {
      return token;
    }
  }
}
