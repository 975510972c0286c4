package dev.atrium.operator.database;

import dev.atrium.api.v1alpha1.DatabaseSpec;
import dev.atrium.operator.model.Component;
import dev.atrium.operator.model.DesiredState;
import dev.atrium.operator.model.GeneratedSecret;
import dev.atrium.operator.model.Labels;
import dev.atrium.operator.model.Names;
import dev.atrium.operator.workload.PlatformContext;
import dev.atrium.operator.workload.PodSecurity;
import dev.atrium.operator.workload.StatefulStore;
import dev.atrium.operator.workload.Wiring;
import dev.atrium.operator.workload.Workloads;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * PostgreSQL under Patroni: every pod runs Patroni, which keeps the leader lock in a config map through the API
 * server (its Kubernetes DCS); the pod holding it is the primary and labels itself so, the others stream from
 * it. The client Service reaches the pod labelled leader, the -ro Service the replicas. The pods run as their own
 * ServiceAccount, whose Role allows exactly what Patroni calls. docs/images/postgresql.md.
 */
public final class DatabaseModel {

  public static final String SUPERUSER_PASSWORD_KEY = "superuser-password";
  public static final String REPLICATION_PASSWORD_KEY = "replication-password";
  /**
   * One database per service, all owned by the application user: every service's, whether it is switched on or
   * not, so that switching a service off neither drops its data nor rolls the database's pods.
   */
  public static final String DATABASES = String.join(",", Component.databases());
  /** Patroni's REST API: the probes, and the members' health checks of each other. */
  public static final int PATRONI_PORT = 8008;
  public static final String PATRONI_PORT_NAME = "patroni";

  private DatabaseModel() {
  }

  public static DesiredState from(PlatformContext ctx) {
    DatabaseSpec spec = ctx.platform().getSpec().getDatabase();
    Component db = Component.DATABASE;
    String secret = Names.credentials(ctx.name(), db);
    Container postgres = new ContainerBuilder()
        .withName("postgresql")
        .withImage(ctx.image(db))
        .withImagePullPolicy("IfNotPresent")
        .addNewPort().withName("postgresql").withContainerPort(db.port()).withProtocol("TCP").endPort()
        .addNewPort().withName(PATRONI_PORT_NAME).withContainerPort(PATRONI_PORT).withProtocol("TCP").endPort()
        .addNewEnv().withName("PGDATA").withValue("/var/lib/postgresql/data/pgdata").endEnv()
        .addNewEnv().withName("POD_IP").withNewValueFrom().withNewFieldRef().withFieldPath("status.podIP").endFieldRef()
            .endValueFrom().endEnv()
        .addNewEnv().withName("POD_NAMESPACE").withNewValueFrom().withNewFieldRef()
            .withFieldPath("metadata.namespace").endFieldRef().endValueFrom().endEnv()
        .addNewEnv().withName("ATRIUM_PATRONI_LABELS").withValue(patroniLabels(ctx)).endEnv()
        .addNewEnv().withName("ATRIUM_PATRONI_SCOPE_LABEL").withValue(Labels.PATRONI_CLUSTER).endEnv()
        .addNewEnv().withName("ATRIUM_PATRONI_ROLE_LABEL").withValue(Labels.PATRONI_ROLE).endEnv()
        .addNewEnv().withName("ATRIUM_SYNCHRONOUS").withValue(String.valueOf(spec.synchronous())).endEnv()
        .addNewEnv().withName("ATRIUM_DATABASES").withValue(DATABASES).endEnv()
        .addNewEnv().withName("ATRIUM_APP_USER").withValue(Wiring.DATABASE_APP_USER).endEnv()
        .addToEnv(Wiring.secretEnv("POSTGRES_PASSWORD", secret, SUPERUSER_PASSWORD_KEY))
        .addToEnv(Wiring.secretEnv("ATRIUM_REPLICATION_PASSWORD", secret, REPLICATION_PASSWORD_KEY))
        .addToEnv(Wiring.secretEnv("ATRIUM_APP_PASSWORD", secret, Wiring.APP_PASSWORD_KEY))
        .addAllToEnv(BackupWiring.env(ctx.name(), ctx.namespace(), ctx.platform().getSpec()))
        .withResources(ctx.resources(db, spec.getResources()))
        .withSecurityContext(PodSecurity.container())
        // Patroni's loop runs (it answers /liveness) within seconds, whatever PostgreSQL does
        .withStartupProbe(patroni("/liveness", 2, 60))
        // ready: the leader, or a replica whose server runs; the -ro Service takes only ready replicas
        .withReadinessProbe(patroni("/readiness", 5, 3))
        // alive while Patroni's loop runs: a replica in a long recovery, clone or rewind is not restarted
        .withLivenessProbe(patroni("/liveness", 10, 6))
        .addNewVolumeMount().withName(StatefulStore.DATA_VOLUME).withMountPath("/var/lib/postgresql/data").endVolumeMount()
        .addNewVolumeMount().withName("run").withMountPath("/var/run/postgresql").endVolumeMount()
        .addNewVolumeMount().withName("tmp").withMountPath("/tmp").endVolumeMount()
        .build();
    StatefulSet statefulSet = StatefulStore.statefulSet(ctx, db, spec, List.of(postgres),
        List.of(new VolumeBuilder().withName("run").withNewEmptyDir().endEmptyDir().build()));
    // Patroni finds its members by these labels, and talks to the API server as the pods' own account
    statefulSet.getSpec().getTemplate().getMetadata().getLabels().put(Labels.PATRONI_CLUSTER, scope(ctx));
    statefulSet.getSpec().getTemplate().getSpec().setServiceAccountName(Names.account(ctx.name(), db));
    statefulSet.getSpec().getTemplate().getSpec().setAutomountServiceAccountToken(true);
    List<ServicePort> ports = List.of(port());
    List<HasMetadata> resources = new ArrayList<>(StatefulStore.common(ctx, db, statefulSet, ports));
    resources.add(StatefulStore.service(ctx, db, Names.workload(ctx.name(), db), role(ctx, Labels.PATRONI_LEADER), ports));
    resources.add(StatefulStore.service(ctx, db, Names.readOnlyService(ctx.name(), db),
        role(ctx, Labels.PATRONI_REPLICA), ports));
    resources.addAll(account(ctx));
    List<GeneratedSecret> secrets = new ArrayList<>(List.of(StatefulStore.credentials(ctx, db,
        List.of(SUPERUSER_PASSWORD_KEY, REPLICATION_PASSWORD_KEY, Wiring.APP_PASSWORD_KEY))));
    if (BackupWiring.sealsPlatformData(ctx.platform().getSpec())) {
      secrets.add(new GeneratedSecret(Workloads.metadata(ctx, db, Names.backupDataKey(ctx.name())),
          List.of(BackupWiring.DATA_KEY)));
    }
    return new DesiredState(resources, secrets);
  }

