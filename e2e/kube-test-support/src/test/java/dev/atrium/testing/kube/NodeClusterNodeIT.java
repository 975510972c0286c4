package dev.atrium.testing.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.naming.directory.Attribute;
import javax.naming.directory.InitialDirContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The cluster with a real node does what a cluster does: pods pulled by digest from the local registry run
 * in containers, Services and cluster DNS answer, a claim gets a real volume, the API server reaches the
 * kubelet; and closing it leaves nothing behind on this machine.
 */
class NodeClusterNodeIT {

  private static NodeCluster cluster;
  private static KubernetesClient client;

  @BeforeAll
  static void start() {
    cluster = NodeCluster.start(NodeCluster.Settings.fromSystemProperties());
    client = cluster.client();
  }

  @AfterAll
  static void stopLeavesNothingBehind() throws Exception {
    if (cluster == null) {
      return;
    }
    LocalNode node = cluster.node();
    Path workdir = node.workdir();
    LocalNode.Network network = node.network();
    List<ProcessHandle> processes = node.processes();
    cluster.close();
    assertThat(processes).as("the node's processes and containers").noneMatch(WorkDirs::isRunning);
    assertThat(workdir).doesNotExist();
    assertThat(Path.of("/run/netns", network.netns())).doesNotExist();
    assertThat(Path.of("/sys/class/net", network.hostInterface())).doesNotExist();
    assertThat(Path.of("/sys/fs/cgroup/memory", network.netns())).doesNotExist();
    assertThat(LocalNode.run(List.of("ip", "route", "show", network.podCidr()), true)).isBlank();
    assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain(workdir.toString());
  }

  @Test
  void theNodeIsRealAndReachableAtItsAddress() {
    var node = client.nodes().withName(LocalNode.NODE_NAME).get();
    assertThat(node.getStatus().getNodeInfo().getContainerRuntimeVersion()).startsWith("containerd://");
    assertThat(node.getStatus().getAddresses()).extracting(NodeAddress::getType, NodeAddress::getAddress)
        .contains(org.assertj.core.groups.Tuple.tuple("InternalIP", cluster.node().network().nodeIp()));
  }

  @Test
  void clusterDnsAnswersThroughTheKubeDnsService() throws Exception {
    // from this machine, through the route into the node and kube-proxy's rules, to the CoreDNS pod
    var env = new Hashtable<String, String>();
    env.put("java.naming.factory.initial", "com.sun.jndi.dns.DnsContextFactory");
    env.put("java.naming.provider.url", "dns://" + cluster.node().network().clusterDns());
    var dns = new InitialDirContext(env);
    Attribute a = dns.getAttributes("kubernetes.default.svc.cluster.local", new String[] {"A"}).get("A");
    assertThat(a.get()).isEqualTo(LocalControlPlane.kubernetesServiceIp(cluster.node().network().serviceRange()));
    dns.close();
  }

  @Test
  void aClaimGetsARealVolumeOnTheNodeThatAPodWritesTo() {
    String ns = "default";
    PersistentVolumeClaim claim = new PersistentVolumeClaimBuilder()
        .withNewMetadata().withName("data").endMetadata()
        .withNewSpec().withAccessModes("ReadWriteOnce")
          .withNewResources().addToRequests("storage", new Quantity("1Mi")).endResources().endSpec()
        .build();
    client.persistentVolumeClaims().inNamespace(ns).resource(claim).create();
    String image = cluster.images().get("local-path-helper").byDigest(NodeCluster.SITE_REGISTRY);
    Pod writer = new PodBuilder()
        .withNewMetadata().withName("writer").endMetadata()
        .withNewSpec().withRestartPolicy("Never")
          .addNewContainer().withName("writer").withImage(image)
            .withCommand("/bin/sh", "-c", "echo written-on-the-node > /data/proof && echo done")
            .addNewVolumeMount().withName("data").withMountPath("/data").endVolumeMount()
          .endContainer()
          .addNewVolume().withName("data").withNewPersistentVolumeClaim().withClaimName("data").endPersistentVolumeClaim()
          .endVolume()
        .endSpec().build();
    client.pods().inNamespace(ns).resource(writer).create();
    client.pods().inNamespace(ns).withName("writer")
        .waitUntilCondition(p -> p != null && "Succeeded".equals(p.getStatus().getPhase()), 3, TimeUnit.MINUTES);

    // the API server fetched the log from the kubelet at the node's address
    assertThat(client.pods().inNamespace(ns).withName("writer").getLog()).contains("done");
    String volume = client.persistentVolumeClaims().inNamespace(ns).withName("data").get().getSpec().getVolumeName();
    try (Stream<Path> files = Files.walk(cluster.node().volumesDir())) {
      Path proof = files.filter(f -> f.getFileName().toString().equals("proof")).findFirst().orElseThrow();
      assertThat(proof.getParent().getFileName().toString()).startsWith(volume);
      assertThat(Files.readString(proof)).isEqualTo("written-on-the-node\n");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void everyImageCameFromTheLocalRegistryByDigest() throws Exception {
    // what the node pulled, as containerd logged it (msg="PullImage \"name\""), names only the site's registry
    List<String> pulls = Files.readAllLines(cluster.node().containerdLog()).stream()
        .filter(l -> l.contains("msg=\"PullImage ")).toList();
    assertThat(pulls).isNotEmpty()
        .allMatch(l -> l.contains("msg=\"PullImage \\\"" + NodeCluster.SITE_REGISTRY + "/atrium/"))
        .allMatch(l -> l.contains("@sha256:"));
    // and the registry served those manifests by digest
    assertThat(Files.readString(cluster.registry().logFile())).contains("GET /v2/atrium/coredns/manifests/sha256:");
  }
}
