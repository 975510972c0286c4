package dev.atrium.operator.monitoring;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;

/** The operator's Prometheus metrics; names follow Prometheus conventions with the atrium_ prefix. */
public final class OperatorMetrics {

  private final PrometheusRegistry registry;
  private final Counter reconciles;
  private final Histogram duration;
  private final Counter writes;
  private final Gauge componentsReady;
  private final Gauge componentsTotal;

  public OperatorMetrics(PrometheusRegistry registry) {
    this.registry = registry;
    reconciles = Counter.builder().name("atrium_reconciles_total")
        .help("Reconciliations of CollaborationPlatforms, by result (ok, degraded, error)")
        .labelNames("result").register(registry);
    duration = Histogram.builder().name("atrium_reconcile_duration_seconds")
        .help("Time one reconciliation of a CollaborationPlatform took")
        .classicUpperBounds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
        .register(registry);
    writes = Counter.builder().name("atrium_resource_writes_total")
        .help("Objects the operator created or updated, by kind and outcome (created, updated)")
        .labelNames("kind", "outcome").register(registry);
    componentsReady = Gauge.builder().name("atrium_platform_components_ready")
        .help("Components of a platform that are Ready").labelNames("namespace", "platform").register(registry);
    componentsTotal = Gauge.builder().name("atrium_platform_components")
        .help("Components of a platform").labelNames("namespace", "platform").register(registry);
  }

  public PrometheusRegistry registry() {
    return registry;
  }

  public void reconciled(String result, double seconds) {
    reconciles.labelValues(result).inc();
    duration.observe(seconds);
  }

  /** Reconciliations finished so far, whatever their result. */
  public double reconcileCount() {
    return reconciles.collect().getDataPoints().stream().mapToDouble(CounterDataPointSnapshot::getValue).sum();
  }

  /** Objects created or updated so far. */
  public double writeCount() {
    return writes.collect().getDataPoints().stream().mapToDouble(CounterDataPointSnapshot::getValue).sum();
  }

  public void wrote(String kind, String outcome) {
    writes.labelValues(kind, outcome).inc();
  }

  public void components(String namespace, String platform, long ready, long total) {
    componentsReady.labelValues(namespace, platform).set(ready);
    componentsTotal.labelValues(namespace, platform).set(total);
  }

  public void forget(String namespace, String platform) {
    componentsReady.remove(namespace, platform);
    componentsTotal.remove(namespace, platform);
  }
}
