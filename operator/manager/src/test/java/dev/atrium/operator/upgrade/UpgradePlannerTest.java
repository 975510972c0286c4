package dev.atrium.operator.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.atrium.api.v1alpha1.CollaborationPlatform;
import dev.atrium.api.v1alpha1.CollaborationPlatformSpec;
import dev.atrium.api.v1alpha1.CollaborationPlatformStatus;
import dev.atrium.api.v1alpha1.NetdiskSpec;
import dev.atrium.api.v1alpha1.RollbackPolicy;
import dev.atrium.api.v1alpha1.UpgradeSpec;
import dev.atrium.api.v1alpha1.UpgradeStatus;
import dev.atrium.operator.model.Component;
import dev.atrium.operator.model.ConditionReason;
import dev.atrium.operator.release.ImageRef;
import dev.atrium.operator.release.Release;
import dev.atrium.operator.release.ReleaseCatalog;
import dev.atrium.operator.upgrade.UpgradeEvent.Reason;
import dev.atrium.operator.upgrade.UpgradeEvent.Type;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The upgrade planner, driven against a simulated cluster whose workloads follow each decision and
 * whose pods become Ready when the test says so. The status goes through JSON between calls, as it
 * does through the API server, so nothing survives in memory; metadata.generation grows with every
 * change of the spec, as the API server makes it.
 */
class UpgradePlannerTest {

  private static final Instant T0 = Instant.parse("2026-01-05T08:00:00Z");
  private static final Duration SOAK = Duration.ofSeconds(30);
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final List<Component> ORDER = Arrays.asList(Component.values());

  private static final ReleaseCatalog CATALOG = catalog(
      release("0.9.0", Set.of()), release("1.0.0", Set.of("0.9.0")), release("1.1.0", Set.of("1.0.0")),
      release("1.2.0", Set.of("1.1.0")));

  static Release release(String version, Set<String> upgradeFrom) {
    Map<Component, ImageRef> images = new EnumMap<>(Component.class);
    for (Component component : Component.values()) {
      images.put(component, new ImageRef("atrium/" + component.id(), version, null));
    }
    return new Release(version, images, ORDER, upgradeFrom, SOAK, TIMEOUT);
  }

  static ReleaseCatalog catalog(Release... releases) {
    Map<String, Release> byVersion = new HashMap<>();
    for (Release release : releases) {
      byVersion.put(release.version(), release);
    }
    return new ReleaseCatalog(byVersion);
  }

  /** The platform as the API server gives it to the operator. */
  static CollaborationPlatform platform(CollaborationPlatformSpec spec, CollaborationPlatformStatus status,
      long generation) {
    CollaborationPlatform platform = new CollaborationPlatform();
    platform.setMetadata(new ObjectMetaBuilder().withName("acme").withNamespace("tenants").withGeneration(generation)
        .build());
    platform.setSpec(spec);
    platform.setStatus(status);
    return platform;
  }

  static UpgradeDecision plan(CollaborationPlatformSpec spec, CollaborationPlatformStatus status,
      ReleaseCatalog catalog, Map<Component, WorkloadState> workloads, Instant now) {
    return UpgradePlanner.plan(platform(spec, status, 1), catalog, workloads, now);
  }

  /** A platform and its cluster: each reconcile plans, applies to the workloads, and writes the status. */
  static final class Sim {
    /** The pre-upgrade backup as the reconciler would find it. */
    BackupGate gate = BackupGate.notNeeded();

    final CollaborationPlatformSpec spec = new CollaborationPlatformSpec();
    CollaborationPlatformStatus status = new CollaborationPlatformStatus();
    final Map<Component, WorkloadState> workloads = new EnumMap<>(Component.class);
    final Set<Component> broken = EnumSet.noneOf(Component.class);
    final List<UpgradeEvent> events = new ArrayList<>();
    final List<String> changes = new ArrayList<>();
    final Map<Component, Instant> healthyAt = new EnumMap<>(Component.class);
    ReleaseCatalog catalog = CATALOG;
    Instant now = T0;
    UpgradeDecision last;
    long generation;
    String specSeen;

    Sim(String running) {
      spec.setVersion(running);
      spec.setUpgrade(new UpgradeSpec());
      status.setVersion(running);
      for (Component component : Component.values()) {
        int replicas = component == Component.DATABASE ? 3 : 2;
        workloads.put(component, new WorkloadState(running, replicas, replicas, replicas, true, 0));
      }
    }

    /** metadata.generation: one more each time the spec changed since the last call. */
    long generation() {
      String now = json(spec);
      if (!now.equals(specSeen)) {
        specSeen = now;
        generation++;
      }
      return generation;
    }

    CollaborationPlatform platform() {
      return UpgradePlannerTest.platform(spec, status, generation());
    }

    UpgradeDecision reconcile() {
      UpgradeDecision decision = UpgradePlanner.plan(platform(), catalog, Map.copyOf(workloads), now, gate);
      Map<Component, WorkloadState> before = new EnumMap<>(workloads);
      apply(decision);
      List<Component> changed = ORDER.stream().filter(c -> before.get(c) != null && workloads.get(c) != null
          && !before.get(c).equals(workloads.get(c))).toList();
      assertThat(changed).as("components changed at once at %s", now).hasSizeLessThanOrEqualTo(1);
      for (Component component : changed) {
        String version = workloads.get(component).version();
        assertThat(version.equals(spec.getVersion()) || version.equals(before.get(component).version())
            || decision.phase().orElse(null) == UpgradePhase.ROLLED_BACK)
            .as("%s moves only toward spec.version, or back on an automatic rollback", component).isTrue();
        changes.add(component.specField() + "@" + workloads.get(component).version()
            + (component == Component.DATABASE ? "/p" + workloads.get(component).partition() : ""));
      }
      ORDER.stream().filter(c -> before.get(c) == null && workloads.get(c) != null)
          .forEach(c -> changes.add(c.specField() + "@" + workloads.get(c).version() + " (created)"));
      status.setObservedGeneration(generation);
      status.setUpgrade(decision.status());
      status.setVersion(decision.runningVersion());
      status.getConditions().clear();
      if (decision.problemReason() != null) {
        status.getConditions().add(new ConditionBuilder().withType("Degraded").withStatus("True")
            .withReason(decision.problemReason().token()).withMessage(decision.problemMessage())
            .withObservedGeneration(generation).build());
      }
      status = roundTrip(status);
      events.addAll(decision.events());
      last = decision;
      return decision;
    }

