package dev.atrium.netdisk.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.atrium.netdisk.testing.Disk;
import dev.atrium.netdisk.testing.NetdiskInstance;
import dev.atrium.netdisk.testing.TestServers;
import dev.atrium.servicetesting.Http;
import dev.atrium.servicetesting.MessageCenterProcess;
import dev.atrium.servicetesting.RedisServer;
import dev.atrium.servicetesting.TestIssuer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * A file's events reach the real message center (its jar, as its image runs it) through its app API, netdisk
 * calling as an identity client with a client-credentials token: a share becomes a to-do for the people told,
 * a comment a to-do for the file's maker, a file in a department's space an announcement to the department.
 * An event made while the message center is away is delivered when it is back.
 */
@ExtendWith(TestServers.class)
class EventsReachMessageCenterIT {

  @Test
  void sharesCommentsAndDepartmentFilesBecomeToDosAndAnnouncements(TestServers.Servers servers) {
    TestIssuer issuer = servers.issuer();
    issuer.registerClient("netdisk", "netdisk-client-secret");
    String messagesDb = servers.newDatabase();
    try (RedisServer redis = RedisServer.start();
         MessageCenterProcess messages = MessageCenterProcess.start(servers.postgres(), messagesDb, redis,
             TestIssuer.ISSUER, issuer.jwksUri());
         NetdiskInstance netdisk = NetdiskInstance.start(servers, servers.newDatabase(),
             TestServers.Servers.newBucketName(), Map.of(
                 "ATRIUM_MESSAGE_CENTER_URL", messages.uri("").toString(),
                 "ATRIUM_IDENTITY_TOKEN_URI", issuer.tokenUri(),
                 "ATRIUM_OAUTH_CLIENT_ID", "netdisk",
                 "ATRIUM_OAUTH_CLIENT_SECRET", "netdisk-client-secret",
                 "ATRIUM_NETDISK_EVENT_INTERVAL", "200ms"))) {
      String aliceToken = issuer.userToken("ev-alice", "design", "company");
      String bobToken = issuer.userToken("ev-bob", "design", "company");
      Disk alice = new Disk(netdisk, aliceToken);
      Disk bob = alice.as(bobToken);

      // shared with bob: a to-do for him, linking to the share
      String file = alice.file(alice.personalSpace(), "poster.png", Disk.random(50_000, 3));
      JsonNode share = alice.post(Disk.API + "/files/" + file + "/shares", Map.of("tell", List.of("ev-bob"))).json();
      JsonNode todo = await().atMost(Duration.ofSeconds(30)).until(() -> openTodos(messages, bobToken),
          todos -> todos.size() == 1).get(0);
      assertThat(todo.get("title").asString()).isEqualTo("ev-alice shared poster.png with you");
      assertThat(todo.get("deepLink").asString()).isEqualTo(share.get("url").asString());

      // bob comments on alice's file: a to-do for alice
      String team = alice.teamSpace("Design team");
      String teamFile = alice.file(team, "brief.md", "brief".getBytes());
      alice.put(Disk.API + "/spaces/" + team + "/grants/USER/ev-bob", Map.of("role", "VIEWER"));
      assertThat(bob.post(Disk.API + "/files/" + teamFile + "/comments", Map.of("body", "Looks good")).status())
          .isEqualTo(201);
      await().atMost(Duration.ofSeconds(30)).until(() -> openTodos(messages, aliceToken).size() == 1);
      assertThat(openTodos(messages, aliceToken).get(0).get("title").asString())
          .isEqualTo("ev-bob commented on brief.md: Looks good");

      // a file in the design department's space: an announcement to everyone in it (the message center
      // learns a department's members from their calls, so bob calls once first)
      assertThat(Http.get(messages.uri("/api/v1/unread"), bobToken).status()).isEqualTo(200);
      Disk admin = alice.as(issuer.appToken("webos"));
      String department = admin.post(Disk.API + "/spaces", Map.of("kind", "DEPARTMENT", "name", "Design",
          "departmentId", "design")).json().get("id").asString();
      alice.file(department, "guidelines.pdf", "rules".getBytes());
      JsonNode announcement = await().atMost(Duration.ofSeconds(30))
          .until(() -> Http.get(messages.uri("/api/v1/announcements"), bobToken).json(), list -> list.size() == 1)
          .get(0);
      assertThat(announcement.get("title").asString()).isEqualTo("guidelines.pdf in Design");
      assertThat(announcement.get("serviceAccountHandle").asString()).isEqualTo("netdisk");
      assertThat(issuer.tokensIssued()).isPositive();
    }
  }

  @Test
  void eventsWaitWhileTheMessageCenterIsAwayAndAreDeliveredWhenItIsBack(TestServers.Servers servers) {
    TestIssuer issuer = servers.issuer();
    issuer.registerClient("netdisk-2", "second-secret");
    String messagesDb = servers.newDatabase();
    int port = dev.atrium.servicetesting.FreePort.pick();
    try (RedisServer redis = RedisServer.start();
         NetdiskInstance netdisk = NetdiskInstance.start(servers, servers.newDatabase(),
             TestServers.Servers.newBucketName(), Map.of(
                 "ATRIUM_MESSAGE_CENTER_URL", "http://127.0.0.1:" + port,
                 "ATRIUM_IDENTITY_TOKEN_URI", issuer.tokenUri(),
                 "ATRIUM_OAUTH_CLIENT_ID", "netdisk-2",
                 "ATRIUM_OAUTH_CLIENT_SECRET", "second-secret",
                 "ATRIUM_NETDISK_EVENT_INTERVAL", "200ms"))) {
      String carolToken = issuer.userToken("ev-carol");
      Disk dave = new Disk(netdisk, issuer.userToken("ev-dave"));
      String file = dave.file(dave.personalSpace(), "minutes.txt", "minutes".getBytes());
      assertThat(dave.post(Disk.API + "/files/" + file + "/shares", Map.of("tell", List.of("ev-carol"))).status())
          .isEqualTo(201);
      // nobody listens on the port yet: the event waits in the outbox
      await().atMost(Duration.ofSeconds(10)).until(() -> pending(netdisk) == 1);
      try (MessageCenterProcess messages = MessageCenterProcess.start(servers.postgres(), messagesDb, redis,
          TestIssuer.ISSUER, issuer.jwksUri(), port)) {
        await().atMost(Duration.ofSeconds(60)).until(() -> openTodos(messages, carolToken).size() == 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> pending(netdisk) == 0);
      }
    }
  }

  private static JsonNode openTodos(MessageCenterProcess messages, String token) {
    return Http.get(messages.uri("/api/v1/todos?status=OPEN"), token).json();
  }

  private static double pending(NetdiskInstance netdisk) {
    return netdisk.bean(io.micrometer.core.instrument.MeterRegistry.class).get("atrium.netdisk.outbox.pending").gauge()
        .value();
  }
}
