package dev.atrium.install;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrium.operator.Main;
import dev.atrium.testing.kube.KubeCluster;
import dev.atrium.testing.kube.TestNamespace;
import dev.atrium.testing.kube.WithKubeCluster;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The chart installed with helm into the real local control plane, and the operator running with
 * exactly the chart's ServiceAccount and RBAC: it must converge the example platform without one
 * refused request, use every permission the chart grants (the audit log tells), keep every image in
 * the site's registry, and, when told to watch a list of namespaces, be able to act only there.
 */
@WithKubeCluster
class OperatorInstallIT {

  private static final String MIRROR = "harbor.gov.example/atrium-mirror";
  private static final String API_VERSION = "atrium.dev/v1alpha1";
  private static final String KIND = "CollaborationPlatform";
  /**
   * Granted but never requested, each for a reason: the OwnerReferencesPermissionEnforcement admission
   * plugin (on in the local control plane) checks the first when the operator owns objects with
   * blockOwnerDeletion; the Java Operator SDK refuses to start unless a rules review shows the second
   * (it writes the lease with patch). Pods are listed only while a platform is asked to hibernate, which
   * PlatformNodeIT does with the chart's rights on the real node. RBAC's escalation check lets the operator
   * write the database's Role for Patroni, and bind it, only while it holds what the Role grants (config maps
   * get, pods list, watch and patch); and the database's account (ServiceAccount, Role, RoleBinding) is pruned
   * only when no model returns it, which no spec change does (the database cannot be switched off;
   * PruningTest shows the decision).
   */
  private static final Set<String> CHECKED_NOT_REQUESTED = Set.of("atrium.dev collaborationplatforms/finalizers update",
      "coordination.k8s.io leases update", "core pods list", "core configmaps get", "core pods watch",
      "core pods patch", "core serviceaccounts delete", "rbac.authorization.k8s.io roles delete",
      "rbac.authorization.k8s.io rolebindings delete",
      // backups: this test's platform takes none (PlatformNodeIT's does, on the real node)
      "atrium.dev collaborationplatforms get", "atrium.dev platformbackups get", "atrium.dev platformbackups create",
      "atrium.dev platformbackups/status patch", "core pods/exec create", "core pods/exec get", "core pods get");
  /**
   * Asked without the chart granting it: every authenticated user may review its own rights (the
   * system:basic-user ClusterRole), which the SDK does to check it may watch what it needs.
   */
  /** Reads of the cluster-scoped releases and policies, which every operator needs. */
  private static final Set<String> CLUSTER_SCOPED_READS = Set.of("atrium.dev platformreleases list",
      "atrium.dev platformreleases watch", "atrium.dev autoscalingpolicies list", "atrium.dev autoscalingpolicies watch");
  private static final Set<String> GRANTED_TO_EVERY_USER = Set.of(
      "authorization.k8s.io selfsubjectrulesreviews create", "authorization.k8s.io selfsubjectaccessreviews create");

