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
 * LocalClusterCli --kubeconfig-out PATH [--exit-when-ready] [--real-node]
 * </pre>
 *
 * With {@code --real-node} the cluster is {@link NodeCluster}: one real node and a local registry with every
 * image of -Datrium.images pushed to it (needs root); the registry's address is written beside the
 * kubeconfig, in a file named {@code registry}, and a {@link LocalIssuer} runs beside it for the platform's
 * services to trust until identity exists: its issuer URL, JWKS URI and a token each for alice and bob go into
 * files {@code issuer}, {@code jwks-uri}, {@code token-alice} and {@code token-bob} there.
 */
public final class LocalClusterCli {

  private LocalClusterCli() {
  }

  public static void main(String[] args) throws IOException, InterruptedException {
    Path kubeconfigOut = null;
    boolean exitWhenReady = false;
    boolean realNode = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--kubeconfig-out" -> kubeconfigOut = Path.of(args[++i]).toAbsolutePath();
        case "--exit-when-ready" -> exitWhenReady = true;
        case "--real-node" -> realNode = true;
        default -> {
          System.err.println("unknown argument " + args[i] + "; usage: --kubeconfig-out PATH [--exit-when-ready] [--real-node]");
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
    KubeCluster cluster;
    try {
      cluster = realNode ? NodeCluster.start(NodeCluster.Settings.fromSystemProperties()) : LocalControlPlane.start(settings);
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
      String nodeKind = realNode ? " (real: kubelet, containerd, kube-proxy)" : " (simulated by KWOK)";
      nodes.forEach(n -> out.println("  node " + n.getMetadata().getName() + nodeKind));
      if (cluster instanceof NodeCluster node) {
        Files.writeString(kubeconfigOut.resolveSibling("registry"), node.registry().host() + "\n");
        LocalIssuer issuer = LocalIssuer.start(node.node().network().hostIp());
        Runtime.getRuntime().addShutdownHook(new Thread(issuer::close));
        Files.writeString(kubeconfigOut.resolveSibling("issuer"), issuer.issuer() + "\n");
        Files.writeString(kubeconfigOut.resolveSibling("jwks-uri"), issuer.jwksUri() + "\n");
        Files.writeString(kubeconfigOut.resolveSibling("token-alice"), issuer.userToken("alice", "sales") + "\n");
        Files.writeString(kubeconfigOut.resolveSibling("token-bob"), issuer.userToken("bob", "sales") + "\n");
        out.println("  issuer " + issuer.issuer() + " (tokens for alice and bob beside the kubeconfig)");
        out.println("  registry " + node.registry().host() + " (the site's registry; the node also knows it as "
            + NodeCluster.SITE_REGISTRY + ")");
      }
      out.println();
      out.println("Use it from another shell:");
      out.println("  export KUBECONFIG=" + kubeconfigOut);
      out.println("  export PATH=" + settings.toolsBin() + ":$PATH");
      out.println("  kubectl get nodes");
      if (!realNode) {
        out.println("  kubectl create deployment hello --image=registry.k8s.io/pause:3.10 --replicas=3");
        out.println("  kubectl get pods -o wide   # scheduled by kube-scheduler, made Ready by KWOK");
      } else {
        out.println("  kubectl get pods -A -o wide   # CoreDNS and local-path-provisioner, in real containers");
      }
      out.println();
      if (exitWhenReady) {
        out.println("--exit-when-ready: stopping the control plane again.");
        return;
      }
      out.println("Press Ctrl-C to stop it; every process it started stops with it.");
      out.flush();
      // On Ctrl-C / SIGTERM the JVM runs its shutdown hooks and never returns here: LocalControlPlane's
      // hook stops the cluster, this one removes the kubeconfig and the files beside it.
      Path written = kubeconfigOut;
      Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteWritten(written)));
      new CountDownLatch(1).await();
    } finally {
      cluster.close();
      deleteWritten(kubeconfigOut);
    }
  }

  /** The kubeconfig and the files written beside it, which would point at nothing once the cluster is gone. */
  private static void deleteWritten(Path kubeconfig) {
    deleteQuietly(kubeconfig);
    for (String file : List.of("registry", "issuer", "jwks-uri", "token-alice", "token-bob")) {
      deleteQuietly(kubeconfig.resolveSibling(file));
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
