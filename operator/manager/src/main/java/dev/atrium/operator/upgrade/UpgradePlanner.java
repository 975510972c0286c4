package dev.atrium.operator.upgrade;

import dev.atrium.api.v1alpha1.CollaborationPlatform;
import dev.atrium.api.v1alpha1.CollaborationPlatformSpec;
import dev.atrium.api.v1alpha1.CollaborationPlatformStatus;
import dev.atrium.api.v1alpha1.RollbackPolicy;
import dev.atrium.api.v1alpha1.UpgradeSpec;
import dev.atrium.api.v1alpha1.UpgradeStatus;
import dev.atrium.operator.model.Component;
import dev.atrium.operator.model.ConditionReason;
import dev.atrium.operator.release.Release;
import dev.atrium.operator.release.ReleaseCatalog;
import dev.atrium.operator.upgrade.UpgradeEvent.Reason;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Decides each step of a rolling platform upgrade: which release every component runs now, the
 * database's partition, and the new status.upgrade. A pure function of its arguments: everything it
 * needs between calls is in the platform (spec, metadata.generation, status.upgrade and the Degraded
 * condition) and in the workloads, so a restarted operator carries on where the last one stopped.
 * Phases and steps are {@link UpgradePhase} and {@link UpgradeStep}, written into status.upgrade by
 * their tokens; problems are {@link ConditionReason}s, events {@link UpgradeEvent}s.
 *
 * <p><b>Switched-off components.</b> Only the components the platform runs ({@link
 * Component#enabledIn}: data stores always, services unless {@code enabled: false}) take part: a
 * switched-off component is not waited for, not upgraded step by step, and the versions its workload
 * may still show do not count as versions the platform runs. It is given the target in {@code
 * versions()} whatever happens, so that when it is switched on again it starts on spec.version.
 * The order of an upgrade, its messages, status.upgrade.completed and the progress count ("n of m
 * components done") cover the enabled components only; a component switched off mid-upgrade drops
 * out of completed, and the upgrade goes on without it.
 *
 * <p>Evaluated in this order ({@code target} = spec.version, {@code running} = status.version,
 * {@code U} = status.upgrade):
 * <ol>
 *   <li><b>Under way</b>: U.toVersion = target and U has not Succeeded: continue it (below).</li>
 *   <li><b>First install</b>: running is null: every component at target; runningVersion becomes
 *       target once the workload of every enabled component shows it and is healthy.</li>
 *   <li><b>Rollback</b>: U has not Succeeded and U.fromVersion = target (spec.version was set back):
 *       a new upgrade from U.toVersion to target starts, without consulting upgradeFrom.</li>
 *   <li><b>Steady</b>: running = target: every component at target, U kept as it is.</li>
 *   <li><b>Start</b>: allowed when the target release upgrades from running and from every other
 *       version the workload of an enabled component runs (a halted upgrade leaves a mix); otherwise
 *       {@code UpgradeNotAllowed} and nothing changes. A version to be kept whose release is missing
 *       from the catalog gives {@code SourceReleaseMissing} and nothing changes.</li>
 * </ol>
 *
 * <p><b>A refusal is announced once.</b> UpgradeNotAllowed and SourceReleaseMissing come with a
 * Warning event only when they are new. A refusal is identified by its reason and the move it
 * refuses: from the versions the platform runs to spec.version. While refused nothing moves, so the
 * versions it runs stay as they were; spec.version can only change with metadata.generation. The
 * refusal is therefore known, and not announced again, when the given status already has
 * Degraded=True with the same reason and that condition's observedGeneration is the platform's
 * metadata.generation. Any change of spec.version (another target: another refusal, even for the
 * same reason) makes the generation differ and gives one new Warning. The message is not compared,
 * so callers may word the condition as they like. Limits: another edit of the spec while refused
 * repeats the Warning once, and a different release going missing at the same generation is not
 * announced again (the Degraded message still names it).
 *
 * <p>An upgrade goes one component at a time. A forward upgrade (the target release upgrades from
 * U.fromVersion) follows the target release's order; a return to an earlier version (a rollback)
 * follows the order of the release it leaves, reversed, so the component that failed goes back
 * first and the data stores last. Components before the current one run the target, those after it
 * keep what their workload runs (or U.fromVersion when it does not exist). The current component:
 * <ul>
 *   <li>not yet started (not recorded in U with a stepStartedAt): if its workload already runs the
 *       target and is healthy, nothing was changed and it is done at once; else, if spec.upgrade.paused,
 *       phase Paused (Normal UpgradePaused when new), nothing moves; else it is put at the target,
 *       step Rollout (database: Replicas with partition 1 when it has more than one replica, else
 *       Primary), stepStartedAt = now.</li>
 *   <li>Database Replicas: once the StatefulSet shows partition 1, the target version and healthy, step
 *       Primary with partition 0 and a new stepStartedAt.</li>
 *   <li>healthy on the target (database: partition 0): healthySince is recorded, step Soak; done when
 *       healthy for the release's soak (Normal ComponentUpgraded), and the next starts in the same call.
 *       Falling unhealthy clears healthySince.</li>
 *   <li>not healthy at stepStartedAt + the release's stepTimeout: with rollback Manual, or when the
 *       upgrade is itself a rollback, phase Halted ({@code UpgradeHalted}); with Automatic, the component
 *       returns to U.fromVersion at once, phase RolledBack ({@code UpgradeRolledBack}). Either stays so
 *       until spec.version changes: no later component is started, no retry. Both emit one Warning, when
 *       the phase is reached.</li>
 * </ul>
 * All components done: phase Succeeded, runningVersion = target. While under way runningVersion is
 * status.version unchanged (the version the whole platform last ran). recheckAfter is the end of
 * the soak or the step deadline. databasePartition is 1 only during (or halted in) the database's
 * Replicas step. A recorded phase this operator does not know is read as Progressing, an unknown
 * step as none.
 */
public final class UpgradePlanner {

  private static final String DEGRADED = "Degraded";

  private UpgradePlanner() {
  }

  /**
   * The decision for one reconcile of {@code platform}: its spec, metadata.generation and status
   * (which is never changed) against the releases in the cluster and what its workloads show.
   *
   * @param observed each component's workload as the cluster shows it; a component without a workload is absent
   * @throws IllegalArgumentException when spec.version is not in the catalog (the caller reports that first)
   */
  public static UpgradeDecision plan(CollaborationPlatform platform, ReleaseCatalog catalog,
      Map<Component, WorkloadState> observed, Instant now) {
    return plan(platform, catalog, observed, now, BackupGate.notNeeded());
  }

  /**
   * As above, with the pre-upgrade backup: while {@code gate} holds, a forward upgrade whose first component has
   * not started waits before it, phase Paused, its message naming the backup; a failed backup makes the platform
   * Degraded ({@link ConditionReason#UPGRADE_BACKUP_FAILED}) with what stands still applied.
   */
  public static UpgradeDecision plan(CollaborationPlatform platform, ReleaseCatalog catalog,
      Map<Component, WorkloadState> observed, Instant now, BackupGate gate) {
    CollaborationPlatformSpec spec = platform.getSpec();
    CollaborationPlatformStatus status = platform.getStatus();
    Long generation = platform.getMetadata() == null ? null : platform.getMetadata().getGeneration();
    Map<Component, WorkloadState> workloads = observed == null ? Map.of() : observed;
    String target = spec.getVersion();
    Release targetRelease = catalog.find(target)
        .orElseThrow(() -> new IllegalArgumentException("release " + target + " is not in the catalog"));
    UpgradeStatus recorded = status == null ? null : status.getUpgrade();
    String running = status == null ? null : status.getVersion();
    if (running == null && recorded != null) {
      running = recorded.getFromVersion();
    }
    boolean unfinished = recorded != null && phaseOf(recorded) != UpgradePhase.SUCCEEDED;
    Context context = new Context(spec, generation, status, catalog, workloads, now, targetRelease, running, gate);

    if (unfinished && target.equals(recorded.getToVersion())) {
      return context.resume(copy(recorded));
    }
    if (running == null) {
      return context.firstInstall();
    }
    if (unfinished && target.equals(recorded.getFromVersion()) && recorded.getToVersion() != null) {
      return context.start(recorded.getToVersion(), true);
    }
    if (target.equals(running)) {
      return context.steady(recorded == null ? null : copy(recorded));
    }
    return context.start(running, false);
  }

  /** One call's inputs and what it has decided so far. */
  private static final class Context {
    private final CollaborationPlatformSpec spec;
    private final Long generation;
    private final CollaborationPlatformStatus status;
    private final ReleaseCatalog catalog;
    private final Map<Component, WorkloadState> observed;
    private final Instant now;
    private final Release target;
    private final String running;
    /** The components the platform runs, in declaration order; the others take no part. */
    private final List<Component> enabled;
    private final BackupGate gate;

    private final Map<Component, String> versions = new EnumMap<>(Component.class);
    private final List<UpgradeEvent> events = new ArrayList<>();
    private int partition;
    private Duration recheck;
    private ConditionReason problemReason;
    private String problemMessage;

    Context(CollaborationPlatformSpec spec, Long generation, CollaborationPlatformStatus status,
        ReleaseCatalog catalog, Map<Component, WorkloadState> observed, Instant now, Release target,
        String running, BackupGate gate) {
      this.spec = spec;
      this.generation = generation;
      this.status = status;
      this.catalog = catalog;
      this.observed = observed;
      this.now = now;
      this.target = target;
      this.running = running;
      this.enabled = Component.enabled(spec);
      this.gate = gate;
    }

    UpgradeDecision firstInstall() {
      boolean allRunIt = true;
      for (Component component : enabled) {
        versions.put(component, target.version());
        WorkloadState workload = observed.get(component);
        allRunIt &= workload != null && target.version().equals(workload.version()) && workload.healthy();
      }
      return decision(allRunIt ? target.version() : null, null);
    }

    UpgradeDecision steady(UpgradeStatus upgrade) {
      for (Component component : enabled) {
        versions.put(component, target.version());
      }
      return decision(target.version(), upgrade);
    }

    /** A new upgrade from {@code from} to the target; {@code rollback} when spec.version was set back. */
    UpgradeDecision start(String from, boolean rollback) {
      if (!rollback) {
        Set<String> sources = new LinkedHashSet<>();
        sources.add(from);
        for (Component component : enabled) {
          WorkloadState workload = observed.get(component);
          if (workload != null && workload.version() != null && !workload.version().equals(target.version())) {
            sources.add(workload.version());
          }
        }
        for (String source : sources) {
          if (!target.upgradesFrom(source)) {
            return refuse(ConditionReason.UPGRADE_NOT_ALLOWED, notAllowed(source, from));
          }
        }
      }
      if (catalog.find(from).isEmpty()) {
        return refuse(ConditionReason.SOURCE_RELEASE_MISSING, sourceMissing(from));
      }
      UpgradeStatus upgrade = new UpgradeStatus();
      upgrade.setFromVersion(from);
      upgrade.setToVersion(target.version());
      setPhase(upgrade, UpgradePhase.PROGRESSING);
      upgrade.setStartedAt(now.toString());
      upgrade.setCompleted(new ArrayList<>());
      String order = order(upgrade).stream().map(Component::specField).collect(Collectors.joining(", "));
      events.add(rollback
          ? new UpgradeEvent(Reason.ROLLBACK_STARTED, "spec.version was set back: returning from " + from + " to "
              + target.version() + ", one component at a time: " + order)
          : new UpgradeEvent(Reason.UPGRADE_STARTED, "upgrading from " + from + " to " + target.version()
              + ", one component at a time: " + order));
      return resume(upgrade);
    }

    /** Continues an upgrade toward the target; {@code upgrade} is a copy this call may change. */
    UpgradeDecision resume(UpgradeStatus upgrade) {
      String from = upgrade.getFromVersion();
      if (from == null || catalog.find(from).isEmpty()) {
        return refuse(ConditionReason.SOURCE_RELEASE_MISSING, sourceMissing(from));
      }
      if (upgrade.getCompleted() == null) {
        upgrade.setCompleted(new ArrayList<>());
      }
      if (phaseOf(upgrade) == null) {
        setPhase(upgrade, UpgradePhase.PROGRESSING);
      }
      List<Component> order = order(upgrade);
      // a component switched off since it was done no longer counts
      upgrade.getCompleted().removeIf(name -> order.stream().noneMatch(c -> c.specField().equals(name)));
      if (phaseOf(upgrade).stopped()) {
        return stopped(upgrade, order);
      }
      for (int i = 0; i < order.size(); i++) {
        Component component = order.get(i);
        if (upgrade.getCompleted().contains(component.specField())) {
          versions.put(component, target.version());
          continue;
        }
        if (step(upgrade, component, order, i)) {
          upgrade.getCompleted().add(component.specField());
          versions.put(component, target.version());
          clearStep(upgrade);
          continue;
        }
        for (int j = i + 1; j < order.size(); j++) {
          versions.put(order.get(j), kept(order.get(j), upgrade));
        }
        return checked(decision(running, upgrade));
      }
      setPhase(upgrade, UpgradePhase.SUCCEEDED);
      clearStep(upgrade);
      upgrade.setFinishedAt(now.toString());
      upgrade.setMessage((returning(upgrade) ? "returned from " : "upgraded from ") + from + " to "
          + target.version());
      events.add(new UpgradeEvent(Reason.UPGRADE_SUCCEEDED, "every component runs " + target.version() + " ("
          + upgrade.getMessage() + ")"));
      return checked(decision(target.version(), upgrade));
    }

    /**
     * Moves the current component on; true when it is done (on the target, healthy and soaked).
     */
    private boolean step(UpgradeStatus upgrade, Component component, List<Component> order, int index) {
      WorkloadState workload = observed.get(component);
      String to = target.version();
      Instant stepStarted = component.specField().equals(upgrade.getComponent())
          ? parse(upgrade.getStepStartedAt()) : null;
      if (stepStarted == null) {
        if (healthyOnTarget(component, workload)) {
          return true; // it already ran the target: nothing of it was changed, nothing to gate
        }
        if (waitsForBackup(upgrade)) {
          if (phaseOf(upgrade) != UpgradePhase.PAUSED) {
            events.add(new UpgradeEvent(Reason.UPGRADE_PAUSED, "the upgrade to " + to + " waits for its backup, "
                + gate.backup()));
          }
          setPhase(upgrade, UpgradePhase.PAUSED);
          clearStep(upgrade);
          upgrade.setComponent(component.specField());
          upgrade.setMessage(gate.state() == BackupGate.State.FAILED
              ? "waits before " + component.specField() + ": its backup, PlatformBackup " + gate.backup()
                  + ", did not complete and verify (" + gate.detail() + "); delete it to have another taken, or "
                  + "set spec.backup.beforeUpgrade to false to upgrade without one"
              : "waits before " + component.specField() + " for its backup, PlatformBackup " + gate.backup()
                  + ", to complete and verify (" + gate.detail() + ")");
          if (gate.state() == BackupGate.State.FAILED) {
            problemReason = ConditionReason.UPGRADE_BACKUP_FAILED;
            problemMessage = "The upgrade to " + to + " " + upgrade.getMessage();
          }
          versions.put(component, kept(component, upgrade));
          return false;
        }
        if (paused()) {
          if (phaseOf(upgrade) != UpgradePhase.PAUSED) {
            events.add(new UpgradeEvent(Reason.UPGRADE_PAUSED, "the upgrade to " + to + " is paused before "
                + component.specField()));
          }
          setPhase(upgrade, UpgradePhase.PAUSED);
          clearStep(upgrade);
          upgrade.setComponent(component.specField());
          upgrade.setMessage("paused before " + component.specField() + " (" + progress(upgrade, order)
              + (hibernating() ? "); the platform hibernates: it goes on once woken"
              : "); set spec.upgrade.paused to false to go on"));
          versions.put(component, kept(component, upgrade));
          return false;
        }
        if (phaseOf(upgrade) == UpgradePhase.PAUSED) {
          events.add(new UpgradeEvent(Reason.UPGRADE_RESUMED, "the upgrade to " + to + " goes on with "
              + component.specField()));
        }
        setPhase(upgrade, UpgradePhase.PROGRESSING);
        upgrade.setComponent(component.specField());
        upgrade.setHealthySince(null);
        upgrade.setStepStartedAt(now.toString());
        versions.put(component, to);
        if (component == Component.DATABASE && workload != null && workload.desiredReplicas() > 1) {
          setStep(upgrade, UpgradeStep.REPLICAS);
          partition = 1;
          upgrade.setMessage("upgrading the database replicas to " + to + "; the primary follows ("
              + progress(upgrade, order) + ")");
        } else {
          setStep(upgrade, component == Component.DATABASE ? UpgradeStep.PRIMARY : UpgradeStep.ROLLOUT);
          upgrade.setMessage("upgrading " + component.specField() + " to " + to + " (" + progress(upgrade, order)
              + ")");
        }
        events.add(new UpgradeEvent(Reason.COMPONENT_UPGRADING, upgrade.getMessage()));
        recheck = target.stepTimeout();
        return false;
      }

      versions.put(component, to);
      if (component == Component.DATABASE && stepOf(upgrade) == UpgradeStep.REPLICAS) {
        partition = 1;
        if (workload != null && to.equals(workload.version()) && workload.partition() == 1 && workload.healthy()) {
          partition = 0;
          setStep(upgrade, UpgradeStep.PRIMARY);
          upgrade.setStepStartedAt(now.toString());
          upgrade.setHealthySince(null);
          upgrade.setMessage("the database replicas run " + to + "; upgrading the primary ("
              + progress(upgrade, order) + ")");
          events.add(new UpgradeEvent(Reason.COMPONENT_UPGRADING, upgrade.getMessage()));
          recheck = target.stepTimeout();
          return false;
        }
        return waitOrStop(upgrade, component, workload, stepStarted, order, index);
      }
      if (healthyOnTarget(component, workload)) {
        Instant since = parse(upgrade.getHealthySince());
        if (since == null) {
          since = now;
          upgrade.setHealthySince(now.toString());
        }
        Instant soakEnd = since.plus(target.soak());
        if (!now.isBefore(soakEnd)) {
          events.add(new UpgradeEvent(Reason.COMPONENT_UPGRADED, component.specField() + " runs " + to
              + " and stayed healthy for " + seconds(target.soak())));
          return true;
        }
        setStep(upgrade, UpgradeStep.SOAK);
        upgrade.setMessage(component.specField() + " runs " + to + " and is healthy; soaking until " + soakEnd
            + " (" + progress(upgrade, order) + ")");
        recheck = Duration.between(now, soakEnd);
        return false;
      }
      upgrade.setHealthySince(null);
      if (stepOf(upgrade) == UpgradeStep.SOAK) {
        setStep(upgrade, component == Component.DATABASE ? UpgradeStep.PRIMARY : UpgradeStep.ROLLOUT);
      }
      return waitOrStop(upgrade, component, workload, stepStarted, order, index);
    }

    /** The current step is not healthy: wait for its deadline, then halt or roll back. */
    private boolean waitOrStop(UpgradeStatus upgrade, Component component, WorkloadState workload,
        Instant stepStarted, List<Component> order, int index) {
      String to = target.version();
      String what = whatIsWrong(component, workload, stepOf(upgrade));
      Instant deadline = stepStarted.plus(target.stepTimeout());
      if (now.isBefore(deadline)) {
        upgrade.setMessage("waiting for " + component.specField() + " to become healthy on " + to + ": " + what
            + " (deadline " + deadline + "; " + progress(upgrade, order) + ")");
        recheck = Duration.between(now, deadline);
        return false;
      }
      String from = upgrade.getFromVersion();
      String failed = component.specField() + " did not become healthy on " + to + " within "
          + seconds(target.stepTimeout()) + ": " + what;
      String next = index + 1 < order.size() ? "before " + order.get(index + 1).specField()
          : "at its last component";
      upgrade.setFinishedAt(now.toString());
      if (rollbackPolicy() == RollbackPolicy.Automatic && !returning(upgrade)) {
        setPhase(upgrade, UpgradePhase.ROLLED_BACK);
        upgrade.setHealthySince(null);
        upgrade.setMessage(failed + "; " + component.specField() + " was rolled back to " + from
            + " and the upgrade stopped " + next + "; set spec.version back to " + from
            + " to return every component to it, or to a release that can upgrade from " + from);
        versions.put(component, from);
        partition = 0;
        problemReason = ConditionReason.UPGRADE_ROLLED_BACK;
      } else {
        setPhase(upgrade, UpgradePhase.HALTED);
        upgrade.setMessage(failed + "; the upgrade is halted " + next + "; set spec.version back to " + from
            + " to roll " + component.specField() + " back");
        problemReason = ConditionReason.UPGRADE_HALTED;
      }
      problemMessage = upgrade.getMessage();
      events.add(new UpgradeEvent(Reason.of(problemReason), problemMessage));
      recheck = null;
      return false;
    }

    /** Halted or RolledBack: hold everything where the status says until spec.version changes. */
    private UpgradeDecision stopped(UpgradeStatus upgrade, List<Component> order) {
      boolean rolledBack = phaseOf(upgrade) == UpgradePhase.ROLLED_BACK;
      for (Component component : order) {
        if (upgrade.getCompleted().contains(component.specField())) {
          versions.put(component, target.version());
        } else if (component.specField().equals(upgrade.getComponent())) {
          versions.put(component, rolledBack ? upgrade.getFromVersion() : target.version());
        } else {
          versions.put(component, kept(component, upgrade));
        }
      }
      partition = databaseHeldAtReplicas(upgrade) ? 1 : 0;
      problemReason = rolledBack ? ConditionReason.UPGRADE_ROLLED_BACK : ConditionReason.UPGRADE_HALTED;
      problemMessage = upgrade.getMessage();
      return checked(decision(running, upgrade));
    }

    /**
     * Nothing changes: every enabled component's workload keeps what it runs; status.upgrade as it was.
     * A Warning only when the refusal is new (see the class comment).
     */
    private UpgradeDecision refuse(ConditionReason reason, String message) {
      UpgradeStatus upgrade = status == null || status.getUpgrade() == null ? null : copy(status.getUpgrade());
      versions.clear();
      for (Component component : enabled) {
        WorkloadState workload = observed.get(component);
        versions.put(component, workload != null && workload.version() != null ? workload.version()
            : placed(component, upgrade));
      }
      partition = databaseHeldAtReplicas(upgrade) ? 1 : 0;
      problemReason = reason;
      problemMessage = message;
      recheck = null;
      events.clear();
      if (!known(reason)) {
        events.add(new UpgradeEvent(Reason.of(reason), message));
      }
      return decision(running, upgrade);
    }

    /**
     * The given status already reports this refusal: Degraded=True with the same reason, written for
     * this spec (the condition's observedGeneration is metadata.generation, so spec.version, the
     * refused target, is the same; and nothing moved since, so neither are the versions it runs).
     */
    private boolean known(ConditionReason reason) {
      if (generation == null || status == null || status.getConditions() == null) {
        return false;
      }
      return status.getConditions().stream().anyMatch(c -> DEGRADED.equals(c.getType())
          && "True".equals(c.getStatus()) && reason.token().equals(c.getReason())
          && Objects.equals(generation, c.getObservedGeneration()));
    }

    /** A decision naming a release the catalog lacks is refused instead. */
    private UpgradeDecision checked(UpgradeDecision decision) {
      for (Component component : enabled) {
        String version = decision.versions().get(component);
        if (version != null && catalog.find(version).isEmpty()) {
          return refuse(ConditionReason.SOURCE_RELEASE_MISSING, "release " + version + ", which "
              + component.specField() + " is to keep running, is not in the cluster; apply its PlatformRelease so "
              + "the upgrade to " + target.version() + " can go on");
        }
      }
      return decision;
    }

    /** Where the recorded status puts a component (for a workload that does not exist yet). */
    private String placed(Component component, UpgradeStatus upgrade) {
      if (upgrade == null || phaseOf(upgrade) == UpgradePhase.SUCCEEDED || upgrade.getToVersion() == null) {
        return running != null ? running : target.version();
      }
      if (upgrade.getCompleted() != null && upgrade.getCompleted().contains(component.specField())) {
        return upgrade.getToVersion();
      }
      if (component.specField().equals(upgrade.getComponent()) && upgrade.getStepStartedAt() != null) {
        return phaseOf(upgrade) == UpgradePhase.ROLLED_BACK ? upgrade.getFromVersion() : upgrade.getToVersion();
      }
      return upgrade.getFromVersion();
    }

    /** What a component not yet upgraded keeps: what its workload runs, else the from-version. */
    private String kept(Component component, UpgradeStatus upgrade) {
      WorkloadState workload = observed.get(component);
      return workload != null && workload.version() != null ? workload.version() : upgrade.getFromVersion();
    }

    /** The enabled components in the order this upgrade moves them. */
    private List<Component> order(UpgradeStatus upgrade) {
      List<Component> order = new ArrayList<>(returning(upgrade)
          ? catalog.find(upgrade.getFromVersion()).orElseThrow().order() : target.order());
      if (returning(upgrade)) {
        Collections.reverse(order);
      }
      order.retainAll(enabled);
      return order;
    }

    /** A return to an earlier version: the target release does not upgrade from the from-version. */
    private boolean returning(UpgradeStatus upgrade) {
      return !target.upgradesFrom(upgrade.getFromVersion());
    }

    private boolean healthyOnTarget(Component component, WorkloadState workload) {
      return workload != null && target.version().equals(workload.version()) && workload.healthy()
          && (component != Component.DATABASE || workload.partition() == 0);
    }

    private String whatIsWrong(Component component, WorkloadState workload, UpgradeStep step) {
      if (workload == null) {
        return "its workload does not exist";
      }
      List<String> wrong = new ArrayList<>();
      if (!target.version().equals(workload.version())) {
        wrong.add("its workload runs " + (workload.version() == null ? "no labelled version" : workload.version()));
      }
      int partitionWanted = component == Component.DATABASE && step == UpgradeStep.REPLICAS ? 1 : 0;
      if (component == Component.DATABASE && workload.partition() != partitionWanted) {
        wrong.add("its partition is " + workload.partition() + ", not " + partitionWanted);
      }
      if (!workload.rolledOut()) {
        wrong.add("rollout not complete (" + workload.updatedReplicas() + " of " + workload.desiredReplicas()
            + " pods updated)");
      }
      if (workload.readyReplicas() < workload.desiredReplicas()) {
        wrong.add(workload.readyReplicas() + " of " + workload.desiredReplicas() + " pods Ready");
      }
      return wrong.isEmpty() ? "not healthy" : String.join(", ", wrong);
    }

    private String progress(UpgradeStatus upgrade, List<Component> order) {
      return upgrade.getCompleted().size() + " of " + order.size() + " components done";
    }

    private String notAllowed(String source, String from) {
      Set<String> sorted = new TreeSet<>(target.upgradeFrom());
      String upgradesFrom = sorted.isEmpty() ? "it upgrades from no version" : "it upgrades from "
          + String.join(", ", sorted);
      List<String> runners = runners(source);
      String runs = source.equals(from) || runners.isEmpty() ? ""
          : ", which " + list(runners) + (runners.size() == 1 ? " still runs" : " still run");
      return "release " + target.version() + " cannot upgrade from " + source + runs + " (" + upgradesFrom
          + "); set spec.version back to " + from + " or to a version that can";
    }

    /** The enabled components whose workload runs {@code version}. */
    private List<String> runners(String version) {
      List<String> names = new ArrayList<>();
      for (Component component : enabled) {
        WorkloadState workload = observed.get(component);
        if (workload != null && version.equals(workload.version())) {
          names.add(component.specField());
        }
      }
      return names;
    }

    private static String list(List<String> names) {
      return names.size() <= 1 ? String.join("", names)
          : String.join(", ", names.subList(0, names.size() - 1)) + " and " + names.get(names.size() - 1);
    }

    private String sourceMissing(String from) {
      return "release " + from + ", which the platform runs, is not in the cluster; apply its PlatformRelease to "
          + "move to " + target.version();
    }

    /**
     * Held by its backup: only a forward upgrade, only before its first component moves (once one has, the data
     * may have changed shape, and the backup taken before is what a restore goes back to).
     */
    private boolean waitsForBackup(UpgradeStatus upgrade) {
      return gate.holds() && !returning(upgrade) && upgrade.getCompleted().isEmpty();
    }

    /** Paused by spec.upgrade.paused, or by hibernation: no component moves while the platform sleeps. */
    private boolean paused() {
      UpgradeSpec upgrade = spec.getUpgrade();
      return upgrade != null && Boolean.TRUE.equals(upgrade.getPaused()) || hibernating();
    }

    private boolean hibernating() {
      return Boolean.TRUE.equals(spec.getHibernate());
    }

    private RollbackPolicy rollbackPolicy() {
      UpgradeSpec upgrade = spec.getUpgrade();
      return upgrade == null || upgrade.getRollback() == null ? RollbackPolicy.Manual : upgrade.getRollback();
    }

    /** The decision so far; every switched-off component is given the target. */
    private UpgradeDecision decision(String runningVersion, UpgradeStatus upgrade) {
      for (Component component : Component.values()) {
        if (!enabled.contains(component)) {
          versions.put(component, target.version());
        }
      }
      return new UpgradeDecision(versions, partition, runningVersion, upgrade, problemReason, problemMessage,
          recheck, events);
    }
  }

  /** The recorded phase; null when absent or unknown. */
  private static UpgradePhase phaseOf(UpgradeStatus upgrade) {
    return UpgradePhase.of(upgrade.getPhase()).orElse(null);
  }

  private static void setPhase(UpgradeStatus upgrade, UpgradePhase phase) {
    upgrade.setPhase(phase.token());
  }

  /** The recorded step; null when absent or unknown. */
  private static UpgradeStep stepOf(UpgradeStatus upgrade) {
    return UpgradeStep.of(upgrade.getStep()).orElse(null);
  }

  private static void setStep(UpgradeStatus upgrade, UpgradeStep step) {
    upgrade.setStep(step.token());
  }

  private static boolean databaseHeldAtReplicas(UpgradeStatus upgrade) {
    return upgrade != null && Component.DATABASE.specField().equals(upgrade.getComponent())
        && stepOf(upgrade) == UpgradeStep.REPLICAS && upgrade.getStepStartedAt() != null
        && (phaseOf(upgrade) == UpgradePhase.PROGRESSING || phaseOf(upgrade) == UpgradePhase.HALTED);
  }

  private static void clearStep(UpgradeStatus upgrade) {
    upgrade.setComponent(null);
    upgrade.setStep(null);
    upgrade.setStepStartedAt(null);
    upgrade.setHealthySince(null);
  }

  private static String seconds(Duration duration) {
    return duration.toSeconds() + "s";
  }

  private static Instant parse(String timestamp) {
    if (timestamp == null) {
      return null;
    }
    try {
      return Instant.parse(timestamp);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** A copy, so that the status passed in is never changed. */
  static UpgradeStatus copy(UpgradeStatus source) {
    UpgradeStatus copy = new UpgradeStatus();
    copy.setFromVersion(source.getFromVersion());
    copy.setToVersion(source.getToVersion());
    copy.setPhase(source.getPhase());
    copy.setComponent(source.getComponent());
    copy.setStep(source.getStep());
    copy.setCompleted(source.getCompleted() == null ? new ArrayList<>() : new ArrayList<>(source.getCompleted()));
    copy.setStartedAt(source.getStartedAt());
    copy.setStepStartedAt(source.getStepStartedAt());
    copy.setHealthySince(source.getHealthySince());
    copy.setFinishedAt(source.getFinishedAt());
    copy.setMessage(source.getMessage());
    return copy;
  }
}
