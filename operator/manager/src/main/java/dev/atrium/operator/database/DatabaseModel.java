package dev.atrium.operator.database;

import dev.atrium.api.v1alpha1.DatabaseSpec;
import dev.atrium.operator.model.Component;
import dev.atrium.operator.model.DesiredState;
import dev.atrium.operator.model.Labels;
import dev.atrium.operator.model.Names;
import dev.atrium.operator.workload.PlatformContext;
import dev.atrium.operator.workload.PodSecurity;
import dev.atrium.operator.workload.StatefulStore;
import dev.atrium.operator.workload.Wiring;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * PostgreSQL: pod 0 is the primary, the others stream from it. The client Service reaches only
 * the primary; the -ro Service reaches the replicas.
 */
public final class DatabaseModel {

  public static final String SUPERUSER_PASSWORD_KEY = "superuser-password";
  public static final String REPLICATION_PASSWORD_KEY = "replication-password";
  /**
   * One database per service, all owned by the application user: every service's, whether it is switched on or
   * not, so that switching a service off neither drops its data nor rolls the database's pods.
   */
  public static final String DATABASES = String.join(",", Component.databases());
  static final String POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name";

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
        .addNewEnv().withName("PGDATA").withValue("/var/lib/postgresql/data/pgdata").endEnv()
        .addNewEnv().withName("ATRIUM_PRIMARY_HOST").withValue(Names.podHost(ctx.name(), db, 0, ctx.namespace())).endEnv()
        .addNewEnv().withName("ATRIUM_DATABASES").withValue(DATABASES).endEnv()
        .addNewEnv().withName("ATRIUM_APP_USER").withValue(Wiring.DATABASE_APP_USER).endEnv()
        .addToEnv(Wiring.secretEnv("POSTGRES_PASSWORD", secret, SUPERUSER_PASSWORD_KEY))
        .addToEnv(Wiring.secretEnv("ATRIUM_REPLICATION_PASSWORD", secret, REPLICATION_PASSWORD_KEY))
        .addToEnv(Wiring.secretEnv("ATRIUM_APP_PASSWORD", secret, Wiring.APP_PASSWORD_KEY))
        .withResources(ctx.resources(db, spec.getResources()))
        .withSecurityContext(PodSecurity.container())
        .withStartupProbe(pgIsReady(5, 120))
        .withReadinessProbe(pgIsReady(5, 3))
        .withLivenessProbe(new ProbeBuilder().withNewTcpSocket().withPort(new IntOrString("postgresql")).endTcpSocket()
            .withPeriodSeconds(10).withFailureThreshold(6).build())
        .addNewVolumeMount().withName(StatefulStore.DATA_VOLUME).withMountPath("/var/lib/postgresql/data").endVolumeMount()
        .addNewVolumeMount().withName("run").withMountPath("/var/run/postgresql").endVolumeMount()
        .addNewVolumeMount().withName("tmp").withMountPath("/tmp").endVolumeMount()
        .build();
    var statefulSet = StatefulStore.statefulSet(ctx, db, spec, List.of(postgres),
        List.of(new VolumeBuilder().withName("run").withNewEmptyDir().endEmptyDir().build()));
    List<ServicePort> ports = List.of(port());
    List<HasMetadata> resources = new ArrayList<>(StatefulStore.common(ctx, db, statefulSet, ports));
    Map<String, String> primary = Labels.selector(ctx.name(), db);
    primary.put(POD_NAME_LABEL, Names.firstPod(ctx.name(), db));
    resources.add(StatefulStore.service(ctx, db, Names.workload(ctx.name(), db), primary, ports));
    resources.add(StatefulStore.service(ctx, db, Names.readOnlyService(ctx.name(), db),
        Labels.selector(ctx.name(), db), ports));
    return new DesiredState(resources, List.of(StatefulStore.credentials(ctx, db,
        List.of(SUPERUSER_PASSWORD_KEY, REPLICATION_PASSWORD_KEY, Wiring.APP_PASSWORD_KEY))));
  }

  private static ServicePort port() {
    return new ServicePortBuilder().withName("postgresql").withPort(Component.DATABASE.port())
        .withTargetPort(new IntOrString("postgresql")).withProtocol("TCP").build();
  }

  private static Probe pgIsReady(int period, int failureThreshold) {
    return new ProbeBuilder()
        .withNewExec().withCommand("pg_isready", "--host=127.0.0.1", "--port=" + Component.DATABASE.port()).endExec()
        .withPeriodSeconds(period).withTimeoutSeconds(3).withFailureThreshold(failureThreshold)
        .build();
  }
}
