package dev.atrium.install;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrium.operator.monitoring.OperatorMetrics;
import dev.atrium.testing.kube.Crds;
import dev.atrium.testing.kube.TestNamespace;
import dev.atrium.testing.kube.WithKubeCluster;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The chart as a user meets it before anything runs: lint, the values schema, what it renders with
 * default and with every value changed, and that the real API server accepts every rendered object.
 */
@WithKubeCluster
class ChartRenderIT {

  private static final String RELEASE = "atrium-operator";
  private static final String MIRROR = "harbor.gov.example:5443/atrium-mirror";
  private static final String[] MONITORING_APIS = {"--api-versions", "monitoring.coreos.com/v1/ServiceMonitor",
      "--api-versions", "monitoring.coreos.com/v1/PrometheusRule"};

  private final Helm helm = new Helm(null);

  private static Path fullValues() {
    return Path.of("src/test/resources/values-full.yaml").toAbsolutePath();
  }

  @BeforeAll
  static void installCrdsTheObjectsNeed(KubernetesClient client) throws IOException {
    try (Stream<Path> files = Files.list(Repo.monitoringCrds())) {
      files.filter(f -> f.toString().endsWith(".yaml")).forEach(f -> Crds.install(client, f));
    }
    try (Stream<Path> files = Files.list(Repo.chart().resolve("crds"))) {
      files.forEach(f -> Crds.install(client, f));
    }
    for (String namespace : List.of("render-tenant-a", "render-tenant-b")) {
      client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
          .serverSideApply();
    }
  }

  @Test
  void lintPassesStrictlyWithDefaultAndWithEveryValueSet() {
    helm.run("lint", "--strict", Repo.chart().toString()).orFail("helm lint");
    helm.run("lint", "--strict", Repo.chart().toString(), "-f", fullValues().toString()).orFail("helm lint (full values)");
  }

  @Test
  void defaultsRenderTheOperatorItsAccountAndClusterWideRbacAndNothingElse(TestNamespace ns) {
    List<GenericKubernetesResource> objects = Manifests.parse(helm.template(RELEASE, ns.name()));

    assertThat(objects).extracting(GenericKubernetesResource::getKind).containsExactlyInAnyOrder(
        "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding", "Service", "Deployment",
        "PodDisruptionBudget");
    Deployment deployment = Manifests.as(Manifests.only(objects, "Deployment"), Deployment.class);
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
    assertThat(deployment.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal()).isZero();
    PodSpec pod = deployment.getSpec().getTemplate().getSpec();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(pod.getTopologySpreadConstraints()).extracting("topologyKey")
        .containsExactly("kubernetes.io/hostname", "topology.kubernetes.io/zone");
    var container = pod.getContainers().get(0);
    assertThat(container.getImage()).isEqualTo("registry.atrium.dev/atrium/atrium-operator:0.1.0");
    assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(container.getResources().getLimits()).containsKey("memory");
    assertThat(container.getEnv()).anySatisfy(e -> {
      assertThat(e.getName()).isEqualTo("ATRIUM_WATCH_NAMESPACES");
      assertThat(e.getValue()).isEmpty();
    });
  }

  @Test
  void noRuleGrantsEverythingAndSecretsAreNeverListedOrWatched(TestNamespace ns) {
    for (String[] extra : List.of(new String[0], new String[] {"-f", fullValues().toString()})) {
      List<GenericKubernetesResource> objects = Manifests.parse(helm.template(RELEASE, ns.name(), extra));
      List<PolicyRule> rules = new ArrayList<>();
      Stream.concat(Manifests.ofKind(objects, "ClusterRole").stream(), Manifests.ofKind(objects, "Role").stream())
          .forEach(role -> rules.addAll(Manifests.rules(role)));

      assertThat(rules).isNotEmpty().allSatisfy(rule -> {
        assertThat(rule.getVerbs()).doesNotContain("*");
        assertThat(rule.getResources()).doesNotContain("*");
        assertThat(rule.getApiGroups()).doesNotContain("*");
        if (rule.getResources().contains("secrets")) {
          assertThat(rule.getVerbs()).containsExactlyInAnyOrder("get", "create");
        }
      });
    }
  }

