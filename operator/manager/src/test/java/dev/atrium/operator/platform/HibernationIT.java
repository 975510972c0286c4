package dev.atrium.operator.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrium.api.v1alpha1.CollaborationPlatform;
import dev.atrium.operator.OperatorHarness;
import dev.atrium.operator.model.Labels;
import dev.atrium.testing.kube.TestNamespace;
import dev.atrium.testing.kube.WithKubeCluster;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** spec.hibernate on the real local control plane, with KWOK running the pods. */
@WithKubeCluster
class HibernationIT {

  private static OperatorHarness operator;

  @BeforeAll
  static void startOperator(KubernetesClient client) {
    OperatorHarness.installCrd(client);
    operator = new OperatorHarness(client).start();
  }

  @AfterAll
  static void stopOperator() {
    if (operator != null) {
      operator.close();
    }
  }

  @Test
  void aHibernatedPlatformRunsNoPodKeepsEveryVolumeAndCredentialAndWakesAsItWas(KubernetesClient client,
      TestNamespace ns) throws Exception {
    CollaborationPlatform platform = OperatorHarness.examplePlatform(ns.name());
    platform.getMetadata().setName("sleepy");
    platform.getSpec().getObjectStore().setReplicas(1); // the test cluster's volumes are shared by the module
    client.resources(CollaborationPlatform.class).inNamespace(ns.name()).resource(platform).create();
    awaitStatus(client, ns, s -> "Ready".equals(s.getPhase()));
    Map<String, String> claims = claims(client, ns);
    Map<String, Map<String, String>> secrets = secrets(client, ns);
    assertThat(autoscalers(client, ns)).as("the message center scales by its policy").isNotEmpty();

    try (Sampler sampler = new Sampler(client, ns, HibernationIT::dataStoreStoppedBeforeTheServices)) {
      OperatorHarness.changeSpec(client, ns.name(), "sleepy", p -> p.getSpec().setHibernate(true));

      CollaborationPlatform asleep = awaitStatus(client, ns, s -> "Hibernated".equals(s.getPhase()));
      assertThat(sampler.violation()).as("no data store stops while a service pod runs").isNull();
      assertThat(condition(asleep, "Ready").getReason()).isEqualTo("Hibernated");
      assertThat(condition(asleep, "Ready").getStatus()).isEqualTo("False");
      assertThat(condition(asleep, "Progressing").getStatus()).isEqualTo("False");
      assertThat(asleep.getStatus().getVersion()).as("still the release it runs").isEqualTo("1.0.0");
    }
    assertThat(pods(client, ns)).as("no pod runs").isEmpty();
    assertThat(workloads(client, ns)).as("every workload at zero").isNotEmpty()
        .allSatisfy(w -> assertThat(w).endsWith("=0"));
    assertThat(autoscalers(client, ns)).as("no autoscaler raises a sleeping service").isEmpty();
    assertThat(claims(client, ns)).as("every volume kept (same uid)").isEqualTo(claims);
    assertThat(secrets(client, ns)).as("every credential kept").isEqualTo(secrets);
    assertThat(reasons(client, ns)).contains("Hibernating", "Hibernated");

    try (Sampler sampler = new Sampler(client, ns, HibernationIT::serviceStartedBeforeTheDataStoresWereReady)) {
      OperatorHarness.changeSpec(client, ns.name(), "sleepy", p -> p.getSpec().setHibernate(false));

      CollaborationPlatform awake = awaitStatus(client, ns, s -> "Ready".equals(s.getPhase()));
      assertThat(sampler.violation()).as("no service starts before every data store is ready").isNull();
      assertThat(awake.getStatus().getReadyComponents()).isEqualTo("7/7");
    }
    assertThat(reasons(client, ns)).contains("Waking");
    assertThat(claims(client, ns)).as("the same volumes, not new ones").isEqualTo(claims);
    assertThat(secrets(client, ns)).as("the same credentials, not new ones").isEqualTo(secrets);
    assertThat(autoscalers(client, ns)).as("the autoscaler is back").isNotEmpty();
    client.apps().deployments().inNamespace(ns.name()).withName("sleepy-message-center").waitUntilCondition(
        d -> d.getStatus() != null && Objects.equals(d.getStatus().getReadyReplicas(), 2), 2, TimeUnit.MINUTES);
  }

  /** Going to sleep: a data store told to stop while a service pod still runs. */
  private static String dataStoreStoppedBeforeTheServices(List<Pod> pods, List<StatefulSet> stores) {
    List<String> services = servicePods(pods);
    List<String> stopped = stores.stream().filter(s -> s.getSpec().getReplicas() == 0)
        .map(s -> s.getMetadata().getName()).toList();
    return services.isEmpty() || stopped.isEmpty() ? null : stopped + " stopped while " + services + " ran";
  }

