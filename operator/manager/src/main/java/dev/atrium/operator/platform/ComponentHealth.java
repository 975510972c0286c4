package dev.atrium.operator.platform;

import dev.atrium.api.v1alpha1.ComponentStatus;
import dev.atrium.operator.model.Component;
import dev.atrium.operator.model.Labels;
import dev.atrium.operator.upgrade.WorkloadState;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.Objects;

/** Reads a component's readiness from its Deployment or StatefulSet. Pure. */
final class ComponentHealth {

  private ComponentHealth() {
  }

  /**
   * @param floor the fewest pods the component may run, e.g. its autoscaler's minimum; 0 for none
   */
  static ComponentStatus of(Component component, Deployment deployment, int floor, String image, String version) {
    ComponentStatus status = base(component, image, version);
    if (deployment == null) {
      return missing(status);
    }
    // until the autoscaler has raised a new Deployment to its minimum, the component is not at strength
    int desired = Math.max(floor, Objects.requireNonNullElse(deployment.getSpec().getReplicas(), 1));
    var s = deployment.getStatus();
    int ready = s == null ? 0 : Objects.requireNonNullElse(s.getReadyReplicas(), 0);
    boolean current = s != null && Objects.equals(s.getObservedGeneration(), deployment.getMetadata().getGeneration())
        && Objects.requireNonNullElse(s.getUpdatedReplicas(), 0) == desired
        && Objects.requireNonNullElse(s.getReplicas(), 0) == desired
        && Objects.requireNonNullElse(s.getAvailableReplicas(), 0) == desired;
    return fill(status, desired, ready, current && ready == desired);
  }

  static ComponentStatus of(Component component, StatefulSet statefulSet, String image, String version) {
    ComponentStatus status = base(component, image, version);
    if (statefulSet == null) {
      return missing(status);
    }
    int desired = Objects.requireNonNullElse(statefulSet.getSpec().getReplicas(), 1);
    var s = statefulSet.getStatus();
    int ready = s == null ? 0 : Objects.requireNonNullElse(s.getReadyReplicas(), 0);
    boolean current = s != null
        && Objects.equals(s.getObservedGeneration(), statefulSet.getMetadata().getGeneration())
        && Objects.requireNonNullElse(s.getUpdatedReplicas(), 0) == desired
        && Objects.equals(s.getCurrentRevision(), s.getUpdateRevision());
    return fill(status, desired, ready, current && ready == desired);
  }

  private static ComponentStatus base(Component component, String image, String version) {
    ComponentStatus status = new ComponentStatus();
    status.setName(component.specField());
    status.setImage(image);
    status.setVersion(version);
    return status;
  }

  private static ComponentStatus missing(ComponentStatus status) {
    status.setDesiredReplicas(0);
    status.setReadyReplicas(0);
    status.setReady(false);
    return status;
  }

  private static ComponentStatus fill(ComponentStatus status, int desired, int ready, boolean isReady) {
    status.setDesiredReplicas(desired);
    status.setReadyReplicas(ready);
    status.setReady(isReady);
    return status;
  }

  /** A Deployment as the upgrade planner sees it; version is the release its spec runs. */
  static WorkloadState workload(Deployment deployment) {
    int desired = Objects.requireNonNullElse(deployment.getSpec().getReplicas(), 1);
    var s = deployment.getStatus();
    int ready = s == null ? 0 : Objects.requireNonNullElse(s.getReadyReplicas(), 0);
    int updated = s == null ? 0 : Objects.requireNonNullElse(s.getUpdatedReplicas(), 0);
    boolean rolledOut = s != null && observedLatest(s.getObservedGeneration(), deployment.getMetadata().getGeneration())
        && updated == desired && Objects.requireNonNullElse(s.getReplicas(), 0) == desired;
    return new WorkloadState(versionLabel(deployment), desired, ready, updated, rolledOut, 0);
  }

  /** A StatefulSet as the upgrade planner sees it: pods from the partition's ordinal up must run the new template. */
  static WorkloadState workload(StatefulSet statefulSet) {
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

  private static boolean observedLatest(Long observed, Long generation) {
    return observed != null && generation != null && observed >= generation;
  }

  private static String versionLabel(HasMetadata workload) {
    return workload.getMetadata().getLabels() == null ? null : workload.getMetadata().getLabels().get(Labels.VERSION);
  }
}
