package dev.atrium.operator.platform;

import dev.atrium.api.v1alpha1.CollaborationPlatformStatus;
import dev.atrium.api.v1alpha1.ComponentStatus;
import dev.atrium.api.v1alpha1.EndpointsStatus;
import dev.atrium.api.v1alpha1.UpgradeStatus;
import dev.atrium.operator.hibernation.Hibernation;
import dev.atrium.operator.model.ConditionReason;
import dev.atrium.operator.upgrade.UpgradePhase;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Builds the platform's status, the only place that does: conditions Ready, Progressing and
 * Degraded with CamelCase reasons, and a lastTransitionTime that moves only when a condition's
 * status changes. Pure, given the clock.
 */
public final class StatusAggregator {

  public static final String READY = "Ready";
  public static final String PROGRESSING = "Progressing";
  public static final String DEGRADED = "Degraded";

  /** A problem that makes the platform Degraded: a reason and a message a person can act on. */
  public record Problem(ConditionReason reason, String message) {
  }

  private final Clock clock;

  public StatusAggregator(Clock clock) {
    this.clock = clock;
  }

  /**
   * @param previous the status as it is now (may be null)
   * @param components each component's health; empty when nothing could be computed
   * @param problem why the platform is Degraded, or null
   */
  public CollaborationPlatformStatus aggregate(CollaborationPlatformStatus previous, long generation,
      List<ComponentStatus> components, String version, String portal, Problem problem) {
    return aggregate(previous, generation, components, version, portal, problem, null);
  }

  /**
   * As above; {@code restoring}, when not null, is what a restore still does (the buckets being refilled): the
   * platform is not Ready until it is done, however ready its components are.
   */
  public CollaborationPlatformStatus aggregate(CollaborationPlatformStatus previous, long generation,
      List<ComponentStatus> components, String version, String portal, Problem problem, String restoring) {
    CollaborationPlatformStatus status = new CollaborationPlatformStatus();
    status.setObservedGeneration(generation);
    status.setComponents(new ArrayList<>(components));
    long ready = components.stream().filter(c -> Boolean.TRUE.equals(c.getReady())).count();
    boolean componentsReady = !components.isEmpty() && ready == components.size();
    boolean allReady = componentsReady && restoring == null;
    status.setReadyComponents(components.isEmpty() ? null : ready + "/" + components.size());
    // the running version only moves once every component runs it
    status.setVersion(componentsReady && problem == null ? version : previous == null ? null : previous.getVersion());
    if (portal != null) {
      EndpointsStatus endpoints = new EndpointsStatus();
      endpoints.setPortal(portal);
      status.setEndpoints(endpoints);
    }
    String notReady = components.stream().filter(c -> !Boolean.TRUE.equals(c.getReady()))
        .map(c -> c.getName() + " " + c.getReadyReplicas() + "/" + c.getDesiredReplicas())
        .collect(Collectors.joining(", "));

    List<Condition> previousConditions = previous == null ? List.of() : previous.getConditions();
    List<Condition> conditions = new ArrayList<>();
    if (allReady) {
      conditions.add(condition(previousConditions, READY, true, ConditionReason.ALL_COMPONENTS_READY,
          "All " + components.size() + " components are Ready", generation));
    } else if (componentsReady) {
      conditions.add(condition(previousConditions, READY, false, ConditionReason.RESTORING_DATA,
          "All " + components.size() + " components are Ready; " + restoring, generation));
    } else if (components.isEmpty()) {
      conditions.add(condition(previousConditions, READY, false,
          problem == null ? ConditionReason.PENDING : problem.reason(),
          problem == null ? "Nothing deployed yet" : problem.message(), generation));
    } else {
      conditions.add(condition(previousConditions, READY, false, ConditionReason.COMPONENTS_NOT_READY,
          ready + " of " + components.size() + " components Ready; waiting for " + notReady, generation));
    }
    boolean progressing = !allReady && problem == null;
    // with a problem nothing rolls out, whatever the components look like; say so rather than "Stable"
    conditions.add(condition(previousConditions, PROGRESSING, progressing,
        progressing ? ConditionReason.ROLLING_OUT : problem == null ? ConditionReason.STABLE : ConditionReason.HALTED,
        progressing ? "Rolling out: waiting for " + (notReady.isEmpty() ? restoring : notReady)
            : problem == null ? "Every component runs release " + version
            : "Nothing rolls out until the Degraded condition's problem is fixed",
        generation));
    conditions.add(problem == null
        ? condition(previousConditions, DEGRADED, false, ConditionReason.AS_EXPECTED, "No problem found", generation)
        : condition(previousConditions, DEGRADED, true, problem.reason(), problem.message(), generation));
    status.setConditions(conditions);
    status.setPhase(problem != null ? DEGRADED : allReady ? READY : components.stream()
        .allMatch(c -> Objects.equals(c.getDesiredReplicas(), 0)) ? "Pending" : PROGRESSING);
    return status;
  }