  /** The Patroni cluster's name (its scope): the StatefulSet's, so its members are the StatefulSet's pods. */
  static String scope(PlatformContext ctx) {
    return Names.workload(ctx.name(), Component.DATABASE);
  }

  /** The labels Patroni selects its members by (with the scope label), as the image wants them: k=v,k=v. */
  static String patroniLabels(PlatformContext ctx) {
    return Labels.selector(ctx.name(), Component.DATABASE).entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
  }

  /** The database's pods that Patroni has labelled with this role. */
  private static Map<String, String> role(PlatformContext ctx, String role) {
    Map<String, String> selector = Labels.selector(ctx.name(), Component.DATABASE);
    selector.put(Labels.PATRONI_ROLE, role);
    return selector;
  }

  /**
   * The pods' ServiceAccount, and a Role with what Patroni's Kubernetes DCS calls on config maps
   * ({@code use_endpoints: false}): its own four ({@link Names#patroniConfigMaps}) read, listed and watched by
   * label, created and patched; and on pods: listed and watched (its members), patched (its own status annotation
   * and role label). Config maps cannot be narrowed by name: list and watch take none, and Patroni creates them.
   */
  static List<HasMetadata> account(PlatformContext ctx) {
    Component db = Component.DATABASE;
    String name = Names.account(ctx.name(), db);
    ServiceAccount account = new ServiceAccountBuilder()
        .withMetadata(Workloads.metadata(ctx, db, name))
        .withAutomountServiceAccountToken(false)
        .build();
    Role role = new RoleBuilder()
        .withMetadata(Workloads.metadata(ctx, db, name))
        .addNewRule().withApiGroups("").withResources("configmaps")
            .withVerbs("get", "list", "watch", "create", "patch").endRule()
        .addNewRule().withApiGroups("").withResources("pods").withVerbs("list", "watch", "patch").endRule()
        .build();
    RoleBinding binding = new RoleBindingBuilder()
        .withMetadata(Workloads.metadata(ctx, db, name))
        .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("Role").withName(name).endRoleRef()
        .addNewSubject().withKind("ServiceAccount").withName(name).withNamespace(ctx.namespace()).endSubject()
        .build();
    return List.of(account, role, binding);
  }

  private static ServicePort port() {
    return new ServicePortBuilder().withName("postgresql").withPort(Component.DATABASE.port())
        .withTargetPort(new IntOrString("postgresql")).withProtocol("TCP").build();
  }

  private static Probe patroni(String path, int period, int failureThreshold) {
    return new ProbeBuilder()
        .withNewHttpGet().withPath(path).withPort(new IntOrString(PATRONI_PORT_NAME)).endHttpGet()
        .withPeriodSeconds(period).withTimeoutSeconds(3).withFailureThreshold(failureThreshold)
        .build();
  }
}
