package dev.atrium.operator.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrium.api.v1alpha1.CollaborationPlatform;
import dev.atrium.api.v1alpha1.PlatformRelease;
import dev.atrium.api.v1alpha1.ReleaseImage;
import dev.atrium.operator.OperatorHarness;
import dev.atrium.operator.TestPlatforms;
import dev.atrium.operator.model.Component;
import dev.atrium.operator.model.ConditionReason;
import dev.atrium.operator.model.Labels;
import dev.atrium.operator.model.Names;
import dev.atrium.testing.kube.LocalControlPlane;
import dev.atrium.testing.kube.TestNamespace;
import dev.atrium.testing.kube.WithKubeCluster;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Rolling upgrades of the example platform on the local control plane: components move in the
 * release's order, each after the previous one is healthy, never below what its PodDisruptionBudget
 * allows, through an operator restart; a release whose identity pods never become Ready halts at
 * identity, and both a manual and an automatic rollback bring identity back.
 */
@WithKubeCluster
class PlatformUpgradeIT {

  /** Releases of this test only: short soak and deadline, so an upgrade takes a minute, not ten. */
  private static final String FROM = "2.0.0";
  private static final String TO = "2.1.0";
  private static final String BROKEN = "2.1.1";

  @BeforeAll
  static void install(KubernetesClient client) {
    OperatorHarness.installCrd(client);
    apply(client, release(FROM, List.of(), 2, 60, false));
    apply(client, release(TO, List.of(FROM), 2, 60, false));
    apply(client, release(BROKEN, List.of(FROM), 2, 20, true));
  }

  /** A release like e2e/kwok-releases/1.0.0.yaml under another version; identity never Ready if broken. */
  private static PlatformRelease release(String version, List<String> upgradeFrom, int soak, int timeout,
      boolean brokenIdentity) {
    PlatformRelease release = TestPlatforms.releaseManifests().stream()
        .filter(r -> "1.0.0".equals(r.getSpec().getVersion())).findFirst().orElseThrow();
    release = Serialization.clone(release);
    release.getMetadata().setName(version);
    release.getSpec().setVersion(version);
    release.getSpec().setUpgradeFrom(upgradeFrom);
    release.getSpec().setSoakSeconds(soak);
    release.getSpec().setStepTimeoutSeconds(timeout);
    var images = release.getSpec().getImages();
    for (ReleaseImage image : List.of(images.getDatabase(), images.getCache(), images.getObjectStore(),
        images.getIdentity(), images.getWebos(), images.getMessageCenter(), images.getNetdisk())) {
      image.setTag(version);
      image.setDigest(digest(image.getRepository() + ":" + version));
    }
    if (brokenIdentity) {
      images.getIdentity().setRepository("atrium/" + LocalControlPlane.NEVER_READY_IMAGE_MARKER + "/identity");
    }
    return release;
  }

  private static void apply(KubernetesClient client, HasMetadata object) {
    client.resource(object).fieldManager("test").forceConflicts().serverSideApply();
  }