    /**
     * The workloads take the decision: a new template starts a rollout. Switched-off components have
     * no workload (what a test puts there lingers untouched); one switched on again is created.
     */
    void apply(UpgradeDecision decision) {
      assertThat(decision.versions()).as("a version for every component").hasSize(Component.values().length);
      for (Component component : Component.values()) {
        if (!component.enabledIn(spec)) {
          continue;
        }
        WorkloadState w = workloads.get(component);
        String version = decision.versions().get(component);
        int partition = component == Component.DATABASE ? decision.databasePartition() : 0;
        if (w == null) {
          workloads.put(component, new WorkloadState(version, 2, 0, 0, false, partition));
        } else if (!version.equals(w.version()) || partition != w.partition()) {
          workloads.put(component, new WorkloadState(version, w.desiredReplicas(), w.desiredReplicas(), 0, false,
              partition));
        }
      }
    }

    /** spec.netdisk.enabled: false; the operator deletes its workload. */
    void switchOffNetdisk() {
      NetdiskSpec netdisk = new NetdiskSpec();
      netdisk.setEnabled(false);
      spec.setNetdisk(netdisk);
      assertThat(Component.NETDISK.enabledIn(spec)).isFalse();
      workloads.remove(Component.NETDISK);
    }

    /** Every rollout in progress finishes; broken components' pods stay unready. */
    void settle() {
      for (Component component : workloads.keySet()) {
        WorkloadState w = workloads.get(component);
        if (!w.rolledOut()) {
          boolean bad = broken.contains(component) && !"1.0.0".equals(w.version());
          workloads.put(component, new WorkloadState(w.version(), w.desiredReplicas(),
              bad ? 0 : w.desiredReplicas(), w.desiredReplicas() - w.partition(), true, w.partition()));
          if (!bad) {
            healthyAt.put(component, now);
          }
        }
      }
    }

    void tick(Duration duration) {
      now = now.plus(duration);
    }

    UpgradeStatus upgrade() {
      return status.getUpgrade();
    }

    /** Reconciles every 5 s, rollouts finishing in between, until the condition holds. */
    UpgradeDecision runUntil(Predicate<UpgradeDecision> done) {
      for (int i = 0; i < 500; i++) {
        UpgradeDecision decision = reconcile();
        if (done.test(decision)) {
          return decision;
        }
        tick(Duration.ofSeconds(5));
        settle();
      }
      throw new AssertionError("did not get there; changes " + changes + ", status " + status.getUpgrade().getMessage());
    }

    List<Reason> reasons() {
      return events.stream().map(UpgradeEvent::reason).toList();
    }

    String versionOf(Component component) {
      return workloads.get(component).version();
    }
  }

