package dev.atrium.testing.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalRegistryTest {

  @TempDir
  Path tmp;

  @Test
  void configServesPlainHttpOnLoopbackFromTheGivenDirectoryWithDeletes() {
    String config = LocalRegistry.config(tmp.resolve("storage"), 5123);

    assertThat(config)
        .startsWith("version: 0.1\n")
        .contains("  filesystem:\n    rootdirectory: " + tmp.resolve("storage").toAbsolutePath() + "\n")
        .contains("  delete:\n    enabled: true\n")
        .contains("http:\n  addr: 127.0.0.1:5123\n")
        .doesNotContain("auth:")
        .doesNotContain("tls:");
  }

  @Test
  void aMissingBinaryIsNamedWithTheScriptThatBuildsIt() {
    var settings = new LocalRegistry.Settings(tmp, Duration.ofSeconds(5), tmp.resolve("logs"));

    assertThatThrownBy(() -> LocalRegistry.start(settings))
        .isInstanceOf(ClusterUnavailableException.class)
        .hasMessageContaining("registry")
        .hasMessageContaining("hack/tools.sh");
  }

  @Test
  void aRegistryThatExitsAtOnceFailsTheStartAndKeepsItsLog() throws Exception {
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    Path fake = bin.resolve("registry");
    Files.writeString(fake, "#!/bin/sh\necho \"fake registry: $1 $2\"\nexit 3\n");
    fake.toFile().setExecutable(true);
    var settings = new LocalRegistry.Settings(bin, Duration.ofSeconds(10), tmp.resolve("logs"));

    assertThatThrownBy(() -> LocalRegistry.start(settings))
        .isInstanceOf(ClusterUnavailableException.class)
        .hasMessageContaining("exited with 3")
        .hasMessageContaining(tmp.resolve("logs").toString());
    try (Stream<Path> kept = Files.walk(tmp.resolve("logs"))) {
      Path log = kept.filter(p -> p.getFileName().toString().equals(LocalRegistry.LOG_FILE)).findFirst().orElseThrow();
      assertThat(Files.readString(log)).contains("fake registry: serve ").contains(LocalRegistry.CONFIG_FILE);
      assertThat(log.resolveSibling(LocalRegistry.CONFIG_FILE)).exists();
    }
  }
}
