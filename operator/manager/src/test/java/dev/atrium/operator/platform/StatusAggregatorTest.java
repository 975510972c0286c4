package dev.atrium.operator.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrium.api.v1alpha1.CollaborationPlatformStatus;
import dev.atrium.api.v1alpha1.ComponentStatus;
import dev.atrium.operator.hibernation.Hibernation;
import dev.atrium.operator.model.Component;
import dev.atrium.operator.model.ConditionReason;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The platform's status: conditions, phase, version and when each condition last changed. */
class StatusAggregatorTest {

  private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
  private static final Instant T1 = Instant.parse("2025-03-01T10:05:30.250Z");
  private static final String PORTAL = "http://collab.acme.example/";
  /** Kubernetes API conventions: a reason is a CamelCase token, machine-readable. */
  private static final String CAMEL_CASE = "^[A-Z][A-Za-z0-9]*$";

  private final StatusAggregator atT0 = new StatusAggregator(Clock.fixed(T0, ZoneOffset.UTC));
  private final StatusAggregator atT1 = new StatusAggregator(Clock.fixed(T1, ZoneOffset.UTC));

  @Test
  void allComponentsReadyMeansReadyAndStable() {
    CollaborationPlatformStatus status = atT0.aggregate(null, 3, components(Map.of()), "1.0.0", PORTAL, null);

    assertCondition(status, "Ready", "True", "AllComponentsReady");
    assertCondition(status, "Progressing", "False", "Stable");
    assertCondition(status, "Degraded", "False", "AsExpected");
    assertThat(status.getConditions()).extracting(Condition::getType)
        .containsExactly("Ready", "Progressing", "Degraded");
    assertThat(status.getConditions()).allSatisfy(c -> {
      assertThat(c.getObservedGeneration()).isEqualTo(3L);
      assertThat(c.getLastTransitionTime()).isEqualTo("2025-03-01T10:00:00Z");
    });
    assertThat(status.getPhase()).isEqualTo("Ready");
    assertThat(status.getReadyComponents()).isEqualTo("7/7");
    assertThat(status.getVersion()).isEqualTo("1.0.0");
    assertThat(status.getObservedGeneration()).isEqualTo(3L);
    assertThat(status.getEndpoints().getPortal()).isEqualTo(PORTAL);
    assertThat(status.getComponents()).hasSize(7);
  }

  @Test
  void aRestoreStillRefillingItsBucketsKeepsEveryReadyComponentFromMakingThePlatformReady() {
    CollaborationPlatformStatus status = atT0.aggregate(null, 1, components(Map.of()), "1.0.0", PORTAL, null,
        "the buckets are being refilled from backup acme-nightly");

    Condition ready = assertCondition(status, "Ready", "False", "RestoringData");
    assertThat(ready.getMessage()).isEqualTo("All 7 components are Ready; the buckets are being refilled from "
        + "backup acme-nightly");
    assertCondition(status, "Progressing", "True", "RollingOut");
    assertThat(status.getPhase()).isEqualTo("Progressing");
    assertThat(status.getReadyComponents()).isEqualTo("7/7");
    // the components run the release: that stays true while the data comes back
    assertThat(status.getVersion()).isEqualTo("1.0.0");
  }

  @Test
  void componentsNotReadyAreNamedInTheReadyCondition() {
    CollaborationPlatformStatus status = atT0.aggregate(null, 1,
        components(Map.of(Component.WEBOS, 1, Component.CACHE, 0)), "1.0.0", PORTAL, null);

    Condition ready = assertCondition(status, "Ready", "False", "ComponentsNotReady");
    assertThat(ready.getMessage()).contains("webos", "cache")
        .doesNotContain("identity", "database", "netdisk", "objectStore", "messageCenter");
    assertCondition(status, "Progressing", "True", "RollingOut");
    assertCondition(status, "Degraded", "False", "AsExpected");
    assertThat(status.getPhase()).isEqualTo("Progressing");
    assertThat(status.getReadyComponents()).isEqualTo("5/7");
    // nothing runs the release everywhere yet, so no version is claimed
    assertThat(status.getVersion()).isNull();
  }