  static CollaborationPlatformStatus roundTrip(CollaborationPlatformStatus status) {
    try {
      ObjectMapper mapper = new ObjectMapper();
      return mapper.readValue(mapper.writeValueAsString(status), CollaborationPlatformStatus.class);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static String json(Object value) {
    try {
      return new ObjectMapper().writeValueAsString(value);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static Predicate<UpgradeDecision> phase(UpgradePhase phase) {
    return d -> d.phase().orElse(null) == phase;
  }

  static final Predicate<UpgradeDecision> SUCCEEDED = phase(UpgradePhase.SUCCEEDED);

  /** 1.0.0 to 1.1.0 with Manual rollback, halted because identity never becomes Ready on 1.1.0. */
  static Sim haltedAtIdentity() {
    Sim sim = new Sim("1.0.0");
    sim.broken.add(Component.IDENTITY);
    sim.spec.setVersion("1.1.0");
    sim.runUntil(phase(UpgradePhase.HALTED));
    return sim;
  }

  @Test
  void firstInstallPutsEveryComponentOnTheVersionAndRecordsNoUpgrade() {
    CollaborationPlatformSpec spec = new CollaborationPlatformSpec();
    spec.setVersion("1.0.0");
    UpgradeDecision decision = plan(spec, null, CATALOG, Map.of(), T0);
    assertThat(decision.versions()).hasSize(7).allSatisfy((c, v) -> assertThat(v).isEqualTo("1.0.0"));
    assertThat(decision.status()).isNull();
    assertThat(decision.problemReason()).isNull();
    assertThat(decision.events()).isEmpty();
    assertThat(decision.runningVersion()).as("nothing runs yet").isNull();
    assertThat(decision.databasePartition()).isZero();

    // once every workload runs it and is healthy, the platform runs it
    Sim sim = new Sim("1.0.0");
    sim.status = new CollaborationPlatformStatus();
    assertThat(plan(sim.spec, sim.status, CATALOG, sim.workloads, T0).runningVersion())
        .isEqualTo("1.0.0");
    // a change of version before the first install finished is no upgrade: it installs the new one
    sim.spec.setVersion("1.1.0");
    UpgradeDecision changed = plan(sim.spec, sim.status, CATALOG, sim.workloads, T0);
    assertThat(changed.versions().values()).containsOnly("1.1.0");
    assertThat(changed.status()).isNull();
  }

  @Test
  void steadyStateKeepsEverythingAndTheLastUpgrade() {
    Sim sim = new Sim("1.0.0");
    UpgradeDecision decision = sim.reconcile();
    assertThat(decision.versions().values()).containsOnly("1.0.0");
    assertThat(decision.runningVersion()).isEqualTo("1.0.0");
    assertThat(decision.status()).isNull();
    assertThat(decision.recheckAfter()).isNull();
    assertThat(decision.events()).isEmpty();

    sim.spec.setVersion("1.1.0");
    sim.runUntil(SUCCEEDED);
    UpgradeDecision after = sim.reconcile();
    assertThat(after.versions().values()).containsOnly("1.1.0");
    assertThat(after.status().getPhase()).isEqualTo("Succeeded");
    assertThat(after.events()).isEmpty();
    assertThat(after.problemReason()).isNull();
  }

  @Test
  void fullUpgradeGoesComponentByComponentEachAfterThePreviousIsHealthyAndSoaked() {
    Sim sim = new Sim("1.0.0");
    sim.reconcile();
    sim.spec.setVersion("1.1.0");

    UpgradeDecision first = sim.reconcile();
    assertThat(first.events()).extracting(UpgradeEvent::reason)
        .containsExactly(Reason.UPGRADE_STARTED, Reason.COMPONENT_UPGRADING);
    UpgradeStatus started = first.status();
    assertThat(started.getFromVersion()).isEqualTo("1.0.0");
    assertThat(started.getToVersion()).isEqualTo("1.1.0");
    assertThat(started.getPhase()).isEqualTo("Progressing");
    assertThat(started.getComponent()).isEqualTo("database");
    assertThat(started.getStep()).isEqualTo("Replicas");
    assertThat(started.getStartedAt()).isEqualTo(T0.toString());
    assertThat(started.getStepStartedAt()).isEqualTo(T0.toString());
    assertThat(first.runningVersion()).isEqualTo("1.0.0");
    assertThat(first.recheckAfter()).isEqualTo(TIMEOUT);
    assertThat(first.versions()).containsEntry(Component.DATABASE, "1.1.0").containsEntry(Component.CACHE, "1.0.0");

    // the story the status tells at each call, and when each component moved
    List<String> steps = new ArrayList<>(List.of("database:Replicas"));
    Map<Component, Instant> movedAt = new EnumMap<>(Component.class);
    movedAt.put(Component.DATABASE, T0);
    UpgradeDecision end = null;
    for (int i = 0; i < 500 && end == null; i++) {
      sim.tick(Duration.ofSeconds(5));
      sim.settle();
      Map<Component, String> before = new EnumMap<>(Component.class);
      ORDER.forEach(c -> before.put(c, sim.versionOf(c)));
      UpgradeDecision decision = sim.reconcile();
      for (Component component : ORDER) {
        if (!before.get(component).equals(sim.versionOf(component))) {
          movedAt.put(component, sim.now);
          int index = ORDER.indexOf(component);
          Component previous = ORDER.get(index - 1);
          assertThat(sim.healthyAt.get(previous)).as("%s healthy before %s starts", previous, component)
              .isNotNull().isBefore(movedAt.get(component).minus(SOAK).plusSeconds(1));
          assertThat(sim.healthyAt.get(previous)).isAfterOrEqualTo(movedAt.get(previous));
          assertThat(decision.status().getCompleted()).as("completed when %s starts", component)
              .containsExactlyElementsOf(ORDER.subList(0, index).stream().map(Component::specField).toList());
        }
      }
      UpgradeStatus upgrade = decision.status();
      String step = upgrade.getComponent() + ":" + upgrade.getStep();
      if (steps.isEmpty() || !steps.get(steps.size() - 1).equals(step)) {
        steps.add(step);
      }
      if (upgrade.getPhase().equals("Succeeded")) {
        end = decision;
      } else {
        assertThat(decision.runningVersion()).as("while under way").isEqualTo("1.0.0");
        assertThat(decision.recheckAfter()).isPositive();
      }
    }
    assertThat(end).isNotNull();
    assertThat(sim.changes).containsExactly("database@1.1.0/p1", "database@1.1.0/p0", "cache@1.1.0",
        "objectStore@1.1.0", "identity@1.1.0", "messageCenter@1.1.0", "netdisk@1.1.0", "webos@1.1.0");
    assertThat(steps).containsSubsequence("database:Replicas", "database:Primary", "database:Soak", "cache:Rollout",
        "cache:Soak", "identity:Rollout", "identity:Soak", "webos:Soak", "null:null");
    assertThat(end.runningVersion()).isEqualTo("1.1.0");
    assertThat(end.status().getCompleted()).containsExactly("database", "cache", "objectStore", "identity",
        "messageCenter", "netdisk", "webos");
    assertThat(end.status().getFinishedAt()).isEqualTo(sim.now.toString());
    assertThat(end.status().getMessage()).isEqualTo("upgraded from 1.0.0 to 1.1.0");
    assertThat(end.events()).extracting(UpgradeEvent::reason)
        .containsExactly(Reason.COMPONENT_UPGRADED, Reason.UPGRADE_SUCCEEDED);
    assertThat(sim.reasons()).filteredOn(Reason.COMPONENT_UPGRADED::equals).hasSize(7);
    assertThat(sim.reasons()).startsWith(Reason.UPGRADE_STARTED).endsWith(Reason.UPGRADE_SUCCEEDED)
        .doesNotContain(Reason.UPGRADE_HALTED, Reason.UPGRADE_ROLLED_BACK);
    assertThat(sim.events).extracting(UpgradeEvent::type).containsOnly(Type.NORMAL);
    assertThat(sim.events).filteredOn(e -> e.reason() == Reason.COMPONENT_UPGRADED).first()
        .extracting(UpgradeEvent::message).isEqualTo("database runs 1.1.0 and stayed healthy for 30s");
  }

  @Test
  void soakWaitsAndAnUnhealthyMomentRestartsIt() {
    Sim sim = new Sim("1.0.0");
    sim.spec.setVersion("1.1.0");
    sim.runUntil(d -> "cache".equals(d.status().getComponent()));
    sim.tick(Duration.ofSeconds(5));
    sim.settle();
    UpgradeDecision soaking = sim.reconcile();
    assertThat(soaking.status().getStep()).isEqualTo("Soak");
    assertThat(soaking.status().getHealthySince()).isEqualTo(sim.now.toString());
    assertThat(soaking.recheckAfter()).isEqualTo(SOAK);

    sim.tick(Duration.ofSeconds(20));
    WorkloadState w = sim.workloads.get(Component.CACHE);
    sim.workloads.put(Component.CACHE, new WorkloadState(w.version(), 2, 1, 2, true, 0));
    UpgradeDecision regressed = sim.reconcile();
    assertThat(regressed.status().getHealthySince()).isNull();
    assertThat(regressed.status().getStep()).isEqualTo("Rollout");
    assertThat(regressed.versions()).containsEntry(Component.OBJECT_STORE, "1.0.0");

    sim.tick(Duration.ofSeconds(5));
    sim.workloads.put(Component.CACHE, w);
    UpgradeDecision again = sim.reconcile();
    assertThat(again.status().getHealthySince()).isEqualTo(sim.now.toString());
    assertThat(again.recheckAfter()).isEqualTo(SOAK);
    sim.tick(SOAK);
    UpgradeDecision done = sim.reconcile();
    assertThat(done.status().getCompleted()).containsExactly("database", "cache");
    assertThat(done.status().getComponent()).isEqualTo("objectStore");
    assertThat(done.versions()).containsEntry(Component.OBJECT_STORE, "1.1.0");
  }

  @Test
  void databaseUpgradesItsReplicasFirstAndThePrimaryLast() {
    Sim sim = new Sim("1.0.0");
    sim.spec.setVersion("1.1.0");
    UpgradeDecision replicas = sim.reconcile();
    assertThat(replicas.databasePartition()).isEqualTo(1);
    assertThat(replicas.status().getStep()).isEqualTo("Replicas");
    assertThat(replicas.events()).last().extracting(UpgradeEvent::message).asString()
        .startsWith("upgrading the database replicas to 1.1.0; the primary follows");

    // the replicas are still rolling: hold the primary
    sim.tick(Duration.ofSeconds(5));
    UpgradeDecision waiting = sim.reconcile();
    assertThat(waiting.databasePartition()).isEqualTo(1);
    assertThat(waiting.status().getStep()).isEqualTo("Replicas");
    assertThat(waiting.recheckAfter()).isEqualTo(TIMEOUT.minusSeconds(5));

    sim.settle();
    assertThat(sim.workloads.get(Component.DATABASE).updatedReplicas()).isEqualTo(2);
    sim.tick(Duration.ofSeconds(5));
    UpgradeDecision primary = sim.reconcile();
    assertThat(primary.databasePartition()).isZero();
    assertThat(primary.status().getStep()).isEqualTo("Primary");
    assertThat(primary.status().getStepStartedAt()).isEqualTo(sim.now.toString());
    assertThat(primary.versions()).containsEntry(Component.CACHE, "1.0.0");

    // the workload still showing partition 1 does not count as the primary done
    UpgradeDecision stale = plan(sim.spec, sim.status, CATALOG,
        Map.of(Component.DATABASE, new WorkloadState("1.1.0", 3, 3, 2, true, 1)), sim.now);
    assertThat(stale.status().getStep()).isEqualTo("Primary");
    assertThat(stale.databasePartition()).isZero();

    sim.tick(Duration.ofSeconds(5));
    sim.settle();
    assertThat(sim.reconcile().status().getStep()).isEqualTo("Soak");
    sim.tick(SOAK);
    UpgradeDecision next = sim.reconcile();
    assertThat(next.status().getComponent()).isEqualTo("cache");
    assertThat(next.databasePartition()).isZero();
  }

  @Test
  void aSingleReplicaDatabaseGoesStraightToThePrimary() {
    Sim sim = new Sim("1.0.0");
    sim.workloads.put(Component.DATABASE, new WorkloadState("1.0.0", 1, 1, 1, true, 0));
    sim.spec.setVersion("1.1.0");
    UpgradeDecision decision = sim.reconcile();
    assertThat(decision.status().getStep()).isEqualTo("Primary");
    assertThat(decision.databasePartition()).isZero();
    assertThat(sim.changes).containsExactly("database@1.1.0/p0");
  }

  @Test
  void pauseHoldsBetweenComponentsAndResumes() {
    Sim sim = new Sim("1.0.0");
    sim.spec.setVersion("1.1.0");
    sim.runUntil(d -> "identity".equals(d.status().getComponent()));
    sim.spec.getUpgrade().setPaused(true);

    // identity, already under way, finishes; messageCenter does not start
    UpgradeDecision paused = sim.runUntil(phase(UpgradePhase.PAUSED));
    assertThat(paused.status().getCompleted()).endsWith("identity");
    assertThat(paused.status().getComponent()).isEqualTo("messageCenter");
    assertThat(paused.status().getStep()).isNull();
    assertThat(paused.status().getMessage()).startsWith("paused before messageCenter");
    assertThat(paused.events()).extracting(UpgradeEvent::reason)
        .containsExactly(Reason.COMPONENT_UPGRADED, Reason.UPGRADE_PAUSED);
    assertThat(paused.problemReason()).isNull();
    assertThat(paused.recheckAfter()).isNull();
    assertThat(paused.versions()).containsEntry(Component.IDENTITY, "1.1.0")
        .containsEntry(Component.MESSAGE_CENTER, "1.0.0");

    for (int i = 0; i < 5; i++) {
      sim.tick(Duration.ofMinutes(30));
      UpgradeDecision held = sim.reconcile();
      assertThat(held.status().getPhase()).isEqualTo("Paused");
      assertThat(held.events()).as("the pause is announced once").isEmpty();
      assertThat(held.versions()).containsEntry(Component.MESSAGE_CENTER, "1.0.0");
    }

    sim.spec.getUpgrade().setPaused(false);
    UpgradeDecision resumed = sim.reconcile();
    assertThat(resumed.status().getPhase()).isEqualTo("Progressing");
    assertThat(resumed.status().getComponent()).isEqualTo("messageCenter");
    assertThat(resumed.status().getStepStartedAt()).as("a fresh deadline").isEqualTo(sim.now.toString());
    assertThat(resumed.events()).extracting(UpgradeEvent::reason)
        .containsExactly(Reason.UPGRADE_RESUMED, Reason.COMPONENT_UPGRADING);
    assertThat(resumed.versions()).containsEntry(Component.MESSAGE_CENTER, "1.1.0");
    sim.tick(Duration.ofSeconds(5));
    sim.settle();
    assertThat(sim.runUntil(SUCCEEDED).runningVersion()).isEqualTo("1.1.0");
  }

  @Test
  void anUpgradeWaitsForItsBackupBeforeItsFirstComponentAndGoesOnOnceItVerified() {
    Sim sim = new Sim("1.0.0");
    sim.spec.setVersion("1.1.0");
    sim.gate = new BackupGate(BackupGate.State.WAITING, "acme-before-1-1-0", "Running");
    for (int i = 0; i < 4; i++) {
      UpgradeDecision held = sim.reconcile();
      assertThat(held.status().getPhase()).isEqualTo("Paused");
      assertThat(held.status().getMessage()).startsWith("waits before database for its backup, PlatformBackup "
          + "acme-before-1-1-0, to complete and verify (Running)");
      assertThat(held.problemReason()).isNull();
      assertThat(held.versions().values()).containsOnly("1.0.0");
      sim.tick(Duration.ofMinutes(5));
      sim.settle();
    }
    assertThat(sim.reasons()).containsExactly(Reason.UPGRADE_STARTED, Reason.UPGRADE_PAUSED);

    sim.gate = new BackupGate(BackupGate.State.VERIFIED, "acme-before-1-1-0", "Completed");
    UpgradeDecision started = sim.reconcile();
    assertThat(started.status().getPhase()).isEqualTo("Progressing");
    assertThat(started.versions()).containsEntry(Component.DATABASE, "1.1.0");
    // once a component moved, the backup is what a restore returns to: losing it later holds nothing
    sim.runUntil(d -> d.status().getCompleted().contains("database"));
    sim.gate = new BackupGate(BackupGate.State.WAITING, "acme-before-1-1-0-again", "Pending");
    assertThat(sim.runUntil(SUCCEEDED).runningVersion()).isEqualTo("1.1.0");
  }

  @Test
  void aBackupThatFailedHoldsTheUpgradeAndMakesThePlatformDegraded() {
    Sim sim = new Sim("1.0.0");
    sim.spec.setVersion("1.1.0");
    sim.gate = new BackupGate(BackupGate.State.FAILED, "acme-before-1-1-0", "Failed: bucket unreachable");
    UpgradeDecision held = sim.reconcile();
    assertThat(held.status().getPhase()).isEqualTo("Paused");
    assertThat(held.problemReason()).isEqualTo(ConditionReason.UPGRADE_BACKUP_FAILED);
    assertThat(held.problemMessage()).contains("acme-before-1-1-0").contains("bucket unreachable")
        .contains("delete it to have another taken").contains("spec.backup.beforeUpgrade");
    assertThat(held.refused()).isFalse();
    assertThat(held.versions().values()).containsOnly("1.0.0");
  }

  @Test
  void aReturnToTheVersionTheUpgradeLeftDoesNotWaitForABackup() {
    Sim sim = haltedAtIdentity();
    sim.gate = new BackupGate(BackupGate.State.WAITING, "acme-before-1-0-0", "Pending");
    sim.spec.setVersion("1.0.0");
    assertThat(sim.runUntil(SUCCEEDED).runningVersion()).isEqualTo("1.0.0");
  }

  @Test
  void hibernationFinishesTheComponentUnderWayAndHoldsTheRestUntilWoken() {
    Sim sim = new Sim("1.0.0");
    sim.spec.setVersion("1.1.0");
    sim.runUntil(d -> "identity".equals(d.status().getComponent()));
    sim.spec.setHibernate(true);

    UpgradeDecision held = sim.runUntil(phase(UpgradePhase.PAUSED));
    assertThat(held.status().getCompleted()).endsWith("identity");
    assertThat(held.status().getMessage()).startsWith("paused before messageCenter (")
        .endsWith(" components done); the platform hibernates: it goes on once woken");
    assertThat(held.versions()).containsEntry(Component.MESSAGE_CENTER, "1.0.0");

    sim.spec.setHibernate(false);
    assertThat(sim.reconcile().versions()).containsEntry(Component.MESSAGE_CENTER, "1.1.0");
    sim.tick(Duration.ofSeconds(5));
    sim.settle();
    assertThat(sim.runUntil(SUCCEEDED).runningVersion()).isEqualTo("1.1.0");
  }

  @Test
  void anUpgradeTheReleaseDoesNotAllowChangesNothing() {
    Sim sim = new Sim("0.9.0");
    sim.spec.setVersion("1.1.0");
    UpgradeDecision refused = sim.reconcile();
    assertThat(refused.versions().values()).containsOnly("0.9.0");
    assertThat(refused.status()).isNull();
    assertThat(refused.runningVersion()).isEqualTo("0.9.0");
    assertThat(refused.problemReason()).isEqualTo(ConditionReason.UPGRADE_NOT_ALLOWED);
    assertThat(refused.problemMessage()).isEqualTo("release 1.1.0 cannot upgrade from 0.9.0 (it upgrades from "
        + "1.0.0); set spec.version back to 0.9.0 or to a version that can");
    assertThat(refused.events())
        .containsExactly(new UpgradeEvent(Reason.UPGRADE_NOT_ALLOWED, refused.problemMessage()));
    assertThat(refused.events()).extracting(UpgradeEvent::type).containsExactly(Type.WARNING);
    assertThat(refused.refused()).isTrue();
    assertThat(sim.changes).isEmpty();

    UpgradeDecision again = sim.reconcile();
    assertThat(again.problemReason()).isEqualTo(ConditionReason.UPGRADE_NOT_ALLOWED);
    assertThat(again.events()).as("warned once").isEmpty();

    sim.spec.setVersion("0.9.0");
    UpgradeDecision back = sim.reconcile();
    assertThat(back.problemReason()).isNull();
    assertThat(back.versions().values()).containsOnly("0.9.0");
  }

  @Test
  void aMissingSourceReleaseChangesNothing() {
    Sim sim = new Sim("1.0.0");
    sim.catalog = catalog(release("1.1.0", Set.of("1.0.0")));
    sim.spec.setVersion("1.1.0");
    UpgradeDecision decision = sim.reconcile();
    assertThat(decision.problemReason()).isEqualTo(ConditionReason.SOURCE_RELEASE_MISSING);
    assertThat(decision.problemMessage()).contains("release 1.0.0").contains("not in the cluster");
    assertThat(decision.versions().values()).containsOnly("1.0.0");
    assertThat(decision.status()).isNull();
    assertThat(decision.events()).extracting(UpgradeEvent::type).containsExactly(Type.WARNING);
    assertThat(sim.reconcile().events()).isEmpty();
  }

  @Test
  void aComponentThatNeverBecomesReadyHaltsTheUpgradeThereWithManualRollback() {
    Sim sim = new Sim("1.0.0");
    sim.broken.add(Component.IDENTITY);
    sim.spec.setVersion("1.1.0");
    UpgradeDecision started = sim.runUntil(d -> "identity".equals(d.status().getComponent()));
    Instant stepStart = sim.now;
    assertThat(started.recheckAfter()).isEqualTo(TIMEOUT);

    sim.tick(Duration.ofSeconds(5));
    sim.settle();
    UpgradeDecision waiting = sim.reconcile();
    assertThat(waiting.recheckAfter()).as("time left to the deadline").isEqualTo(TIMEOUT.minusSeconds(5));
    assertThat(waiting.problemReason()).isNull();
    assertThat(waiting.status().getMessage()).contains("waiting for identity", "0 of 2 pods Ready");

    UpgradeDecision halted = sim.runUntil(phase(UpgradePhase.HALTED));
    assertThat(sim.now).isEqualTo(stepStart.plus(TIMEOUT));
    String message = "identity did not become healthy on 1.1.0 within 60s: 0 of 2 pods Ready; the upgrade is "
        + "halted before messageCenter; set spec.version back to 1.0.0 to roll identity back";
    assertThat(halted.problemReason()).isEqualTo(ConditionReason.UPGRADE_HALTED);
    assertThat(halted.problemMessage()).isEqualTo(message);
    assertThat(halted.status().getMessage()).isEqualTo(message);
    assertThat(halted.status().getComponent()).isEqualTo("identity");
    assertThat(halted.status().getFinishedAt()).isEqualTo(sim.now.toString());
    assertThat(halted.events()).containsExactly(new UpgradeEvent(Reason.UPGRADE_HALTED, message));
    assertThat(halted.refused()).as("halted is no refusal: the target release is applied").isFalse();
    assertThat(halted.recheckAfter()).isNull();
    assertThat(halted.runningVersion()).isEqualTo("1.0.0");

    // it stays halted: identity on 1.1.0, the later components never started
    for (int i = 0; i < 3; i++) {
      sim.tick(Duration.ofMinutes(10));
      sim.settle();
      UpgradeDecision held = sim.reconcile();
      assertThat(held.status().getPhase()).isEqualTo("Halted");
      assertThat(held.problemMessage()).isEqualTo(message);
      assertThat(held.events()).isEmpty();
      assertThat(held.versions()).containsEntry(Component.DATABASE, "1.1.0").containsEntry(Component.CACHE, "1.1.0")
          .containsEntry(Component.OBJECT_STORE, "1.1.0").containsEntry(Component.IDENTITY, "1.1.0")
          .containsEntry(Component.MESSAGE_CENTER, "1.0.0").containsEntry(Component.NETDISK, "1.0.0")
          .containsEntry(Component.WEBOS, "1.0.0");
    }
    assertThat(sim.changes).last().isEqualTo("identity@1.1.0");
  }

  @Test
  void automaticRollbackReturnsTheFailedComponentAtOnceAndStaysThere() {
    Sim sim = new Sim("1.0.0");
    sim.broken.add(Component.IDENTITY);
    sim.spec.getUpgrade().setRollback(RollbackPolicy.Automatic);
    sim.spec.setVersion("1.1.0");
    UpgradeDecision rolledBack = sim.runUntil(phase(UpgradePhase.ROLLED_BACK));
    assertThat(rolledBack.versions()).containsEntry(Component.IDENTITY, "1.0.0")
        .containsEntry(Component.OBJECT_STORE, "1.1.0").containsEntry(Component.MESSAGE_CENTER, "1.0.0");
    assertThat(rolledBack.problemReason()).isEqualTo(ConditionReason.UPGRADE_ROLLED_BACK);
    assertThat(rolledBack.problemMessage()).startsWith("identity did not become healthy on 1.1.0 within 60s: "
        + "0 of 2 pods Ready; identity was rolled back to 1.0.0 and the upgrade stopped before messageCenter");
    assertThat(rolledBack.events()).extracting(UpgradeEvent::type, UpgradeEvent::reason)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(Type.WARNING, Reason.UPGRADE_ROLLED_BACK));
    assertThat(sim.changes).endsWith("identity@1.1.0", "identity@1.0.0");

    // identity is Ready again on 1.0.0; no retry, nothing else moves until spec.version changes
    sim.tick(Duration.ofSeconds(5));
    sim.settle();
    assertThat(sim.workloads.get(Component.IDENTITY).healthy()).isTrue();
    for (int i = 0; i < 3; i++) {
      sim.tick(Duration.ofMinutes(10));
      UpgradeDecision held = sim.reconcile();
      assertThat(held.status().getPhase()).isEqualTo("RolledBack");
      assertThat(held.events()).isEmpty();
      assertThat(held.versions()).containsEntry(Component.IDENTITY, "1.0.0")
          .containsEntry(Component.MESSAGE_CENTER, "1.0.0");
    }
    assertThat(sim.changes).endsWith("identity@1.1.0", "identity@1.0.0");

    // setting the version back returns the data stores too, the last upgraded first
    sim.spec.setVersion("1.0.0");
    UpgradeDecision back = sim.runUntil(SUCCEEDED);
    assertThat(back.versions().values()).containsOnly("1.0.0");
    assertThat(back.runningVersion()).isEqualTo("1.0.0");
    assertThat(sim.changes).endsWith("objectStore@1.0.0", "cache@1.0.0", "database@1.0.0/p1",
        "database@1.0.0/p0");
  }

  @Test
  void settingTheVersionBackMidUpgradeRollsBackOneComponentAtATimeInReverse() {
    Sim sim = haltedAtIdentity();
    int before = sim.changes.size();

    sim.spec.setVersion("1.0.0");
    UpgradeDecision first = sim.reconcile();
    assertThat(first.problemReason()).isNull();
    assertThat(first.status().getFromVersion()).isEqualTo("1.1.0");
    assertThat(first.status().getToVersion()).isEqualTo("1.0.0");
    assertThat(first.status().getComponent()).as("the failed component goes back first").isEqualTo("identity");
    assertThat(first.status().getCompleted()).as("never left 1.0.0").containsExactly("webos", "netdisk",
        "messageCenter");
    assertThat(first.events()).extracting(UpgradeEvent::reason)
        .containsExactly(Reason.ROLLBACK_STARTED, Reason.COMPONENT_UPGRADING);
    assertThat(first.versions()).containsEntry(Component.IDENTITY, "1.0.0")
        .containsEntry(Component.OBJECT_STORE, "1.1.0");

    UpgradeDecision done = sim.runUntil(SUCCEEDED);
    assertThat(sim.changes.subList(before, sim.changes.size())).containsExactly("identity@1.0.0",
        "objectStore@1.0.0", "cache@1.0.0", "database@1.0.0/p1", "database@1.0.0/p0");
    assertThat(done.status().getMessage()).isEqualTo("returned from 1.1.0 to 1.0.0");
    assertThat(done.runningVersion()).isEqualTo("1.0.0");
    assertThat(done.problemReason()).isNull();

    // afterwards 1.0.0 is steady and 1.1.0 may be tried again
    sim.spec.setVersion("1.1.0");
    sim.broken.clear();
    assertThat(sim.runUntil(SUCCEEDED).runningVersion()).isEqualTo("1.1.0");
  }

  @Test
  void aMixedPlatformMovesOnOnlyToAReleaseThatUpgradesFromEveryVersionItRuns() {
    Sim sim = haltedAtIdentity();
    int before = sim.changes.size();

    // 1.2.0 upgrades from 1.1.0 only; the platform still runs 1.0.0 in most components
    sim.spec.setVersion("1.2.0");
    UpgradeDecision refused = sim.reconcile();
    assertThat(refused.problemReason()).isEqualTo(ConditionReason.UPGRADE_NOT_ALLOWED);
    assertThat(refused.problemMessage()).startsWith("release 1.2.0 cannot upgrade from 1.0.0 (it upgrades from 1.1.0)");
    assertThat(refused.status().getPhase()).as("the halted upgrade is kept").isEqualTo("Halted");
    assertThat(refused.versions()).containsEntry(Component.CACHE, "1.1.0").containsEntry(Component.IDENTITY, "1.1.0")
        .containsEntry(Component.WEBOS, "1.0.0");
    assertThat(sim.changes).hasSize(before);

    // a release that upgrades from 1.0.0 but not from 1.1.0, which the data stores and identity run now
    sim.catalog = catalog(release("1.0.0", Set.of()), release("1.1.0", Set.of("1.0.0")),
        release("1.2.0", Set.of("1.0.0")));
    UpgradeDecision partly = sim.reconcile();
    assertThat(partly.problemMessage()).isEqualTo("release 1.2.0 cannot upgrade from 1.1.0, which database, cache, "
        + "objectStore and identity still run (it upgrades from 1.0.0); set spec.version back to 1.0.0 or to a "
        + "version that can");
    assertThat(sim.changes).hasSize(before);
  }

  @Test
  void aRestartAnywhereGivesTheSameDecisionFromTheSameInputs() {
    Sim sim = new Sim("1.0.0");
    sim.spec.setVersion("1.1.0");
    sim.spec.getUpgrade().setPaused(false);
    int checked = 0;
    for (int i = 0; i < 500; i++) {
      // a restarted operator sees only what the API server holds: the status as JSON and the workloads
      CollaborationPlatformStatus persisted = roundTrip(sim.status);
      String given = describe(persisted.getUpgrade());
      UpgradeDecision fresh = UpgradePlanner.plan(platform(sim.spec, persisted, sim.generation()), CATALOG,
          Map.copyOf(sim.workloads), sim.now);
      UpgradeDecision again = UpgradePlanner.plan(platform(sim.spec, roundTrip(sim.status), sim.generation()),
          CATALOG, Map.copyOf(sim.workloads), sim.now);
      UpgradeDecision decision = sim.reconcile();
      assertThat(describe(fresh)).isEqualTo(describe(decision)).isEqualTo(describe(again));
      assertThat(describe(persisted.getUpgrade())).as("plan() changes nothing it is given").isEqualTo(given);
      checked++;
      if (SUCCEEDED.test(decision)) {
        break;
      }
      sim.tick(Duration.ofSeconds(5));
      sim.settle();
    }
    assertThat(checked).isGreaterThan(20);
    assertThat(sim.status.getVersion()).isEqualTo("1.1.0");
  }

  @Test
  void aStatusWriteLostAfterAStepIsRecoveredFromTheWorkloads() {
    Sim sim = new Sim("1.0.0");
    sim.spec.setVersion("1.1.0");
    sim.runUntil(d -> "identity".equals(d.status().getComponent()) && "Soak".equals(d.status().getStep()));
    sim.tick(SOAK);
    CollaborationPlatformStatus stale = roundTrip(sim.status);
    sim.reconcile(); // identity done, messageCenter put on 1.1.0
    assertThat(sim.versionOf(Component.MESSAGE_CENTER)).isEqualTo("1.1.0");
    sim.status = stale; // ... but the status write was lost
    UpgradeDecision decision = sim.reconcile();
    assertThat(decision.status().getComponent()).isEqualTo("messageCenter");
    assertThat(decision.status().getStepStartedAt()).isEqualTo(sim.now.toString());
    assertThat(decision.versions()).containsEntry(Component.MESSAGE_CENTER, "1.1.0")
        .containsEntry(Component.NETDISK, "1.0.0");
    assertThat(sim.runUntil(SUCCEEDED).status().getCompleted()).hasSize(7);
  }

  @Test
  void plannerNeverChangesTheStatusItIsGiven() {
    Sim sim = new Sim("1.0.0");
    sim.spec.setVersion("1.1.0");
    sim.runUntil(d -> "cache".equals(d.status().getComponent()));
    CollaborationPlatformStatus given = roundTrip(sim.status);
    String before = describe(given.getUpgrade());
    sim.tick(Duration.ofMinutes(5));
    plan(sim.spec, given, CATALOG, Map.of(), sim.now);
    assertThat(describe(given.getUpgrade())).isEqualTo(before);
  }

  @Test
  void aRefusalIsAnnouncedOnceAndAnotherTargetIsAnotherRefusal() {
    Sim sim = new Sim("0.9.0");
    sim.spec.setVersion("1.1.0");
    UpgradeDecision refused = sim.reconcile();
    assertThat(refused.events())
        .containsExactly(new UpgradeEvent(Reason.UPGRADE_NOT_ALLOWED, refused.problemMessage()));

    // the same refusal seen again: no event, whatever words the caller put on the Degraded condition
    sim.status.getConditions().get(0).setMessage(refused.problemMessage() + " Nothing was changed.");
    UpgradeDecision again = sim.reconcile();
    assertThat(again.problemReason()).isEqualTo(ConditionReason.UPGRADE_NOT_ALLOWED);
    assertThat(again.events()).isEmpty();

    // 1.2.0 is refused for the same reason, but it is another move: announced once
    sim.spec.setVersion("1.2.0");
    UpgradeDecision other = sim.reconcile();
    assertThat(other.problemReason()).isEqualTo(ConditionReason.UPGRADE_NOT_ALLOWED);
    assertThat(other.problemMessage()).startsWith("release 1.2.0 cannot upgrade from 0.9.0 (it upgrades from 1.1.0)");
    assertThat(other.events()).containsExactly(new UpgradeEvent(Reason.UPGRADE_NOT_ALLOWED, other.problemMessage()));
    assertThat(sim.reconcile().events()).isEmpty();

    // back to 1.1.0: a change of target again
    sim.spec.setVersion("1.1.0");
    assertThat(sim.reconcile().events()).extracting(UpgradeEvent::reason)
        .containsExactly(Reason.UPGRADE_NOT_ALLOWED);
    assertThat(sim.reconcile().events()).isEmpty();

    // the documented limit: another edit of the spec repeats the refusal once
    sim.spec.getUpgrade().setRollback(RollbackPolicy.Automatic);
    assertThat(sim.reconcile().events()).hasSize(1);
    assertThat(sim.reconcile().events()).isEmpty();

    // a Degraded condition of the same reason written for an older generation is not this refusal
    sim.status.getConditions().get(0).setObservedGeneration(sim.generation - 1);
    assertThat(sim.reconcile().events()).hasSize(1);

    assertThat(sim.reasons()).containsOnly(Reason.UPGRADE_NOT_ALLOWED).hasSize(5);
    assertThat(sim.changes).isEmpty();
  }

  @Test
  void anUpgradeSkipsASwitchedOffComponent() {
    Sim sim = new Sim("1.0.0");
    sim.switchOffNetdisk();
    assertThat(sim.reconcile().versions()).containsEntry(Component.NETDISK, "1.0.0");

    sim.spec.setVersion("1.1.0");
    UpgradeDecision first = sim.reconcile();
    assertThat(first.events()).first().extracting(UpgradeEvent::message).isEqualTo("upgrading from 1.0.0 to 1.1.0, "
        + "one component at a time: database, cache, objectStore, identity, messageCenter, webos");
    assertThat(first.status().getMessage()).endsWith("(0 of 6 components done)");
    assertThat(first.versions()).as("a version for every component").hasSize(7)
        .containsEntry(Component.NETDISK, "1.1.0").containsEntry(Component.CACHE, "1.0.0");

    UpgradeDecision atWebos = sim.runUntil(d -> "webos".equals(d.status().getComponent()));
    assertThat(atWebos.status().getCompleted()).containsExactly("database", "cache", "objectStore", "identity",
        "messageCenter");
    assertThat(atWebos.status().getMessage()).endsWith("(5 of 6 components done)");

    UpgradeDecision done = sim.runUntil(SUCCEEDED);
    assertThat(done.runningVersion()).isEqualTo("1.1.0");
    assertThat(done.problemReason()).isNull();
    assertThat(done.status().getCompleted()).containsExactly("database", "cache", "objectStore", "identity",
        "messageCenter", "webos");
    assertThat(sim.changes).containsExactly("database@1.1.0/p1", "database@1.1.0/p0", "cache@1.1.0",
        "objectStore@1.1.0", "identity@1.1.0", "messageCenter@1.1.0", "webos@1.1.0");
    assertThat(sim.reasons()).filteredOn(Reason.COMPONENT_UPGRADED::equals).hasSize(6);
    assertThat(sim.events).extracting(UpgradeEvent::message).noneMatch(m -> m.contains("netdisk"));
    assertThat(sim.workloads).doesNotContainKey(Component.NETDISK);

    // switched on again, it starts on the version the platform runs
    sim.spec.setNetdisk(new NetdiskSpec());
    UpgradeDecision on = sim.reconcile();
    assertThat(on.versions()).containsEntry(Component.NETDISK, "1.1.0");
    assertThat(sim.changes).last().isEqualTo("netdisk@1.1.0 (created)");
    assertThat(on.status().getCompleted()).as("the finished upgrade is history").hasSize(6);
  }

  @Test
  void aComponentSwitchedOffMidUpgradeIsNotWaitedFor() {
    Sim sim = new Sim("1.0.0");
    sim.broken.add(Component.NETDISK);
    sim.spec.setVersion("1.1.0");
    sim.runUntil(d -> "netdisk".equals(d.status().getComponent()));
    sim.tick(Duration.ofSeconds(5));
    sim.settle();
    UpgradeDecision waiting = sim.reconcile();
    assertThat(waiting.status().getMessage()).startsWith("waiting for netdisk").endsWith("5 of 7 components done)");

    sim.switchOffNetdisk();
    UpgradeDecision next = sim.reconcile();
    assertThat(next.status().getComponent()).as("the next one starts at once").isEqualTo("webos");
    assertThat(next.status().getStepStartedAt()).isEqualTo(sim.now.toString());
    assertThat(next.status().getMessage()).isEqualTo("upgrading webos to 1.1.0 (5 of 6 components done)");
    assertThat(next.events()).extracting(UpgradeEvent::reason).containsExactly(Reason.COMPONENT_UPGRADING);
    assertThat(next.versions()).containsEntry(Component.NETDISK, "1.1.0").containsEntry(Component.WEBOS, "1.1.0");

    // well past netdisk's deadline: nothing halts
    UpgradeDecision done = sim.runUntil(SUCCEEDED);
    assertThat(done.status().getCompleted()).containsExactly("database", "cache", "objectStore", "identity",
        "messageCenter", "webos");
    assertThat(sim.reasons()).doesNotContain(Reason.UPGRADE_HALTED, Reason.UPGRADE_ROLLED_BACK);
  }

  @Test
  void aComponentSwitchedOffAfterItsTurnDropsOutOfCompleted() {
    Sim sim = new Sim("1.0.0");
    sim.spec.setVersion("1.1.0");
    sim.runUntil(d -> "webos".equals(d.status().getComponent()));
    assertThat(sim.upgrade().getCompleted()).contains("netdisk");
    sim.switchOffNetdisk();
    UpgradeDecision decision = sim.reconcile();
    assertThat(decision.status().getCompleted()).containsExactly("database", "cache", "objectStore", "identity",
        "messageCenter");
    assertThat(decision.status().getMessage()).endsWith("5 of 6 components done)");
    assertThat(sim.runUntil(SUCCEEDED).status().getCompleted()).hasSize(6).doesNotContain("netdisk");
  }

  @Test
  void aSwitchedOffComponentOnAVersionTheTargetCannotUpgradeFromDoesNotBlock() {
    Sim sim = new Sim("1.0.0");
    sim.workloads.put(Component.NETDISK, new WorkloadState("0.9.0", 2, 2, 2, true, 0));
    sim.spec.setVersion("1.1.0");
    UpgradeDecision blocked = sim.reconcile();
    assertThat(blocked.problemReason()).as("while it is on, it counts").isEqualTo(ConditionReason.UPGRADE_NOT_ALLOWED);
    assertThat(blocked.problemMessage())
        .startsWith("release 1.1.0 cannot upgrade from 0.9.0, which netdisk still runs");

    sim.switchOffNetdisk();
    sim.workloads.put(Component.NETDISK, new WorkloadState("0.9.0", 2, 2, 2, true, 0)); // still shown while deleted
    UpgradeDecision started = sim.reconcile();
    assertThat(started.problemReason()).isNull();
    assertThat(started.events()).extracting(UpgradeEvent::reason)
        .containsExactly(Reason.UPGRADE_STARTED, Reason.COMPONENT_UPGRADING);
    UpgradeDecision done = sim.runUntil(SUCCEEDED);
    assertThat(done.versions()).containsEntry(Component.NETDISK, "1.1.0");
    assertThat(done.runningVersion()).isEqualTo("1.1.0");
    assertThat(sim.versionOf(Component.NETDISK)).as("not touched, not waited for").isEqualTo("0.9.0");
  }

  @Test
  void firstInstallDoesNotWaitForASwitchedOffComponent() {
    Sim sim = new Sim("1.0.0");
    sim.switchOffNetdisk();
    sim.status = new CollaborationPlatformStatus();
    UpgradeDecision decision = plan(sim.spec, sim.status, CATALOG, sim.workloads, T0);
    assertThat(decision.runningVersion()).isEqualTo("1.0.0");
    assertThat(decision.versions()).hasSize(7).containsEntry(Component.NETDISK, "1.0.0");

    sim.spec.setNetdisk(new NetdiskSpec());
    assertThat(plan(sim.spec, sim.status, CATALOG, sim.workloads, T0).runningVersion())
        .as("switched on, it is waited for").isNull();
  }

  static String describe(UpgradeDecision d) {
    return d.versions() + " p" + d.databasePartition() + " " + d.runningVersion() + " "
        + (d.status() == null ? null : describe(d.status())) + " " + d.problemReason() + " " + d.problemMessage()
        + " " + d.recheckAfter() + " " + d.events();
  }

  static String describe(UpgradeStatus u) {
    if (u == null) {
      return "null";
    }
    return String.join("|", u.getFromVersion(), u.getToVersion(), u.getPhase(), u.getComponent(), u.getStep(),
        String.valueOf(u.getCompleted()), u.getStartedAt(), u.getStepStartedAt(), u.getHealthySince(),
        u.getFinishedAt(), u.getMessage());
  }
}
