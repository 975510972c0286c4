package dev.atrium.operator.hibernation;

import dev.atrium.operator.model.Component;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Decides, for one reconcile, which components run no pod because the platform sleeps ({@code spec.hibernate}) or is
 * waking from sleep. Pure: it reads what the workloads show and says what their replicas should be.
 *
 * <p>Going to sleep, the services stop first and the data stores only once no service pod is left, so that a
 * service draining its last requests still has its database, cache and object store. Waking, the data stores start
 * first and a service that sleeps stays at zero until every data store is ready: a service started before its
 * database waits for it for 90 s at most, then fails and waits out the kubelet's crash back-off (10 s, 20 s, ...);
 * started after, it comes up at once. Only a service that runs no
 * pod is held back; one that runs is never stopped by a data store's trouble.
 *
 * <p>An upgrade step under way is finished before anything sleeps (its health gate would otherwise read a stopped
 * component as failed); the upgrade planner moves no further component while the platform sleeps.
 */
public final class Hibernation {

  private Hibernation() {
  }

  /**
   * A component's workload as the cluster shows it.
   *
   * @param replicas the pods its spec asks for
   * @param pods the pods that exist (terminating ones not counted)
   * @param healthy rolled out and every pod it asks for ready
   */
  public record Workload(int replicas, int pods, boolean healthy) {
  }

  /** Where a platform is between awake and asleep. */
  public enum Stage {
    /** Not asked to sleep and nothing held back. */
    AWAKE,
    /** Asked to sleep while an upgrade step is under way: nothing stops until it ends. */
    WAITING_FOR_UPGRADE,
    /** Asked to sleep: pods are stopping. */
    HIBERNATING,
    /** Asleep: no pod of any component runs. */
    HIBERNATED,
    /** Asked to wake: services wait for the data stores to be ready. */
    WAKING
  }

  /**
   * The decision.
   *
   * @param stage where the platform is
   * @param atZero the components whose replicas are zero in what is applied (and that get no autoscaler)
   * @param message what a person reads in the platform's conditions; empty while awake
   */
  public record Plan(Stage stage, Set<Component> atZero, String message) {

    public Plan {
      atZero = atZero.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(atZero));
    }

    public static final Plan AWAKE = new Plan(Stage.AWAKE, Set.of(), "");

    public boolean asleep() {
      return stage == Stage.HIBERNATING || stage == Stage.HIBERNATED;
    }
  }

  /**
   * @param hibernate spec.hibernate
   * @param enabled the switched-on components
   * @param workloads each switched-on component's workload; a component without one yet is absent
   * @param upgradeStepUnderWay a component is being moved to another release and its health gate has not passed
   */
  public static Plan plan(boolean hibernate, Collection<Component> enabled, Map<Component, Workload> workloads,
      boolean upgradeStepUnderWay) {
    List<Component> services = enabled.stream().filter(c -> !c.stateful()).toList();
    List<Component> stores = enabled.stream().filter(Component::stateful).toList();
    if (hibernate) {
      if (upgradeStepUnderWay) {
        return new Plan(Stage.WAITING_FOR_UPGRADE, Set.of(),
            "Hibernation waits for the upgrade step under way to end; then every component is scaled to zero");
      }
      List<Component> running = withPods(services, workloads);
      Set<Component> atZero = EnumSet.noneOf(Component.class);
      atZero.addAll(services);
      if (running.isEmpty()) {
        atZero.addAll(stores);
      }
      List<Component> stillRunning = running.isEmpty() ? withPods(stores, workloads) : running;
      if (stillRunning.isEmpty()) {
        return new Plan(Stage.HIBERNATED, atZero, "Hibernated: no pod runs; every volume and credential is kept. "
            + "Set spec.hibernate to false to wake the platform");
      }
      return new Plan(Stage.HIBERNATING, atZero, "Hibernating: stopping " + names(stillRunning)
          + (running.isEmpty() ? "" : "; the data stores stop once no service pod is left"));
    }
    List<Component> asleep = services.stream()
        .filter(c -> workloads.containsKey(c) && workloads.get(c).replicas() == 0 && workloads.get(c).pods() == 0)
        .toList();
    // a store still at zero has every pod it asks for, none: asleep, not ready
    List<Component> storesNotReady = stores.stream().filter(c -> !workloads.containsKey(c)
        || workloads.get(c).replicas() == 0 || !workloads.get(c).healthy()).toList();
    if (asleep.isEmpty() || storesNotReady.isEmpty()) {
      return Plan.AWAKE;
    }
    return new Plan(Stage.WAKING, Set.copyOf(asleep), "Waking: " + names(asleep) + " start once "
        + names(storesNotReady) + (storesNotReady.size() == 1 ? " is" : " are") + " ready");
  }

  private static List<Component> withPods(List<Component> components, Map<Component, Workload> workloads) {
    List<Component> running = new ArrayList<>();
    for (Component c : components) {
      Workload w = workloads.get(c);
      if (w != null && (w.pods() > 0 || w.replicas() > 0)) {
        running.add(c);
      }
    }
    return running;
  }

  private static String names(List<Component> components) {
    return components.stream().map(Component::specField).collect(Collectors.joining(", "));
  }
}
