package dev.atrium.webos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.atrium.servicetesting.Http;
import dev.atrium.servicetesting.TestIssuer;
import dev.atrium.webos.apps.AppRoute;
import dev.atrium.webos.apps.AppRouteTable;
import dev.atrium.webos.gateway.Upstream;
import dev.atrium.webos.testing.Backend;
import dev.atrium.webos.testing.TestServers;
import dev.atrium.webos.testing.WebosInstance;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * The gateway as it runs: two webos replicas on one PostgreSQL and one Redis, tokens from a TestIssuer, and real
 * HTTP servers on loopback as identity, the message center, netdisk and two versions of a published app.
 */
@ExtendWith(TestServers.class)
class GatewayIT {

  private static TestIssuer issuer;
  private static TestIssuer otherTenant;
  private static Backend identity;
  private static Backend messages;
  private static Backend netdisk;
  private static Backend v1;
  private static Backend v2;
  private static WebosInstance a;
  private static WebosInstance b;
  private static String admin;
  private static String alice;

  @BeforeAll
  static void start(TestServers.Servers servers) {
    issuer = servers.issuer();
    String database = servers.newDatabase();
    otherTenant = TestIssuer.start();
    identity = Backend.start("identity").withAdmins("admin");
    messages = Backend.start("message-center");
    netdisk = Backend.start("netdisk");
    v1 = Backend.start("v1");
    v2 = Backend.start("v2");
    Map<String, String> routes = Map.of(
        "ATRIUM_GATEWAY_ROUTES_IDENTITY", identity.origin().toString(),
        "ATRIUM_GATEWAY_ROUTES_MESSAGE_CENTER", messages.origin().toString(),
        "ATRIUM_GATEWAY_ROUTES_NETDISK", netdisk.origin().toString(),
        // netdisk's replicas by DNS: localhost's A records, the pods' port
        "ATRIUM_GATEWAY_PODS_NETDISK", "localhost:" + netdisk.port());
    a = WebosInstance.start(servers, database, routes);
    b = WebosInstance.start(servers, database, routes);
    admin = issuer.userToken("admin");
    alice = issuer.userToken("alice");
  }

  @AfterAll
  static void stop() {
    TestServers.closeAll(a, b, v1, v2, netdisk, messages, identity, otherTenant);
  }

  /** Puts the route through {@code via} and waits until the other replica has it too (its next reload). */
  private static void putRoute(WebosInstance via, String app, Map<String, Object> route) {
    Http.Response response = Http.put(via.uri("/webos/api/v1/admin/routes/" + app), admin, route);
    assertThat(response.status()).as(response.toString()).isIn(200, 201);
    AppRoute stored = via.bean(AppRouteTable.class).get(app).orElseThrow().route();
    WebosInstance other = via == a ? b : a;
    await().atMost(Duration.ofSeconds(10)).until(() -> other.bean(AppRouteTable.class).get(app)
        .map(entry -> entry.route().equals(stored)).orElse(false));
  }

  private static Map<String, Object> backend(String version, Backend server, int weight) {
    return Map.of("version", version, "url", server.origin().toString(), "weight", weight);
  }

