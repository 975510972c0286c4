package dev.atrium.operator.database;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrium.api.v1alpha1.CollaborationPlatform;
import dev.atrium.operator.TestPlatforms;
import dev.atrium.operator.model.DesiredState;
import dev.atrium.operator.model.Labels;
import dev.atrium.operator.model.Names;
import dev.atrium.operator.platform.PlatformModel;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The database under Patroni, as the model writes it: no cluster, only the objects. */
class DatabaseModelTest {

  private static final String PLATFORM = TestPlatforms.NAME;
  /** The image's scripts, which read what the model sets (the module's directory is operator/manager). */
  private static final Path IMAGE = Path.of(System.getProperty("atrium.repo.dir", "../..")).resolve(
      "hack/images/postgresql");

  private static DesiredState model(CollaborationPlatform platform) {
    return DatabaseModel.from(TestPlatforms.context(platform));
  }

  @Test
  void theServicesFollowTheRoleLabelPatroniSets() {
    DesiredState desired = model(TestPlatforms.example());

    Map<String, String> pod = statefulSet(desired).getSpec().getTemplate().getMetadata().getLabels();
    Map<String, String> leader = named(desired, Service.class, "acme-database").getSpec().getSelector();
    Map<String, String> replicas = named(desired, Service.class, "acme-database-ro").getSpec().getSelector();
    assertThat(leader).containsEntry(Labels.PATRONI_ROLE, Labels.PATRONI_LEADER);
    assertThat(replicas).containsEntry(Labels.PATRONI_ROLE, Labels.PATRONI_REPLICA);
    // apart from the role, each selects exactly the StatefulSet's pods: a pod with Patroni's label is in one
    for (Map<String, String> selector : List.of(leader, replicas)) {
      Map<String, String> rest = new HashMap<>(selector);
      rest.remove(Labels.PATRONI_ROLE);
      assertThat(rest).isEqualTo(statefulSet(desired).getSpec().getSelector().getMatchLabels());
      assertThat(pod).containsAllEntriesOf(rest).doesNotContainKey(Labels.PATRONI_ROLE);
    }
  }

  @Test
  void patroniSelectsExactlyTheStatefulSetsPodsAsItsMembers() {
    StatefulSet set = statefulSet(model(TestPlatforms.example()));
    Map<String, String> env = env(set);

    // Patroni's member selector: its labels plus the scope label, whose value is the scope (the StatefulSet's name,
    // which the image takes from the pod's name, <set>-<ordinal>)
    Map<String, String> members = new HashMap<>();
    Arrays.stream(env.get("ATRIUM_PATRONI_LABELS").split(",")).map(p -> p.split("=", 2))
        .forEach(p -> members.put(p[0], p[1]));
    members.put(env.get("ATRIUM_PATRONI_SCOPE_LABEL"), set.getMetadata().getName());
    assertThat(env.get("ATRIUM_PATRONI_SCOPE_LABEL")).isEqualTo(Labels.PATRONI_CLUSTER);
    assertThat(env.get("ATRIUM_PATRONI_ROLE_LABEL")).isEqualTo(Labels.PATRONI_ROLE);
    assertThat(set.getSpec().getTemplate().getMetadata().getLabels()).containsAllEntriesOf(members);
    // and nothing else: the StatefulSet's selector is the platform's database, the scope label the same set
    assertThat(members).containsAllEntriesOf(set.getSpec().getSelector().getMatchLabels()).hasSize(3);
  }