  @Test
  void watchingAListOfNamespacesGrantsRolesThereAndOnlyReadsClusterScopedKinds(TestNamespace ns) {
    List<GenericKubernetesResource> objects = Manifests.parse(
        helm.template(RELEASE, ns.name(), "--set", "watchNamespaces={render-tenant-a,render-tenant-b}"));

    // cluster-wide only the read-only role for the cluster-scoped releases and policies
    assertThat(Manifests.ofKind(objects, "ClusterRole")).singleElement().satisfies(role -> {
      assertThat(role.getMetadata().getName()).endsWith("-releases-and-policies");
      assertThat(Manifests.rules(role)).allSatisfy(rule -> {
        assertThat(rule.getResources()).containsExactlyInAnyOrder("platformreleases", "autoscalingpolicies");
        assertThat(rule.getVerbs()).containsExactlyInAnyOrder("list", "watch");
      });
    });
    assertThat(Manifests.ofKind(objects, "Role")).extracting(r -> r.getMetadata().getNamespace())
        .containsExactlyInAnyOrder("render-tenant-a", "render-tenant-b", ns.name());
    Deployment deployment = Manifests.as(Manifests.only(objects, "Deployment"), Deployment.class);
    assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
        .anySatisfy(e -> {
          assertThat(e.getName()).isEqualTo("ATRIUM_WATCH_NAMESPACES");
          assertThat(e.getValue()).isEqualTo("render-tenant-a,render-tenant-b");
        });
  }

  @Test
  void everyRenderedObjectIsAcceptedByTheApiServer(KubernetesClient client, TestNamespace ns) {
    List<String> refused = new ArrayList<>();
    for (String[] extra : List.of(new String[0], new String[] {"-f", fullValues().toString()})) {
      for (GenericKubernetesResource object : Manifests.parse(helm.template(RELEASE, ns.name(), extra))) {
        try {
          client.resource(object).dryRun().fieldManager("chart-render-it").forceConflicts().serverSideApply();
        } catch (KubernetesClientException e) {
          refused.add(object.getKind() + " " + object.getMetadata().getName() + " (values " + String.join(" ", extra)
              + "): " + e.getMessage());
        }
      }
    }

    assertThat(refused).as("objects the API server refused").isEmpty();
  }

  // --set-string where a string is the mistake (a word for a number, a URL for a registry)
  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(delimiter = '|', value = {
      "--set-string | replicaCount=two | replicaCount",
      "--set | replicas=2 | replicas",
      "--set | logLevel=verbose | logLevel",
      "--set | image.digest=sha256:abc | digest",
      "--set | image.pullPolicy=Sometimes | pullPolicy",
      "--set | global.imageRegistry=https://harbor.example | imageRegistry",
      "--set | watchNamespaces={Tenant_A} | watchNamespaces",
      "--set-string | metrics.serviceMonitor.enabled=yes | enabled",
      "--set | resources.limits.memory=lots | memory",
      "--set | metrics.port=80 | port",
  })
  void invalidValuesAreRefusedNamingTheValue(String flag, String setting, String named) {
    Helm.Result result = helm.run("template", RELEASE, Repo.chart().toString(), flag, setting);

    assertThat(result.exitCode()).as("helm template %s %s", flag, setting).isNotZero();
    assertThat(result.stderr()).contains("values don't meet the specifications of the schema").contains(named);
  }

