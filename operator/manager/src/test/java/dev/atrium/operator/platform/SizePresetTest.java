package dev.atrium.operator.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atrium.api.v1alpha1.CollaborationPlatform;
import dev.atrium.api.v1alpha1.CollaborationPlatformSpec;
import dev.atrium.api.v1alpha1.PlatformSizes;
import dev.atrium.api.v1alpha1.StatefulComponentSpec;
import dev.atrium.operator.TestPlatforms;
import dev.atrium.operator.model.Component;
import dev.atrium.operator.model.DesiredState;
import dev.atrium.operator.model.Names;
import dev.atrium.operator.model.SizePreset;
import dev.atrium.operator.model.SizePreset.Sizing;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** spec.size: each preset's numbers reach the objects, a component's own fields win, and no size changes nothing. */
class SizePresetTest {

  /** The documented table (docs/operator.md, Sizes): replicas, CPU request, memory request, memory limit. */
  private static final Map<SizePreset, Map<String, Sizing>> DOCUMENTED = Map.of(
      SizePreset.USERS_100, Map.of(
          "service", new Sizing(1, "100m", "384Mi", "768Mi"),
          "database", new Sizing(1, "100m", "256Mi", "512Mi"),
          "cache", new Sizing(1, "50m", "64Mi", "128Mi"),
          "object-store", new Sizing(1, "100m", "256Mi", "512Mi")),
      SizePreset.USERS_1000, Map.of(
          "service", new Sizing(2, "250m", "512Mi", "1Gi"),
          "database", new Sizing(2, "500m", "1Gi", "2Gi"),
          "cache", new Sizing(3, "100m", "256Mi", "512Mi"),
          "object-store", new Sizing(4, "250m", "512Mi", "1Gi")),
      SizePreset.USERS_5000, Map.of(
          "service", new Sizing(3, "500m", "1Gi", "2Gi"),
          "database", new Sizing(3, "1", "4Gi", "8Gi"),
          "cache", new Sizing(3, "200m", "512Mi", "1Gi"),
          "object-store", new Sizing(4, "500m", "1Gi", "2Gi")),
      SizePreset.USERS_25000, Map.of(
          "service", new Sizing(4, "1", "2Gi", "4Gi"),
          "database", new Sizing(3, "4", "16Gi", "32Gi"),
          "cache", new Sizing(3, "500m", "2Gi", "4Gi"),
          "object-store", new Sizing(8, "1", "2Gi", "4Gi")));

  /** The example as written without any replicas or resources, so that only the size decides. */
  private static CollaborationPlatform unsizedBare() {
    CollaborationPlatform platform = TestPlatforms.example();
    CollaborationPlatformSpec spec = platform.getSpec();
    for (Component c : Component.values()) {
      c.statelessSpec(spec).ifPresent(s -> {
        s.setReplicas(null);
        s.setResources(null);
        s.setAutoscaling(null);
      });
    }
    spec.getDatabase().setReplicas(null);
    spec.getCache().setReplicas(null);
    spec.getObjectStore().setReplicas(null);
    return platform;
  }

  private static CollaborationPlatform sized(SizePreset preset) {
    CollaborationPlatform platform = unsizedBare();
    platform.getSpec().setSize(preset.label());
    return platform;
  }

  private static DesiredState model(CollaborationPlatform platform) {
    return PlatformModel.from(TestPlatforms.context(platform));
  }

  private static <T extends HasMetadata> T object(DesiredState desired, Class<T> kind, Component component) {
    String name = Names.workload(TestPlatforms.NAME, component);
    return desired.resources().stream().filter(kind::isInstance).map(kind::cast)
        .filter(o -> o.getMetadata().getName().equals(name)).findFirst().orElseThrow();
  }

  private static int replicas(DesiredState desired, Component component) {
    return component.stateful() ? object(desired, StatefulSet.class, component).getSpec().getReplicas()
        : object(desired, Deployment.class, component).getSpec().getReplicas();
  }

  private static PodTemplateSpec template(DesiredState desired, Component component) {
    return component.stateful() ? object(desired, StatefulSet.class, component).getSpec().getTemplate()
        : object(desired, Deployment.class, component).getSpec().getTemplate();
  }

  /** The component's own container (the first: the cache's Sentinel beside it has fixed resources). */
  private static Container container(DesiredState desired, Component component) {
    return template(desired, component).getSpec().getContainers().get(0);
  }

  private static String row(Component component) {
    return component.stateful() ? component.id() : "service";
  }

  private static ResourceRequirements resources(Sizing s) {
    return new ResourceRequirementsBuilder()
        .addToRequests("cpu", new Quantity(s.cpu()))
        .addToRequests("memory", new Quantity(s.memory()))
        .addToLimits("memory", new Quantity(s.memoryLimit()))
        .build();
  }

  @ParameterizedTest
  @EnumSource(SizePreset.class)
  void eachSizeGivesItsDocumentedReplicasAndResources(SizePreset preset) {
    DesiredState desired = model(sized(preset));
    for (Component component : Component.values()) {
      Sizing expected = DOCUMENTED.get(preset).get(row(component));
      assertThat(replicas(desired, component)).as("%s replicas at %s", component, preset.label())
          .isEqualTo(expected.replicas());
      assertThat(container(desired, component).getResources()).as("%s resources at %s", component, preset.label())
          .isEqualTo(resources(expected));
    }
  }

