package dev.atrium.identity.authserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrium.identity.testing.Directory;
import dev.atrium.identity.testing.IdentityInstance;
import dev.atrium.servicetesting.MessageCenterProcess;
import dev.atrium.identity.testing.OidcClient;
import dev.atrium.identity.testing.TestServers;
import dev.atrium.servicetesting.Http;
import dev.atrium.servicetesting.PostgresServer;
import dev.atrium.servicetesting.RedisServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Both services, as the platform runs them: the message center trusts identity's issuer and JWKS, and a
 * person's and an app's tokens from identity work there unchanged.
 */
@ExtendWith(TestServers.class)
class MessageCenterAcceptsTokensIT {

  @Test
  void peopleSignedInAtIdentityMessageEachOtherAndAppsAreApps(PostgresServer postgres, IdentityInstance identity)
      throws Exception {
    Directory directory = new Directory(identity);
    directory.department("ops", null);
    directory.person("nina", "ops");
    directory.person("omar");
    postgres.createDatabase("messages_with_identity");
    try (RedisServer redis = RedisServer.start();
         MessageCenterProcess messages = MessageCenterProcess.start(postgres, "messages_with_identity", redis,
             identity.issuer(), identity.issuer() + "/oauth2/jwks")) {
      String nina = new OidcClient(identity).signIn("webos", "webos-secret", "nina", Directory.PASSWORD).accessToken();
      String omar = new OidcClient(identity).signIn("webos", "webos-secret", "omar", Directory.PASSWORD).accessToken();

      Http.Response conversation = Directory.expect(201, Http.post(messages.uri("/api/v1/conversations"), nina,
          Map.of("kind", "DIRECT", "members", List.of("omar"))));
      String id = conversation.json().path("id").asString();
      Directory.expect(201, Http.post(messages.uri("/api/v1/conversations/" + id + "/messages"), nina,
          Map.of("clientMessageId", "hello-1", "body", "你好, Omar")));
      Http.Response history = Directory.expect(200, Http.get(messages.uri("/api/v1/conversations/" + id
          + "/messages"), omar));
      assertThat(history.json().path("messages").get(0).path("body").asString()).isEqualTo("你好, Omar");
      assertThat(history.json().path("messages").get(0).path("senderId").asString()).isEqualTo("nina");

      // an app's token is an app's: it may not act as a person
      String app = new OidcClient(identity).clientCredentials("netdisk", "netdisk-secret").accessToken();
      Http.Response asApp = Http.post(messages.uri("/api/v1/conversations"), app,
          Map.of("kind", "DIRECT", "members", List.of("omar")));
      assertThat(asApp.status()).isEqualTo(403);
      // and a token signed by anyone else is refused
      assertThat(Http.get(messages.uri("/api/v1/conversations"), nina.substring(0, nina.length() - 4) + "AAAA")
          .status()).isEqualTo(401);
    }
  }
}
