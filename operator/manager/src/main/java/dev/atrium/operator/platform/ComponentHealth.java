package dev.atrium.operator.platform;

import dev.atrium.api.v1alpha1.ComponentStatus;
import dev.atrium.operator.model.Component;
import dev.atrium.operator.model.Labels;
import dev.atrium.operator.upgrade.WorkloadState;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.Objects;

/**
 * Reads a component's workload (Deployment or StatefulSet) into a {@link WorkloadState}: the one
 * definition of "healthy" that both the status and the upgrade planner use. Pure.
 */
final class ComponentHealth {

  private ComponentHealth() {
  }

  /**
   * A Deployment: rolled out when its controller saw the latest spec and every pod it wants runs the current
   * template and is available.
   *
   * @param floor the fewest pods the component may run, e.g. its autoscaler's minimum; 0 for none: until the
   *     autoscaler has raised a new Deployment to it, the component is not at strength
   */
  static WorkloadState of(Deployment deployment, int floor) {
    int desired = Math.max(floor, Objects.requireNonNullElse(deployment.getSpec().getReplicas(), 1));
    var s = deployment.getStatus();
    int ready = s == null ? 0 : Objects.requireNonNullElse(s.getReadyReplicas(), 0);
    int updated = s == null ? 0 : Objects.requireNonNullElse(s.getUpdatedReplicas(), 0);
    boolean rolledOut = s != null && observedLatest(s.getObservedGeneration(), deployment.getMetadata().getGeneration())
        && updated == desired
        && Objects.requireNonNullElse(s.getReplicas(), 0) == desired
        && Objects.requireNonNullElse(s.getAvailableReplicas(), 0) == desired;
    return new WorkloadState(versionLabel(deployment), desired, ready, updated, rolledOut, 0);
  }

  /**
   * A StatefulSet: rolled out when its controller saw the latest spec and every pod from the rollout partition's
   * ordinal up runs the current template (with no partition: one revision for all pods).
   */
  static WorkloadState of(StatefulSet statefulSet) {
    int desired = Objects.requireNonNullElse(statefulSet.getSpec().getReplicas(), 1);
    var strategy = statefulSet.getSpec().getUpdateStrategy();
    int partition = strategy == null || strategy.getRollingUpdate() == null ? 0
        : Objects.requireNonNullElse(strategy.getRollingUpdate().getPartition(), 0);
    var s = statefulSet.getStatus();
    int ready = s == null ? 0 : Objects.requireNonNullElse(s.getReadyReplicas(), 0);
    int updated = s == null ? 0 : Objects.requireNonNullElse(s.getUpdatedReplicas(), 0);
    boolean rolledOut = s != null && observedLatest(s.getObservedGeneration(), statefulSet.getMetadata().getGeneration())
        && updated >= desired - Math.min(partition, desired)
        && (partition > 0 || Objects.equals(s.getCurrentRevision(), s.getUpdateRevision()));
    return new WorkloadState(versionLabel(statefulSet), desired, ready, updated, rolledOut, partition);
  }

  /**
   * A component's line in the status.
   *
   * @param workload what its workload shows, or null when it has none yet
   * @param image the image its pods run, or null
   * @param version the release it runs, or null
   */
  static ComponentStatus status(Component component, WorkloadState workload, String image, String version) {
    ComponentStatus status = new ComponentStatus();
    status.setName(component.specField());
    status.setImage(image);
    status.setVersion(version);
    status.setDesiredReplicas(workload == null ? 0 : workload.desiredReplicas());
    status.setReadyReplicas(workload == null ? 0 : workload.readyReplicas());
    status.setReady(workload != null && workload.healthy());
    return status;
  }

  private static boolean observedLatest(Long observed, Long generation) {
    return observed != null && generation != null && observed >= generation;
  }

  private static String versionLabel(HasMetadata workload) {
    return workload.getMetadata().getLabels() == null ? null : workload.getMetadata().getLabels().get(Labels.VERSION);
  }
}
