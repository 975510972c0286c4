package dev.atrium.operator.upgrade;

import java.util.Optional;

/**
 * Where an upgrade stands, as written into status.upgrade.phase (a String in the API, so the
 * tokens below are the wire format and never change).
 */
public enum UpgradePhase {
  /** Components are moving one at a time. */
  PROGRESSING("Progressing"),
  /** Held between two components because spec.upgrade.paused is true. */
  PAUSED("Paused"),
  /** A component did not become healthy in time; it stays on the new version, nothing else moves. */
  HALTED("Halted"),
  /** A component did not become healthy in time and was returned to the version it ran; nothing else moves. */
  ROLLED_BACK("RolledBack"),
  /** Every component runs the new version. */
  SUCCEEDED("Succeeded");

  private final String token;

  UpgradePhase(String token) {
    this.token = token;
  }

  /** The phase as status.upgrade.phase spells it, e.g. RolledBack. */
  public String token() {
    return token;
  }

  /**
   * The phase a recorded status.upgrade.phase names; empty for null or for a token this operator
   * does not know (e.g. written by a newer one).
   */
  public static Optional<UpgradePhase> of(String token) {
    for (UpgradePhase phase : values()) {
      if (phase.token.equals(token)) {
        return Optional.of(phase);
      }
    }
    return Optional.empty();
  }

  /**
   * Progressing or Paused: the upgrade is under way and will go on by itself (or once resumed), so
   * the platform's Progressing condition is True.
   */
  public boolean ongoing() {
    return this == PROGRESSING || this == PAUSED;
  }

  /** Halted or RolledBack: nothing moves until spec.version changes. */
  public boolean stopped() {
    return this == HALTED || this == ROLLED_BACK;
  }

  @Override
  public String toString() {
    return token;
  }
}
