package dev.atrium.testing.kube;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class K3sClusterTest {

  @Test
  void saysWhyK3sCannotRunWhenNoEngineOrImageIsThere() {
    // No registry here serves this image: with a Docker engine the image is the reason, without one the engine is.
    assertThatThrownBy(() -> K3sCluster.start("registry.invalid/atrium/no-such-k3s:v0"))
        .isInstanceOf(ClusterUnavailableException.class)
        .hasMessageMatching("(?s).*(needs a Docker engine|did not start from image registry\\.invalid/atrium/no-such-k3s:v0).*");
  }
}
