package dev.atrium.operator.upgrade;

import java.util.Optional;

/**
 * The step of the component being upgraded, as written into status.upgrade.step (a String in the
 * API, so the tokens below are the wire format and never change).
 */
public enum UpgradeStep {
  /** The component's workload rolls out the new version. */
  ROLLOUT("Rollout"),
  /** The database's replicas roll out the new version (partition 1); the primary keeps the old one. */
  REPLICAS("Replicas"),
  /** The database's primary rolls out the new version (partition 0). */
  PRIMARY("Primary"),
  /** The component runs the new version and is healthy; it must stay so for the release's soak. */
  SOAK("Soak");

  private final String token;

  UpgradeStep(String token) {
    this.token = token;
  }

  /** The step as status.upgrade.step spells it, e.g. Replicas. */
  public String token() {
    return token;
  }

  /** The step a recorded status.upgrade.step names; empty for null or an unknown token. */
  public static Optional<UpgradeStep> of(String token) {
    for (UpgradeStep step : values()) {
      if (step.token.equals(token)) {
        return Optional.of(step);
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return token;
  }
}
