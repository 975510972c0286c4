package dev.atrium.testing.kube;

import io.fabric8.kubernetes.api.model.Node;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the local control plane for a person (hack/run.sh): starts it, writes its kubeconfig to a
 * stable path, prints how to use it and keeps it running until Ctrl-C or SIGTERM, which stop every
 * process it started.
 *
 * <pre>
 * LocalClusterCli --kubeconfig-out PATH [--exit-when-ready]
 * </pre>
 */
public final class LocalClusterCli {

  private LocalClusterCli() {
  }

  public static void main(String[] args) throws IOException, InterruptedException {
    Path kubeconfigOut = null;
    boolean exitWhenReady = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--kubeconfig-out" -> kubeconfigOut = Path.of(args[++i]).toAbsolutePath();
        case "--exit-when-ready" -> exitWhenReady = true;
        default -> {
          System.err.println("unknown argument " + args[i] + "; usage: --kubeconfig-out PATH [--exit-when-ready]");
          System.exit(2);
        }
      }
    }
    if (kubeconfigOut == null) {
      System.err.println("--kubeconfig-out PATH is required");
      System.exit(2);
    }
    PrintStream out = System.out;
    LocalControlPlane.Settings settings = LocalControlPlane.Settings.fromSystemProperties();
    LocalControlPlane cluster;
    try {
      cluster = LocalControlPlane.start(settings);
    } catch (ClusterUnavailableException e) {
      System.err.println("error: " + e.getMessage());
      System.exit(1);
      return;
    }
    try {
      Files.createDirectories(kubeconfigOut.getParent());
      Files.copy(cluster.kubeconfig(), kubeconfigOut, StandardCopyOption.REPLACE_EXISTING);
      out.println();
      out.println("Ready: " + cluster.description());
      List<Node> nodes = cluster.client().nodes().list().getItems();
      nodes.forEach(n -> out.println("  node " + n.getMetadata().getName() + " (simulated by KWOK)"));
      out.println();
      out.println("Use it from another shell:");
      out.println("  export KUBECONFIG=" + kubeconfigOut);
      out.println("  export PATH=" + settings.toolsBin() + ":$PATH");
      out.println("  kubectl get nodes");
      out.println("  kubectl create deployment hello --image=registry.k8s.io/pause:3.10 --replicas=3");
      out.println("  kubectl get pods -o wide   # scheduled by kube-scheduler, made Ready by KWOK");
      out.println();
      if (exitWhenReady) {
        out.println("--exit-when-ready: stopping the control plane again.");
        return;
      }
      out.println("Press Ctrl-C to stop it; every process it started stops with it.");
      out.flush();
      // On Ctrl-C / SIGTERM the JVM runs its shutdown hooks and never returns here: LocalControlPlane's
      // hook stops the cluster, this one removes the kubeconfig that would point at nothing.
      Path written = kubeconfigOut;
      Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(written)));
      new CountDownLatch(1).await();
    } finally {
      cluster.close();
      deleteQuietly(kubeconfigOut);
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      System.err.println("could not remove " + file + ": " + e);
    }
  }
}
