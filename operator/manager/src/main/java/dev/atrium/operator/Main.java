package dev.atrium.operator;

import dev.atrium.operator.monitoring.HttpEndpoints;
import dev.atrium.operator.monitoring.OperatorMetrics;
import dev.atrium.operator.platformbackup.PlatformBackupReconciler;
import dev.atrium.operator.platform.CollaborationPlatformReconciler;
import dev.atrium.operator.policy.AutoscalingPolicyReconciler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts the operator: the reconciler, leader election, metrics and health endpoints, graceful shutdown. */
public final class Main {

  static {
    // before the first logger exists: slf4j-simple reads its level once, at start
    if (System.getProperty(OperatorConfig.LOG_LEVEL_PROPERTY) == null) {
      System.setProperty(OperatorConfig.LOG_LEVEL_PROPERTY, OperatorConfig.logLevel(System.getenv()));
    }
  }

  private static final Logger LOG = LoggerFactory.getLogger(Main.class);
  /** The Lease whose holder is the one replica that reconciles. */
  public static final String LEASE = "atrium-operator";

  private Main() {
  }

  public static void main(String[] args) throws IOException, InterruptedException {
    OperatorConfig config = OperatorConfig.fromEnvironment(System.getenv());
    KubernetesClient client = new KubernetesClientBuilder().build();
    AtomicBoolean stopping = new AtomicBoolean();
    Replica replica = launch(client, config, () -> {
      if (!stopping.get()) {
        // another replica leads now; restart rather than risk two writers (System.exit must not run on this thread)
        LOG.error("Lost leadership; exiting so that the pod restarts as a standby");
        new Thread(() -> System.exit(1), "exit").start();
      }
    });
    LOG.info("Atrium operator started: watching {}, default registry {}, metrics and health on :{}",
        config.watchNamespaces().isEmpty() ? "all namespaces" : config.watchNamespaces(), config.defaultRegistry(),
        replica.http().port());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      stopping.set(true);
      LOG.info("Stopping: finishing reconciliations in flight");
      replica.close();
      client.close();
      stopped.countDown();
    }, "shutdown"));
    stopped.await();
  }

  /** One operator replica as its pod runs it: the operator, its metrics, and its HTTP endpoints. */
  public record Replica(Operator operator, OperatorMetrics metrics, HttpEndpoints http) implements AutoCloseable {

    /** Stops reconciling (finishing what is in flight) and closes the endpoints; the client stays open. */
    @Override
    public void close() {
      operator.stop();
      http.close();
    }
  }

  /** Starts a replica as the pod does: the operator with the given settings, then /metrics, /healthz and /readyz. */
  public static Replica launch(KubernetesClient client, OperatorConfig config, Runnable onLostLeadership) {
    OperatorMetrics metrics = new OperatorMetrics(new PrometheusRegistry());
    Operator operator = start(client, config, metrics, onLostLeadership);
    try {
      HttpEndpoints http = new HttpEndpoints(config.httpPort(), metrics,
          () -> operator.getRuntimeInfo().isStarted() && operator.getRuntimeInfo().allEventSourcesAreHealthy());
      return new Replica(operator, metrics, http);
    } catch (IOException e) {
      operator.stop();
      throw new UncheckedIOException("cannot serve /metrics and health on port " + config.httpPort(), e);
    }
  }

  /** Starts the operator without leadership handling of its own (tests, benchmarks, leader election off). */
  public static Operator start(KubernetesClient client, OperatorConfig config, OperatorMetrics metrics) {
    return start(client, config, metrics, () -> LOG.warn("Stopped leading"));
  }

  /**
   * Registers the reconciler and starts the operator; returns once it runs (or waits for leadership).
   *
   * @param onLostLeadership runs when this replica stops leading, which includes {@link Operator#stop()} of the
   *     leader; callers that exit on lost leadership must tell the two apart (Main does, with its stopping flag)
   */
  public static Operator start(KubernetesClient client, OperatorConfig config, OperatorMetrics metrics,
      Runnable onLostLeadership) {
    return start(client, config, metrics, onLostLeadership, Clock.systemUTC());
  }

  /**
   * As above, on the given clock: what time it is decides autoscaling floors (time windows) and upgrade
   * deadlines, so tests set it.
   */
  public static Operator start(KubernetesClient client, OperatorConfig config, OperatorMetrics metrics,
      Runnable onLostLeadership, Clock clock) {
    Operator operator = new Operator(o -> {
      o.withKubernetesClient(client)
          .withCloseClientOnStop(false)
          .withReconciliationTerminationTimeout(Duration.ofSeconds(30));
      if (config.leaderElection()) {
        metrics.leading(false); // until elected
        // the SDK's own exit on lost leadership would deadlock when it happens inside a shutdown hook
        o.withLeaderElectionConfiguration(LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(LEASE)
            .withLeaseNamespace(config.leaseNamespace())
            .withLeaderCallbacks(new LeaderCallbacks(
                () -> {
                  metrics.leading(true);
                  LOG.info("Leading: reconciling");
                },
                () -> {
                  metrics.leading(false);
                  onLostLeadership.run();
                },
                leader -> LOG.info("Leader is {}", leader)))
            .withExitOnStopLeading(false)
            .build());
      }
    });
    operator.register(new CollaborationPlatformReconciler(config.defaultRegistry(), metrics, clock), o -> {
          if (!config.watchNamespaces().isEmpty()) {
            o.settingNamespaces(config.watchNamespaces());
          }
        });
    operator.register(new PlatformBackupReconciler(clock), o -> {
          if (!config.watchNamespaces().isEmpty()) {
            o.settingNamespaces(config.watchNamespaces());
          }
        });
    if (config.watchNamespaces().isEmpty()) {
      // cluster-scoped status has one writer: the operator that watches everything
      operator.register(new AutoscalingPolicyReconciler(clock));
    }
    operator.start();
    return operator;
  }
}
