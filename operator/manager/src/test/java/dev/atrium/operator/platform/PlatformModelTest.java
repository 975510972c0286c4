package dev.atrium.operator.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.atrium.api.v1alpha1.CollaborationPlatform;
import dev.atrium.api.v1alpha1.VolumeReclaimPolicy;
import dev.atrium.operator.OperatorConfig;
import dev.atrium.operator.TestPlatforms;
import dev.atrium.operator.model.Component;
import dev.atrium.operator.model.DesiredState;
import dev.atrium.operator.model.Labels;
import dev.atrium.operator.workload.ConfigHash;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The whole platform's desired state, as the reconciler applies it, for the example platform and variations. */
class PlatformModelTest {

  private static final String PLATFORM = TestPlatforms.NAME;
  private static final Pattern SECRET_LIKE =
      Pattern.compile("(?i).*(password|passwd|secret|token|credential|access.?key|private.?key|bind.?dn|auth).*");
  /** Settings whose names look secret and are not: a token's lifetime, a client's public id, where tokens come from. */
  private static final Set<String> NOT_SECRET = Set.of("ATRIUM_IDENTITY_ACCESS_TOKEN_TTL", "ATRIUM_OAUTH_CLIENT_ID",
      "ATRIUM_IDENTITY_TOKEN_URI");

  private static DesiredState model(CollaborationPlatform platform) {
    return PlatformModel.from(TestPlatforms.context(platform));
  }

  private static DesiredState example() {
    return model(TestPlatforms.example());
  }

  /** Every Secret a platform can read: LDAP's bind Secret, the generated ones, the federation key. */
  private static CollaborationPlatform withLdapAndFederation() {
    CollaborationPlatform platform = TestPlatforms.withFederation(TestPlatforms.peer("globex", null));
    platform.getSpec().getIdentity().setLdap(TestPlatforms.withLdap("acme-ldap-bind").getSpec().getIdentity().getLdap());
    return platform;
  }

  private static CollaborationPlatform exampleWith(Consumer<CollaborationPlatform> change) {
    CollaborationPlatform platform = TestPlatforms.example();
    change.accept(platform);
    return platform;
  }

  @Test
  void testPlatformIsTheExampleFileWithServerDefaults() {
    // guards the helper: everything examples/platform.yaml says, the test platform says too
    CollaborationPlatform file = Serialization.unmarshal(TestPlatforms.exampleYaml(), CollaborationPlatform.class);
    JsonNode written = tree(file).get("spec");
    JsonNode defaulted = tree(TestPlatforms.example()).get("spec");
    assertSubset(written, defaulted, "spec");
    assertThat(file.getMetadata().getName()).isEqualTo(TestPlatforms.NAME);
    assertThat(file.getMetadata().getNamespace()).isEqualTo(TestPlatforms.NAMESPACE);
  }

  @Test
  void examplePlatformYieldsExactlyTheExpectedObjects() {
    Map<String, List<String>> expected = new TreeMap<>();
    expected.put("ConfigMap", List.of("acme-identity-config", "acme-message-center-config", "acme-netdisk-config",
        "acme-webos-config"));
    expected.put("Deployment", List.of("acme-identity", "acme-message-center", "acme-netdisk", "acme-webos"));
    expected.put("HorizontalPodAutoscaler", List.of("acme-message-center"));
    expected.put("Ingress", List.of("acme"));
    expected.put("NetworkPolicy", List.of("acme-cache", "acme-database", "acme-default-deny", "acme-identity",
        "acme-message-center", "acme-netdisk", "acme-object-store", "acme-webos"));
    expected.put("PodDisruptionBudget", List.of("acme-cache", "acme-database", "acme-identity",
        "acme-message-center", "acme-netdisk", "acme-object-store", "acme-webos"));
    expected.put("Service", List.of("acme-cache", "acme-cache-hl", "acme-database", "acme-database-hl",
        "acme-database-ro", "acme-identity", "acme-identity-pods", "acme-message-center", "acme-message-center-pods",
        "acme-netdisk", "acme-netdisk-pods", "acme-object-store", "acme-object-store-hl", "acme-webos"));
    expected.put("StatefulSet", List.of("acme-cache", "acme-database", "acme-object-store"));
    // the database's pods' account, for Patroni
    expected.put("ServiceAccount", List.of("acme-database"));
    expected.put("Role", List.of("acme-database"));
    expected.put("RoleBinding", List.of("acme-database"));

    DesiredState desired = example();

    Map<String, List<String>> actual = desired.resources().stream().collect(Collectors.groupingBy(HasMetadata::getKind,
        TreeMap::new, Collectors.mapping(r -> r.getMetadata().getName(), Collectors.collectingAndThen(
            Collectors.toList(), names -> names.stream().sorted().toList()))));
    assertThat(actual).isEqualTo(expected);
    // the reconciler keys live objects by kind and name, so a duplicate would be applied twice
    assertThat(desired.resources()).extracting(r -> r.getKind() + "/" + r.getMetadata().getName())
        .doesNotHaveDuplicates();
  }

