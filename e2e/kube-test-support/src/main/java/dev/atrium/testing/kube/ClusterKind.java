package dev.atrium.testing.kube;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The clusters a test run can use, selected with {@code -Datrium.cluster=...}. */
public enum ClusterKind {
  /** etcd, kube-apiserver, kube-controller-manager, kube-scheduler and KWOK started from hack/tools.sh's binaries. */
  LOCAL,
  /**
   * The local control plane with one real node (kubelet, containerd, kube-proxy in namespaces of their own)
   * and a local registry that every image is pulled from; needs root and hack/images.sh's archives.
   */
  NODE,
  /** Whatever cluster the KUBECONFIG environment variable (or ~/.kube/config) points at. */
  KUBECONFIG,
  /** A k3s container started by Testcontainers; needs a Docker engine and the k3s image. */
  K3S;

  public static final String PROPERTY = "atrium.cluster";

  public static ClusterKind fromSystemProperties() {
    String value = System.getProperty(PROPERTY, System.getenv().getOrDefault("ATRIUM_CLUSTER", "local"));
    return parse(value);
  }

  public static ClusterKind parse(String value) {
    String normalized = value == null ? "" : value.trim().toUpperCase(Locale.ROOT);
    for (ClusterKind kind : values()) {
      if (kind.name().equals(normalized)) {
        return kind;
      }
    }
    throw new IllegalArgumentException("Unknown cluster '" + value + "' in -D" + PROPERTY + "; use one of "
        + Arrays.stream(values()).map(ClusterKind::propertyValue).collect(Collectors.joining(", ")));
  }

  public String propertyValue() {
    return name().toLowerCase(Locale.ROOT);
  }
}
