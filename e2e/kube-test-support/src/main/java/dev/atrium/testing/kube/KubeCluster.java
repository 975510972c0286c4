package dev.atrium.testing.kube;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A real Kubernetes cluster that tests run against: the local control plane, any cluster named by
 * KUBECONFIG, or k3s. Which one is chosen by {@link ClusterKind#fromSystemProperties()}.
 */
public interface KubeCluster extends AutoCloseable {

  /** A line a person can read in a test log, e.g. which cluster and which version. */
  String description();

  /** A client for the cluster; owned by the cluster, so callers must not close it. */
  KubernetesClient client();

  /** A kubeconfig file for tools that run beside the tests (kubectl, helm, the operator). */
  Path kubeconfig();

  /**
   * The API server's audit log of requests made by service accounts, where the test can read it
   * (the local control plane); empty for clusters the tests do not run.
   */
  default Optional<Path> auditLog() {
    return Optional.empty();
  }

  /** Asks the cluster to keep its logs when it closes, because a test that used it failed. */
  void markFailed();

  /** Stops the cluster if this cluster started it; never throws. */
  @Override
  void close();
}