  @Test
  void examplePlatformGeneratesTheDataStoresAndIdentitysSecretsWithTheirKeys() {
    Map<String, List<String>> secrets = new LinkedHashMap<>();
    example().secrets().forEach(s -> secrets.put(s.metadata().getName(), s.keys()));

    assertThat(secrets).containsOnly(
        Map.entry("acme-database-credentials", List.of("superuser-password", "replication-password", "app-password")),
        Map.entry("acme-cache-credentials", List.of("password")),
        Map.entry("acme-object-store-credentials", List.of("access-key", "secret-key")),
        Map.entry("acme-identity-signing-key", List.of("private-key", "public-key", "key-id")),
        Map.entry("acme-identity-keys", List.of("encryption-key")),
        Map.entry("acme-identity-admin", List.of("password")),
        Map.entry("acme-netdisk-oauth-client", List.of("client-secret")),
        Map.entry("acme-webos-oauth-client", List.of("client-secret")));
    assertThat(example().secrets()).hasSize(secrets.size());
  }

  @Test
  void everySecretKeyAPodReadsIsOneThatIsGeneratedOrReferencedBySpec() {
    // a key missing from its Secret leaves the pod in CreateContainerConfigError
    DesiredState desired = model(withLdapAndFederation());
    Map<String, List<String>> available = new TreeMap<>();
    desired.secrets().forEach(s -> available.put(s.metadata().getName(), s.keys()));
    available.put("acme-ldap-bind", List.of("bindDN", "password"));

    List<EnvVar> fromSecrets = containers(desired).stream().flatMap(c -> env(c).stream())
        .filter(e -> e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null).toList();
    assertThat(fromSecrets).isNotEmpty().allSatisfy(e -> {
      var ref = e.getValueFrom().getSecretKeyRef();
      assertThat(available).as("Secret of %s", e.getName()).containsKey(ref.getName());
      assertThat(available.get(ref.getName())).as("keys of Secret %s, read by %s", ref.getName(), e.getName())
          .contains(ref.getKey());
    });
  }

  @Test
  void everyObjectHasTheStandardLabelsAndIsOwnedByThePlatform() {
    DesiredState desired = example();
    List<ObjectMeta> metadata = new ArrayList<>();
    desired.resources().forEach(r -> metadata.add(r.getMetadata()));
    desired.secrets().forEach(s -> metadata.add(s.metadata()));

    assertThat(metadata).hasSize(desired.resources().size() + 8).allSatisfy(meta -> {
      String what = meta.getName();
      assertThat(meta.getNamespace()).as(what).isEqualTo(TestPlatforms.NAMESPACE);
      assertThat(meta.getLabels()).as(what)
          .containsEntry(Labels.INSTANCE, PLATFORM)
          .containsEntry(Labels.PART_OF, "atrium")
          .containsEntry(Labels.MANAGED_BY, "atrium-operator");
      if (meta.getLabels().containsKey(Labels.NAME)) {
        assertThat(meta.getLabels()).as(what)
            .containsEntry(Labels.VERSION, TestPlatforms.VERSION)
            .containsKey(Labels.COMPONENT);
        assertThat(meta.getLabels().get(Labels.COMPONENT)).as(what).isIn("service", "data-store");
      }
      assertThat(meta.getOwnerReferences()).as(what).singleElement().satisfies(PlatformModelTest::isThePlatform);
    });
    // only the platform-wide objects (default-deny policy, front door) belong to no single component
    assertThat(metadata).filteredOn(m -> !m.getLabels().containsKey(Labels.NAME)).extracting(ObjectMeta::getName)
        .containsExactlyInAnyOrder("acme-default-deny", "acme");
  }

