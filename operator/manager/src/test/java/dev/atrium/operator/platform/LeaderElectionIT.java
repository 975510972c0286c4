package dev.atrium.operator.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrium.api.v1alpha1.CollaborationPlatform;
import dev.atrium.operator.Main;
import dev.atrium.operator.OperatorConfig;
import dev.atrium.operator.OperatorHarness;
import dev.atrium.operator.monitoring.OperatorMetrics;
import dev.atrium.testing.kube.TestNamespace;
import dev.atrium.testing.kube.WithKubeCluster;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Two operator replicas with leader election: one reconciles, and the other takes over when it goes. */
@WithKubeCluster
class LeaderElectionIT {

  /** One replica as Main runs it, with its own client and metrics. */
  private static final class Replica implements AutoCloseable {
    final KubernetesClient client;
    final OperatorMetrics metrics = new OperatorMetrics(new PrometheusRegistry());
    final AtomicBoolean lostLeadership = new AtomicBoolean();
    final Operator operator;

    Replica(KubernetesClient cluster, String leaseNamespace) {
      client = new KubernetesClientBuilder().withConfig(cluster.getConfiguration()).build();
      operator = Main.start(client, new OperatorConfig(Set.of(), OperatorConfig.DEFAULT_REGISTRY, 0, true,
          leaseNamespace), metrics, () -> lostLeadership.set(true));
    }

    double reconciles() {
      return metrics.reconcileCount();
    }

    @Override
    public void close() {
      operator.stop();
      client.close();
    }
  }

  @Test
  void onlyTheLeaderReconcilesAndTheStandbyTakesOver(KubernetesClient client, TestNamespace ns) {
    OperatorHarness.installCrd(client);
    try (Replica first = new Replica(client, ns.name()); Replica second = new Replica(client, ns.name())) {
      Lease lease = client.leases().inNamespace(ns.name()).withName(Main.LEASE)
          .waitUntilCondition(l -> l != null && l.getSpec().getHolderIdentity() != null, 60, TimeUnit.SECONDS);
      String leaderIdentity = lease.getSpec().getHolderIdentity();

      CollaborationPlatform platform = OperatorHarness.examplePlatform(ns.name());
      platform.getMetadata().setName("elected");
      var platforms = client.resources(CollaborationPlatform.class).inNamespace(ns.name());
      platforms.resource(platform).create();
      platforms.withName("elected").waitUntilCondition(
          p -> "True".equals(OperatorHarness.readyCondition(p).get("status")), 3, TimeUnit.MINUTES);

      Replica leader = first.reconciles() > 0 ? first : second;
      Replica standby = leader == first ? second : first;
      assertThat(leader.reconciles()).isPositive();
      assertThat(standby.reconciles()).as("the standby reconciles nothing").isZero();

      leader.close();
      client.leases().inNamespace(ns.name()).withName(Main.LEASE).waitUntilCondition(
          l -> l.getSpec().getHolderIdentity() != null && !leaderIdentity.equals(l.getSpec().getHolderIdentity()),
          90, TimeUnit.SECONDS);
      OperatorHarness.changeSpec(client, ns.name(), "elected", p -> p.getSpec().getWebos().setReplicas(3));

      client.apps().deployments().inNamespace(ns.name()).withName("elected-webos")
          .waitUntilCondition(d -> Integer.valueOf(3).equals(d.getSpec().getReplicas()), 90, TimeUnit.SECONDS);
      assertThat(standby.reconciles()).as("the new leader reconciles").isPositive();
      assertThat(standby.lostLeadership).as("the new leader still leads").isFalse();
    }
  }
}
