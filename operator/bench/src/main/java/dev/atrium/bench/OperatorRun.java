package dev.atrium.bench;

import dev.atrium.api.v1alpha1.CollaborationPlatform;
import dev.atrium.operator.Main;
import dev.atrium.operator.OperatorConfig;
import dev.atrium.operator.monitoring.OperatorMetrics;
import dev.atrium.testing.kube.RequestCounter;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The operator's run: the operator in this JVM on a client whose requests are counted, N platforms
 * created through another client, until every platform reports Ready=True. One warm-up platform
 * converges first, outside the window and before the first heap measurement.
 */
final class OperatorRun {

  private OperatorRun() {
  }

  /**
   * @param admin a client that is not counted: it creates the platforms and watches them, as a user would
   */
  static Map<String, Object> run(KubernetesClient admin, Platforms platforms, Duration timeout) {
    int n = platforms.count();
    RequestCounter requests = RequestCounter.countingOnly();
    OperatorMetrics metrics = new OperatorMetrics(new PrometheusRegistry());
    Map<String, Object> result = new LinkedHashMap<>();
    try (KubernetesClient client = requests.client(admin.getConfiguration())) {
      Operator operator = Main.start(client,
          new OperatorConfig(Set.of(), OperatorConfig.DEFAULT_REGISTRY, 0, false, "default"), metrics);
      try {
        long startupRequests = requests.total();
        try (Readiness warmup = new Readiness().watch(admin.resources(CollaborationPlatform.class)
            .inNamespace(Platforms.WARMUP_NAMESPACE).runnableInformer(0), Platforms::isReady)) {
          admin.resource(platforms.warmup()).create();
          warmup.awaitAllReady(1, timeout, ready -> ConvergenceBenchmark.progress("operator: warming up"));
        }
        // before the watch below starts, as it is closed again before the second measurement
        long heapBefore = Heap.usedAfterGc();
        // the warm-up platform is among those it sees, Ready before the window opens
        Readiness readiness = new Readiness().watch(
            admin.resources(CollaborationPlatform.class).inAnyNamespace().runnableInformer(0), Platforms::isReady);
        try {
          double reconcilesBefore = metrics.reconcileCount();
          double writesBefore = metrics.writeCount();
          requests.reset();

          long start = System.nanoTime();
          for (int i = 0; i < n; i++) {
            admin.resource(platforms.platform(i)).create();
          }
          long created = System.nanoTime();
          long allReady = readiness.awaitAllReady(n + 1, timeout,
              ready -> ConvergenceBenchmark.progress("operator: %d of %d platforms Ready", ready - 1, n));
          Map<String, Long> byMethod = requests.byMethod();
          Map<String, Long> byResource = requests.byResource();
          long total = requests.total();
          double reconciles = metrics.reconcileCount() - reconcilesBefore;
          double writes = metrics.writeCount() - writesBefore;
          readiness.close();
          long heapAfter = Heap.usedAfterGc();

          result.put("secondsToAllReady", seconds(allReady - start));
          result.put("secondsToCreateAll", seconds(created - start));
          result.put("requestsByMethod", byMethod);
          result.put("requestsTotal", total);
          result.put("requestsByResource", byResource);
          result.put("reconciles", (long) reconciles);
          result.put("resourceWrites", (long) writes);
          result.put("heapBytesBefore", heapBefore);
          result.put("heapBytesAfter", heapAfter);
          result.put("heapBytesPerPlatform", (heapAfter - heapBefore) / n);
          result.put("reconciliationThreads", operator.getConfigurationService().concurrentReconciliationThreads());
          result.put("startupRequests", startupRequests);
        } finally {
          readiness.close();
        }
      } finally {
        operator.stop();
      }
    }
    return result;
  }

  /** A counter's total over all its labels, 0 when it has none yet. */
  static double seconds(long nanos) {
    return Math.round(nanos / 1e6) / 1e3;
  }
}
