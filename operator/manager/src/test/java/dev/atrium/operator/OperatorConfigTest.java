package dev.atrium.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class OperatorConfigTest {

  @Test
  void unsetEnvironmentMeansAllNamespacesDefaultRegistryAndLeaderElection() {
    OperatorConfig config = OperatorConfig.fromEnvironment(Map.of());

    assertThat(config.watchNamespaces()).isEmpty();
    assertThat(config.defaultRegistry()).isEqualTo("registry.atrium.dev");
    assertThat(config.httpPort()).isEqualTo(8080);
    assertThat(config.leaderElection()).isTrue();
    assertThat(config.leaseNamespace()).isEqualTo("default");
  }

  @Test
  void theChartsVariablesAreRead() {
    OperatorConfig config = OperatorConfig.fromEnvironment(Map.of(
        "ATRIUM_WATCH_NAMESPACES", " tenant-a, tenant-b ,,",
        "ATRIUM_DEFAULT_REGISTRY", "harbor.gov.example/atrium-mirror/",
        "ATRIUM_HTTP_PORT", "9090",
        "ATRIUM_LEADER_ELECTION", "false",
        "POD_NAMESPACE", "atrium-system"));

    assertThat(config.watchNamespaces()).containsExactlyInAnyOrder("tenant-a", "tenant-b");
    assertThat(config.defaultRegistry()).isEqualTo("harbor.gov.example/atrium-mirror");
    assertThat(config.httpPort()).isEqualTo(9090);
    assertThat(config.leaderElection()).isFalse();
    assertThat(config.leaseNamespace()).isEqualTo("atrium-system");
  }

  @Test
  void logLevelIsInfoUnlessSetAndAnUnknownLevelIsRefusedByName() {
    assertThat(OperatorConfig.logLevel(Map.of())).isEqualTo("info");
    assertThat(OperatorConfig.logLevel(Map.of("ATRIUM_LOG_LEVEL", "DEBUG"))).isEqualTo("debug");
    assertThatThrownBy(() -> OperatorConfig.logLevel(Map.of("ATRIUM_LOG_LEVEL", "verbose")))
        .hasMessageContaining("ATRIUM_LOG_LEVEL is 'verbose'")
        .hasMessageContaining("trace, debug, info, warn, error");
  }
}
