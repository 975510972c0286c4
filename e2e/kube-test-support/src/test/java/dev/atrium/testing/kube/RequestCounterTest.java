package dev.atrium.testing.kube;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The counter sees the requests a real Fabric8 client sends; a small HTTP server on loopback answers them. */
class RequestCounterTest {

  private static final String CONFIG_MAP = """
      {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","namespace":"ns","resourceVersion":"1"}}""";

  private HttpServer server;

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      try (InputStream in = exchange.getRequestBody()) {
        in.readAllBytes();
      }
      boolean get = "GET".equals(exchange.getRequestMethod());
      byte[] body = (get ? "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"code\":404,\"reason\":\"NotFound\"}" : CONFIG_MAP)
          .getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(get ? 404 : 201, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  private Config config() {
    return new ConfigBuilder(Config.empty()).withMasterUrl("http://127.0.0.1:" + server.getAddress().getPort())
        .withRequestRetryBackoffLimit(0).build();
  }

  @Test
  void countsByMethodAndRecordsWrites() {
    RequestCounter counter = RequestCounter.recordingWrites();
    try (KubernetesClient client = counter.client(config())) {
      assertThat(client.configMaps().inNamespace("ns").withName("c").get()).isNull();
      client.configMaps().inNamespace("ns").resource(new ConfigMapBuilder().withNewMetadata().withName("c")
          .endMetadata().build()).create();
    }
    assertThat(counter.byMethod()).isEqualTo(Map.of("GET", 1L, "POST", 1L));
    assertThat(counter.total()).isEqualTo(2);
    assertThat(counter.writes()).containsExactly("POST /api/v1/namespaces/ns/configmaps");
    assertThat(counter.byResource()).isEqualTo(Map.of("GET configmaps", 1L, "POST configmaps", 1L));

    counter.reset();
    assertThat(counter.byMethod()).isEmpty();
    assertThat(counter.writes()).isEmpty();
  }

  @Test
  void namesTheResourceOfAPath() {
    assertThat(RequestCounter.resourceOf("/apis/apps/v1/namespaces/ns/deployments/d")).isEqualTo("deployments");
    assertThat(RequestCounter.resourceOf("/apis/apps/v1/namespaces/ns/deployments")).isEqualTo("deployments");
    assertThat(RequestCounter.resourceOf("/apis/atrium.dev/v1alpha1/namespaces/ns/collaborationplatforms/p/status"))
        .isEqualTo("collaborationplatforms/status");
    assertThat(RequestCounter.resourceOf("/api/v1/namespaces/ns/secrets/s")).isEqualTo("secrets");
    assertThat(RequestCounter.resourceOf("/api/v1/namespaces/ns")).isEqualTo("namespaces");
    assertThat(RequestCounter.resourceOf("/api/v1/namespaces")).isEqualTo("namespaces");
    assertThat(RequestCounter.resourceOf("/api/v1/nodes/n1/status")).isEqualTo("nodes/status");
    assertThat(RequestCounter.resourceOf("/apis/apiextensions.k8s.io/v1/customresourcedefinitions"))
        .isEqualTo("customresourcedefinitions");
    assertThat(RequestCounter.resourceOf("/version")).isEqualTo("/version");
    assertThat(RequestCounter.resourceOf("/apis/apps/v1")).isEqualTo("/apis/apps/v1");
  }

  @Test
  void countingOnlyKeepsNoWrites() {
    RequestCounter counter = RequestCounter.countingOnly();
    counter.count("PATCH", "/apis/apps/v1/namespaces/ns/deployments/d");
    counter.count("GET", "/apis/apps/v1/namespaces/ns/deployments");
    assertThat(counter.byMethod()).containsExactly(Map.entry("GET", 1L), Map.entry("PATCH", 1L));
    assertThat(counter.writes()).isEmpty();
  }
}