  @Test
  void podsRunAsTheirOwnAccountWithExactlyWhatPatroniCalls() {
    DesiredState desired = model(TestPlatforms.example());
    StatefulSet set = statefulSet(desired);
    String name = Names.account(PLATFORM, dev.atrium.operator.model.Component.DATABASE);

    assertThat(set.getSpec().getTemplate().getSpec().getServiceAccountName()).isEqualTo(name);
    assertThat(set.getSpec().getTemplate().getSpec().getAutomountServiceAccountToken()).isTrue();
    ServiceAccount account = named(desired, ServiceAccount.class, name);
    // other pods that name the account get no token unless they ask
    assertThat(account.getAutomountServiceAccountToken()).isFalse();
    Role role = named(desired, Role.class, name);
    assertThat(rules(role.getRules())).containsExactlyInAnyOrder(
        "configmaps get", "configmaps list", "configmaps watch", "configmaps create", "configmaps patch",
        "pods list", "pods watch", "pods patch");
    RoleBinding binding = named(desired, RoleBinding.class, name);
    assertThat(binding.getRoleRef().getKind()).isEqualTo("Role");
    assertThat(binding.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
    assertThat(binding.getSubjects()).singleElement().satisfies(s -> {
      assertThat(s.getKind()).isEqualTo("ServiceAccount");
      assertThat(s.getName()).isEqualTo(name);
      assertThat(s.getNamespace()).isEqualTo(TestPlatforms.NAMESPACE);
    });
    // labelled and owned like every object of the platform, so the informers see them and pruning may delete them
    for (HasMetadata object : List.<HasMetadata>of(account, role, binding)) {
      assertThat(object.getMetadata().getLabels()).containsEntry(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE)
          .containsEntry(Labels.INSTANCE, PLATFORM);
      assertThat(object.getMetadata().getOwnerReferences()).singleElement()
          .satisfies(o -> assertThat(o.getUid()).isEqualTo(TestPlatforms.UID));
    }
  }

  @Test
  void theProbesAskPatroniAndLivenessDoesNotDependOnPostgresql() {
    Container postgres = statefulSet(model(TestPlatforms.example())).getSpec().getTemplate().getSpec()
        .getContainers().get(0);

    assertThat(postgres.getPorts()).extracting(p -> p.getName() + " " + p.getContainerPort())
        .containsExactly("postgresql 5432", "patroni 8008");
    assertThat(postgres.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readiness");
    assertThat(postgres.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/liveness");
    assertThat(postgres.getStartupProbe().getHttpGet().getPath()).isEqualTo("/liveness");
    for (var probe : List.of(postgres.getReadinessProbe(), postgres.getLivenessProbe(), postgres.getStartupProbe())) {
      assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo(DatabaseModel.PATRONI_PORT_NAME);
    }
  }

  @Test
  void synchronousReplicationFollowsTheSpecAndIsOffByDefault() {
    CollaborationPlatform platform = TestPlatforms.example();
    assertThat(env(statefulSet(model(platform)))).containsEntry("ATRIUM_SYNCHRONOUS", "false");

    platform.getSpec().getDatabase().setSynchronous(true);
    assertThat(env(statefulSet(model(platform)))).containsEntry("ATRIUM_SYNCHRONOUS", "true");
  }

  @Test
  void thePodsAddressAndNamespaceComeFromTheDownwardApi() {
    Container postgres = statefulSet(model(TestPlatforms.example())).getSpec().getTemplate().getSpec()
        .getContainers().get(0);
    Map<String, String> fields = postgres.getEnv().stream().filter(e -> e.getValueFrom() != null
            && e.getValueFrom().getFieldRef() != null)
        .collect(Collectors.toMap(EnvVar::getName, e -> e.getValueFrom().getFieldRef().getFieldPath()));
    assertThat(fields).containsExactlyInAnyOrderEntriesOf(Map.of("POD_IP", "status.podIP",
        "POD_NAMESPACE", "metadata.namespace"));
  }

  @Test
  void noObjectOfThePlatformTakesTheNameOfOneOfPatronisConfigMaps() {
    DesiredState desired = PlatformModel.from(TestPlatforms.context(TestPlatforms.example()));

    assertThat(desired.resources()).filteredOn(ConfigMap.class::isInstance)
        .extracting(r -> r.getMetadata().getName())
        .isNotEmpty()
        .doesNotContainAnyElementsOf(Names.patroniConfigMaps(PLATFORM));
  }

  @Test
  void theImageReadsOnlyWhatTheModelSets() throws IOException {
    // every variable the image's scripts require (they die without it) is set by the model, or by the runtime
    Set<String> required = new TreeSet<>();
    for (String script : List.of("entrypoint.sh", "patroni-config.sh", "roles.sh")) {
      Matcher loop = Pattern.compile("for v in ([A-Z_ ]+); do").matcher(Files.readString(IMAGE.resolve(script)));
      while (loop.find()) {
        required.addAll(Arrays.asList(loop.group(1).trim().split(" +")));
      }
    }
    Set<String> set = env(statefulSet(model(TestPlatforms.example()))).keySet();

    assertThat(required).contains("POD_IP", "POD_NAMESPACE", "ATRIUM_PATRONI_LABELS", "POSTGRES_PASSWORD");
    assertThat(set).containsAll(required);
  }

  @Test
  void theDatabaseContainerCarriesTheBackupAndRestoreEnvironment() {
    CollaborationPlatform platform = TestPlatforms.example();
    platform.getSpec().setBackup(BackupWiringTest.backup(true, BackupWiringTest.bucket("acme-backups", "tenants",
        "acme-backup-keys")));
    platform.getSpec().setRestore(BackupWiringTest.restore("globex", BackupWiringTest.bucket("globex-backups", null,
        "globex-backup-keys"), null, "2026-11-29T10:15:00Z"));
    List<EnvVar> wiring = BackupWiring.env(PLATFORM, platform.getMetadata().getNamespace(), platform.getSpec());

    Container postgres = statefulSet(model(platform)).getSpec().getTemplate().getSpec().getContainers().get(0);

    assertThat(wiring).extracting(EnvVar::getName).contains("ATRIUM_BACKUP_DESTINATION", "AWS_SECRET_ACCESS_KEY",
        "ATRIUM_RESTORE_DESTINATION", "ATRIUM_RESTORE_TARGET_TIME");
    assertThat(postgres.getEnv()).containsAll(wiring);
    // without either, the container has none of it
    assertThat(statefulSet(model(TestPlatforms.example())).getSpec().getTemplate().getSpec().getContainers().get(0)
        .getEnv()).extracting(EnvVar::getName).noneMatch(n -> n.startsWith("ATRIUM_BACKUP_")
            || n.startsWith("ATRIUM_RESTORE_") || n.startsWith("AWS_"));
  }

  // --- helpers

  private static StatefulSet statefulSet(DesiredState desired) {
    return named(desired, StatefulSet.class, "acme-database");
  }

  /** The container's environment, values from the downward API or Secrets as their source. */
  private static Map<String, String> env(StatefulSet set) {
    return set.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
        .collect(Collectors.toMap(EnvVar::getName, e -> e.getValue() != null ? e.getValue() : e.getValueFrom()
            .toString()));
  }

  private static List<String> rules(List<PolicyRule> rules) {
    return rules.stream().flatMap(r -> r.getResources().stream().flatMap(res -> r.getVerbs().stream()
        .map(v -> res + " " + v))).toList();
  }

  private static <T extends HasMetadata> T named(DesiredState desired, Class<T> kind, String name) {
    return desired.resources().stream().filter(kind::isInstance).map(kind::cast)
        .filter(r -> name.equals(r.getMetadata().getName())).findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind.getSimpleName() + " " + name));
  }
}
