package dev.atrium.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.atrium.testing.kube.ImageArchives;
import dev.atrium.testing.kube.LocalIssuer;
import dev.atrium.testing.kube.NodeCluster;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Apply to Ready on the real node: how long the operator takes to bring the trial-size platform (database,
 * cache, object store, message center) from an applied manifest to Ready with real containers, beside a
 * floor measured in the same run: the same objects the operator wrote, created at once by a plain client in
 * another namespace, until every workload is ready. Both run with the images already on the node (a
 * first platform warms the cache and is not counted), so the difference is the operator's own: its
 * passes, its order (credentials before workloads), and its status. Writes {@code <out>/node-convergence.json}
 * and asserts nothing. docs/benchmarks.md, "Apply to Ready on the real node".
 *
 * <pre>NodeConvergenceBenchmark [--out DIR] [--rounds N]</pre>
 */
public final class NodeConvergenceBenchmark {

  private static final String RELEASE = "1.0.0";
  /** Kinds the operator writes in a platform's namespace, which the floor creates again. */
  private static final List<String[]> KINDS = List.of(new String[] {"v1", "Secret"}, new String[] {"v1", "ConfigMap"},
      new String[] {"v1", "Service"}, new String[] {"policy/v1", "PodDisruptionBudget"},
      new String[] {"networking.k8s.io/v1", "NetworkPolicy"}, new String[] {"apps/v1", "StatefulSet"},
      new String[] {"apps/v1", "Deployment"});

  private NodeConvergenceBenchmark() {
  }