  @Test
  void anUpgradeInProgressKeepsTheVersionThatRuns() {
    CollaborationPlatformStatus running = atT0.aggregate(null, 1, components(Map.of()), "1.0.0", PORTAL, null);

    CollaborationPlatformStatus upgrading = atT1.aggregate(running, 2,
        components(Map.of(Component.DATABASE, 1)), "1.1.0", PORTAL, null);

    assertThat(upgrading.getVersion()).isEqualTo("1.0.0");
    assertThat(atT1.aggregate(upgrading, 2, components(Map.of()), "1.1.0", PORTAL, null).getVersion())
        .isEqualTo("1.1.0");
  }

  @Test
  void aProblemMakesThePlatformDegradedAndKeepsTheRunningVersion() {
    CollaborationPlatformStatus running = atT0.aggregate(null, 1, components(Map.of()), "1.0.0", PORTAL, null);
    var problem = new StatusAggregator.Problem(ConditionReason.UNKNOWN_VERSION, "Release 9.9.9 is not known to this operator");

    // the components still run 1.0.0 and are all Ready; the spec asks for a release that cannot be had
    CollaborationPlatformStatus status = atT1.aggregate(running, 2, components(Map.of()), "9.9.9", PORTAL, problem);

    Condition degraded = assertCondition(status, "Degraded", "True", "UnknownVersion");
    assertThat(degraded.getMessage()).isEqualTo(problem.message());
    assertThat(condition(status, "Progressing").getStatus()).isEqualTo("False");
    assertThat(status.getPhase()).isEqualTo("Degraded");
    assertThat(status.getVersion()).isEqualTo("1.0.0");
    assertThat(status.getObservedGeneration()).isEqualTo(2L);
  }

  @Test
  void aProblemDuringARolloutHaltsIt() {
    CollaborationPlatformStatus running = atT0.aggregate(null, 1, components(Map.of()), "1.0.0", PORTAL, null);
    var problem = new StatusAggregator.Problem(ConditionReason.APPLY_FAILED, "The API server refused a change: quota exceeded");

    CollaborationPlatformStatus status = atT1.aggregate(running, 2,
        components(Map.of(Component.IDENTITY, 1)), "1.1.0", PORTAL, problem);

    assertCondition(status, "Degraded", "True", "ApplyFailed");
    assertCondition(status, "Progressing", "False", "Halted");
    assertCondition(status, "Ready", "False", "ComponentsNotReady");
    assertThat(status.getPhase()).isEqualTo("Degraded");
    assertThat(status.getVersion()).isEqualTo("1.0.0");
  }

  @Test
  void aProblemBeforeAnythingIsDeployedIsTheReasonNothingIsReady() {
    var problem = new StatusAggregator.Problem(ConditionReason.MISSING_SECRET, "spec.identity.ldap.bindSecretName names Secret 'x'");

    CollaborationPlatformStatus status = atT0.aggregate(null, 1, List.of(), "1.0.0", PORTAL, problem);

    Condition ready = assertCondition(status, "Ready", "False", "MissingSecret");
    assertThat(ready.getMessage()).isEqualTo(problem.message());
    assertCondition(status, "Degraded", "True", "MissingSecret");
    assertThat(status.getPhase()).isEqualTo("Degraded");
    assertThat(status.getReadyComponents()).isNull();
    assertThat(status.getVersion()).isNull();
  }

  @Test
  void nothingDeployedAndNoProblemIsPending() {
    CollaborationPlatformStatus status = atT0.aggregate(null, 1, List.of(), "1.0.0", PORTAL, null);

    assertCondition(status, "Ready", "False", "Pending");
    assertThat(status.getPhase()).isEqualTo("Pending");
  }

