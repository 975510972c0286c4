package dev.atrium.bench;

import java.util.stream.Stream;
import dev.atrium.api.v1alpha1.PlatformRelease;
import dev.atrium.api.v1alpha1.CollaborationPlatform;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import dev.atrium.testing.kube.Crds;
import dev.atrium.testing.kube.LocalVolumes;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The platforms a run creates: copies of the one in examples/platform.yaml named p0001, p0002, ...,
 * {@link #PER_NAMESPACE} to a namespace (bench-001, bench-002, ...), each with a domain of its own,
 * plus one warm-up platform. Both runs of a size create exactly the same platforms.
 */
final class Platforms {

  static final String CRD = "collaborationplatforms.atrium.dev";
  /** Platforms per namespace: several tenants share one, as on a real cluster; every object name carries the platform's. */
  static final int PER_NAMESPACE = 10;
  /**
   * Where the one warm-up platform lives that each run converges before it starts measuring, so that
   * first-use costs (class loading, JIT, caches the libraries fill once) are paid outside the window.
   */
  static final String WARMUP_NAMESPACE = "bench-warmup";

  private final String exampleYaml;
  private final List<PlatformRelease> releases = new ArrayList<>();
  private final int count;

  Platforms(Path examplesDir, int count) {
    try {
      String yaml = Files.readString(examplesDir.resolve("platform.yaml"));
      this.exampleYaml = yaml.substring(yaml.indexOf("apiVersion: atrium.dev/"));
      try (Stream<Path> files = Files.list(examplesDir.resolveSibling("e2e").resolve("kwok-releases"))) {
        for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
          releases.add(Serialization.unmarshal(Files.readString(file), PlatformRelease.class));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the example platform and releases", e);
    }
    this.count = count;
  }

  /** The KWOK tier's simulated releases (e2e/kwok-releases/), which every run applies before its platforms. */
  List<PlatformRelease> releases() {
    return releases;
  }

  int count() {
    return count;
  }

  static String name(int index) {
    return String.format("p%04d", index + 1);
  }

  static String namespace(int index) {
    return String.format("bench-%03d", index / PER_NAMESPACE + 1);
  }

  List<String> namespaces() {
    List<String> namespaces = new ArrayList<>();
    for (int i = 0; i < count; i += PER_NAMESPACE) {
      namespaces.add(namespace(i));
    }
    return namespaces;
  }

  /** The example platform as the i-th one (0-based): its name, namespace and domain. */
  CollaborationPlatform platform(int index) {
    CollaborationPlatform platform = Serialization.unmarshal(exampleYaml, CollaborationPlatform.class);
    String name = name(index);
    platform.getMetadata().setName(name);
    platform.getMetadata().setNamespace(namespace(index));
    platform.getSpec().setDomain(name + "." + platform.getSpec().getDomain());
    return platform;
  }

  /** The example platform as the warm-up: name warmup, in {@link #WARMUP_NAMESPACE}. */
  CollaborationPlatform warmup() {
    CollaborationPlatform platform = Serialization.unmarshal(exampleYaml, CollaborationPlatform.class);
    platform.getMetadata().setName("warmup");
    platform.getMetadata().setNamespace(WARMUP_NAMESPACE);
    platform.getSpec().setDomain("warmup." + platform.getSpec().getDomain());
    return platform;
  }

  /** Creates the namespaces of the platforms and the warm-up's. */
  void createNamespaces(KubernetesClient client) {
    List<String> all = new ArrayList<>(namespaces());
    all.add(WARMUP_NAMESPACE);
    for (String namespace : all) {
      client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace)
          .addToLabels("atrium.dev/bench", "true").endMetadata().build()).create();
    }
  }

  /**
   * A volume for every claim the platforms' StatefulSets will make, bound to that claim in advance.
   * kube-scheduler then has no volume to choose (with free local volumes it compares every pod
   * against thousands of them, which on 2 cores held N=500 to ~45 pods a minute); what the
   * benchmark measures, the operator and the floor, is unchanged.
   */
  void createVolumes(KubernetesClient client) {
    List<CollaborationPlatform> all = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      all.add(platform(i));
    }
    all.add(warmup());
    for (CollaborationPlatform platform : all) {
      var spec = platform.getSpec();
      claims(client, platform, "database", spec.getDatabase().getReplicas());
      claims(client, platform, "cache", spec.getCache().getReplicas());
      claims(client, platform, "object-store", spec.getObjectStore().getReplicas());
    }
  }

  private static void claims(KubernetesClient client, CollaborationPlatform platform, String store, Integer replicas) {
    String namespace = platform.getMetadata().getNamespace();
    for (int ordinal = 0; ordinal < replicas; ordinal++) {
      String claim = "data-" + platform.getMetadata().getName() + "-" + store + "-" + ordinal;
      client.persistentVolumes().resource(new PersistentVolumeBuilder()
          .withNewMetadata().withName(namespace + "-" + claim).endMetadata()
          .withNewSpec()
            .addToCapacity("storage", new Quantity("1Ti"))
            .withAccessModes("ReadWriteOnce")
            .withPersistentVolumeReclaimPolicy("Retain")
            .withStorageClassName(LocalVolumes.STORAGE_CLASS)
            .withNewHostPath().withPath("/var/lib/atrium/volumes/" + namespace + "/" + claim).endHostPath()
            .withNewClaimRef().withNamespace(namespace).withName(claim).endClaimRef()
          .endSpec()
          .build()).create();
    }
  }

  /** Installs every CRD and the example releases, as an installation does. */
  void install(KubernetesClient client, Path crdsDir) {
    try (Stream<Path> files = Files.list(crdsDir)) {
      files.filter(f -> f.toString().endsWith(".yml")).sorted().forEach(f -> Crds.install(client, f));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    releases.forEach(r -> client.resource(r).fieldManager("atrium-install").forceConflicts().serverSideApply());
  }

  static boolean isReady(CollaborationPlatform platform) {
    return platform.getStatus() != null && platform.getStatus().getConditions() != null
        && platform.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }
}
