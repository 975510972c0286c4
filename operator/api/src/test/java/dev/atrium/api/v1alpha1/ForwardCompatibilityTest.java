package dev.atrium.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

/**
 * The CRD is upgraded before the operator (docs/install.md), so for a while an older operator reads
 * platforms that use fields it does not know. It must read them, ignoring what it does not know,
 * rather than fail and stop reconciling every platform.
 */
class ForwardCompatibilityTest {

  @Test
  void fieldsFromANewerSchemaAreIgnoredNotFatal() {
    CollaborationPlatform platform = Serialization.unmarshal("""
        apiVersion: atrium.dev/v1alpha1
        kind: CollaborationPlatform
        metadata:
          name: acme
          namespace: acme
        spec:
          version: 1.1.0
          domain: collab.acme.example
          aFieldFromTheFuture: {enabled: true}
          messageCenter:
            replicas: 3
            somethingNew: 42
            autoscaling: {policy: office-hours, alsoNew: x}
          database:
            storage: {size: 20Gi, tier: gold}
        status:
          version: 1.0.0
          newStatusField: [1, 2]
          upgrade: {phase: Progressing, futureStep: Canary}
        """, CollaborationPlatform.class);

    assertThat(platform.getSpec().getVersion()).isEqualTo("1.1.0");
    assertThat(platform.getSpec().getMessageCenter().getReplicas()).isEqualTo(3);
    assertThat(platform.getSpec().getMessageCenter().getAutoscaling().getPolicy()).isEqualTo("office-hours");
    assertThat(platform.getSpec().getDatabase().getStorage().getSize()).isEqualTo("20Gi");
    assertThat(platform.getStatus().getUpgrade().getPhase()).isEqualTo("Progressing");
  }
}