  @Test
  void clusterWideInstallConvergesTheExampleWithExactlyTheChartsRbacAndOnlyThePrivateRegistry(KubeCluster cluster,
      KubernetesClient client, TestNamespace ns) throws Exception {
    Helm helm = new Helm(cluster.kubeconfig());
    String release = "atrium-operator";
    helm.run("install", release, Repo.chart().toString(), "--namespace", ns.name(),
        "--set", "global.imageRegistry=" + MIRROR, "--wait", "--timeout", "3m").orFail("helm install");
    List<GenericKubernetesResource> example = Manifests.parse(Files.readString(Repo.root().resolve("examples/platform.yaml")));
    String platformNs = Manifests.only(example, KIND).getMetadata().getNamespace();
    String platform = Manifests.only(example, KIND).getMetadata().getName();

    InstalledOperator operator = new InstalledOperator(client, ns.name(), release);
    try (operator) {
      assertThat(operator.env()).containsEntry("ATRIUM_DEFAULT_REGISTRY", MIRROR).containsEntry("ATRIUM_WATCH_NAMESPACES", "");
      operator.startReplica();
      operator.startReplica();
      // the standby is ready too: readiness gates rollouts, and a standby is what takes over
      await(Duration.ofMinutes(1), "both replicas ready", () -> operator.replicas().stream()
          .allMatch(r -> InstalledOperator.status(r, "/readyz") == 200));

      installReleasesAndPolicies(client);
      example.forEach(o -> client.resource(o).fieldManager("operator-install-it").serverSideApply());
      awaitReady(client, platformNs, platform, Duration.ofMinutes(4));
      // switching netdisk off, autoscaling and the front door removed: the operator prunes what they had
      // (every kind it may delete), with the chart's rights
      GenericKubernetesResource reduced = Manifests.only(example, KIND);
      @SuppressWarnings("unchecked")
      Map<String, Object> spec = (Map<String, Object>) reduced.getAdditionalProperties().get("spec");
      spec.put("netdisk", Map.of("enabled", false));
      spec.put("messageCenter", Map.of("replicas", 2));
      spec.put("ingress", Map.of("enabled", false));
      client.resource(reduced).fieldManager("operator-install-it").forceConflicts().serverSideApply();
      await(Duration.ofMinutes(2), "netdisk, the message center's autoscaler and the Ingress pruned", () ->
          client.apps().deployments().inNamespace(platformNs).withName(platform + "-netdisk").get() == null
              && client.configMaps().inNamespace(platformNs).withName(platform + "-netdisk-config").get() == null
              && client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(platformNs).list().getItems().isEmpty()
              && client.network().v1().ingresses().inNamespace(platformNs).list().getItems().isEmpty());
      awaitReady(client, platformNs, platform, Duration.ofMinutes(2));
      // the policy reconciler (cluster-wide operators only) has reported on the policies
      client.genericKubernetesResources(API_VERSION, "AutoscalingPolicy").withName("steady").waitUntilCondition(
          p -> p.getAdditionalProperties().get("status") != null, 1, TimeUnit.MINUTES);

      List<String> images = new ArrayList<>();
      client.apps().deployments().inNamespace(platformNs).list().getItems()
          .forEach(d -> images.addAll(imagesOf(d.getSpec().getTemplate().getSpec())));
      client.apps().statefulSets().inNamespace(platformNs).list().getItems()
          .forEach(s -> images.addAll(imagesOf(s.getSpec().getTemplate().getSpec())));
      client.pods().inNamespace(platformNs).list().getItems().forEach(p -> images.addAll(imagesOf(p.getSpec())));
      images.addAll(imagesOf(client.apps().deployments().inNamespace(ns.name()).withName(release).require()
          .getSpec().getTemplate().getSpec()));
      assertThat(images).hasSizeGreaterThan(10).allSatisfy(i -> assertThat(i).startsWith(MIRROR + "/"));

      // exactly one replica leads and reports the platform; none reports a failed reconciliation. On a busy
      // machine a lease can change hands (the leader missed a renewal), and for a moment nobody leads: read again
      String ready = "atrium_platform_ready{namespace=\"" + platformNs + "\",platform=\"" + platform + "\"} 1.0";
      var read = new java.util.concurrent.atomic.AtomicReference<List<String>>();
      await(Duration.ofMinutes(1), "one replica leading and reporting the platform", () -> {
        List<String> now = operator.replicas().stream().map(InstalledOperator::metrics).toList();
        read.set(now);
        return now.stream().filter(m -> m.contains("atrium_operator_leader 1.0") && m.contains(ready)).count() == 1
            && now.stream().filter(m -> m.contains("atrium_operator_leader 1.0")).count() == 1;
      });
      List<String> metrics = read.get();
      assertThat(metrics).filteredOn(m -> m.contains(ready)).hasSize(1);
      assertThat(metrics).noneMatch(m -> m.contains("atrium_reconciles_total{result=\"error\"}"));
    }

    // the replicas are stopped, so their watches have ended and the audit log holds every request
    List<AuditLog.Request> requests = AuditLog.requestsBy(auditLog(cluster), operator.userName());
    assertThat(requests).as("requests by %s in the audit log", operator.userName()).hasSizeGreaterThan(50);
    assertThat(requests).as("requests the API server refused").noneMatch(r -> r.code() == 403);
    Set<String> used = new TreeSet<>();
    requests.forEach(r -> used.addAll(r.permissionsNeeded()));
    used.removeAll(GRANTED_TO_EVERY_USER);
    Set<String> granted = new TreeSet<>();
    rulesOf(client.rbac().clusterRoles().withName(release).require().getRules()).forEach(granted::add);
    rulesOf(client.rbac().roles().inNamespace(ns.name()).withName(release + "-leader-election").require().getRules())
        .forEach(granted::add);
    Set<String> unused = new TreeSet<>(granted);
    unused.removeAll(used);
    unused.removeAll(CHECKED_NOT_REQUESTED);
    assertThat(unused).as("permissions the chart grants that the operator never used").isEmpty();
    assertThat(granted).as("granted").containsAll(used);

    client.namespaces().withName(platformNs).delete();
    helm.run("uninstall", release, "--namespace", ns.name(), "--wait").orFail("helm uninstall");
    // Helm never deletes CRDs: platforms elsewhere (and their data) survive an uninstall
    assertThat(client.apiextensions().v1().customResourceDefinitions().withName("collaborationplatforms.atrium.dev").get())
        .isNotNull();
    assertThat(client.rbac().clusterRoles().withName(release).get()).isNull();
    client.namespaces().withName(platformNs).waitUntilCondition(n -> n == null, 2, TimeUnit.MINUTES);
  }

