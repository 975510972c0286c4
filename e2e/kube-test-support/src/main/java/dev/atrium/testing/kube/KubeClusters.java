package dev.atrium.testing.kube;

/** Starts or connects to the cluster a test run asked for. */
public final class KubeClusters {

  private KubeClusters() {
  }

  /** The cluster selected by {@code -Datrium.cluster} (local by default). */
  public static KubeCluster fromSystemProperties() {
    return start(ClusterKind.fromSystemProperties());
  }

  public static KubeCluster start(ClusterKind kind) {
    return switch (kind) {
      case LOCAL -> LocalControlPlane.start(LocalControlPlane.Settings.fromSystemProperties());
      case NODE -> NodeCluster.start(NodeCluster.Settings.fromSystemProperties());
      case KUBECONFIG -> KubeconfigCluster.connect();
      case K3S -> K3sCluster.start();
    };
  }
}
