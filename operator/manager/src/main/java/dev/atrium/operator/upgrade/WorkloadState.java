package dev.atrium.operator.upgrade;

/**
 * What the cluster shows of one component's workload (Deployment or StatefulSet).
 *
 * @param version the app.kubernetes.io/version label on the workload, i.e. the release its spec runs; null if absent
 * @param rolledOut the controller observed the latest generation and every pod from ordinal {@code partition} up
 *     (all pods for a Deployment, partition 0) runs the current template
 * @param partition the StatefulSet's rollingUpdate partition (0 for a Deployment)
 */
public record WorkloadState(String version, int desiredReplicas, int readyReplicas, int updatedReplicas,
    boolean rolledOut, int partition) {

  public boolean healthy() {
    return rolledOut && readyReplicas >= desiredReplicas;
  }
}