  @Test
  void watchingOneNamespaceTheOperatorCanActOnlyThere(KubeCluster cluster, KubernetesClient client, TestNamespace ns)
      throws Exception {
    String watched = ns.name() + "-a";
    String other = ns.name() + "-b";
    for (String namespace : List.of(watched, other)) {
      client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
          .serverSideApply();
    }
    Helm helm = new Helm(cluster.kubeconfig());
    String release = "atrium-scoped";
    helm.run("install", release, Repo.chart().toString(), "--namespace", ns.name(),
        "--set", "watchNamespaces={" + watched + "}", "--set", "replicaCount=1").orFail("helm install");
    String fullname = release + "-atrium-operator";
    InstalledOperator operator = new InstalledOperator(client, ns.name(), fullname);

    assertThat(client.rbac().clusterRoles().withName(fullname).get()).isNull();
    assertThat(allowed(client, operator.userName(), "list", null)).as("list platforms cluster-wide").isFalse();
    assertThat(allowed(client, operator.userName(), "list", other)).as("list platforms in " + other).isFalse();
    assertThat(allowed(client, operator.userName(), "list", watched)).as("list platforms in " + watched).isTrue();

    GenericKubernetesResource example = Manifests.only(
        Manifests.parse(Files.readString(Repo.root().resolve("examples/platform.yaml"))), KIND);
    try (operator) {
      installReleasesAndPolicies(client);
      operator.startReplica();
      for (String namespace : List.of(watched, other)) {
        example.getMetadata().setNamespace(namespace);
        client.resource(example).fieldManager("operator-install-it").serverSideApply();
      }
      awaitReady(client, watched, example.getMetadata().getName(), Duration.ofMinutes(4));

      // by the time the watched platform is Ready, a cluster-wide operator would have started on the other
      assertThat(client.genericKubernetesResources(API_VERSION, KIND).inNamespace(other).withName(example.getMetadata().getName()).get()
          .getAdditionalProperties()).doesNotContainKey("status");
      assertThat(client.apps().deployments().inNamespace(other).list().getItems()).isEmpty();
      assertThat(client.secrets().inNamespace(other).list().getItems())
          .noneMatch(s -> s.getMetadata().getName().startsWith(example.getMetadata().getName()));
    }
    List<AuditLog.Request> requests = AuditLog.requestsBy(auditLog(cluster), operator.userName());
    assertThat(requests).isNotEmpty().noneMatch(r -> r.code() == 403);
    assertThat(requests).as("requests outside the watched and release namespaces")
        .allMatch(r -> r.namespace().equals(watched) || r.namespace().equals(ns.name())
            || GRANTED_TO_EVERY_USER.contains(r.permission()) || CLUSTER_SCOPED_READS.contains(r.permission()));

    helm.run("uninstall", release, "--namespace", ns.name(), "--wait").orFail("helm uninstall");
    for (String namespace : List.of(watched, other)) {
      client.namespaces().withName(namespace).delete();
    }
  }

