package dev.atrium.testing.kube;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A single-node k3s cluster in a container started by Testcontainers. It needs a Docker engine
 * and the k3s image in that engine (or a registry that serves it); without either it fails with
 * a message that says which is missing.
 */
public final class K3sCluster implements KubeCluster {

  public static final String IMAGE_PROPERTY = "atrium.k3s.image";
  public static final String DEFAULT_IMAGE = "rancher/k3s:v1.35.4-k3s1";

  private final K3sContainer container;
  private final KubernetesClient client;
  private final Path kubeconfig;

  private K3sCluster(K3sContainer container, KubernetesClient client, Path kubeconfig) {
    this.container = container;
    this.client = client;
    this.kubeconfig = kubeconfig;
  }

  /** Starts k3s from {@code -Datrium.k3s.image} (default {@value #DEFAULT_IMAGE}). */
  public static K3sCluster start() {
    return start(System.getProperty(IMAGE_PROPERTY, DEFAULT_IMAGE));
  }

  public static K3sCluster start(String image) {
    if (!dockerAvailable()) {
      throw new ClusterUnavailableException("-D" + ClusterKind.PROPERTY + "=k3s needs a Docker engine, and none is"
          + " reachable (DOCKER_HOST=" + System.getenv("DOCKER_HOST") + ", or /var/run/docker.sock). Start"
          + " dockerd, or run with -D" + ClusterKind.PROPERTY + "=local or =kubeconfig instead.");
    }
    K3sContainer container = new K3sContainer(DockerImageName.parse(image).asCompatibleSubstituteFor("rancher/k3s"));
    try {
      container.start();
    } catch (RuntimeException e) {
      container.close();
      throw new ClusterUnavailableException("k3s did not start from image " + image + ": " + rootMessage(e)
          + ". If no registry serves the image here, load it into the Docker engine first"
          + " (docker load -i k3s.tar) or name another with -D" + IMAGE_PROPERTY + ".", e);
    }
    try {
      Path kubeconfig = Files.createTempFile("atrium-k3s-", ".kubeconfig");
      Files.writeString(kubeconfig, container.getKubeConfigYaml());
      KubernetesClient client = new KubernetesClientBuilder()
          .withConfig(Config.fromKubeconfig(container.getKubeConfigYaml())).build();
      return new K3sCluster(container, client, kubeconfig);
    } catch (IOException e) {
      container.close();
      throw new UncheckedIOException(e);
    }
  }

  private static boolean dockerAvailable() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }

  @Override
  public String description() {
    return "k3s " + container.getDockerImageName() + " at " + client.getMasterUrl();
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
    // Testcontainers removes the container; its log is printed by Testcontainers on failure
  }

  @Override
  public void close() {
    client.close();
    container.close();
    try {
      Files.deleteIfExists(kubeconfig);
    } catch (IOException e) {
      // a temporary file; the OS cleans it up
    }
  }
}