  private static void isThePlatform(OwnerReference owner) {
    assertThat(owner.getApiVersion()).isEqualTo("atrium.dev/v1alpha1");
    assertThat(owner.getKind()).isEqualTo("CollaborationPlatform");
    assertThat(owner.getName()).isEqualTo(PLATFORM);
    assertThat(owner.getUid()).isEqualTo(TestPlatforms.UID);
    assertThat(owner.getController()).isTrue();
    assertThat(owner.getBlockOwnerDeletion()).isTrue();
  }

  @Test
  void workloadSelectorsPickTheirOwnPods() {
    // selectors are immutable; a selector that misses the template's labels is rejected by the API server
    DesiredState desired = example();
    of(desired, Deployment.class).forEach(d -> assertThat(d.getSpec().getTemplate().getMetadata().getLabels())
        .as(d.getMetadata().getName()).containsAllEntriesOf(d.getSpec().getSelector().getMatchLabels()));
    of(desired, StatefulSet.class).forEach(s -> assertThat(s.getSpec().getTemplate().getMetadata().getLabels())
        .as(s.getMetadata().getName()).containsAllEntriesOf(s.getSpec().getSelector().getMatchLabels()));
  }

  @Test
  void everyPodIsRestricted() {
    Map<String, PodTemplateSpec> templates = podTemplates(example());
    assertThat(templates).hasSize(7);
    templates.forEach(PlatformModelTest::assertRestricted);
  }

