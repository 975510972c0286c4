package dev.atrium.operator.upgrade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atrium.operator.model.ConditionReason;
import dev.atrium.operator.upgrade.UpgradeEvent.Reason;
import dev.atrium.operator.upgrade.UpgradeEvent.Type;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The words the upgrade planner writes into status.upgrade and events: the API keeps them as
 * Strings, so these tokens are the wire format and must not change.
 */
class UpgradePlannerTokensTest {

  @Test
  void phasesAndStepsKeepTheirTokens() {
    assertThat(Arrays.stream(UpgradePhase.values()).map(UpgradePhase::token))
        .containsExactly("Progressing", "Paused", "Halted", "RolledBack", "Succeeded");
    assertThat(Arrays.stream(UpgradeStep.values()).map(UpgradeStep::token))
        .containsExactly("Rollout", "Replicas", "Primary", "Soak");
    assertThat(UpgradePhase.ROLLED_BACK).hasToString("RolledBack");
    assertThat(UpgradeStep.REPLICAS).hasToString("Replicas");
  }

  @Test
  void aRecordedTokenReadsBackAndAnUnknownOneIsEmpty() {
    for (UpgradePhase phase : UpgradePhase.values()) {
      assertThat(UpgradePhase.of(phase.token())).contains(phase);
    }
    for (UpgradeStep step : UpgradeStep.values()) {
      assertThat(UpgradeStep.of(step.token())).contains(step);
    }
    assertThat(UpgradePhase.of(null)).isEmpty();
    assertThat(UpgradePhase.of("ROLLED_BACK")).as("the token, not the constant's name").isEmpty();
    assertThat(UpgradePhase.of("Exploding")).isEqualTo(Optional.empty());
    assertThat(UpgradeStep.of(null)).isEmpty();
    assertThat(UpgradeStep.of("soak")).isEmpty();
  }

  @Test
  void onlyProgressingAndPausedAreOngoingOnlyHaltedAndRolledBackStopped() {
    assertThat(Arrays.stream(UpgradePhase.values()).filter(UpgradePhase::ongoing))
        .containsExactly(UpgradePhase.PROGRESSING, UpgradePhase.PAUSED);
    assertThat(Arrays.stream(UpgradePhase.values()).filter(UpgradePhase::stopped))
        .containsExactly(UpgradePhase.HALTED, UpgradePhase.ROLLED_BACK);
  }

  @Test
  void eventReasonsKeepTheirTokensAndWarningsAreTheDegradedReasons() {
    assertThat(Arrays.stream(Reason.values()).map(Reason::token)).containsExactly("UpgradeStarted",
        "RollbackStarted", "ComponentUpgrading", "ComponentUpgraded", "UpgradePaused", "UpgradeResumed",
        "UpgradeSucceeded", "UpgradeNotAllowed", "SourceReleaseMissing", "UpgradeHalted", "UpgradeRolledBack");
    assertThat(Arrays.stream(Reason.values()).filter(r -> r.type() == Type.WARNING))
        .containsExactly(Reason.UPGRADE_NOT_ALLOWED, Reason.SOURCE_RELEASE_MISSING, Reason.UPGRADE_HALTED,
            Reason.UPGRADE_ROLLED_BACK);
    for (ConditionReason problem : new ConditionReason[] {ConditionReason.UPGRADE_NOT_ALLOWED,
        ConditionReason.SOURCE_RELEASE_MISSING, ConditionReason.UPGRADE_HALTED, ConditionReason.UPGRADE_ROLLED_BACK}) {
      assertThat(Reason.of(problem).token()).isEqualTo(problem.token());
      assertThat(Reason.of(problem).type()).isEqualTo(Type.WARNING);
    }
    assertThatThrownBy(() -> Reason.of(ConditionReason.UPGRADE_PAUSED)).as("a Normal event is no problem")
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(Type.NORMAL.token()).isEqualTo("Normal");
    assertThat(Type.WARNING.token()).isEqualTo("Warning");
  }

  @Test
  void anEventTakesItsTypeFromItsReason() {
    assertThat(new UpgradeEvent(Reason.UPGRADE_HALTED, "identity did not become healthy").type())
        .isEqualTo(Type.WARNING);
    assertThat(new UpgradeEvent(Reason.COMPONENT_UPGRADED, "cache runs 1.1.0").type()).isEqualTo(Type.NORMAL);
    assertThatThrownBy(() -> new UpgradeEvent(null, "x")).isInstanceOf(NullPointerException.class);
  }
}
