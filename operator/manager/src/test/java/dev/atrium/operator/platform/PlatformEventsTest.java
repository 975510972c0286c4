package dev.atrium.operator.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrium.api.v1alpha1.CollaborationPlatformStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlatformEventsTest {

  private static CollaborationPlatformStatus status(String ready, String degraded, String degradedReason) {
    CollaborationPlatformStatus status = new CollaborationPlatformStatus();
    status.setConditions(List.of(condition("Ready", ready, "AllComponentsReady", "All 7 components are Ready"),
        condition("Degraded", degraded, degradedReason, "release 9.9.9 is not known")));
    return status;
  }

  private static Condition condition(String type, String status, String reason, String message) {
    return new ConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message).build();
  }

  private static List<String> reasons(List<PlatformEvents.Event> events) {
    return events.stream().map(e -> e.type() + "/" + e.reason()).toList();
  }

  @Test
  void goingToSleepSleepingAndWakingAreEachToldOnceAndWakingUpIsReady() {
    CollaborationPlatformStatus awake = status("True", "False", "AsExpected");
    CollaborationPlatformStatus hibernating = sleeping("Hibernating");
    CollaborationPlatformStatus hibernated = sleeping("Hibernated");
    CollaborationPlatformStatus waking = sleeping("Waking");

    assertThat(reasons(PlatformEvents.between(awake, hibernating))).containsExactly("Normal/Hibernating");
    assertThat(reasons(PlatformEvents.between(hibernating, hibernating))).isEmpty();
    assertThat(reasons(PlatformEvents.between(hibernating, hibernated))).containsExactly("Normal/Hibernated");
    assertThat(reasons(PlatformEvents.between(hibernated, waking))).containsExactly("Normal/Waking");
    assertThat(reasons(PlatformEvents.between(waking, awake))).containsExactly("Normal/Ready");
  }

  private static CollaborationPlatformStatus sleeping(String reason) {
    CollaborationPlatformStatus status = new CollaborationPlatformStatus();
    status.setConditions(List.of(condition("Ready", "False", reason, reason + ": why"),
        condition("Degraded", "False", "AsExpected", "No problem found")));
    return status;
  }

  @Test
  void becomingReadyIsOneNormalEvent() {
    assertThat(reasons(PlatformEvents.between(null, status("True", "False", "AsExpected"))))
        .containsExactly("Normal/Ready");
  }

  @Test
  void becomingDegradedIsAWarningWithTheProblemsReason() {
    var events = PlatformEvents.between(status("True", "False", "AsExpected"), status("True", "True", "UnknownVersion"));
    assertThat(reasons(events)).containsExactly("Warning/UnknownVersion");
    assertThat(events.get(0).message()).contains("9.9.9");
  }

  @Test
  void aNewProblemIsReportedEvenWhileAlreadyDegraded() {
    assertThat(reasons(PlatformEvents.between(status("True", "True", "UnknownVersion"),
        status("True", "True", "MissingSecret")))).containsExactly("Warning/MissingSecret");
  }

  @Test
  void recoveryIsReported() {
    assertThat(reasons(PlatformEvents.between(status("True", "True", "UnknownVersion"),
        status("True", "False", "AsExpected")))).containsExactly("Normal/Recovered");
  }

  @Test
  void anUnchangedStatusMakesNoEvent() {
    assertThat(PlatformEvents.between(status("True", "False", "AsExpected"), status("True", "False", "AsExpected")))
        .isEmpty();
  }

  @Test
  void theSameReasonFromTheStatusAndTheUpgradePlannerIsOneEvent() {
    var events = List.of(
        new PlatformEvents.Event(PlatformEvents.Type.Warning, "UpgradeHalted", "identity did not become healthy"),
        new PlatformEvents.Event(PlatformEvents.Type.Normal, "ComponentUpgrading", "upgrading webos"),
        new PlatformEvents.Event(PlatformEvents.Type.Warning, "UpgradeHalted", "identity did not become healthy (2)"));
    assertThat(PlatformEvents.distinctReasons(events)).extracting(PlatformEvents.Event::message)
        .containsExactly("identity did not become healthy", "upgrading webos");
  }

  @Test
  void aDegradedReasonThatStaysMakesNoNewEventWhateverItsMessageSays() {
    var before = status("True", "True", "ObjectConflict");
    var after = status("True", "True", "ObjectConflict");
    after.getConditions().stream().filter(c -> "Degraded".equals(c.getType())).findFirst().orElseThrow()
        .setMessage("another wording of the same conflict");
    assertThat(PlatformEvents.between(before, after)).isEmpty();
  }
}
