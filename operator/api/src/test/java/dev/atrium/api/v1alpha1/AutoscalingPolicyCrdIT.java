package dev.atrium.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrium.testing.kube.Crds;
import dev.atrium.testing.kube.WithKubeCluster;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The committed AutoscalingPolicy CRD on a real API server: a window's duration and the replica
 * bounds are refused with one message per mistake, at the field that is wrong.
 */
@WithKubeCluster
class AutoscalingPolicyCrdIT {

  private static final String POLICY = """
      apiVersion: atrium.dev/v1alpha1
      kind: AutoscalingPolicy
      metadata:
        name: %s
      spec:
        minReplicas: 2
        maxReplicas: 10
        targetCPUUtilizationPercentage: 70
        windows:
        - name: morning-rush
          schedule: "15 8 * * MON-FRI"
          duration: 1h45m
          minReplicas: 6
      """;
  private static final AtomicInteger NAMES = new AtomicInteger();

  @BeforeAll
  static void installCrd(KubernetesClient client) {
    Crds.install(client, CrdDriftTest.crdsDir().resolve("autoscalingpolicies.atrium.dev-v1.yml"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"1h45m", "90m", "168h", "2h0m"})
  void aDurationInHoursAndMinutesUpToAWeekIsAccepted(String duration, KubernetesClient client) {
    GenericKubernetesResource policy = policy(Map.of("duration", duration), Map.of());

    GenericKubernetesResource created = client.resource(policy).create();

    assertThat(created.get("spec", "windows", 0, "duration").toString()).isEqualTo(duration);
  }

  static Stream<Arguments> badDurations() {
    String pattern = "spec.windows[0].duration in body should match '^([0-9]{1,4}h([0-9]{1,6}m)?|[0-9]{1,6}m)$'";
    String range = "duration must be more than 0s and at most 168h (one week)";
    return Stream.of(
        Arguments.of("lots", "Invalid value: \"lots\": " + pattern),
        Arguments.of("90s", "Invalid value: \"90s\": " + pattern),
        Arguments.of("", "Invalid value: \"\": " + pattern),
        Arguments.of("99999999999h", "Invalid value: \"99999999999h\": " + pattern),
        Arguments.of("0h", range),
        Arguments.of("200h", range));
  }

  @ParameterizedTest(name = "''{0}''")
  @MethodSource("badDurations")
  void aBadDurationIsNamedOnceAtItsField(String duration, String message, KubernetesClient client) {
    GenericKubernetesResource policy = policy(Map.of("duration", duration), Map.of());

    Refusal.assertRefusedOnce(() -> client.resource(policy).create(), "spec.windows[0].duration", message, false);
  }

  static Stream<Arguments> badBounds() {
    return Stream.of(
        Arguments.of("floor above ceiling", Map.of("minReplicas", 3), Map.of("minReplicas", 8, "maxReplicas", 4),
            "spec.minReplicas",
            "minReplicas must not be greater than maxReplicas"),
        Arguments.of("floor above its maximum", Map.of(), Map.of("minReplicas", 200), "spec.minReplicas",
            "should be less than or equal to 100"),
        Arguments.of("window floor above ceiling", Map.of("minReplicas", 50), Map.of(), "spec.windows",
            "a window's minReplicas must not be greater than maxReplicas"),
        Arguments.of("window floor above its maximum", Map.of("minReplicas", 200), Map.of(),
            "spec.windows[0].minReplicas", "should be less than or equal to 100"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badBounds")
  void aBadBoundIsNamedOnce(String why, Map<String, Object> window, Map<String, Object> spec, String field,
      String message, KubernetesClient client) {
    GenericKubernetesResource policy = policy(window, spec);

    Refusal.assertRefusedOnce(() -> client.resource(policy).create(), field, message, false);
  }

  @SuppressWarnings("unchecked")
  private static GenericKubernetesResource policy(Map<String, Object> window, Map<String, Object> spec) {
    GenericKubernetesResource policy = Serialization.unmarshal(
        POLICY.formatted("crd-it-" + NAMES.incrementAndGet()), GenericKubernetesResource.class);
    Map<String, Object> specMap = (Map<String, Object>) policy.getAdditionalProperties().get("spec");
    specMap.putAll(spec);
    ((Map<String, Object>) ((List<Object>) specMap.get("windows")).get(0)).putAll(window);
    return policy;
  }
}
