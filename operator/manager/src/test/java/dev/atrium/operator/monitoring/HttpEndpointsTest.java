package dev.atrium.operator.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class HttpEndpointsTest {

  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> get(HttpEndpoints endpoints, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoints.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void metricsAreServedInPrometheusTextFormat() throws Exception {
    OperatorMetrics metrics = new OperatorMetrics(new PrometheusRegistry());
    metrics.reconciled("ok", 0.02);
    metrics.reconciled("degraded", 0.01);
    metrics.wrote("Deployment", "created");
    metrics.observePlatforms(() -> Stream.of(new OperatorMetrics.PlatformState("acme", "acme", false, 6, 7, false)));
    try (HttpEndpoints endpoints = new HttpEndpoints(0, metrics, () -> true)) {
      HttpResponse<String> response = get(endpoints, "/metrics");

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
      assertThat(response.body())
          .contains("atrium_reconciles_total{result=\"ok\"} 1.0")
          .contains("atrium_reconciles_total{result=\"degraded\"} 1.0")
          .contains("atrium_reconcile_duration_seconds_count 2")
          .contains("atrium_resource_writes_total{kind=\"Deployment\",outcome=\"created\"} 1.0")
          .contains("atrium_platform_components_ready{namespace=\"acme\",platform=\"acme\"} 6.0")
          .contains("atrium_platform_components{namespace=\"acme\",platform=\"acme\"} 7.0")
          .contains("atrium_platform_ready{namespace=\"acme\",platform=\"acme\"} 0.0");
    }
  }

  @Test
  void perPlatformSeriesFollowThePlatformsThatExistNow() throws Exception {
    List<OperatorMetrics.PlatformState> platforms = new CopyOnWriteArrayList<>(List.of(
        new OperatorMetrics.PlatformState("acme", "acme", true, 7, 7, false),
        new OperatorMetrics.PlatformState("beta", "beta", false, 2, 7, true)));
    OperatorMetrics metrics = new OperatorMetrics(new PrometheusRegistry());
    metrics.observePlatforms(platforms::stream);
    try (HttpEndpoints endpoints = new HttpEndpoints(0, metrics, () -> true)) {
      assertThat(get(endpoints, "/metrics").body())
          .contains("atrium_platform_ready{namespace=\"acme\",platform=\"acme\"} 1.0")
          .contains("atrium_platform_ready{namespace=\"beta\",platform=\"beta\"} 0.0")
          .contains("atrium_platform_hibernated{namespace=\"acme\",platform=\"acme\"} 0.0")
          .contains("atrium_platform_hibernated{namespace=\"beta\",platform=\"beta\"} 1.0");

      platforms.remove(1); // beta deleted

      assertThat(get(endpoints, "/metrics").body())
          .contains("atrium_platform_ready{namespace=\"acme\",platform=\"acme\"} 1.0")
          .doesNotContain("platform=\"beta\"");
    }
  }

  @Test
  void readinessFollowsTheOperatorWhileLivenessOnlyNeedsTheProcess() throws Exception {
    AtomicBoolean started = new AtomicBoolean();
    try (HttpEndpoints endpoints = new HttpEndpoints(0, new OperatorMetrics(new PrometheusRegistry()), started::get)) {
      assertThat(get(endpoints, "/healthz").statusCode()).isEqualTo(200);
      assertThat(get(endpoints, "/readyz").statusCode()).isEqualTo(503);

      started.set(true);

      assertThat(get(endpoints, "/readyz").statusCode()).isEqualTo(200);
    }
  }
}
