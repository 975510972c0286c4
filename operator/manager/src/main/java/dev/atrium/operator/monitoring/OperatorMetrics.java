package dev.atrium.operator.monitoring;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Stream;

/** The operator's Prometheus metrics; names follow Prometheus conventions with the atrium_ prefix. */
public final class OperatorMetrics {

  private final PrometheusRegistry registry;
  private final Counter reconciles;
  private final Histogram duration;
  private final Counter writes;
  /** The platforms the operator knows now; per-platform series are read from it at scrape time. */
  private final AtomicReference<Supplier<Stream<PlatformState>>> platforms = new AtomicReference<>(Stream::empty);
  /** Every replica caches the platforms, but only the leader's series count: one series per platform. */
  private volatile boolean leading = true;

  /** What the per-platform gauges say about one platform, as its status last reported. */
  public record PlatformState(String namespace, String name, boolean ready, long componentsReady,
      long components, boolean hibernated) {
  }

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
    GaugeWithCallback.builder().name("atrium_operator_leader")
        .help("1 on the replica that leads (reconciles), 0 on a standby")
        .callback(cb -> cb.call(leading ? 1 : 0))
        .register(registry);
    // callbacks rather than set values: a deleted platform's series disappear with it
    GaugeWithCallback.builder().name("atrium_platform_ready")
        .help("1 when the platform's Ready condition is True, else 0").labelNames("namespace", "platform")
        .callback(cb -> current().forEach(p -> cb.call(p.ready() ? 1 : 0, p.namespace(), p.name())))
        .register(registry);
    GaugeWithCallback.builder().name("atrium_platform_hibernated")
        .help("1 when the platform is asked to hibernate (spec.hibernate): it is not Ready on purpose")
        .labelNames("namespace", "platform")
        .callback(cb -> current().forEach(p -> cb.call(p.hibernated() ? 1 : 0, p.namespace(), p.name())))
        .register(registry);
    GaugeWithCallback.builder().name("atrium_platform_components_ready")
        .help("Components of a platform that are Ready").labelNames("namespace", "platform")
        .callback(cb -> current().forEach(p -> cb.call(p.componentsReady(), p.namespace(), p.name())))
        .register(registry);
    GaugeWithCallback.builder().name("atrium_platform_components")
        .help("Components of a platform").labelNames("namespace", "platform")
        .callback(cb -> current().forEach(p -> cb.call(p.components(), p.namespace(), p.name())))
        .register(registry);
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

  /** Where the per-platform gauges read from: the operator's cache of platforms. */
  public void observePlatforms(Supplier<Stream<PlatformState>> source) {
    platforms.set(source);
  }

  /** Whether this replica leads; a standby exports no per-platform series, so alerts see each platform once. */
  public void leading(boolean leading) {
    this.leading = leading;
  }

  private Stream<PlatformState> current() {
    return leading ? platforms.get().get() : Stream.empty();
  }
}
