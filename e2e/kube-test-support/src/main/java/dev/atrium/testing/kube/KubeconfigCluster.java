package dev.atrium.testing.kube;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Files;
import java.nio.file.Path;

/** An existing cluster named by KUBECONFIG (or ~/.kube/config); it is neither started nor stopped here. */
public final class KubeconfigCluster implements KubeCluster {

  private final Path kubeconfig;
  private final KubernetesClient client;
  private final String version;

  private KubeconfigCluster(Path kubeconfig, KubernetesClient client, String version) {
    this.kubeconfig = kubeconfig;
    this.client = client;
    this.version = version;
  }

  /** Connects to the cluster of the current context and checks that it answers. */
  public static KubeconfigCluster connect() {
    String env = System.getenv("KUBECONFIG");
    Path path = env != null && !env.isBlank()
        ? Path.of(env.split(java.io.File.pathSeparator)[0])
        : Path.of(System.getProperty("user.home"), ".kube", "config");
    if (!Files.isReadable(path)) {
      throw new ClusterUnavailableException("-D" + ClusterKind.PROPERTY + "=kubeconfig needs a kubeconfig, but "
          + path + " does not exist or cannot be read; set KUBECONFIG to your cluster's kubeconfig file");
    }
    KubernetesClient client = new KubernetesClientBuilder().withConfig(Config.autoConfigure(null)).build();
    try {
      String version = client.getKubernetesVersion().getGitVersion();
      return new KubeconfigCluster(path, client, version);
    } catch (KubernetesClientException e) {
      client.close();
      throw new ClusterUnavailableException("The cluster in " + path + " (" + client.getMasterUrl()
          + ") does not answer: " + e.getMessage(), e);
    }
  }

  @Override
  public String description() {
    return "cluster from " + kubeconfig + " (Kubernetes " + version + ") at " + client.getMasterUrl();
  }

  @Override
  public KubernetesClient client() {
    return client;
  }

  @Override
  public Path kubeconfig() {
    return kubeconfig;
  }

  @Override
  public void markFailed() {
    // nothing to keep: the cluster outlives the test run and keeps its own logs
  }

  @Override
  public void close() {
    client.close();
  }
}