  public static void main(String[] args) throws Exception {
    Path out = Path.of("target/bench");
    int rounds = 2;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--out" -> out = Path.of(args[++i]);
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i] + " (--out DIR, --rounds N)");
      }
    }
    Path repo = Path.of(System.getProperty("atrium.repo.root", ".")).toAbsolutePath().normalize();
    Instant started = Instant.now();
    try (NodeCluster cluster = NodeCluster.start(NodeCluster.Settings.fromSystemProperties());
        LocalIssuer issuer = LocalIssuer.start(cluster.node().network().hostIp())) {
      KubernetesClient client = cluster.client();
      installOperator(repo, cluster);
      apply(client, run(repo, List.of(repo.resolve("hack/release.sh").toString(), RELEASE, "--images",
          cluster.images().get("pause").archive().getParent().toString())));

      say("warming the node's image cache with a first platform (not counted)");
      long warm = operatorRun(client, "warm", issuer);
      List<Map<String, Object>> results = new ArrayList<>();
      for (int round = 1; round <= rounds; round++) {
        // one at a time: neither run shares the node with the other's pods
        long floor = floorRun(client, "warm", "floor-" + round);
        delete(client, "floor-" + round);
        long operator = operatorRun(client, "op-" + round, issuer);
        delete(client, "op-" + round);
        say("round %d: operator %d ms, floor %d ms, ratio %.2f", round, operator, floor, (double) operator / floor);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("round", round);
        r.put("operatorMillis", operator);
        r.put("floorMillis", floor);
        r.put("ratio", Math.round(1000.0 * operator / floor) / 1000.0);
        results.add(r);
      }
      Map<String, Object> report = new LinkedHashMap<>();
      report.put("benchmark", "apply to Ready on the real node, trial size (100users)");
      report.put("date", Instant.now().toString());
      report.put("cores", Runtime.getRuntime().availableProcessors());
      report.put("cluster", cluster.description());
      report.put("release", RELEASE);
      report.put("images", cluster.images().all().values().stream()
          .map(i -> i.repository() + "@" + i.digest()).sorted().toList());
      report.put("warmUpMillis", warm);
      report.put("rounds", results);
      report.put("totalSeconds", Duration.between(started, Instant.now()).toSeconds());
      Files.createDirectories(out);
      Path file = out.resolve("node-convergence.json");
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), report);
      say("wrote %s", file.toAbsolutePath());
    }
  }

  private static void installOperator(Path repo, NodeCluster cluster) throws IOException {
    ImageArchives.Image operator = cluster.images().get("atrium-operator");
    List<String> helm = List.of(repo.resolve(".tools/bin/helm").toString(), "install", "atrium-operator",
        repo.resolve("charts/atrium-operator").toString(), "--namespace", "atrium-system", "--create-namespace",
        "--set", "global.imageRegistry=" + cluster.registry().host(), "--set", "image.digest=" + operator.digest(),
        "--set", "replicaCount=1", "--wait", "--timeout", "5m", "--kubeconfig", cluster.kubeconfig().toString());
    run(repo, helm);
  }

  /** Applies a trial platform in a namespace of its own; the milliseconds until its Ready condition is True. */
  private static long operatorRun(KubernetesClient client, String ns, LocalIssuer issuer) {
    Instant applied = Instant.now();
    apply(client, """
        apiVersion: v1
        kind: Namespace
        metadata: {name: %1$s}
        ---
        apiVersion: atrium.dev/v1alpha1
        kind: CollaborationPlatform
        metadata: {name: trial, namespace: %1$s}
        spec:
          version: %2$s
          domain: %1$s.example
          size: 100users
          ingress: {enabled: false}
          identity:
            enabled: false
            external: {issuer: "%3$s", jwksUri: "%4$s"}
          webos: {enabled: false}
          netdisk: {enabled: false}
        """.formatted(ns, RELEASE, issuer.issuer(), issuer.jwksUri()));
    await(Duration.ofMinutes(10), "platform " + ns + " Ready", () -> ready(client, ns));
    return Duration.between(applied, Instant.now()).toMillis();
  }

  /**
   * The floor: every object the operator wrote for the platform in {@code from}, without owner, status and
   * server fields, created at once in {@code to}; the milliseconds until every StatefulSet and Deployment
   * there has all its replicas ready.
   */
  private static long floorRun(KubernetesClient client, String from, String to) {
    List<GenericKubernetesResource> objects = new ArrayList<>();
    for (String[] kind : KINDS) {
      // the operator's objects (workloads and generated credentials alike), not the namespace's own
      for (GenericKubernetesResource o : client.genericKubernetesResources(kind[0], kind[1]).inNamespace(from)
          .withLabel("app.kubernetes.io/managed-by").list().getItems()) {
        o.getMetadata().setNamespace(to);
        o.getMetadata().setOwnerReferences(null);
        o.getMetadata().setUid(null);
        o.getMetadata().setResourceVersion(null);
        o.getMetadata().setManagedFields(null);
        o.getMetadata().setCreationTimestamp(null);
        o.getAdditionalProperties().remove("status");
        if ("Service".equals(o.getKind())) {
          @SuppressWarnings("unchecked")
          Map<String, Object> spec = (Map<String, Object>) o.getAdditionalProperties().get("spec");
          if (!"None".equals(spec.get("clusterIP"))) {
            spec.remove("clusterIP");
            spec.remove("clusterIPs");
          }
        }
        objects.add(o);
      }
    }
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(to).endMetadata().build()).create();
    Instant created = Instant.now();
    objects.forEach(o -> client.resource(o).create());
    await(Duration.ofMinutes(10), "the floor's workloads in " + to + " ready", () -> workloadsReady(client, to));
    return Duration.between(created, Instant.now()).toMillis();
  }

  private static boolean ready(KubernetesClient client, String ns) {
    GenericKubernetesResource p = client.genericKubernetesResources("atrium.dev/v1alpha1", "CollaborationPlatform")
        .inNamespace(ns).withName("trial").get();
    if (p == null || !(p.getAdditionalProperties().get("status") instanceof Map<?, ?> status)
        || !(status.get("conditions") instanceof List<?> conditions)) {
      return false;
    }
    return conditions.stream().anyMatch(c -> c instanceof Map<?, ?> m && "Ready".equals(m.get("type"))
        && "True".equals(m.get("status")));
  }

  private static boolean workloadsReady(KubernetesClient client, String ns) {
    List<StatefulSet> sets = client.apps().statefulSets().inNamespace(ns).list().getItems();
    List<Deployment> deployments = client.apps().deployments().inNamespace(ns).list().getItems();
    return !sets.isEmpty() && !deployments.isEmpty()
        && sets.stream().allMatch(s -> s.getStatus() != null && s.getSpec().getReplicas().equals(
            s.getStatus().getReadyReplicas()))
        && deployments.stream().allMatch(d -> d.getStatus() != null && d.getSpec().getReplicas().equals(
            d.getStatus().getReadyReplicas()));
  }

  private static void delete(KubernetesClient client, String ns) {
    client.namespaces().withName(ns).withTimeout(3, TimeUnit.MINUTES).delete();
  }

  private static void apply(KubernetesClient client, String manifests) {
    for (HasMetadata item : client.load(new ByteArrayInputStream(manifests.getBytes(StandardCharsets.UTF_8))).items()) {
      client.resource(item).forceConflicts().fieldManager("node-bench").serverSideApply();
    }
  }

  private static String run(Path repo, List<String> command) {
    try {
      Process p = new ProcessBuilder(command).directory(repo.toFile()).redirectErrorStream(true).start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command.subList(0, 2)) + " failed: " + output);
      }
      return output;
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + command.get(0), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void await(Duration timeout, String what, BooleanSupplier condition) {
    Instant deadline = Instant.now().plus(timeout);
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException("not within " + timeout.toMinutes() + " minutes: " + what);
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  private static void say(String format, Object... args) {
    System.out.println("[node-bench] " + String.format(format, args));
  }
}