  @Test
  void componentsUpgradeOneByOneInTheReleasesOrderNeverBelowTheirBudgetAndThroughARestart(KubernetesClient client,
      TestNamespace ns) throws Exception {
    CollaborationPlatform platform = platformAt(client, ns.name(), "rolling", FROM);
    List<Map<Component, Sample>> samples = new CopyOnWriteArrayList<>();
    AtomicBoolean sampling = new AtomicBoolean(true);
    Thread sampler = new Thread(() -> {
      while (sampling.get()) {
        samples.add(sample(client, ns.name(), platform.getMetadata().getName()));
        try {
          Thread.sleep(100); // pacing only: about ten looks a second at every workload
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "sampler");

    try (OperatorHarness operator = new OperatorHarness(client).start()) {
      awaitPlatform(client, platform, p -> readyAt(p, FROM));
      sampler.start();
      setVersion(client, platform, TO);
      // the operator goes away in the middle of the upgrade, and a new one carries on from the cluster's state
      awaitPlatform(client, platform, p -> p.getStatus().getUpgrade() != null
          && "identity".equals(p.getStatus().getUpgrade().getComponent()));
    }
    try (OperatorHarness operator = new OperatorHarness(client).start()) {
      CollaborationPlatform done = awaitPlatform(client, platform, p -> p.getStatus().getUpgrade() != null
          && UpgradePhase.SUCCEEDED.token().equals(p.getStatus().getUpgrade().getPhase()) && readyAt(p, TO));
      sampling.set(false);
      sampler.join();

      assertThat(done.getStatus().getUpgrade().getFromVersion()).isEqualTo(FROM);
      assertThat(done.getStatus().getUpgrade().getCompleted()).containsExactly("database", "cache", "objectStore",
          "identity", "messageCenter", "netdisk", "webos");
      assertThat(done.getStatus().getUpgrade().getFinishedAt()).isNotNull();
    }

    // each component moved after the one before it ran the new version with every pod Ready
    List<Component> order = List.of(Component.DATABASE, Component.CACHE, Component.OBJECT_STORE, Component.IDENTITY,
        Component.MESSAGE_CENTER, Component.NETDISK, Component.WEBOS);
    for (int i = 1; i < samples.size(); i++) {
      for (int k = 1; k < order.size(); k++) {
        Sample before = samples.get(i - 1).get(order.get(k));
        Sample now = samples.get(i).get(order.get(k));
        if (before != null && now != null && !TO.equals(before.version()) && TO.equals(now.version())) {
          Sample previous = samples.get(i - 1).get(order.get(k - 1));
          assertThat(previous.version()).as("%s moved before %s", order.get(k), order.get(k - 1)).isEqualTo(TO);
          assertThat(previous.ready()).as("%s moved while %s was not Ready", order.get(k), order.get(k - 1))
              .isGreaterThanOrEqualTo(previous.desired());
        }
      }
    }
    // at no moment fewer Ready pods than the PodDisruptionBudget allows (maxUnavailable 1 for every component)
    assertThat(samples).hasSizeGreaterThan(20);
    for (Map<Component, Sample> at : samples) {
      at.forEach((component, s) -> assertThat(s.ready()).as("%s ready pods at a sample", component)
          .isGreaterThanOrEqualTo(s.desired() - 1));
    }
    assertThat(reasons(client, ns.name())).contains("UpgradeStarted", "ComponentUpgraded", "UpgradeSucceeded");
  }

  @Test
  void aComponentThatNeverBecomesHealthyHaltsTheUpgradeAndRollsBack(KubernetesClient client, TestNamespace ns) {
    CollaborationPlatform platform = platformAt(client, ns.name(), "halting", FROM);
    String identity = Names.workload(platform.getMetadata().getName(), Component.IDENTITY);
    try (OperatorHarness operator = new OperatorHarness(client).start()) {
      awaitPlatform(client, platform, p -> readyAt(p, FROM));

      // 1.1.0 upgrades from 1.0.0 only: refused, with the reason and nothing changed
      setVersion(client, platform, "1.1.0");
      CollaborationPlatform refused = awaitPlatform(client, platform,
          p -> degraded(p, ConditionReason.UPGRADE_NOT_ALLOWED.token()));
      assertThat(degradedMessage(refused)).contains("1.1.0").contains(FROM);
      assertThat(versionLabel(client, ns.name(), identity)).isEqualTo(FROM);
      assertThat(refused.getStatus().getVersion()).isEqualTo(FROM);

      setVersion(client, platform, BROKEN);
      CollaborationPlatform halted = awaitPlatform(client, platform, p -> degraded(p, ConditionReason.UPGRADE_HALTED.token()));
      assertThat(degradedMessage(halted)).contains("identity").contains(BROKEN);
      assertThat(halted.getStatus().getUpgrade().getPhase()).isEqualTo(UpgradePhase.HALTED.token());
      // nothing after identity was touched
      for (Component later : List.of(Component.MESSAGE_CENTER, Component.NETDISK, Component.WEBOS)) {
        assertThat(versionLabel(client, ns.name(), Names.workload(platform.getMetadata().getName(), later)))
            .as("%s", later).isEqualTo(FROM);
      }

      // the user sets the version back: identity returns to the previous image and is Ready again
      setVersion(client, platform, FROM);
      awaitPlatform(client, platform, p -> readyAt(p, FROM) && p.getStatus().getUpgrade() != null
          && UpgradePhase.SUCCEEDED.token().equals(p.getStatus().getUpgrade().getPhase()));
      assertThat(versionLabel(client, ns.name(), identity)).isEqualTo(FROM);

      // with automatic rollback the operator returns identity by itself when the step's deadline passes
      client.resources(CollaborationPlatform.class).inNamespace(ns.name()).withName(platform.getMetadata().getName())
          .patch(PatchContext.of(PatchType.JSON_MERGE),
              "{\"spec\":{\"version\":\"" + BROKEN + "\",\"upgrade\":{\"rollback\":\"Automatic\"}}}");
      CollaborationPlatform rolledBack = awaitPlatform(client, platform,
          p -> degraded(p, ConditionReason.UPGRADE_ROLLED_BACK.token()));
      assertThat(rolledBack.getStatus().getUpgrade().getComponent()).isEqualTo("identity");
      client.apps().deployments().inNamespace(ns.name()).withName(identity).waitUntilCondition(d ->
          FROM.equals(d.getMetadata().getLabels().get(Labels.VERSION)) && d.getStatus() != null
              && Objects.equals(d.getStatus().getReadyReplicas(), d.getSpec().getReplicas())
              && Objects.equals(d.getStatus().getUpdatedReplicas(), d.getSpec().getReplicas()), 2, TimeUnit.MINUTES);
      assertThat(reasons(client, ns.name())).contains("UpgradeHalted", "UpgradeRolledBack");
    }
  }

  private record Sample(String version, int desired, int ready) {
  }

  private static Map<Component, Sample> sample(KubernetesClient client, String namespace, String platform) {
    Map<Component, Sample> at = new LinkedHashMap<>();
    for (Component component : Component.values()) {
      String name = Names.workload(platform, component);
      if (component.stateful()) {
        var sts = client.apps().statefulSets().inNamespace(namespace).withName(name).get();
        if (sts != null && sts.getStatus() != null) {
          at.put(component, new Sample(sts.getMetadata().getLabels().get(Labels.VERSION), sts.getSpec().getReplicas(),
              Objects.requireNonNullElse(sts.getStatus().getReadyReplicas(), 0)));
        }
      } else {
        var deployment = client.apps().deployments().inNamespace(namespace).withName(name).get();
        if (deployment != null && deployment.getStatus() != null) {
          at.put(component, new Sample(deployment.getMetadata().getLabels().get(Labels.VERSION),
              Objects.requireNonNullElse(deployment.getSpec().getReplicas(), 1),
              Objects.requireNonNullElse(deployment.getStatus().getReadyReplicas(), 0)));
        }
      }
    }
    return at;
  }

  private static CollaborationPlatform platformAt(KubernetesClient client, String namespace, String name,
      String version) {
    CollaborationPlatform platform = OperatorHarness.examplePlatform(namespace);
    platform.getMetadata().setName(name);
    platform.getSpec().setVersion(version);
    return client.resource(platform).create();
  }

  private static void setVersion(KubernetesClient client, CollaborationPlatform platform, String version) {
    client.resources(CollaborationPlatform.class).inNamespace(platform.getMetadata().getNamespace())
        .withName(platform.getMetadata().getName())
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"version\":\"" + version + "\"}}");
  }

  private static CollaborationPlatform awaitPlatform(KubernetesClient client, CollaborationPlatform platform,
      Predicate<CollaborationPlatform> condition) {
    return client.resources(CollaborationPlatform.class).inNamespace(platform.getMetadata().getNamespace())
        .withName(platform.getMetadata().getName())
        .waitUntilCondition(p -> p != null && p.getStatus() != null && condition.test(p), 4, TimeUnit.MINUTES);
  }

  private static boolean readyAt(CollaborationPlatform platform, String version) {
    return version.equals(platform.getStatus().getVersion())
        && "True".equals(OperatorHarness.readyCondition(platform).get("status"));
  }

  private static boolean degraded(CollaborationPlatform platform, String reason) {
    return platform.getStatus().getConditions().stream()
        .anyMatch(c -> "Degraded".equals(c.getType()) && "True".equals(c.getStatus()) && reason.equals(c.getReason()));
  }

  private static String degradedMessage(CollaborationPlatform platform) {
    return platform.getStatus().getConditions().stream().filter(c -> "Degraded".equals(c.getType())).findFirst()
        .orElseThrow().getMessage();
  }

  private static String versionLabel(KubernetesClient client, String namespace, String deployment) {
    return client.apps().deployments().inNamespace(namespace).withName(deployment).get().getMetadata().getLabels()
        .get(Labels.VERSION);
  }

  private static List<String> reasons(KubernetesClient client, String namespace) {
    List<String> reasons = new ArrayList<>();
    for (Event event : client.v1().events().inNamespace(namespace).list().getItems()) {
      reasons.add(event.getReason());
    }
    return reasons;
  }

  private static String digest(String text) {
    try {
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
