package dev.atrium.testing.kube;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lifecycle of the local control plane itself: ports, teardown and kept logs. */
class LocalControlPlaneIT {

  @TempDir
  Path keptLogs;

  private LocalControlPlane.Settings settings() {
    var defaults = LocalControlPlane.Settings.fromSystemProperties();
    return new LocalControlPlane.Settings(defaults.toolsBin(), 2, 2, Duration.ofMinutes(3), keptLogs);
  }

  @Test
  void startsOnRandomPortsAndLeavesNothingBehindWhenClosed() throws Exception {
    LocalControlPlane first = LocalControlPlane.start(settings());
    Path workdir = first.workdir();
    List<ProcessHandle> processes;
    try (LocalControlPlane second = LocalControlPlane.start(settings())) {
      assertThat(first.client().getMasterUrl().getPort())
          .as("two control planes side by side")
          .isNotEqualTo(second.client().getMasterUrl().getPort());
      assertThat(first.client().nodes().list().getItems()).hasSize(2);
      var service = first.client().services().inNamespace("default").resource(new io.fabric8.kubernetes.api.model
          .ServiceBuilder().withNewMetadata().withName("probe").endMetadata().withNewSpec().addNewPort().withPort(80)
          .endPort().endSpec().build()).create();
      assertThat(service.getSpec().getClusterIP()).as("Services get IPs from the wide range").startsWith("10.96.");
      assertThat(Files.readString(first.kubeconfig())).contains(first.client().getMasterUrl().getHost());
      processes = first.processes();
      assertThat(processes).extracting(p -> p.info().command().orElse(""))
          .anySatisfy(c -> assertThat(c).endsWith("etcd"))
          .anySatisfy(c -> assertThat(c).endsWith("kube-apiserver"))
          .anySatisfy(c -> assertThat(c).endsWith("kube-controller-manager"))
          .anySatisfy(c -> assertThat(c).endsWith("kube-scheduler"))
          .anySatisfy(c -> assertThat(c).endsWith("kwok"));
    } finally {
      first.close();
    }

    assertThat(processes).noneMatch(LocalControlPlane::isRunning);
    assertThat(workdir).doesNotExist();
    assertThat(keptLogs).isEmptyDirectory();
  }

  @Test
  void keepsTheComponentLogsWhenATestFailed() throws Exception {
    String name;
    try (LocalControlPlane cluster = LocalControlPlane.start(settings())) {
      name = cluster.name();
      cluster.markFailed();
    }

    Path logs = keptLogs.resolve(name);
    try (var files = Files.list(logs)) {
      assertThat(files.map(f -> f.getFileName().toString()).toList())
          .anySatisfy(f -> assertThat(f).contains("kube-apiserver.log"))
          .anySatisfy(f -> assertThat(f).contains("etcd.log"))
          .anySatisfy(f -> assertThat(f).contains("kwokctl.log"));
    }
  }
}
