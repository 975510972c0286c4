package dev.atrium.webos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.atrium.servicetesting.Http;
import dev.atrium.webos.testing.Backend;
import dev.atrium.webos.testing.TestServers;
import dev.atrium.webos.testing.WebosInstance;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Load balancing over a service's pods: two pods of identity and two of the message center, each pair on one port
 * of 127.0.0.1 and 127.0.0.2, and their headless Services' A records from a table this test changes (the DNS
 * lookup is the one thing stood in for; every request is real HTTP).
 */
@ExtendWith(TestServers.class)
class ReplicasIT {

  private static final Map<String, List<String>> DNS = new ConcurrentHashMap<>();

  private static Backend identity1;
  private static Backend identity2;
  private static Backend messages1;
  private static Backend messages2;
  private static WebosInstance webos;
  private static String alice;

  @BeforeAll
  static void start(TestServers.Servers servers) {
    identity1 = Backend.start("identity-1", "127.0.0.1", 0);
    identity2 = Backend.start("identity-2", "127.0.0.2", identity1.port());
    messages1 = Backend.start("message-center-1", "127.0.0.1", 0);
    messages2 = Backend.start("message-center-2", "127.0.0.2", messages1.port());
    DNS.put("identity-pods", List.of("127.0.0.1", "127.0.0.2"));
    DNS.put("message-center-pods", List.of("127.0.0.1", "127.0.0.2"));
    webos = WebosInstance.start(servers, servers.newDatabase(), Map.of(
        "ATRIUM_GATEWAY_ROUTES_IDENTITY", identity1.origin().toString(),
        "ATRIUM_GATEWAY_PODS_IDENTITY", "identity-pods:" + identity1.port(),
        "ATRIUM_GATEWAY_ROUTES_MESSAGE_CENTER", messages1.origin().toString(),
        "ATRIUM_GATEWAY_PODS_MESSAGE_CENTER", "message-center-pods:" + messages1.port(),
        "ATRIUM_GATEWAY_DNS_REFRESH", "200ms"), host -> {
          List<String> records = DNS.get(host);
          if (records == null || records.isEmpty()) {
            throw new UnknownHostException(host);
          }
          return records;
        });
    alice = servers.issuer().userToken("alice");
  }

  @AfterAll
  static void stop() {
    TestServers.closeAll(webos, messages2, messages1, identity2, identity1);
  }

  private static Map<String, Integer> send(String path, String cookie, int count) {
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < count; i++) {
      var request = Http.builder(webos.uri(path), path.startsWith("/auth") ? null : alice);
      if (cookie != null) {
        request.header("Cookie", cookie);
      }
      Http.Response response = Http.send(request.GET());
      seen.merge(response.status() == 200 ? response.json().path("backend").asString()
          : Integer.toString(response.status()), 1, Integer::sum);
    }
    return seen;
  }

  @Test
  void requestsTakeThePodsInTurnAndFollowTheirDns() {
    assertThat(send("/messages/api/v1/x", null, 100))
        .isEqualTo(Map.of("message-center-1", 50, "message-center-2", 50));

    DNS.put("message-center-pods", List.of("127.0.0.1"));
    await().atMost(Duration.ofSeconds(10)).until(() -> send("/messages/api/v1/x", null, 4).keySet()
        .equals(java.util.Set.of("message-center-1")));
    assertThat(send("/messages/api/v1/x", null, 20)).isEqualTo(Map.of("message-center-1", 20));

    DNS.remove("message-center-pods"); // no ready pod
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(send("/messages/api/v1/x", null, 1))
        .containsKey("503"));
    Http.Response none = Http.get(webos.uri("/messages/api/v1/x"), alice);
    assertThat(none.status()).isEqualTo(503);
    assertThat(none.json().path("type").asString()).isEqualTo("urn:atrium:problem:backend-unavailable");
    assertThat(none.header("Retry-After")).isNotBlank();

    DNS.put("message-center-pods", List.of("127.0.0.1", "127.0.0.2"));
    await().atMost(Duration.ofSeconds(10)).until(() -> send("/messages/api/v1/x", null, 4).size() == 2);
  }

  @Test
  void oneSignInStaysOnOneIdentityReplica() {
    // without the cookie, identity's replicas take turns too
    assertThat(send("/auth/login", null, 10)).isEqualTo(Map.of("identity-1", 5, "identity-2", 5));
    for (int attempt = 0; attempt < 4; attempt++) {
      Http.Response first = Http.get(webos.uri("/auth/login"), null);
      String cookie = first.header("Set-Cookie").split(";", 2)[0];
      assertThat(cookie).startsWith("atrium-auth-replica=").doesNotContain("127.0.0");
      String replica = first.json().path("backend").asString();
      assertThat(send("/auth/oauth2/authorize", cookie, 10)).isEqualTo(Map.of(replica, 10));
    }
  }
}