  /** What an installation applies besides the chart: the releases and the ready autoscaling policies. */
  private static void installReleasesAndPolicies(KubernetesClient client) throws IOException {
    // the KWOK tier's simulated releases: every component has an image there (e2e/kwok-releases/)
    for (String dir : List.of("e2e/kwok-releases", "autoscaling-policies")) {
      try (Stream<Path> files = Files.list(Repo.root().resolve(dir))) {
        for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
          Manifests.parse(Files.readString(file)).forEach(o ->
              client.resource(o).fieldManager("atrium-install").forceConflicts().serverSideApply());
        }
      }
    }
  }

  private static Path auditLog(KubeCluster cluster) {
    return cluster.auditLog().orElseThrow(() -> new AssertionError(
        "this test reads the API server's audit log; run it on the local control plane (-Datrium.cluster=local)"));
  }

  private static boolean allowed(KubernetesClient client, String user, String verb, String namespace) {
    SubjectAccessReview review = client.authorization().v1().subjectAccessReview().create(new SubjectAccessReviewBuilder()
        .withNewSpec().withUser(user).withGroups("system:serviceaccounts", "system:authenticated")
        .withNewResourceAttributes().withGroup("atrium.dev").withResource("collaborationplatforms").withVerb(verb)
        .withNamespace(namespace).endResourceAttributes().endSpec().build());
    return review.getStatus().getAllowed();
  }

  private static Stream<String> rulesOf(List<PolicyRule> rules) {
    return rules.stream().flatMap(rule -> rule.getApiGroups().stream().flatMap(group -> rule.getResources().stream()
        .flatMap(resource -> rule.getVerbs().stream()
            .map(verb -> (group.isEmpty() ? "core" : group) + " " + resource + " " + verb))));
  }

  private static List<String> imagesOf(PodSpec pod) {
    List<String> images = new ArrayList<>();
    Stream.concat(pod.getContainers().stream(),
        pod.getInitContainers() == null ? Stream.<Container>empty() : pod.getInitContainers().stream())
        .forEach(c -> images.add(c.getImage()));
    return images;
  }

  @SuppressWarnings("unchecked")
  private static void awaitReady(KubernetesClient client, String namespace, String name, Duration timeout) {
    await(timeout, "platform " + namespace + "/" + name + " Ready", () -> {
      GenericKubernetesResource platform = client.genericKubernetesResources(API_VERSION, KIND).inNamespace(namespace)
          .withName(name).get();
      if (platform == null || !(platform.getAdditionalProperties().get("status") instanceof Map<?, ?> status)) {
        return false;
      }
      List<Map<String, Object>> conditions = (List<Map<String, Object>>) status.get("conditions");
      return conditions != null && conditions.stream()
          .anyMatch(c -> "Ready".equals(c.get("type")) && "True".equals(c.get("status")));
    });
  }

  private static void await(Duration timeout, String what, BooleanSupplier condition) {
    Instant deadline = Instant.now().plus(timeout);
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("not within " + timeout.toSeconds() + "s: " + what);
      }
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what, e);
      }
    }
  }
}