  private Condition condition(List<Condition> previous, String type, boolean value, ConditionReason reason,
      String message, long generation) {
    return condition(previous, type, value, reason.token(), message, generation, clock);
  }

  /**
   * Adds what the upgrade orchestrator decided: the upgrade's story, the version every component runs,
   * and, while components are still moving (or wait between two), Progressing=True and phase Upgrading.
   */
  public void upgrade(CollaborationPlatformStatus status, CollaborationPlatformStatus previous, UpgradeStatus upgrade,
      String runningVersion, long generation) {
    status.setUpgrade(upgrade);
    if (runningVersion != null) {
      status.setVersion(runningVersion);
    }
    UpgradePhase phase = upgrade == null ? null : UpgradePhase.of(upgrade.getPhase()).orElse(null);
    if (phase != UpgradePhase.PROGRESSING && phase != UpgradePhase.PAUSED) {
      return;
    }
    boolean paused = phase == UpgradePhase.PAUSED;
    String message = (paused ? "Upgrade paused" : "Upgrading") + " from " + upgrade.getFromVersion() + " to "
        + upgrade.getToVersion() + (upgrade.getComponent() == null ? ""
        : ": " + upgrade.getComponent() + (upgrade.getStep() == null ? "" : " (" + upgrade.getStep() + ")"))
        + (upgrade.getCompleted().isEmpty() ? "" : "; done: " + String.join(", ", upgrade.getCompleted()));
    List<Condition> previousConditions = previous == null ? List.of() : previous.getConditions();
    List<Condition> conditions = new ArrayList<>();
    for (Condition c : status.getConditions()) {
      conditions.add(PROGRESSING.equals(c.getType()) ? condition(previousConditions, PROGRESSING, true,
          paused ? ConditionReason.UPGRADE_PAUSED : ConditionReason.UPGRADING, message, generation) : c);
    }
    status.setConditions(conditions);
    if (!DEGRADED.equals(status.getPhase())) {
      status.setPhase("Upgrading");
    }
  }

  /**
   * Adds where the platform is between awake and asleep (spec.hibernate): phase Hibernating, Hibernated or Waking,
   * Ready=False with that reason (a sleeping platform's components all have what they ask for, zero pods, which is
   * not ready to serve anyone), and Progressing=True while pods stop or start. Waiting for an upgrade step to end
   * says so in Progressing only. Nothing changes while awake or Degraded, whose problem comes first.
   */
  public void hibernation(CollaborationPlatformStatus status, CollaborationPlatformStatus previous,
      Hibernation.Plan plan, long generation) {
    if (plan == null || plan.stage() == Hibernation.Stage.AWAKE || DEGRADED.equals(status.getPhase())) {
      return;
    }
    List<Condition> previousConditions = previous == null ? List.of() : previous.getConditions();
    ConditionReason reason = switch (plan.stage()) {
      case HIBERNATING -> ConditionReason.HIBERNATING;
      case HIBERNATED -> ConditionReason.HIBERNATED;
      case WAKING -> ConditionReason.WAKING;
      default -> ConditionReason.HIBERNATION_WAITS_FOR_UPGRADE;
    };
    boolean waitsForUpgrade = reason == ConditionReason.HIBERNATION_WAITS_FOR_UPGRADE;
    List<Condition> conditions = new ArrayList<>();
    for (Condition c : status.getConditions()) {
      if (READY.equals(c.getType()) && !waitsForUpgrade) {
        conditions.add(condition(previousConditions, READY, false, reason, plan.message(), generation));
      } else if (PROGRESSING.equals(c.getType())) {
        conditions.add(condition(previousConditions, PROGRESSING, plan.stage() != Hibernation.Stage.HIBERNATED,
            reason, plan.message(), generation));
      } else {
        conditions.add(c);
      }
    }
    status.setConditions(conditions);
    if (!waitsForUpgrade) {
      status.setPhase(reason.token());
    }
  }

  /**
   * A standard condition; its lastTransitionTime is kept from {@code previous} while its status stays,
   * so that an unchanged condition never makes a status patch.
   */
  public static Condition condition(List<Condition> previous, String type, boolean value, String reason,
      String message, long generation, Clock clock) {
    String status = value ? "True" : "False";
    String since = previous.stream()
        .filter(c -> type.equals(c.getType()) && status.equals(c.getStatus()))
        .map(Condition::getLastTransitionTime)
        .filter(Objects::nonNull)
        .findFirst()
        .orElseGet(() -> DateTimeFormatter.ISO_INSTANT.format(Instant.now(clock).truncatedTo(ChronoUnit.SECONDS)));
    return new ConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message)
        .withObservedGeneration(generation).withLastTransitionTime(since).build();
  }
}
