package dev.atrium.testing.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalControlPlaneTest {

  @TempDir
  Path tmp;

  @Test
  void missingBinariesAreNamedWithTheScriptThatBuildsThem() throws Exception {
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    Path etcd = Files.createFile(bin.resolve("etcd"));
    etcd.toFile().setExecutable(true);
    var settings = new LocalControlPlane.Settings(bin, 1, 0, Duration.ofSeconds(5), tmp.resolve("logs"));

    assertThatThrownBy(() -> LocalControlPlane.start(settings))
        .isInstanceOf(ClusterUnavailableException.class)
        .hasMessageContaining("kube-apiserver")
        .hasMessageContaining("kwokctl")
        .hasMessageNotContaining("etcd,")
        .hasMessageContaining("hack/tools.sh");
  }

  @Test
  void settingsRefuseAClusterWithoutNodes() {
    assertThatThrownBy(() -> new LocalControlPlane.Settings(tmp, 0, 0, Duration.ofSeconds(5), tmp))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nodes");
  }

  @Test
  void reapingKillsProcessesOfADeadOwnerAndSparesALiveOne() throws Exception {
    Path orphan = Files.createDirectory(tmp.resolve(LocalControlPlane.WORKDIR_PREFIX + "orphan"));
    Files.writeString(orphan.resolve("owner.pid"), Long.toString(deadPid()));
    Path alive = Files.createDirectory(tmp.resolve(LocalControlPlane.WORKDIR_PREFIX + "alive"));
    Files.writeString(alive.resolve("owner.pid"), Long.toString(ProcessHandle.current().pid()));
    // A stand-in for a component: its command line names a file inside the directory, as etcd's --data-dir does.
    Process orphanComponent = new ProcessBuilder("sh", "-c", "sleep 300", orphan.resolve("etcd").toString()).start();
    Process aliveComponent = new ProcessBuilder("sh", "-c", "sleep 300", alive.resolve("etcd").toString()).start();
    try {
      LocalControlPlane.reapOrphans(tmp);

      assertThat(orphanComponent.waitFor(10, TimeUnit.SECONDS)).as("orphan's process stopped").isTrue();
      assertThat(orphan).doesNotExist();
      assertThat(LocalControlPlane.isRunning(aliveComponent.toHandle())).as("live owner's process untouched").isTrue();
      assertThat(alive).exists();
    } finally {
      orphanComponent.destroyForcibly();
      aliveComponent.destroyForcibly();
    }
  }

  private static long deadPid() throws Exception {
    Process p = new ProcessBuilder("true").start();
    p.waitFor();
    return p.pid();
  }
}
