package dev.atrium.operator.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atrium.api.v1alpha1.AutoscalingPolicy;
import dev.atrium.api.v1alpha1.AutoscalingSpec;
import dev.atrium.api.v1alpha1.CollaborationPlatform;
import dev.atrium.operator.OperatorHarness;
import dev.atrium.operator.SettableClock;
import dev.atrium.testing.kube.TestNamespace;
import dev.atrium.testing.kube.WithKubeCluster;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.ZoneId;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The office-hours policy from autoscaling-policies/ on the example platform's message center, with
 * the operator's clock set by the test: inside the morning window the autoscaler's floor is the
 * window's, outside it is the base, also after operator restarts; bad policies are refused or
 * reported, and a platform naming a missing policy keeps its last good autoscaler.
 */
@WithKubeCluster
class AutoscalingPolicyIT {

  private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
  /** A Wednesday. */
  private static final ZonedDateTime DAY = ZonedDateTime.of(2026, 11, 25, 0, 0, 0, 0, SHANGHAI);

  @BeforeAll
  static void install(KubernetesClient client) throws IOException {
    OperatorHarness.installCrd(client);
    for (String name : new String[] {"office-hours", "steady"}) {
      client.resource(policy(name)).fieldManager("test").forceConflicts().serverSideApply();
    }
  }