  @Test
  void aPrivateRegistryReplacesEveryRegistryInWhatTheChartRenders(TestNamespace ns) {
    String rendered = helm.template(RELEASE, ns.name(), "--include-crds", "-f", fullValues().toString());
    List<String> images = new ArrayList<>();
    for (GenericKubernetesResource object : Manifests.parse(rendered)) {
      // string values only: the CRD's schema has a property named image too
      Manifests.eachField(Manifests.tree(object), "image", v -> {
        if (v instanceof String image) {
          images.add(image);
        }
      });
    }

    assertThat(images).isNotEmpty().allSatisfy(image -> assertThat(image).startsWith(MIRROR + "/"));
    assertThat(images).containsExactly(MIRROR + "/platform/atrium-operator@sha256:"
        + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
    // the operator's default for the platforms it creates moves with it; no other registry is named anywhere
    assertThat(rendered).contains("name: ATRIUM_DEFAULT_REGISTRY\n              value: \"" + MIRROR + "\"")
        .doesNotContain("registry.atrium.dev").doesNotContain("registry.example.org");
  }

  @Test
  void monitoringObjectsAreRenderedWhenThePrometheusOperatorApiIsServedOrWhenAskedFor(TestNamespace ns) {
    Set<String> kinds = Set.of("ServiceMonitor", "PrometheusRule");

    assertThat(kindsIn(helm.template(RELEASE, ns.name()))).doesNotContainAnyElementsOf(kinds);
    assertThat(kindsIn(helm.template(RELEASE, ns.name(), MONITORING_APIS))).containsAll(kinds);
    assertThat(kindsIn(helm.template(RELEASE, ns.name(), "--set", "metrics.serviceMonitor.enabled=true",
        "--set", "metrics.prometheusRule.enabled=true"))).containsAll(kinds);
    String[] off = Stream.concat(Stream.of(MONITORING_APIS), Stream.of("--set", "metrics.serviceMonitor.enabled=false",
        "--set", "metrics.prometheusRule.enabled=false")).toArray(String[]::new);
    assertThat(kindsIn(helm.template(RELEASE, ns.name(), off))).doesNotContainAnyElementsOf(kinds);
  }

  @Test
  void alertsUseOnlyMetricsTheOperatorExports(TestNamespace ns) throws IOException {
    GenericKubernetesResource rule = Manifests.only(
        Manifests.parse(helm.template(RELEASE, ns.name(), MONITORING_APIS)), "PrometheusRule");
    Set<String> used = new TreeSet<>();
    Set<String> alerts = new TreeSet<>();
    Manifests.eachField(Manifests.tree(rule), "expr", expr -> {
      Matcher m = Pattern.compile("\\batrium_[a-z_]+").matcher(String.valueOf(expr));
      while (m.find()) {
        used.add(m.group());
      }
    });
    Manifests.eachField(Manifests.tree(rule), "alert", a -> alerts.add(String.valueOf(a)));

    assertThat(alerts).containsExactlyInAnyOrder("AtriumOperatorDown", "AtriumReconcileErrors",
        "AtriumPlatformNotReady");
    assertThat(exportedMetricNames()).containsAll(used);
    assertThat(used).contains("atrium_reconciles_total", "atrium_platform_ready");
  }

  @Test
  void thePlainManifestIsTheChartRenderedWithDefaults() throws Exception {
    Process process = new ProcessBuilder(Repo.root().resolve("hack/update-install.sh").toString(), "--stdout")
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String fresh = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).isZero();
    Path committed = Repo.root().resolve("install/atrium-operator.yaml");

    assertThat(Files.readString(committed))
        .as("%s differs from the chart; run hack/update-install.sh and commit the result", committed)
        .isEqualTo(fresh);
    assertThat(Manifests.parse(fresh)).extracting(GenericKubernetesResource::getKind)
        .contains("Namespace", "CustomResourceDefinition", "Deployment", "ClusterRole");
  }

  private static Set<String> kindsIn(String yaml) {
    Set<String> kinds = new TreeSet<>();
    Manifests.parse(yaml).forEach(o -> kinds.add(o.getKind()));
    return kinds;
  }

  /** Every series name the operator's /metrics serves, with one platform known so per-platform gauges show. */
  private static Set<String> exportedMetricNames() throws IOException {
    OperatorMetrics metrics = new OperatorMetrics(new PrometheusRegistry());
    metrics.observePlatforms(() -> Stream.of(new OperatorMetrics.PlatformState("ns", "p", true, 1, 1, false)));
    metrics.reconciled("error", 0.1);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new PrometheusTextFormatWriter(false).write(out, metrics.registry().scrape());
    Set<String> names = new TreeSet<>();
    out.toString(StandardCharsets.UTF_8).lines().filter(l -> !l.startsWith("#") && !l.isBlank())
        .forEach(l -> names.add(l.replaceAll("[{ ].*", "")));
    return names;
  }
}