  private static void assertRestricted(String name, PodTemplateSpec template) {
    PodSpec pod = template.getSpec();
    // the restricted Pod Security Standard, plus no API token for pods that never call the API server; the
    // database's do (Patroni keeps its leader lock there), as their own account
    if (name.equals("StatefulSet/acme-database")) {
      assertThat(pod.getAutomountServiceAccountToken()).as("%s automountServiceAccountToken", name).isTrue();
      assertThat(pod.getServiceAccountName()).as("%s serviceAccountName", name).isEqualTo("acme-database");
    } else {
      assertThat(pod.getAutomountServiceAccountToken()).as("%s automountServiceAccountToken", name).isFalse();
      assertThat(pod.getServiceAccountName()).as("%s serviceAccountName", name).isNull();
    }
    assertThat(pod.getHostNetwork()).as("%s hostNetwork", name).isNotEqualTo(Boolean.TRUE);
    assertThat(pod.getHostPID()).as("%s hostPID", name).isNotEqualTo(Boolean.TRUE);
    assertThat(pod.getHostIPC()).as("%s hostIPC", name).isNotEqualTo(Boolean.TRUE);
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).as("%s runAsNonRoot", name).isTrue();
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).as("%s seccomp", name)
        .isEqualTo("RuntimeDefault");
    assertThat(pod.getVolumes()).as("%s volumes", name).allSatisfy(v -> assertThat(v.getHostPath()).isNull());

    List<Container> containers = new ArrayList<>(pod.getContainers());
    if (pod.getInitContainers() != null) {
      containers.addAll(pod.getInitContainers());
    }
    assertThat(containers).as(name).isNotEmpty().allSatisfy(c -> {
      String what = name + "/" + c.getName();
      var security = c.getSecurityContext();
      assertThat(security).as(what).isNotNull();
      assertThat(security.getReadOnlyRootFilesystem()).as("%s readOnlyRootFilesystem", what).isTrue();
      assertThat(security.getAllowPrivilegeEscalation()).as("%s allowPrivilegeEscalation", what).isFalse();
      assertThat(security.getPrivileged()).as("%s privileged", what).isNotEqualTo(Boolean.TRUE);
      assertThat(security.getCapabilities().getDrop()).as("%s capabilities.drop", what).contains("ALL");
      assertThat(security.getCapabilities().getAdd()).as("%s capabilities.add", what).isNullOrEmpty();
      assertThat(Objects.equals(security.getRunAsUser(), 0L)).as("%s runs as root", what).isFalse();
      // requests let the scheduler place the pod and the autoscaler compute utilization
      assertThat(c.getResources().getRequests()).as("%s requests", what).containsKeys("cpu", "memory");
      assertThat(c.getReadinessProbe()).as("%s readinessProbe", what).isNotNull();
    });
    assertThat(pod.getContainers().get(0).getLivenessProbe()).as("%s livenessProbe", name).isNotNull();
  }

  @Test
  void withAPrivateRegistryEveryImageComesFromItAndEveryPodHasThePullSecrets() {
    DesiredState desired = model(TestPlatforms.withRegistry("registry.acme.internal:5000", "mirror/atrium",
        "mirror-pull", "mirror-pull-2"));

    assertThat(containers(desired)).hasSize(8).allSatisfy(c -> assertThat(c.getImage()).as(c.getName())
        .startsWith("registry.acme.internal:5000/mirror/atrium/"));
    assertThat(podTemplates(desired)).hasSize(7).allSatisfy((name, template) ->
        assertThat(template.getSpec().getImagePullSecrets()).as(name)
            .containsExactly(new LocalObjectReference("mirror-pull"), new LocalObjectReference("mirror-pull-2")));
    // an air-gapped site reaches no other registry, so nothing may name the operator's default
    Stream.concat(desired.resources().stream().map(Serialization::asJson),
            desired.secrets().stream().map(Serialization::asJson))
        .forEach(json -> assertThat(json).doesNotContain(OperatorConfig.DEFAULT_REGISTRY));
  }

  @Test
  void aRegistryWithoutPathPrefixIsUsedAsIs() {
    DesiredState desired = model(TestPlatforms.withRegistry("registry.acme.internal", null));

    assertThat(containers(desired)).allSatisfy(c -> assertThat(c.getImage()).as(c.getName())
        .startsWith("registry.acme.internal/atrium/"));
    assertThat(podTemplates(desired)).allSatisfy((name, template) ->
        assertThat(template.getSpec().getImagePullSecrets()).as(name).isNullOrEmpty());
  }

  @Test
  void withoutARegistryImagesComeFromTheOperatorsDefaultAtTheRelease() {
    assertThat(containers(example())).allSatisfy(c -> assertThat(c.getImage()).as(c.getName())
        .startsWith(OperatorConfig.DEFAULT_REGISTRY + "/atrium/").matches(".*" + TestPlatforms.VERSION
            + "@sha256:[0-9a-f]{64}")); // pinned by the release's digest
  }

  @Test
  void autoscaledDeploymentLeavesReplicasToTheAutoscaler() {
    DesiredState desired = example();

    Deployment autoscaled = named(desired, Deployment.class, "acme-message-center");
    // a replicas field in what is applied would fight the HPA on every reconcile
    assertThat(autoscaled.getSpec().getReplicas()).isNull();
    assertThat(tree(autoscaled).get("spec").has("replicas")).isFalse();
    HorizontalPodAutoscaler hpa = named(desired, HorizontalPodAutoscaler.class, "acme-message-center");
    assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
    assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo("acme-message-center");
    assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(2);
    assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(6);

    assertThat(of(desired, Deployment.class)).filteredOn(d -> d != autoscaled)
        .allSatisfy(d -> assertThat(d.getSpec().getReplicas()).as(d.getMetadata().getName()).isEqualTo(2));
  }

  @Test
  void aSleepingComponentAsksForNoPodAndAnAutoscaledOneGetsNoAutoscaler() {
    DesiredState desired = PlatformModel.from(TestPlatforms.context(TestPlatforms.example())
        .withAtZero(Set.of(Component.MESSAGE_CENTER, Component.DATABASE)));

    Deployment messageCenter = named(desired, Deployment.class, "acme-message-center");
    // explicit, or the field would be left to an autoscaler that is not there
    assertThat(messageCenter.getSpec().getReplicas()).isZero();
    assertThat(of(desired, HorizontalPodAutoscaler.class)).as("an autoscaler would raise it to its minimum").isEmpty();
    assertThat(desired.kept()).as("nor is the live one kept").isEmpty();
    assertThat(named(desired, StatefulSet.class, "acme-database").getSpec().getReplicas()).isZero();
    assertThat(named(desired, StatefulSet.class, "acme-cache").getSpec().getReplicas()).isEqualTo(3);
    assertThat(named(desired, Deployment.class, "acme-webos").getSpec().getReplicas()).isEqualTo(2);
    // nothing else differs: no volume template, Secret or Service goes while asleep
    assertThat(desired.secrets()).isEqualTo(example().secrets());
    assertThat(desired.resources()).extracting(r -> r.getKind() + "/" + r.getMetadata().getName())
        .containsAll(example().resources().stream().filter(r -> !(r instanceof HorizontalPodAutoscaler))
            .map(r -> r.getKind() + "/" + r.getMetadata().getName()).toList());
  }

  @Test
  void databaseClientServiceReachesOnlyThePrimary() {
    DesiredState desired = example();

    Service primary = named(desired, Service.class, "acme-database");
    assertThat(primary.getSpec().getSelector()).containsExactlyInAnyOrderEntriesOf(Map.of(
        Labels.NAME, "database", Labels.INSTANCE, PLATFORM, Labels.PATRONI_ROLE, Labels.PATRONI_LEADER));
    Service readOnly = named(desired, Service.class, "acme-database-ro");
    assertThat(readOnly.getSpec().getSelector()).containsExactlyInAnyOrderEntriesOf(Map.of(
        Labels.NAME, "database", Labels.INSTANCE, PLATFORM, Labels.PATRONI_ROLE, Labels.PATRONI_REPLICA));
    Service headless = named(desired, Service.class, "acme-database-hl");
    assertThat(headless.getSpec().getClusterIP()).isEqualTo("None");
    assertThat(named(desired, StatefulSet.class, "acme-database").getSpec().getServiceName())
        .isEqualTo("acme-database-hl");
  }

  @ParameterizedTest
  @EnumSource(VolumeReclaimPolicy.class)
  void storageReclaimPolicyDecidesWhetherVolumesOutliveThePlatform(VolumeReclaimPolicy policy) {
    DesiredState desired = model(exampleWith(p -> {
      p.getSpec().getDatabase().getStorage().setReclaimPolicy(policy);
      p.getSpec().getCache().getStorage().setReclaimPolicy(policy);
      p.getSpec().getObjectStore().getStorage().setReclaimPolicy(policy);
    }));

    assertThat(of(desired, StatefulSet.class)).hasSize(3).allSatisfy(s -> {
      var retention = s.getSpec().getPersistentVolumeClaimRetentionPolicy();
      assertThat(retention.getWhenDeleted()).as(s.getMetadata().getName()).isEqualTo(policy.name());
      // scaling down keeps a replica's data either way, so scaling up again resumes it
      assertThat(retention.getWhenScaled()).as(s.getMetadata().getName()).isEqualTo("Retain");
    });
  }

  @Test
  void reclaimPolicyIsPerStore() {
    DesiredState desired = model(exampleWith(p -> p.getSpec().getCache().getStorage()
        .setReclaimPolicy(VolumeReclaimPolicy.Delete)));

    assertThat(whenDeleted(desired, "acme-cache")).isEqualTo("Delete");
    assertThat(whenDeleted(desired, "acme-database")).isEqualTo("Retain");
    assertThat(whenDeleted(desired, "acme-object-store")).isEqualTo("Retain");
    assertThat(named(desired, StatefulSet.class, "acme-database").getSpec().getVolumeClaimTemplates().get(0)
        .getSpec().getResources().getRequests().get("storage").toString()).isEqualTo("20Gi");
  }

  private static String whenDeleted(DesiredState desired, String statefulSet) {
    return named(desired, StatefulSet.class, statefulSet).getSpec().getPersistentVolumeClaimRetentionPolicy()
        .getWhenDeleted();
  }

  @Test
  void configHashIsTheHashOfTheDeploymentsConfigMap() {
    DesiredState desired = example();

    assertThat(of(desired, Deployment.class)).hasSize(4).allSatisfy(d -> {
      String name = d.getMetadata().getName();
      ConfigMap config = named(desired, ConfigMap.class, name + "-config");
      assertThat(d.getSpec().getTemplate().getMetadata().getAnnotations()).as(name)
          .containsEntry(ConfigHash.ANNOTATION, ConfigHash.of(config.getData()));
    });
  }

  @Test
  void changingConfigurationRollsThePodsButScalingDoesNot() {
    Map<String, String> before = configHashes(example());

    // the domain is in every service's ConfigMap (the OIDC issuer), so every pod must restart to see it
    Map<String, String> newDomain = configHashes(model(exampleWith(p -> p.getSpec().setDomain("chat.acme.example"))));
    assertThat(newDomain).hasSize(4);
    newDomain.forEach((name, hash) -> assertThat(hash).as(name).isNotEqualTo(before.get(name)));

    // replicas are not configuration: scaling must not restart every pod
    Map<String, String> scaled = configHashes(model(exampleWith(p -> {
      p.getSpec().getWebos().setReplicas(5);
      p.getSpec().getIdentity().setReplicas(3);
    })));
    assertThat(scaled).isEqualTo(before);
  }

  @Test
  void enablingLdapRollsOnlyIdentity() {
    Map<String, String> before = configHashes(example());
    Map<String, String> after = configHashes(model(TestPlatforms.withLdap("acme-ldap-bind")));

    assertThat(after.get("acme-identity")).isNotEqualTo(before.get("acme-identity"));
    assertThat(after).containsAllEntriesOf(Map.of(
        "acme-webos", before.get("acme-webos"),
        "acme-netdisk", before.get("acme-netdisk"),
        "acme-message-center", before.get("acme-message-center")));
  }

  private static Map<String, String> configHashes(DesiredState desired) {
    Map<String, String> hashes = new TreeMap<>();
    of(desired, Deployment.class).forEach(d -> hashes.put(d.getMetadata().getName(),
        d.getSpec().getTemplate().getMetadata().getAnnotations().get(ConfigHash.ANNOTATION)));
    return hashes;
  }

  @Test
  void noSecretIsCopiedIntoAConfigMap() {
    DesiredState desired = model(withLdapAndFederation());

    List<ConfigMap> configMaps = of(desired, ConfigMap.class);
    assertThat(configMaps).hasSize(4).allSatisfy(cm -> cm.getData().forEach((key, value) -> {
      String what = cm.getMetadata().getName() + " " + key;
      if (!NOT_SECRET.contains(key)) {
        assertThat(key).as(what).doesNotMatch(SECRET_LIKE);
      }
      assertThat(value).as(what).doesNotContainIgnoringCase("password").doesNotContain("acme-ldap-bind")
          .doesNotContain("-credentials");
    }));
    // what a pod needs secretly it reads from the Secret itself, never as a literal value
    List<EnvVar> secretLike = containers(desired).stream().flatMap(c -> env(c).stream())
        .filter(e -> SECRET_LIKE.matcher(e.getName()).matches()).toList();
    assertThat(secretLike).isNotEmpty().allSatisfy(e -> {
      assertThat(e.getValue()).as(e.getName()).isNull();
      assertThat(e.getValueFrom().getSecretKeyRef()).as(e.getName()).isNotNull();
    });
  }

  @Test
  void modelIsDeterministic() {
    // the reconciler writes only what differs; an unstable order would rewrite objects on every pass
    DesiredState first = model(TestPlatforms.withLdap("acme-ldap-bind"));
    DesiredState second = model(TestPlatforms.withLdap("acme-ldap-bind"));

    assertThat(first.resources()).hasSameSizeAs(second.resources());
    for (int i = 0; i < first.resources().size(); i++) {
      assertThat(Serialization.asJson(second.resources().get(i))).isEqualTo(Serialization.asJson(first.resources().get(i)));
    }
    assertThat(second.secrets().stream().map(Serialization::asJson).toList())
        .isEqualTo(first.secrets().stream().map(Serialization::asJson).toList());
  }

  // --- helpers

  private static <T extends HasMetadata> List<T> of(DesiredState desired, Class<T> kind) {
    return desired.resources().stream().filter(kind::isInstance).map(kind::cast).toList();
  }

  private static <T extends HasMetadata> T named(DesiredState desired, Class<T> kind, String name) {
    return of(desired, kind).stream().filter(r -> name.equals(r.getMetadata().getName())).findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind.getSimpleName() + " " + name));
  }

  private static Map<String, PodTemplateSpec> podTemplates(DesiredState desired) {
    Map<String, PodTemplateSpec> templates = new TreeMap<>();
    of(desired, Deployment.class).forEach(d -> templates.put("Deployment/" + d.getMetadata().getName(),
        d.getSpec().getTemplate()));
    of(desired, StatefulSet.class).forEach(s -> templates.put("StatefulSet/" + s.getMetadata().getName(),
        s.getSpec().getTemplate()));
    return templates;
  }

  private static List<Container> containers(DesiredState desired) {
    List<Container> containers = new ArrayList<>();
    podTemplates(desired).values().forEach(t -> {
      containers.addAll(t.getSpec().getContainers());
      if (t.getSpec().getInitContainers() != null) {
        containers.addAll(t.getSpec().getInitContainers());
      }
    });
    return containers;
  }

  private static List<EnvVar> env(Container container) {
    return container.getEnv() == null ? List.of() : container.getEnv();
  }

  private static JsonNode tree(Object object) {
    try {
      return new ObjectMapper().readTree(Serialization.asJson(object));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every field of part is in whole, with the same value. */
  private static void assertSubset(JsonNode part, JsonNode whole, String path) {
    assertThat(whole).as(path).isNotNull();
    if (part.isObject()) {
      for (Map.Entry<String, JsonNode> field : part.properties()) {
        assertSubset(field.getValue(), whole.get(field.getKey()), path + "." + field.getKey());
      }
    } else {
      assertThat(whole).as(path).isEqualTo(part);
    }
  }
}