  static AutoscalingPolicy policy(String name) {
    try {
      Path file = Path.of(System.getProperty("atrium.repo.root", "../..")).resolve("autoscaling-policies")
          .resolve(name + ".yaml");
      return Serialization.unmarshal(Files.readString(file), AutoscalingPolicy.class);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void theFloorFollowsTheWindowsForNowAlsoAcrossRestarts(KubernetesClient client, TestNamespace ns) {
    SettableClock clock = new SettableClock(DAY.withHour(9).toInstant()); // inside morning-rush (08:15-10:00)
    CollaborationPlatform platform = OperatorHarness.examplePlatform(ns.name());
    AutoscalingSpec autoscaling = new AutoscalingSpec();
    autoscaling.setPolicy("office-hours");
    platform.getSpec().getMessageCenter().setAutoscaling(autoscaling);
    client.resource(platform).create();
    var hpa = client.resources(HorizontalPodAutoscaler.class).inNamespace(ns.name())
        .withName(platform.getMetadata().getName() + "-message-center");

    try (OperatorHarness operator = new OperatorHarness(client).start(clock)) {
      hpa.waitUntilCondition(h -> h != null && h.getSpec().getMinReplicas() == 6, 2, TimeUnit.MINUTES);
      assertThat(hpa.get().getSpec().getMaxReplicas()).isEqualTo(10);
      assertThat(hpa.get().getSpec().getMetrics()).extracting(m -> m.getResource().getName())
          .containsExactly("cpu", "memory");
      assertThat(hpa.get().getSpec().getBehavior().getScaleDown().getStabilizationWindowSeconds()).isEqualTo(900);
      client.resources(AutoscalingPolicy.class).withName("office-hours").waitUntilCondition(p ->
          p.getStatus() != null && Integer.valueOf(6).equals(p.getStatus().getCurrentMinReplicas())
              && p.getStatus().getActiveWindows().contains("morning-rush"), 1, TimeUnit.MINUTES);
    }

    // a restart later in the same window: the floor is what the windows say for now
    clock.set(DAY.withHour(9).withMinute(50).toInstant());
    try (OperatorHarness operator = new OperatorHarness(client).start(clock)) {
      client.resources(CollaborationPlatform.class).inNamespace(ns.name()).withName(platform.getMetadata().getName())
          .waitUntilCondition(p -> operator.reconciles() >= 1, 1, TimeUnit.MINUTES);
      assertThat(hpa.get().getSpec().getMinReplicas()).isEqualTo(6);
    }

    // a restart after the window: back to the base; at lunch the lunch window's floor
    clock.set(DAY.withHour(10).withMinute(30).toInstant());
    try (OperatorHarness operator = new OperatorHarness(client).start(clock)) {
      hpa.waitUntilCondition(h -> h.getSpec().getMinReplicas() == 2, 1, TimeUnit.MINUTES);
    }
    clock.set(DAY.withHour(12).toInstant());
    try (OperatorHarness operator = new OperatorHarness(client).start(clock)) {
      hpa.waitUntilCondition(h -> h.getSpec().getMinReplicas() == 4, 1, TimeUnit.MINUTES);

      // a missing policy: reported, and the autoscaler stays as it was
      var platforms = client.resources(CollaborationPlatform.class).inNamespace(ns.name());
      // a merge patch: no resourceVersion, so the operator's status patches cannot make it conflict
      platforms.withName(platform.getMetadata().getName()).patch(PatchContext.of(PatchType.JSON_MERGE),
          "{\"spec\":{\"messageCenter\":{\"autoscaling\":{\"policy\":\"no-such-policy\"}}}}");
      platforms.withName(platform.getMetadata().getName()).waitUntilCondition(p -> p.getStatus() != null
          && p.getStatus().getConditions().stream().anyMatch(c -> "Degraded".equals(c.getType())
          && "True".equals(c.getStatus()) && "MissingAutoscalingPolicy".equals(c.getReason())
          && c.getMessage().contains("no-such-policy")), 1, TimeUnit.MINUTES);
      assertThat(hpa.get().getSpec().getMinReplicas()).isEqualTo(4);
      assertThat(hpa.get().getSpec().getMaxReplicas()).isEqualTo(10);
    }
  }

  @Test
  void policiesTheSchemaCannotCheckAreReportedInvalidNamingTheWindow(KubernetesClient client) {
    AutoscalingPolicy badZone = policy("office-hours");
    badZone.getMetadata().setName("bad-zone");
    badZone.getSpec().getWindows().get(0).setTimeZone("Asia/Atlantis");
    AutoscalingPolicy conflicting = policy("office-hours");
    conflicting.getMetadata().setName("conflicting");
    conflicting.getSpec().getWindows().get(1).setSchedule("0 9 * * MON-FRI"); // inside morning-rush, other floor
    client.resource(badZone).create();
    client.resource(conflicting).create();
    SettableClock clock = new SettableClock(DAY.withHour(9).toInstant());

    try (OperatorHarness operator = new OperatorHarness(client).start(clock)) {
      assertThat(validCondition(client, "bad-zone")).contains("Asia/Atlantis").contains("morning-rush");
      assertThat(validCondition(client, "conflicting")).contains("morning-rush").contains("lunch");
    }
  }

  @Test
  void theSchemaRefusesWhatItCanCheckWithAMessageNamingTheField(KubernetesClient client) {
    AutoscalingPolicy minAboveMax = policy("steady");
    minAboveMax.getMetadata().setName("min-above-max");
    minAboveMax.getSpec().setMinReplicas(8);
    AutoscalingPolicy badCron = policy("office-hours");
    badCron.getMetadata().setName("bad-cron");
    badCron.getSpec().getWindows().get(0).setSchedule("15 8 * *");
    AutoscalingPolicy sameNames = policy("office-hours");
    sameNames.getMetadata().setName("same-names");
    sameNames.getSpec().getWindows().get(1).setName("morning-rush");
    AutoscalingPolicy windowAboveMax = policy("office-hours");
    windowAboveMax.getMetadata().setName("window-above-max");
    windowAboveMax.getSpec().getWindows().get(0).setMinReplicas(50);

    assertRefused(client, minAboveMax, "minReplicas must not be greater than maxReplicas");
    assertRefused(client, badCron, "spec.windows[0].schedule");
    assertRefused(client, sameNames, "window names must be unique");
    assertRefused(client, windowAboveMax, "a window's minReplicas must not be greater than maxReplicas");
  }

  private static void assertRefused(KubernetesClient client, AutoscalingPolicy policy, String message) {
    assertThatThrownBy(() -> client.resource(policy).create())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
          assertThat(e.getCode()).isEqualTo(422);
          assertThat(e.getMessage()).contains(message);
        });
  }

  private static String validCondition(KubernetesClient client, String name) {
    AutoscalingPolicy policy = client.resources(AutoscalingPolicy.class).withName(name).waitUntilCondition(p ->
        p.getStatus() != null && p.getStatus().getConditions().stream()
            .anyMatch(c -> "Valid".equals(c.getType()) && "False".equals(c.getStatus())), 1, TimeUnit.MINUTES);
    return policy.getStatus().getConditions().get(0).getMessage();
  }
}