  @Test
  void lastTransitionTimeMovesOnlyWhenAConditionsStatusChanges() {
    CollaborationPlatformStatus ready = atT0.aggregate(null, 1, components(Map.of()), "1.0.0", PORTAL, null);

    // later, one component loses a pod: Ready and Progressing flip, Degraded stays False
    CollaborationPlatformStatus rolling = atT1.aggregate(ready, 2,
        components(Map.of(Component.NETDISK, 1)), "1.0.0", PORTAL, null);

    assertThat(condition(rolling, "Ready").getLastTransitionTime()).isEqualTo("2025-03-01T10:05:30Z");
    assertThat(condition(rolling, "Progressing").getLastTransitionTime()).isEqualTo("2025-03-01T10:05:30Z");
    assertThat(condition(rolling, "Degraded").getLastTransitionTime()).isEqualTo("2025-03-01T10:00:00Z");

    // a new message or reason with the same status is not a transition
    CollaborationPlatformStatus stillRolling = atT1.aggregate(rolling, 3,
        components(Map.of(Component.NETDISK, 0, Component.WEBOS, 1)), "1.0.0", PORTAL, null);
    assertThat(condition(stillRolling, "Ready").getMessage()).isNotEqualTo(condition(rolling, "Ready").getMessage());
    assertThat(stillRolling.getConditions()).extracting(Condition::getLastTransitionTime)
        .containsExactlyElementsOf(rolling.getConditions().stream().map(Condition::getLastTransitionTime).toList());
  }

  @Test
  void anUnchangedPlatformGetsAnIdenticalStatus() {
    // the reconciler skips the status write when nothing changed; that needs equal input to give equal output
    CollaborationPlatformStatus first = atT0.aggregate(null, 1, components(Map.of()), "1.0.0", PORTAL, null);
    CollaborationPlatformStatus again = atT1.aggregate(first, 1, components(Map.of()), "1.0.0", PORTAL, null);

    assertThat(Serialization.asJson(again))
        .isEqualTo(Serialization.asJson(first));
  }

  @Test
  void everyReasonIsACamelCaseToken() {
    CollaborationPlatformStatus ready = atT0.aggregate(null, 1, components(Map.of()), "1.0.0", PORTAL, null);
    List<CollaborationPlatformStatus> statuses = Stream.of(
        ready,
        atT0.aggregate(null, 1, List.of(), "1.0.0", PORTAL, null),
        atT0.aggregate(null, 1, components(Map.of(Component.IDENTITY, 0)), "1.0.0", PORTAL, null),
        atT0.aggregate(ready, 1, components(Map.of()), "9.9.9", PORTAL,
            new StatusAggregator.Problem(ConditionReason.UNKNOWN_VERSION, "unknown")),
        atT0.aggregate(null, 1, List.of(), "1.0.0", PORTAL, new StatusAggregator.Problem(ConditionReason.MISSING_SECRET, "missing")),
        atT0.aggregate(ready, 1, components(Map.of(Component.CACHE, 2)), "1.0.0", PORTAL,
            new StatusAggregator.Problem(ConditionReason.APPLY_FAILED, "refused"))).toList();

    assertThat(statuses).flatExtracting(CollaborationPlatformStatus::getConditions).allSatisfy(c -> {
      assertThat(c.getReason()).as("%s reason", c.getType()).matches(CAMEL_CASE);
      assertThat(c.getStatus()).as("%s status", c.getType()).isIn("True", "False");
      assertThat(c.getMessage()).as("%s message", c.getType()).isNotBlank();
    });
    assertThat(statuses).extracting(CollaborationPlatformStatus::getPhase)
        .allSatisfy(phase -> assertThat(phase).isIn(Set.of("Pending", "Progressing", "Ready", "Degraded")));
  }

  // --- helpers

  /** One status per component, every one Ready at full strength except those given with their ready pods. */
  private static List<ComponentStatus> components(Map<Component, Integer> readyPods) {
    return Arrays.stream(Component.values()).map(component -> {
      int desired = component == Component.OBJECT_STORE ? 4 : component == Component.CACHE ? 3 : 2;
      int ready = readyPods.getOrDefault(component, desired);
      ComponentStatus status = new ComponentStatus();
      status.setName(component.specField());
      status.setDesiredReplicas(desired);
      status.setReadyReplicas(ready);
      status.setReady(ready == desired);
      status.setImage("registry.atrium.dev/atrium/" + component.id() + ":1.0.0");
      status.setVersion("1.0.0");
      return status;
    }).toList();
  }

  private static Condition condition(CollaborationPlatformStatus status, String type) {
    return status.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst()
        .orElseThrow(() -> new AssertionError("no condition " + type));
  }

