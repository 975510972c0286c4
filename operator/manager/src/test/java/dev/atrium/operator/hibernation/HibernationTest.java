package dev.atrium.operator.hibernation;

import static dev.atrium.operator.model.Component.CACHE;
import static dev.atrium.operator.model.Component.DATABASE;
import static dev.atrium.operator.model.Component.IDENTITY;
import static dev.atrium.operator.model.Component.OBJECT_STORE;
import static dev.atrium.operator.model.Component.WEBOS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.atrium.operator.hibernation.Hibernation.Plan;
import dev.atrium.operator.hibernation.Hibernation.Stage;
import dev.atrium.operator.hibernation.Hibernation.Workload;
import dev.atrium.operator.model.Component;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HibernationTest {

  private static final List<Component> ENABLED = List.of(IDENTITY, WEBOS, DATABASE, CACHE, OBJECT_STORE);
  private static final Workload RUNNING_2 = new Workload(2, 2, true);
  private static final Workload ASLEEP = new Workload(0, 0, true);

  private static Map<Component, Workload> all(Workload services, Workload stores) {
    Map<Component, Workload> workloads = new EnumMap<>(Component.class);
    ENABLED.forEach(c -> workloads.put(c, c.stateful() ? stores : services));
    return workloads;
  }

  @Test
  void anAwakePlatformHoldsNothingBack() {
    assertThat(Hibernation.plan(false, ENABLED, all(RUNNING_2, RUNNING_2), false)).isEqualTo(Plan.AWAKE);
  }

  @Test
  void aNewPlatformStartsEverythingAtOnceAsBefore() {
    // no workload yet is a first install, not a wake: nothing is held back
    assertThat(Hibernation.plan(false, ENABLED, Map.of(), false)).isEqualTo(Plan.AWAKE);
  }

  @Test
  void goingToSleepStopsTheServicesFirstAndKeepsTheDataStoresRunning() {
    Plan plan = Hibernation.plan(true, ENABLED, all(RUNNING_2, RUNNING_2), false);

    assertThat(plan.stage()).isEqualTo(Stage.HIBERNATING);
    assertThat(plan.atZero()).containsExactlyInAnyOrder(IDENTITY, WEBOS);
    assertThat(plan.message()).contains("identity, webos").contains("data stores stop once no service pod is left");
  }

  @Test
  void aServicePodStillTerminatingKeepsTheDataStoresRunning() {
    Map<Component, Workload> workloads = all(ASLEEP, RUNNING_2);
    workloads.put(WEBOS, new Workload(0, 1, false)); // scaled to zero, one pod still draining

    Plan plan = Hibernation.plan(true, ENABLED, workloads, false);

    assertThat(plan.atZero()).containsExactlyInAnyOrder(IDENTITY, WEBOS);
    assertThat(plan.message()).contains("stopping webos");
  }

  @Test
  void onceNoServicePodIsLeftTheDataStoresStop() {
    Plan plan = Hibernation.plan(true, ENABLED, all(ASLEEP, RUNNING_2), false);

    assertThat(plan.stage()).isEqualTo(Stage.HIBERNATING);
    assertThat(plan.atZero()).containsExactlyInAnyOrderElementsOf(ENABLED);
    assertThat(plan.message()).contains("stopping database, cache, objectStore");
  }

  @Test
  void noPodLeftIsHibernated() {
    Plan plan = Hibernation.plan(true, ENABLED, all(ASLEEP, ASLEEP), false);

    assertThat(plan.stage()).isEqualTo(Stage.HIBERNATED);
    assertThat(plan.asleep()).isTrue();
    assertThat(plan.atZero()).containsExactlyInAnyOrderElementsOf(ENABLED);
  }

  @Test
  void anUpgradeStepUnderWayIsFinishedBeforeAnythingStops() {
    Plan plan = Hibernation.plan(true, ENABLED, all(RUNNING_2, RUNNING_2), true);

    assertThat(plan.stage()).isEqualTo(Stage.WAITING_FOR_UPGRADE);
    assertThat(plan.atZero()).isEmpty();
  }

  @Test
  void theFirstPassOfAWakeHoldsTheServicesWhileTheDataStoresStillAskForNoPod() {
    // zero pods of zero asked for is "healthy"; asleep is not ready
    Plan plan = Hibernation.plan(false, ENABLED, all(ASLEEP, ASLEEP), false);

    assertThat(plan.stage()).isEqualTo(Stage.WAKING);
    assertThat(plan.atZero()).containsExactlyInAnyOrder(IDENTITY, WEBOS);
    assertThat(plan.message()).endsWith("start once database, cache, objectStore are ready");
  }

  @Test
  void wakingHoldsTheSleepingServicesUntilEveryDataStoreIsReady() {
    Map<Component, Workload> workloads = all(ASLEEP, RUNNING_2);
    workloads.put(CACHE, new Workload(3, 1, false)); // still starting

    Plan plan = Hibernation.plan(false, ENABLED, workloads, false);

    assertThat(plan.stage()).isEqualTo(Stage.WAKING);
    assertThat(plan.atZero()).containsExactlyInAnyOrder(IDENTITY, WEBOS);
    assertThat(plan.message()).isEqualTo("Waking: identity, webos start once cache is ready");
  }

  @Test
  void wakingReleasesTheServicesWhenTheDataStoresAreReady() {
    assertThat(Hibernation.plan(false, ENABLED, all(ASLEEP, RUNNING_2), false)).isEqualTo(Plan.AWAKE);
  }

  @Test
  void aRunningServiceIsNeverStoppedBecauseADataStoreIsUnwell() {
    Map<Component, Workload> workloads = all(RUNNING_2, RUNNING_2);
    workloads.put(DATABASE, new Workload(2, 1, false)); // a database pod lost while awake

    assertThat(Hibernation.plan(false, ENABLED, workloads, false)).isEqualTo(Plan.AWAKE);
  }
}
