package dev.atrium.testing.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** kwok-stages.yaml: kwokctl's default stages, unchanged, and pod-never-ready for the marker. */
class KwokStagesTest {

  /** What kwokctl v0.8.0 uses for the binary runtime when no Stage is configured. */
  private static final List<String> KWOKCTL_DEFAULTS = List.of(
      "node/fast/node-initialize.yaml",
      "node/heartbeat-with-lease/node-heartbeat-with-lease.yaml",
      "pod/fast/pod-ready.yaml",
      "pod/fast/pod-complete.yaml",
      "pod/fast/pod-delete.yaml");

  private final String stages = LocalControlPlane.kwokStages();

  @Test
  void keepsKwokctlsDefaultStagesAndAddsPodNeverReady() {
    assertThat(stages.split("(?m)^---$")).hasSize(KWOKCTL_DEFAULTS.size() + 2);
    for (String file : KWOKCTL_DEFAULTS) {
      String name = file.substring(file.lastIndexOf('/') + 1, file.length() - ".yaml".length());
      assertThat(stages).contains("\n  name: " + name + "\n");
    }
    assertThat(stages).contains("\n  name: pod-never-ready\n")
        .contains("c.image.contains('" + LocalControlPlane.NEVER_READY_IMAGE_MARKER + "')");
  }

  /** Where hack/tools.sh built KWOK, its sources are in the Go module cache: the defaults are theirs verbatim. */
  @Test
  void theDefaultStagesAreKwoksOwn() throws IOException {
    String cache = System.getenv().getOrDefault("GOMODCACHE",
        Path.of(System.getProperty("user.home"), "go", "pkg", "mod").toString());
    Path kustomize = Path.of(cache, "sigs.k8s.io", "kwok@v0.8.0", "kustomize", "stage");
    assumeTrue(Files.isDirectory(kustomize), "KWOK's sources are not in " + kustomize);
    for (String file : KWOKCTL_DEFAULTS) {
      assertThat(stages).as(file).contains(Files.readString(kustomize.resolve(file)));
    }
  }
}