  /** Sends {@code count} GETs with {@code token} through {@code via} (8 at a time), counting backends by name. */
  private static Map<String, Integer> send(WebosInstance via, String path, String token, int count) throws Exception {
    Map<String, Integer> seen = new ConcurrentHashMap<>();
    AtomicInteger next = new AtomicInteger();
    try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
      List<Future<?>> workers = new ArrayList<>();
      for (int w = 0; w < 8; w++) {
        workers.add(pool.submit(() -> {
          while (next.getAndIncrement() < count) {
            Http.Response response = Http.get(via.uri(path), token);
            String key = response.status() == 200 ? response.json().path("backend").asString()
                : Integer.toString(response.status());
            seen.merge(key, 1, Integer::sum);
          }
          return null;
        }));
      }
      for (Future<?> worker : workers) {
        worker.get();
      }
    }
    return seen;
  }

  @Test
  void platformRoutesStripTheirPrefixAndSayWhereTheRequestCameFrom() {
    Http.Response discovery = Http.get(a.uri("/auth/.well-known/openid-configuration?x=1"), null);
    assertThat(discovery.status()).isEqualTo(200);
    JsonNode seen = discovery.json();
    assertThat(seen.path("backend").asString()).isEqualTo("identity");
    assertThat(seen.path("path").asString()).isEqualTo("/.well-known/openid-configuration");
    assertThat(seen.path("query").asString()).isEqualTo("x=1");
    assertThat(seen.path("X-Forwarded-Prefix").asString()).isEqualTo("/auth");
    assertThat(seen.path("X-Forwarded-Proto").asString()).isEqualTo("http");
    assertThat(seen.path("X-Forwarded-Host").asString()).isEqualTo(a.uri("/").getAuthority());
    assertThat(seen.path("X-Forwarded-For").asString()).isEqualTo("127.0.0.1");
    // one sign-in stays on one identity replica: the replica is named in a cookie
    assertThat(discovery.header("Set-Cookie")).startsWith("atrium-auth-replica="
        + Upstream.instanceId("127.0.0.1", identity.port()) + ";")
        .contains("Path=/auth").contains("HttpOnly");

    Http.Response message = Http.get(a.uri("/messages/api/v1/conversations"), alice);
    assertThat(message.json().path("backend").asString()).isEqualTo("message-center");
    assertThat(message.json().path("path").asString()).isEqualTo("/api/v1/conversations");
    assertThat(message.json().path("Authorization").asString()).isEqualTo("Bearer " + alice);

    Http.Response file = Http.get(a.uri("/netdisk/api/v1/spaces"), alice);
    assertThat(file.json().path("backend").asString()).isEqualTo("netdisk");
    assertThat(file.json().path("path").asString()).isEqualTo("/netdisk/api/v1/spaces");
    assertThat(Http.get(a.uri("/netdisk/s/abc"), null).json().path("path").asString()).isEqualTo("/netdisk/s/abc");
    // a client's own X-Forwarded-For from loopback (a trusted proxy) is kept and extended
    HttpResponse<String> forwarded = Http.send(Http.builder(a.uri("/messages/api/v1/x"), alice)
        .header("X-Forwarded-For", "203.0.113.7").GET()).raw();
    assertThat(Http.JSON.readTree(forwarded.body()).path("X-Forwarded-For").asString())
        .isEqualTo("203.0.113.7,127.0.0.1");
  }

  @Test
  void readinessDoesNotHangOnTheBackends() {
    Http.Response readiness = Http.get(a.uri("/actuator/health/readiness"), null);
    assertThat(readiness.status()).isEqualTo(200);
    assertThat(readiness.json().path("components").has("db")).isTrue();
    assertThat(readiness.json().path("components").has("redis")).isFalse();
  }

  @Test
  void noValidTokenNoForwarding() {
    putRoute(a, "guarded", Map.of("backends", List.of(backend("v1", v1, 1))));
    int before = v1.requests() + messages.requests();
    String expired = issuer.sign("alice", Map.of("principal_type", "user", "exp",
        Instant.now().minus(Duration.ofMinutes(10)).getEpochSecond()));
    String anotherTenants = otherTenant.userToken("alice");
    String anotherIssuer = issuer.sign("http://other.test/auth", "alice", Map.of("principal_type", "user"));
    for (String token : new String[] {null, expired, anotherTenants, anotherIssuer, "not-a-jwt"}) {
      for (String path : List.of("/apps/guarded/x", "/messages/api/v1/x", "/netdisk/api/v1/spaces")) {
        Http.Response response = Http.get(a.uri(path), token);
        assertThat(response.status()).as(path + " " + response).isEqualTo(401);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.json().path("type").asString()).isEqualTo("urn:atrium:problem:unauthenticated");
      }
    }
    assertThat(v1.requests() + messages.requests()).isEqualTo(before);
  }

  @Test
  void weightsSplitTheRequestsAndStatisticsCountThem() throws Exception {
    putRoute(a, "crm", Map.of("backends", List.of(backend("v1", v1, 90), backend("v2", v2, 10))));
    Map<String, Integer> seen = send(a, "/apps/crm/api/hello", alice, 10_000);
    System.out.println("90/10 over 10,000 requests: " + seen);
    assertThat(seen.keySet()).containsExactlyInAnyOrder("v1", "v2");
    assertThat(seen.get("v2")).isBetween(800, 1_200);

    // the shared usage (every replica's, read on the other replica) and this replica's metrics agree
    await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
      JsonNode usage = Http.get(b.uri("/webos/api/v1/admin/usage"), admin).json();
      long crm = 0;
      long v2Count = 0;
      for (JsonNode line : usage.path("lines")) {
        if ("crm".equals(line.path("app").asString())) {
          crm += line.path("requests").asLong();
          if ("v2".equals(line.path("version").asString())) {
            v2Count += line.path("byStatus").path("2xx").asLong();
          }
        }
      }
      assertThat(crm).isEqualTo(10_000);
      assertThat(v2Count).isEqualTo((long) seen.get("v2"));
    });
    String metrics = Http.get(a.uri("/actuator/prometheus"), null).body();
    Matcher counts = Pattern.compile("webos_gateway_requests_seconds_count\\{([^}]*)\\} (\\S+)").matcher(metrics);
    double crm = 0;
    while (counts.find()) {
      if (counts.group(1).contains("app=\"crm\"") && counts.group(1).contains("status=\"2xx\"")) {
        crm += Double.parseDouble(counts.group(2));
      }
    }
    assertThat(crm).isEqualTo(10_000);
    assertThat(metrics).contains("webos_gateway_requests_seconds_bucket{app=\"crm\"");
    // timed once: Spring's http.server.requests is for webos's own endpoints, not for what the gateway forwards
    assertThat(metrics).containsPattern("http_server_requests_seconds_count\\{[^}]*uri=\"/webos/api/v1/admin/");
    assertThat(metrics).doesNotContainPattern("http_server_requests_seconds_count\\{[^}]*uri=\"/apps/");
  }

  @Test
  void aWeightChangeTakesEffectWithoutARestartOnEveryReplica() throws Exception {
    putRoute(a, "gray", Map.of("backends", List.of(backend("v1", v1, 100), backend("v2", v2, 0))));
    await().atMost(Duration.ofSeconds(10)).until(() -> send(b, "/apps/gray/x", alice, 20).keySet().equals(Set.of("v1")));
    assertThat(send(a, "/apps/gray/x", alice, 100)).isEqualTo(Map.of("v1", 100));

    assertThat(Http.put(a.uri("/webos/api/v1/admin/routes/gray"), admin,
        Map.of("backends", List.of(backend("v1", v1, 0), backend("v2", v2, 100)))).status()).isEqualTo(200);
    // at once on the replica that took the change
    assertThat(send(a, "/apps/gray/x", alice, 100)).isEqualTo(Map.of("v2", 100));
    // within the reload interval (1 s here) on the other
    Instant changed = Instant.now();
    await().atMost(Duration.ofSeconds(10)).until(() -> send(b, "/apps/gray/x", alice, 20).keySet().equals(Set.of("v2")));
    System.out.println("the other replica followed after " + Duration.between(changed, Instant.now()).toMillis() + " ms");
    assertThat(send(b, "/apps/gray/x", alice, 100)).isEqualTo(Map.of("v2", 100));
  }

  @Test
  void stickyRoutesKeepEachPersonOnOneVersion() throws Exception {
    putRoute(a, "sticky", Map.of("sticky", true, "backends", List.of(backend("v1", v1, 50), backend("v2", v2, 50))));
    Set<String> versionsUsed = new HashSet<>();
    for (int person = 0; person < 20; person++) {
      String token = issuer.userToken("person-" + person);
      Map<String, Integer> seen = new HashMap<>(send(a, "/apps/sticky/x", token, 10));
      seen.putAll(send(b, "/apps/sticky/x", token, 10));
      assertThat(seen).as("person-" + person).hasSize(1);
      versionsUsed.addAll(seen.keySet());
    }
    assertThat(versionsUsed).containsExactlyInAnyOrder("v1", "v2");
  }

  @Test
  void rateLimitsAreSharedByTheReplicasAndAnswer429WithRetryAfter() throws Exception {
    putRoute(a, "limited", Map.of("backends", List.of(backend("v1", v1, 1)),
        "rateLimit", Map.of("requests", 20, "periodSeconds", 60)));
    Map<String, Integer> seen = new HashMap<>(send(a, "/apps/limited/x", alice, 15));
    send(b, "/apps/limited/x", alice, 15).forEach((k, v) -> seen.merge(k, v, Integer::sum));
    assertThat(seen).isEqualTo(Map.of("v1", 20, "429", 10));
    Http.Response refused = Http.get(b.uri("/apps/limited/x"), alice);
    assertThat(refused.status()).isEqualTo(429);
    assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, 60L);
    assertThat(refused.json().path("type").asString()).isEqualTo("urn:atrium:problem:rate-limited");

    putRoute(a, "per-caller", Map.of("backends", List.of(backend("v1", v1, 1)),
        "rateLimit", Map.of("requests", 1000, "periodSeconds", 60, "perCaller", 5)));
    assertThat(send(a, "/apps/per-caller/x", alice, 8)).isEqualTo(Map.of("v1", 5, "429", 3));
    assertThat(send(b, "/apps/per-caller/x", issuer.userToken("bob"), 5)).isEqualTo(Map.of("v1", 5));
  }

  @Test
  void onlyAdministratorsChangeRoutes() {
    Map<String, Object> route = Map.of("backends", List.of(backend("v1", v1, 1)));
    assertThat(Http.put(a.uri("/webos/api/v1/admin/routes/mine"), alice, route).status()).isEqualTo(403);
    assertThat(Http.put(a.uri("/webos/api/v1/admin/routes/mine"), issuer.appToken("crm"), route).status())
        .isEqualTo(403);
    assertThat(Http.get(a.uri("/webos/api/v1/admin/usage"), alice).status()).isEqualTo(403);
    assertThat(Http.put(a.uri("/webos/api/v1/admin/routes/mine"), admin, Map.of("backends",
        List.of(Map.of("version", "v1", "url", "http://x:1/path", "weight", 1)))).status()).isEqualTo(400);
    assertThat(Http.get(a.uri("/webos/api/v1/admin/routes/mine"), admin).status()).isEqualTo(404);
  }

  @Test
  void unknownRoutesAndBackendsDownAreProblems() {
    Http.Response unknown = Http.get(a.uri("/apps/nobody/x"), alice);
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json().path("type").asString()).isEqualTo("urn:atrium:problem:no-route");
    Http.Response nowhere = Http.get(a.uri("/calendar/x"), alice);
    assertThat(nowhere.status()).isEqualTo(404);
    assertThat(nowhere.json().path("type").asString()).isEqualTo("urn:atrium:problem:no-route");
    assertThat(nowhere.body()).doesNotContain("static resource");

    Backend gone = Backend.start("gone");
    String origin = gone.origin().toString();
    gone.close();
    putRoute(a, "down", Map.of("backends", List.of(Map.of("version", "v1", "url", origin, "weight", 1))));
    Http.Response down = Http.get(a.uri("/apps/down/x"), alice);
    assertThat(down.status()).isEqualTo(503);
    assertThat(down.header("Content-Type")).startsWith("application/problem+json");
    assertThat(down.json().path("type").asString()).isEqualTo("urn:atrium:problem:backend-unavailable");
  }

  @Test
  void aLargeBodyStreamsThrough() throws Exception {
    putRoute(a, "upload", Map.of("backends", List.of(backend("v1", v1, 1))));
    long size = 64L * 1024 * 1024;
    List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(pool -> pool.getType() == MemoryType.HEAP).toList();
    System.gc();
    long usedBefore = heap.stream().mapToLong(pool -> pool.getUsage().getUsed()).sum();
    long oldBefore = heap.stream().filter(pool -> pool.getName().contains("Old"))
        .mapToLong(pool -> pool.getUsage().getUsed()).sum();
    heap.forEach(MemoryPoolMXBean::resetPeakUsage);
    long start = System.nanoTime();
    HttpResponse<String> response = Http.send(Http.builder(a.uri("/apps/upload/files/big"), alice)
        .header("Content-Type", "application/octet-stream")
        .PUT(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> new Zeros(size)),
            size))).raw();
    long millis = (System.nanoTime() - start) / 1_000_000;
    long oldGenPeak = heap.stream().filter(pool -> pool.getName().contains("Old"))
        .mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
    System.out.printf("64 MiB through the gateway in %d ms; heap used before %d MiB, old generation %d MiB before,"
        + " %d MiB at its peak%n", millis, usedBefore >> 20, oldBefore >> 20, oldGenPeak >> 20);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(Http.JSON.readTree(response.body()).path("bodyBytes").asLong()).isEqualTo(size);
    // a body held whole (in one array, or a buffer grown to its size) would be a humongous object in G1's old
    // generation: the old generation did not grow by anything near the body's size
    assertThat(oldGenPeak - oldBefore).as("old generation's growth").isLessThan(size / 2);
  }

  /** {@code size} zero bytes, made as they are read. */
  private static final class Zeros extends InputStream {
    private long left;

    Zeros(long size) {
      this.left = size;
    }

    @Override
    public int read() {
      return left-- > 0 ? 0 : -1;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
      if (left <= 0) {
        return -1;
      }
      int n = (int) Math.min(length, left);
      java.util.Arrays.fill(buffer, offset, offset + n, (byte) 0);
      left -= n;
      return n;
    }
  }
}
