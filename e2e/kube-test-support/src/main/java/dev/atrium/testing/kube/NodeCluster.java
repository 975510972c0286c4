package dev.atrium.testing.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local control plane with one real node instead of KWOK's, and a local registry standing for the
 * site's private registry: every image the node runs is pushed there from the archives hack/images.sh
 * built and pulled from there by digest. Cluster DNS, a default StorageClass and the ingress controller of the
 * default IngressClass (on the node's ports 80 and 443) run on the node.
 * {@code -Datrium.cluster=node}; needs root. See docs/testing.md, "The real node".
 */
public final class NodeCluster implements KubeCluster {

  private static final Logger LOG = LoggerFactory.getLogger(NodeCluster.class);
  /**
   * The registry name the images are built with (the chart's default {@code global.imageRegistry}); the
   * node's containerd resolves it to the local registry, as a site's nodes resolve the site's registry.
   */
  public static final String SITE_REGISTRY = "registry.atrium.dev";

  /**
   * How to start it.
   *
   * @param controlPlane the control plane's settings (its KWOK node count is ignored)
   * @param cniBin the CNI plugins from hack/tools.sh
   * @param images the image archives from hack/images.sh
   * @param clusterImagesOnly push only the images the cluster itself runs ({@link #CLUSTER_IMAGES}) to the registry;
   *     the rest reach it as a site's would, e.g. from an offline bundle
   */
  public record Settings(LocalControlPlane.Settings controlPlane, Path cniBin, Path images, boolean clusterImagesOnly) {

    public static final String IMAGES_PROPERTY = "atrium.images";

    /** The control plane's properties, -Datrium.images (default target/images) and the CNI plugins beside the tools. */
    public static Settings fromSystemProperties() {
      LocalControlPlane.Settings controlPlane = LocalControlPlane.Settings.fromSystemProperties();
      Path images = Path.of(System.getProperty(IMAGES_PROPERTY, "target/images")).toAbsolutePath();
      return new Settings(controlPlane, controlPlane.toolsBin().resolveSibling("cni").resolve("bin"), images, false);
    }

    /** As these, with only the cluster's own images in the registry at the start. */
    public Settings withClusterImagesOnly() {
      return new Settings(controlPlane, cniBin, images, true);
    }
  }

  /**
   * The archives of what the cluster itself runs (the pod sandbox, DNS, volumes, the ingress controller): what a
   * site's Kubernetes already has, as opposed to Atrium's own images.
   */
  public static final Set<String> CLUSTER_IMAGES =
      Set.of("pause", "coredns", "local-path-provisioner", "local-path-helper", "ingress-controller");

  private final LocalControlPlane controlPlane;
  private final LocalNode node;
  private final LocalRegistry registry;
  private final ImageArchives images;
  private final AtomicBoolean closed = new AtomicBoolean();

  private NodeCluster(LocalControlPlane controlPlane, LocalNode node, LocalRegistry registry, ImageArchives images) {
    this.controlPlane = controlPlane;
    this.node = node;
    this.registry = registry;
    this.images = images;
  }

  public static NodeCluster start(Settings settings) {
    List<String> missing = LocalNode.missing(settings.controlPlane().toolsBin(), settings.cniBin());
    if (!missing.isEmpty()) {
      throw new ClusterUnavailableException("The real node cannot start here: " + String.join("; ", missing));
    }
    ImageArchives images = ImageArchives.in(settings.images());
    ImageArchives.Image pause = images.get("pause");
    Instant started = Instant.now();
    LocalNode.Network network = LocalNode.plan();
    LocalControlPlane controlPlane = null;
    LocalNode node = null;
    LocalRegistry registry = null;
    try {
      controlPlane = LocalControlPlane.startForRealNode(settings.controlPlane(), network);
      LocalNode.Settings nodeSettings = new LocalNode.Settings(settings.controlPlane().toolsBin(), settings.cniBin(),
          controlPlane.kubeconfigFor(network.hostIp()), pause.byDigest(SITE_REGISTRY), Map.of(),
          Duration.ofMinutes(2), settings.controlPlane().keptLogsRoot());
      node = LocalNode.start(network, nodeSettings, controlPlane.client());
      // the registry listens on this machine's end of the node's veth, which exists only now
      registry = LocalRegistry.start(LocalRegistry.Settings.fromSystemProperties(), network.hostIp());
      Map<String, String> names = new LinkedHashMap<>();
      names.put(SITE_REGISTRY, registry.url().toString());
      names.put(registry.host(), registry.url().toString());
      node.trustRegistries(names);
      for (var image : images.all().entrySet()) {
        if (!settings.clusterImagesOnly() || CLUSTER_IMAGES.contains(image.getKey())) {
          ImageArchives.push(image.getValue(), registry.host());
        }
      }
      installAddons(controlPlane.client(), images, network, node);
      LOG.info("Cluster with a real node is ready after {}s; registry {} (as {})",
          Duration.between(started, Instant.now()).toSeconds(), registry.host(), SITE_REGISTRY);
      return new NodeCluster(controlPlane, node, registry, images);
    } catch (RuntimeException e) {
      for (AutoCloseable part : new AutoCloseable[] {node, registry}) {
        closeQuietly(part);
      }
      if (node != null) {
        node.markFailed();
      }
      if (controlPlane != null) {
        controlPlane.markFailed();
        controlPlane.close();
      }
      throw e instanceof ClusterUnavailableException c ? c
          : new ClusterUnavailableException("The cluster with a real node did not start: " + e.getMessage(), e);
    }
  }

  private static void installAddons(KubernetesClient client, ImageArchives images, LocalNode.Network network,
      LocalNode node) {
    apply(client, NodeAddons.coreDns(images.get("coredns").byDigest(SITE_REGISTRY), network.clusterDns()));
    apply(client, NodeAddons.localPath(images.get("local-path-provisioner").byDigest(SITE_REGISTRY),
        images.get("local-path-helper").byDigest(SITE_REGISTRY), node.volumesDir().toString()));
    apply(client, NodeAddons.ingressController(images.get("ingress-controller").byDigest(SITE_REGISTRY),
        network.nodeIp()));
    awaitAvailable(client, NodeAddons.DNS_NAMESPACE, NodeAddons.DNS_DEPLOYMENT);
    awaitAvailable(client, NodeAddons.STORAGE_NAMESPACE, NodeAddons.STORAGE_DEPLOYMENT);
    awaitAvailable(client, NodeAddons.INGRESS_NAMESPACE, NodeAddons.INGRESS_DEPLOYMENT);
  }

  static void apply(KubernetesClient client, String manifests) {
    List<HasMetadata> items = client.load(new ByteArrayInputStream(manifests.getBytes(StandardCharsets.UTF_8))).items();
    for (HasMetadata item : items) {
      client.resource(item).forceConflicts().fieldManager("atrium-node-cluster").serverSideApply();
    }
  }

  private static void awaitAvailable(KubernetesClient client, String namespace, String name) {
    try {
      client.apps().deployments().inNamespace(namespace).withName(name)
          .waitUntilCondition(NodeCluster::available, 3, TimeUnit.MINUTES);
    } catch (RuntimeException e) {
      Deployment d = client.apps().deployments().inNamespace(namespace).withName(name).get();
      throw new IllegalStateException(namespace + "/" + name + " did not become available: "
          + (d == null ? "missing" : d.getStatus()), e);
    }
  }

  private static boolean available(Deployment d) {
    return d != null && d.getStatus() != null && d.getStatus().getAvailableReplicas() != null
        && d.getStatus().getAvailableReplicas() >= 1;
  }

  @Override
  public String description() {
    return controlPlane.description() + " with real node " + LocalNode.NODE_NAME + " (" + node.network().nodeIp()
        + ") and registry " + registry.host();
  }

  @Override
  public KubernetesClient client() {
    return controlPlane.client();
  }

  @Override
  public Path kubeconfig() {
    return controlPlane.kubeconfig();
  }

  @Override
  public Optional<Path> auditLog() {
    return controlPlane.auditLog();
  }

  public LocalNode node() {
    return node;
  }

  public LocalRegistry registry() {
    return registry;
  }

  public ImageArchives images() {
    return images;
  }

  @Override
  public void markFailed() {
    controlPlane.markFailed();
    node.markFailed();
    registry.markFailed();
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    // the node first: its kubelet would otherwise keep asking a stopped API server
    closeQuietly(node);
    closeQuietly(registry);
    controlPlane.close();
  }

  private static void closeQuietly(AutoCloseable closeable) {
    if (closeable == null) {
      return;
    }
    try {
      closeable.close();
    } catch (Exception e) {
      LOG.warn("Could not stop {}: {}", closeable, e.toString());
    }
  }
}
