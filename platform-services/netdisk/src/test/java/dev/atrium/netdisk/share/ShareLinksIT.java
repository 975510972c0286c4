package dev.atrium.netdisk.share;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrium.netdisk.testing.Disk;
import dev.atrium.netdisk.testing.NetdiskInstance;
import dev.atrium.netdisk.testing.TestServers;
import dev.atrium.servicetesting.Http;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/** Share links, opened without signing in: expiry, password, download limit, revocation. */
@ExtendWith(TestServers.class)
class ShareLinksIT {

  @Test
  void anyoneWithTheLinkDownloadsTheFileWithoutSigningIn(NetdiskInstance netdisk, TestServers.Servers servers) {
    Disk alice = new Disk(netdisk, servers.issuer().userToken("share-alice"));
    String file = alice.file(alice.personalSpace(), "brochure.pdf", "brochure".getBytes());
    JsonNode share = alice.post(Disk.API + "/files/" + file + "/shares", Map.of()).json();
    String path = publicPath(share);
    assertThat(share.get("url").asString()).startsWith("http://atrium.test/netdisk/s/");

    JsonNode shown = Http.get(netdisk.uri(path), null).json();
    assertThat(shown.get("name").asString()).isEqualTo("brochure.pdf");
    assertThat(shown.get("passwordRequired").asBoolean()).isFalse();
    assertThat(Http.get(netdisk.uri(path + "/content"), null).body()).isEqualTo("brochure");
    Http.Response range = Http.send(Http.builder(netdisk.uri(path + "/content"), null).header("Range", "bytes=2-4"));
    assertThat(range.status()).isEqualTo(206);
    assertThat(range.body()).isEqualTo("och");
    assertThat(Http.get(netdisk.uri("/netdisk/s/not-a-token"), null).status()).isEqualTo(404);
  }

  @Test
  void aRevokedLinkStopsAtOnce(NetdiskInstance netdisk, TestServers.Servers servers) {
    Disk alice = new Disk(netdisk, servers.issuer().userToken("share-bob"));
    String file = alice.file(alice.personalSpace(), "draft.docx", "draft".getBytes());
    JsonNode share = alice.post(Disk.API + "/files/" + file + "/shares", Map.of()).json();
    assertThat(Http.get(netdisk.uri(publicPath(share) + "/content"), null).status()).isEqualTo(200);
    assertThat(alice.delete(Disk.API + "/shares/" + share.get("id").asString()).status()).isEqualTo(204);
    Http.Response gone = Http.get(netdisk.uri(publicPath(share) + "/content"), null);
    assertThat(gone.status()).isEqualTo(410);
    assertThat(gone.json().get("type").asString()).isEqualTo("urn:atrium:problem:share-revoked");
  }

  @Test
  void aLinkExpiresAndItsDownloadsRunOut(NetdiskInstance netdisk, TestServers.Servers servers)
      throws InterruptedException {
    Disk alice = new Disk(netdisk, servers.issuer().userToken("share-carol"));
    String file = alice.file(alice.personalSpace(), "offer.pdf", "offer".getBytes());
    JsonNode expiring = alice.post(Disk.API + "/files/" + file + "/shares", Map.of("expiresInSeconds", 1)).json();
    JsonNode limited = alice.post(Disk.API + "/files/" + file + "/shares", Map.of("downloadLimit", 2)).json();
    Thread.sleep(1500);
    Http.Response expired = Http.get(netdisk.uri(publicPath(expiring) + "/content"), null);
    assertThat(expired.status()).isEqualTo(410);
    assertThat(expired.json().get("type").asString()).isEqualTo("urn:atrium:problem:share-expired");

    assertThat(Http.get(netdisk.uri(publicPath(limited) + "/content"), null).status()).isEqualTo(200);
    assertThat(Http.get(netdisk.uri(publicPath(limited) + "/content"), null).status()).isEqualTo(200);
    Http.Response usedUp = Http.get(netdisk.uri(publicPath(limited) + "/content"), null);
    assertThat(usedUp.status()).isEqualTo(410);
    assertThat(usedUp.json().get("type").asString()).isEqualTo("urn:atrium:problem:share-exhausted");
  }

  @Test
  void aPasswordIsAskedForAndRepeatedWrongOnesLockTheLink(NetdiskInstance netdisk, TestServers.Servers servers) {
    Disk alice = new Disk(netdisk, servers.issuer().userToken("share-dan"));
    String file = alice.file(alice.personalSpace(), "salaries.xlsx", "secret".getBytes());
    JsonNode share = alice.post(Disk.API + "/files/" + file + "/shares", Map.of("password", "open sesame")).json();
    URI content = netdisk.uri(publicPath(share) + "/content");
    assertThat(Http.get(content, null).status()).isEqualTo(401);
    assertThat(withPassword(content, "open sesame").body()).isEqualTo("secret");
    for (int i = 0; i < ShareController.LOCK_AFTER; i++) {
      assertThat(withPassword(content, "guess " + i).status()).isEqualTo(401);
    }
    Http.Response locked = withPassword(content, "open sesame");
    assertThat(locked.status()).isEqualTo(429);
    assertThat(locked.header("Retry-After")).isNotNull();
    // the password never appears in what the owner sees
    assertThat(alice.get(Disk.API + "/files/" + file + "/shares").body()).doesNotContain("open sesame");
  }

  @Test
  void aLinkToAFileInTheTrashStopsWorking(NetdiskInstance netdisk, TestServers.Servers servers) {
    Disk alice = new Disk(netdisk, servers.issuer().userToken("share-erin"));
    String file = alice.file(alice.personalSpace(), "old.txt", "old".getBytes());
    JsonNode share = alice.post(Disk.API + "/files/" + file + "/shares", Map.of()).json();
    alice.delete(Disk.API + "/nodes/" + file);
    assertThat(Http.get(netdisk.uri(publicPath(share) + "/content"), null).status()).isEqualTo(410);
  }

  private static Http.Response withPassword(URI content, String password) {
    return Http.send(Http.builder(content, null).header("X-Share-Password", password).GET());
  }

  private static String publicPath(JsonNode share) {
    return URI.create(share.get("url").asString()).getPath();
  }
}
