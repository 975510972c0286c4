package dev.atrium.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atrium.testing.kube.Crds;
import dev.atrium.testing.kube.WithKubeCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The PlatformRelease schema on the real API server: the example releases pass, broken ones are refused by name. */
@WithKubeCluster
class PlatformReleaseCrdIT {

  @BeforeAll
  static void installCrd(KubernetesClient client) {
    Crds.install(client, CrdDriftTest.crdsDir().resolve("platformreleases.atrium.dev-v1.yml"));
  }

  private static PlatformRelease example(String version) throws IOException {
    return read(examples().resolve("releases").resolve(version + ".yaml"));
  }

  private static PlatformRelease read(Path file) throws IOException {
    return Serialization.unmarshal(Files.readString(file), PlatformRelease.class);
  }

  /** Releases are immutable and the real and simulated 1.0.0 share a name: whichever test ran first goes. */
  private static PlatformRelease createAfresh(KubernetesClient client, PlatformRelease release) {
    client.resource(release).withTimeout(30, java.util.concurrent.TimeUnit.SECONDS).delete();
    return client.resource(release).create();
  }

  private static Path kwok(String version) {
    return examples().resolveSibling("e2e").resolve("kwok-releases").resolve(version + ".yaml");
  }

  private static Path examples() {
    return Path.of(System.getProperty("atrium.examples.dir", "../../examples"));
  }

  @Test
  void theRealReleasesAreAcceptedWithTheirDefaults(KubernetesClient client) throws IOException {
    // examples/releases: what hack/release.sh wrote from a build, every component's image by digest
    PlatformRelease created = createAfresh(client, example("1.0.0"));
    assertThat(created.getSpec().getOrder()).hasSize(7);
    assertThat(created.getSpec().getImages().getDatabase().getDigest()).startsWith("sha256:");
    assertThat(created.getSpec().getImages().getMessageCenter().getDigest()).startsWith("sha256:");
    assertThat(created.getSpec().getImages().getIdentity().getDigest()).startsWith("sha256:");
    assertThat(created.getSpec().getImages().getNetdisk().getDigest()).startsWith("sha256:");
    assertThat(created.getSpec().getImages().getWebos().getDigest()).startsWith("sha256:");
  }

  @Test
  void theKwokTiersSimulatedReleasesAreAccepted(KubernetesClient client) throws IOException {
    for (String version : List.of("1.0.0", "1.1.0")) {
      PlatformRelease release = read(kwok(version));
      PlatformRelease created = createAfresh(client, release);
      assertThat(created.getSpec().getOrder()).hasSize(7);
      assertThat(created.getSpec().getImages().getIdentity().getDigest()).startsWith("sha256:");
    }
  }

  @Test
  void brokenReleasesAreRefusedNamingTheField(KubernetesClient client) {
    assertRefused(client, "9.0.1", r -> r.getMetadata().setName("nine"), "metadata.name must equal spec.version");
    assertRefused(client, "9.0.2", r -> r.getSpec().setOrder(List.of(ReleaseComponent.database,
        ReleaseComponent.database, ReleaseComponent.cache, ReleaseComponent.objectStore, ReleaseComponent.identity,
        ReleaseComponent.webos, ReleaseComponent.netdisk)), "order must name each of the 7 components exactly once");
    assertRefused(client, "9.0.3", r -> r.getSpec().getImages().getWebos().setDigest("sha256:abc"),
        "spec.images.webos.digest");
    assertRefused(client, "9.0.4", r -> r.getSpec().setUpgradeFrom(List.of("9.0.4")),
        "upgradeFrom must not contain the release's own version");
    // every platform runs its data stores; a service may be missing (a release that does not ship it)
    assertRefused(client, "9.0.5", r -> r.getSpec().getImages().setDatabase(null), "spec.images.database");
  }

  @Test
  void aReleaseCannotBeChangedOnceCreated(KubernetesClient client) throws IOException {
    PlatformRelease release = release("9.1.0");
    client.resource(release).create();
    PlatformRelease changed = client.resources(PlatformRelease.class).withName("9.1.0").get();
    changed.getSpec().getImages().getIdentity().setTag("9.1.0-hotfix");

    assertThatThrownBy(() -> client.resource(changed).update())
        .isInstanceOfSatisfying(KubernetesClientException.class,
            e -> assertThat(e.getMessage()).contains("a release is immutable once created"));
  }

  /** The KWOK tier's 1.0.0 (it names every component) under another version, for refusals. */
  private static PlatformRelease release(String version) throws IOException {
    PlatformRelease release = read(kwok("1.0.0"));
    release.getMetadata().setName(version);
    release.getSpec().setVersion(version);
    return release;
  }

  private static void assertRefused(KubernetesClient client, String version, Consumer<PlatformRelease> breakIt,
      String message) {
    PlatformRelease release;
    try {
      release = release(version);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    breakIt.accept(release);
    assertThatThrownBy(() -> client.resource(release).create())
        .as("release %s", version)
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
          assertThat(e.getCode()).isEqualTo(422);
          assertThat(e.getMessage()).contains(message);
        });
  }
}
