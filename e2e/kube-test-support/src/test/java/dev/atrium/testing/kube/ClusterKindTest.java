package dev.atrium.testing.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ClusterKindTest {

  @Test
  void parsesEachKindCaseInsensitively() {
    assertThat(ClusterKind.parse("local")).isEqualTo(ClusterKind.LOCAL);
    assertThat(ClusterKind.parse("node")).isEqualTo(ClusterKind.NODE);
    assertThat(ClusterKind.parse(" KubeConfig ")).isEqualTo(ClusterKind.KUBECONFIG);
    assertThat(ClusterKind.parse("k3s")).isEqualTo(ClusterKind.K3S);
  }

  @Test
  void unknownKindNamesTheChoices() {
    assertThatThrownBy(() -> ClusterKind.parse("kind"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'kind'")
        .hasMessageContaining("local, node, kubeconfig, k3s");
  }
}
