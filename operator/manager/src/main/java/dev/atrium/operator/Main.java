package dev.atrium.operator;

import dev.atrium.operator.monitoring.HttpEndpoints;
import dev.atrium.operator.monitoring.OperatorMetrics;
import dev.atrium.operator.platform.CollaborationPlatformReconciler;
import dev.atrium.operator.release.ReleaseCatalog;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts the operator: the reconciler, leader election, metrics and health endpoints, graceful shutdown. */
public final class Main {

  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {
  }

  public static void main(String[] args) throws IOException, InterruptedException {
    OperatorConfig config = OperatorConfig.fromEnvironment(System.getenv());
    KubernetesClient client = new KubernetesClientBuilder().build();
    OperatorMetrics metrics = new OperatorMetrics(new PrometheusRegistry());
    Operator operator = start(client, config, metrics);
    HttpEndpoints http = new HttpEndpoints(config.httpPort(), metrics,
        () -> operator.getRuntimeInfo().isStarted() && operator.getRuntimeInfo().allEventSourcesAreHealthy());
    LOG.info("Atrium operator started: watching {}, default registry {}, metrics and health on :{}",
        config.watchNamespaces().isEmpty() ? "all namespaces" : config.watchNamespaces(), config.defaultRegistry(),
        http.port());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("Stopping: finishing reconciliations in flight");
      operator.stop();
      http.close();
      client.close();
      stopped.countDown();
    }, "shutdown"));
    stopped.await();
  }

  /** Registers the reconciler and starts the operator; returns once it runs (or waits for leadership). */
  public static Operator start(KubernetesClient client, OperatorConfig config, OperatorMetrics metrics) {
    Operator operator = new Operator(o -> {
      o.withKubernetesClient(client)
          .withCloseClientOnStop(false)
          .withReconciliationTerminationTimeout(Duration.ofSeconds(30));
      if (config.leaderElection()) {
        o.withLeaderElectionConfiguration(new LeaderElectionConfiguration("atrium-operator", config.leaseNamespace()));
      }
    });
    operator.register(new CollaborationPlatformReconciler(ReleaseCatalog.builtIn(), config.defaultRegistry(), metrics,
        Clock.systemUTC()), o -> {
          if (!config.watchNamespaces().isEmpty()) {
            o.settingNamespaces(config.watchNamespaces());
          }
        });
    operator.start();
    return operator;
  }
}