  /** Waking: a service pod while a data store is not yet ready. */
  private static String serviceStartedBeforeTheDataStoresWereReady(List<Pod> pods, List<StatefulSet> stores) {
    List<String> services = servicePods(pods);
    List<String> notReady = stores.stream().filter(s -> s.getSpec().getReplicas() == 0 || s.getStatus() == null
        || !Objects.equals(s.getStatus().getReadyReplicas(), s.getSpec().getReplicas()))
        .map(s -> s.getMetadata().getName()).toList();
    return services.isEmpty() || notReady.isEmpty() ? null : services + " ran while " + notReady + " were not ready";
  }

  /** The names of the pods of services (not data stores). */
  private static List<String> servicePods(List<Pod> pods) {
    return pods.stream().filter(p -> "service".equals(p.getMetadata().getLabels().get(Labels.COMPONENT)))
        .map(p -> p.getMetadata().getName()).toList();
  }

  /** Looks at the platform's pods and StatefulSets every 100 ms and keeps the first broken rule it sees. */
  private static final class Sampler implements AutoCloseable {
    private final AtomicReference<String> violation = new AtomicReference<>();
    private final Thread thread;
    private volatile boolean running = true;

    Sampler(KubernetesClient client, TestNamespace ns, java.util.function.BiFunction<List<Pod>, List<StatefulSet>,
        String> rule) {
      thread = Thread.ofPlatform().daemon().start(() -> {
        while (running) {
          String broken = rule.apply(pods(client, ns), client.apps().statefulSets().inNamespace(ns.name())
              .withLabel(Labels.INSTANCE, "sleepy").list().getItems());
          if (broken != null) {
            violation.compareAndSet(null, broken);
          }
          try {
            Thread.sleep(100);
          } catch (InterruptedException e) {
            return;
          }
        }
      });
    }

    String violation() {
      return violation.get();
    }

    @Override
    public void close() throws InterruptedException {
      running = false;
      thread.join(5000);
    }
  }

  private static CollaborationPlatform awaitStatus(KubernetesClient client, TestNamespace ns,
      Predicate<dev.atrium.api.v1alpha1.CollaborationPlatformStatus> wanted) {
    return client.resources(CollaborationPlatform.class).inNamespace(ns.name()).withName("sleepy")
        .waitUntilCondition(p -> p != null && p.getStatus() != null
            && Objects.equals(p.getStatus().getObservedGeneration(), p.getMetadata().getGeneration())
            && wanted.test(p.getStatus()), 3, TimeUnit.MINUTES);
  }

  private static Condition condition(CollaborationPlatform platform, String type) {
    return platform.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst()
        .orElseThrow();
  }

  private static List<Pod> pods(KubernetesClient client, TestNamespace ns) {
    return client.pods().inNamespace(ns.name()).withLabel(Labels.INSTANCE, "sleepy").list().getItems();
  }

  /** Each Deployment's and StatefulSet's name and spec.replicas. */
  private static List<String> workloads(KubernetesClient client, TestNamespace ns) {
    return Stream.concat(
        client.apps().deployments().inNamespace(ns.name()).withLabel(Labels.INSTANCE, "sleepy").list().getItems()
            .stream().map(d -> d.getMetadata().getName() + "=" + d.getSpec().getReplicas()),
        client.apps().statefulSets().inNamespace(ns.name()).withLabel(Labels.INSTANCE, "sleepy").list().getItems()
            .stream().map(s -> s.getMetadata().getName() + "=" + s.getSpec().getReplicas())).toList();
  }

  private static List<String> autoscalers(KubernetesClient client, TestNamespace ns) {
    return client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(ns.name())
        .withLabel(Labels.INSTANCE, "sleepy").list().getItems().stream().map(h -> h.getMetadata().getName()).toList();
  }

  /** Every volume claim by name, with its uid (one deleted and made again would differ) and phase. */
  private static Map<String, String> claims(KubernetesClient client, TestNamespace ns) {
    Map<String, String> claims = new TreeMap<>();
    client.persistentVolumeClaims().inNamespace(ns.name()).withLabel(Labels.INSTANCE, "sleepy").list().getItems()
        .forEach(c -> claims.put(c.getMetadata().getName(), c.getMetadata().getUid() + " " + c.getStatus().getPhase()));
    assertThat(claims).as("the data stores' volumes").hasSize(2 + 3 + 1);
    return claims;
  }

  /** Every Secret of the platform by name, with its data. */
  private static Map<String, Map<String, String>> secrets(KubernetesClient client, TestNamespace ns) {
    Map<String, Map<String, String>> secrets = new TreeMap<>();
    client.secrets().inNamespace(ns.name()).withLabel(Labels.INSTANCE, "sleepy").list().getItems()
        .forEach(s -> secrets.put(s.getMetadata().getName(), dataOf(s)));
    assertThat(secrets).as("the generated credentials").isNotEmpty();
    return secrets;
  }

  private static Map<String, String> dataOf(Secret secret) {
    return secret.getData() == null ? Map.of() : new TreeMap<>(secret.getData());
  }

  private static List<String> reasons(KubernetesClient client, TestNamespace ns) {
    return client.v1().events().inNamespace(ns.name()).withField("involvedObject.name", "sleepy").list().getItems()
        .stream().map(e -> e.getReason()).toList();
  }
}
