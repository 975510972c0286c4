package dev.atrium.operator.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrium.operator.TestPlatforms;
import dev.atrium.operator.model.Component;
import dev.atrium.operator.model.DesiredState;
import dev.atrium.operator.model.Labels;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which live objects pruning deletes: exactly this platform's unwanted ones, of the kinds it may delete. */
class PruningTest {

  private static final String UID = TestPlatforms.UID;
  private static final String OTHER_UID = "0d9c8b7a-6f5e-4d3c-b2a1-0f9e8d7c6b5a";

  /** Everything the example wants, as the cluster would have it: this platform's, labelled. */
  private static List<HasMetadata> liveExample() {
    return new ArrayList<>(PlatformModel.from(TestPlatforms.context(TestPlatforms.example())).resources());
  }

  private static DesiredState desired(Component... off) {
    return PlatformModel.from(TestPlatforms.context(TestPlatforms.without(off)));
  }

  private static <T extends HasMetadata> T object(T object, String name, String ownerUid, Map<String, String> labels) {
    var meta = new ObjectMetaBuilder().withName(name).withNamespace(TestPlatforms.NAMESPACE).withLabels(labels);
    if (ownerUid != null) {
      meta.withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("atrium.dev/v1alpha1")
          .withKind("CollaborationPlatform").withName(TestPlatforms.NAME).withUid(ownerUid).withController(true)
          .build());
    }
    object.setMetadata(meta.build());
    return object;
  }

  private static Map<String, String> ours() {
    return Labels.of(TestPlatforms.NAME, Component.NETDISK, "1.0.0");
  }

  private static List<String> unwanted(List<HasMetadata> live, DesiredState desired) {
    return Pruning.unwanted(live, desired, TestPlatforms.NAME, UID).stream()
        .map(r -> r.getKind() + "/" + r.getMetadata().getName()).toList();
  }

  @Test
  void nothingIsUnwantedWhenTheModelWantsWhatRuns() {
    assertThat(unwanted(liveExample(), desired())).isEmpty();
  }

  @Test
  void aSwitchedOffServicesObjectsAreUnwanted() {
    assertThat(unwanted(liveExample(), desired(Component.NETDISK))).containsExactlyInAnyOrder(
        "ConfigMap/acme-netdisk-config", "Deployment/acme-netdisk", "Service/acme-netdisk",
        "PodDisruptionBudget/acme-netdisk", "NetworkPolicy/acme-netdisk",
        // the headless Service webos's gateway balanced over
        "Service/acme-netdisk-pods");
  }

  @Test
  void anotherPlatformsOrAnUnlabelledObjectIsNeverUnwanted() {
    List<HasMetadata> live = liveExample();
    // same name and labels, another platform's uid (a platform of the same name deleted and made again)
    live.add(object(new Deployment(), "acme-mail", OTHER_UID, ours()));
    // ours by owner, but someone removed the managed-by label: it is theirs to keep
    Map<String, String> unlabelled = new java.util.HashMap<>(ours());
    unlabelled.remove(Labels.MANAGED_BY);
    live.add(object(new Service(), "acme-mail", UID, unlabelled));
    // no owner at all
    live.add(object(new Service(), "acme-mail-2", null, ours()));
    // owned by us, but labelled as another platform's instance
    Map<String, String> otherInstance = new java.util.HashMap<>(ours());
    otherInstance.put(Labels.INSTANCE, "globex");
    live.add(object(new HorizontalPodAutoscaler(), "globex-netdisk", UID, otherInstance));
    assertThat(unwanted(live, desired())).isEmpty();
  }

  @Test
  void volumesSecretsAndStatefulSetsAreNeverUnwanted() {
    List<HasMetadata> live = new ArrayList<>();
    live.add(object(new PersistentVolumeClaim(), "data-acme-database-0", UID, ours()));
    live.add(object(new Secret(), "acme-netdisk-old-credentials", UID, ours()));
    live.add(object(new StatefulSet(), "acme-old-store", UID, ours()));
    live.add(object(new Deployment(), "acme-old-service", UID, ours()));
    assertThat(unwanted(live, desired())).containsExactly("Deployment/acme-old-service");
  }

  @Test
  void aPodAccountNoModelReturnsIsUnwantedAndTheDatabasesIsKept() {
    List<HasMetadata> live = liveExample();
    // the database's account for Patroni is wanted as long as its model returns it
    assertThat(live).extracting(r -> r.getKind() + "/" + r.getMetadata().getName())
        .contains("ServiceAccount/acme-database", "Role/acme-database", "RoleBinding/acme-database");
    // an account of an earlier release (renamed, or a store that no longer calls the API server) is pruned
    live.add(object(new ServiceAccount(), "acme-old-store", UID, ours()));
    live.add(object(new Role(), "acme-old-store", UID, ours()));
    live.add(object(new RoleBinding(), "acme-old-store", UID, ours()));
    assertThat(unwanted(live, desired())).containsExactlyInAnyOrder("ServiceAccount/acme-old-store",
        "Role/acme-old-store", "RoleBinding/acme-old-store");
  }

  @Test
  void aKeptObjectIsNotUnwanted() {
    List<HasMetadata> live = liveExample();
    live.add(object(new HorizontalPodAutoscaler(), "acme-netdisk", UID, ours()));
    assertThat(unwanted(live, desired())).containsExactly("HorizontalPodAutoscaler/acme-netdisk");
    DesiredState keeping = desired().keeping(new DesiredState.Kept("HorizontalPodAutoscaler", "acme-netdisk",
        "its policy is missing"));
    assertThat(unwanted(live, keeping)).isEmpty();
  }
}