  private static Condition assertCondition(CollaborationPlatformStatus status, String type, String value,
      String reason) {
    Condition condition = condition(status, type);
    assertThat(condition.getStatus()).as("%s status", type).isEqualTo(value);
    assertThat(condition.getReason()).as("%s reason", type).isEqualTo(reason);
    return condition;
  }

  @Test
  void aSleepingPlatformIsHibernatedNotReadyAndNotProgressing() {
    List<ComponentStatus> asleep = components(Map.of()).stream().peek(c -> {
      c.setDesiredReplicas(0);
      c.setReadyReplicas(0);
    }).toList();
    CollaborationPlatformStatus status = atT0.aggregate(null, 4, asleep, "1.0.0", PORTAL, null);

    atT0.hibernation(status, null, new Hibernation.Plan(Hibernation.Stage.HIBERNATED, Set.of(Component.values()),
        "Hibernated: no pod runs"), 4);

    // every component has the zero pods it asks for, which serves nobody: not Ready
    assertCondition(status, "Ready", "False", "Hibernated");
    assertCondition(status, "Progressing", "False", "Hibernated");
    assertCondition(status, "Degraded", "False", "AsExpected");
    assertThat(status.getPhase()).isEqualTo("Hibernated");
    assertThat(status.getVersion()).isEqualTo("1.0.0");
  }

  @Test
  void goingToSleepAndWakingAreProgressWithTheirOwnReasons() {
    for (var stage : List.of(Hibernation.Stage.HIBERNATING, Hibernation.Stage.WAKING)) {
      CollaborationPlatformStatus status = atT0.aggregate(null, 1, components(Map.of(Component.WEBOS, 0)), "1.0.0",
          PORTAL, null);
      atT0.hibernation(status, null, new Hibernation.Plan(stage, Set.of(Component.WEBOS), "why"), 1);

      String reason = stage == Hibernation.Stage.WAKING ? "Waking" : "Hibernating";
      assertCondition(status, "Ready", "False", reason);
      assertCondition(status, "Progressing", "True", reason);
      assertThat(status.getPhase()).isEqualTo(reason);
    }
  }

  @Test
  void aProblemOutranksHibernationAndWaitingForAnUpgradeOnlySaysSoInProgressing() {
    var problem = new StatusAggregator.Problem(ConditionReason.MISSING_SECRET, "Secret x is missing");
    CollaborationPlatformStatus degraded = atT0.aggregate(null, 1, components(Map.of()), "1.0.0", PORTAL, problem);
    atT0.hibernation(degraded, null, new Hibernation.Plan(Hibernation.Stage.HIBERNATING, Set.of(), "why"), 1);
    assertThat(degraded.getPhase()).isEqualTo("Degraded");
    assertCondition(degraded, "Ready", "True", "AllComponentsReady");

    CollaborationPlatformStatus upgrading = atT0.aggregate(null, 1, components(Map.of()), "1.0.0", PORTAL, null);
    atT0.hibernation(upgrading, null, new Hibernation.Plan(Hibernation.Stage.WAITING_FOR_UPGRADE, Set.of(),
        "Hibernation waits"), 1);
    assertCondition(upgrading, "Ready", "True", "AllComponentsReady");
    assertCondition(upgrading, "Progressing", "True", "HibernationWaitsForUpgrade");
  }

  @Test
  void progressingNeverClaimsAReleaseThatDoesNotRun() {
    CollaborationPlatformStatus running = atT0.aggregate(null, 1, components(Map.of()), "1.0.0", PORTAL, null);
    var problem = new StatusAggregator.Problem(ConditionReason.UNKNOWN_VERSION, "Release 9.9.9 is not known to this operator");

    // every component still runs 1.0.0: the spec asks for 9.9.9, which the operator cannot roll out
    CollaborationPlatformStatus status = atT1.aggregate(running, 2, components(Map.of()), "9.9.9", PORTAL, problem);

    assertThat(status.getVersion()).isEqualTo("1.0.0");
    assertThat(condition(status, "Progressing").getReason()).isEqualTo("Halted");
    assertThat(condition(status, "Progressing").getMessage()).doesNotContain("9.9.9");
  }
}