  @Test
  void theTrialSizeFitsOneTwoCoreEightGiBNodeWithRoomToSpare() {
    DesiredState desired = model(sized(SizePreset.USERS_100));
    double cpu = 0;
    double memoryLimit = 0;
    for (Component component : Component.values()) {
      int n = replicas(desired, component);
      for (Container c : template(desired, component).getSpec().getContainers()) {
        cpu += n * Quantity.getAmountInBytes(c.getResources().getRequests().get("cpu")).doubleValue();
        memoryLimit += n * Quantity.getAmountInBytes(c.getResources().getLimits().get("memory")).doubleValue();
      }
    }
    // half of the node is left for the kubelet, the system pods, the operator and a rolling update's extra pod
    assertThat(cpu).isLessThanOrEqualTo(1.0);
    assertThat(memoryLimit).isLessThanOrEqualTo(5.0 * 1024 * 1024 * 1024);
  }

  @Test
  void oneCacheServerHasAQuorumOfOne() {
    Container server = container(model(sized(SizePreset.USERS_100)), Component.CACHE);
    assertThat(server.getEnv()).contains(new EnvVar("ATRIUM_SENTINEL_QUORUM", "1", null));
  }

  @ParameterizedTest
  @EnumSource(SizePreset.class)
  void aComponentsOwnReplicasAndResourcesWinOverItsSize(SizePreset preset) {
    CollaborationPlatform platform = sized(preset);
    ResourceRequirements own = new ResourceRequirementsBuilder().addToRequests("cpu", new Quantity("300m")).build();
    platform.getSpec().getWebos().setReplicas(5);
    platform.getSpec().getWebos().setResources(own);
    platform.getSpec().getDatabase().setReplicas(7);
    platform.getSpec().getDatabase().setResources(own);
    platform.getSpec().getObjectStore().setReplicas(16);
    DesiredState desired = model(platform);

    assertThat(replicas(desired, Component.WEBOS)).isEqualTo(5);
    assertThat(container(desired, Component.WEBOS).getResources()).isEqualTo(own);
    assertThat(replicas(desired, Component.DATABASE)).isEqualTo(7);
    assertThat(container(desired, Component.DATABASE).getResources()).isEqualTo(own);
    assertThat(replicas(desired, Component.OBJECT_STORE)).isEqualTo(16);
    // the rest still follow the size
    Sizing netdisk = DOCUMENTED.get(preset).get("service");
    assertThat(replicas(desired, Component.NETDISK)).isEqualTo(netdisk.replicas());
    assertThat(container(desired, Component.NETDISK).getResources()).isEqualTo(resources(netdisk));
    assertThat(container(desired, Component.OBJECT_STORE).getResources())
        .isEqualTo(resources(DOCUMENTED.get(preset).get("object-store")));
  }

  @Test
  void withoutASizeAPlatformGetsExactlyTheObjectsItGotBeforeSizes() {
    // the example states every count and resource as the old schema defaults filled them in; a platform that
    // states none of them and no size must get the same objects
    CollaborationPlatform bare = unsizedBare();
    CollaborationPlatform example = TestPlatforms.example();
    // keep what is not about sizing as the example has it
    bare.getSpec().getMessageCenter().setAutoscaling(example.getSpec().getMessageCenter().getAutoscaling());
    bare.getSpec().getIdentity().setResources(example.getSpec().getIdentity().getResources());
    assertThat(Serialization.asYaml(model(bare).resources())).isEqualTo(Serialization.asYaml(model(example).resources()));
    assertThat(SizePreset.of(null)).isEqualTo(SizePreset.UNSIZED).isEqualTo(SizePreset.USERS_1000);
  }

  @Test
  void aStatefulSpecThatGivesNoCountFollowsTheSizeInEveryStore() {
    CollaborationPlatform platform = sized(SizePreset.USERS_25000);
    StatefulComponentSpec cache = platform.getSpec().getCache();
    assertThat(cache.getReplicas()).isNull();
    assertThat(replicas(model(platform), Component.CACHE)).isEqualTo(3);
  }

  @Test
  void theSchemaKnowsTheSameNamesAndObjectStoreCounts() {
    String names = Arrays.stream(SizePreset.values()).map(p -> "'" + p.label() + "'")
        .collect(Collectors.joining(", ", "[", "]"));
    assertThat(PlatformSizes.NAMES_CEL).isEqualTo(names);
    String counts = Arrays.stream(SizePreset.values())
        .map(p -> "'" + p.label() + "': " + p.sizing(Component.OBJECT_STORE).replicas())
        .collect(Collectors.joining(", ", "{", "}"));
    assertThat(PlatformSizes.OBJECT_STORE_REPLICAS_CEL).isEqualTo(counts);
    assertThat(PlatformSizes.OBJECT_STORE_REPLICAS_UNSIZED)
        .isEqualTo(Integer.toString(SizePreset.UNSIZED.sizing(Component.OBJECT_STORE).replicas()));
  }

  @Test
  void sizesNeverShrinkTheObjectStoreAsTheyGrow() {
    int previous = 0;
    for (SizePreset preset : SizePreset.values()) {
      int n = preset.sizing(Component.OBJECT_STORE).replicas();
      // beyond the trial's one server: three masters, so one server can go and the store still takes writes
      assertThat(n).as(preset.label()).isGreaterThanOrEqualTo(previous).matches(c -> c == 1 || c >= 3);
      previous = n;
    }
  }

  @Test
  void anUnknownSizeIsNoPreset() {
    assertThatThrownBy(() -> SizePreset.of("10users")).isInstanceOf(IllegalArgumentException.class);
  }
}
