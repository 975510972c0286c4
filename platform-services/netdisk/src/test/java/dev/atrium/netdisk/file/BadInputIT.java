package dev.atrium.netdisk.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrium.netdisk.testing.Disk;
import dev.atrium.netdisk.testing.NetdiskInstance;
import dev.atrium.netdisk.testing.TestServers;
import dev.atrium.servicetesting.Http;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Bad input gets an RFC 9457 problem saying what is wrong, and nothing is stored half-way. */
@ExtendWith(TestServers.class)
class BadInputIT {

  @Test
  void namesAndPathsThatCouldEscapeOrDisguiseAreRefused(NetdiskInstance netdisk, TestServers.Servers servers) {
    Disk alice = new Disk(netdisk, servers.issuer().userToken("bad-alice"));
    String space = alice.personalSpace();
    long used = used(alice, space);
    Map<String, String> refused = Map.of(
        "../../etc/passwd", "invalid-path",
        "docs/./a.txt", "invalid-path",
        "docs//a.txt", "invalid-path",
        "x".repeat(256), "name-too-long",
        "report\u0000.pdf", "invalid-name",
        "invoice\u202Efdp.exe", "invalid-name",
        " leading.txt", "invalid-name");
    refused.forEach((path, type) -> {
      Http.Response response = alice.putFile(space, path, "x".getBytes());
      assertThat(response.status()).as(path).isEqualTo(400);
      assertThat(response.header("Content-Type")).isEqualTo("application/problem+json");
      assertThat(response.json().get("type").asString()).as(path).isEqualTo("urn:atrium:problem:" + type);
      assertThat(alice.startUpload(space, path, 10, null).status()).as(path).isEqualTo(400);
    });
    assertThat(alice.get(Disk.API + "/spaces/" + space + "/children").json()).isEmpty();
    assertThat(used(alice, space)).isEqualTo(used);
  }

  @Test
  void aFormOrMultipartBodyIsRefusedAndNeverReadAsParameters(NetdiskInstance netdisk, TestServers.Servers servers) {
    Disk alice = new Disk(netdisk, servers.issuer().userToken("bad-dave"));
    String space = alice.personalSpace();
    long used = used(alice, space);
    // the body names another file: were it read as parameters it would stand in for ?path=
    for (String type : List.of("application/x-www-form-urlencoded", "application/x-www-form-urlencoded; charset=UTF-8",
        "multipart/form-data; boundary=b", "not a type")) {
      Http.Response refused = Http.send(Http.builder(netdisk.uri(Disk.API + "/spaces/" + space
          + "/content?path=report.txt"), alice.token()).header("Content-Type", type)
          .PUT(HttpRequest.BodyPublishers.ofString("path=elsewhere.txt&name=x")));
      assertThat(refused.status()).as(type).isEqualTo(415);
      assertThat(refused.json().get("type").asString()).isEqualTo("urn:atrium:problem:unsupported-media-type");
      assertThat(refused.json().get("detail").asString()).contains("application/octet-stream");
    }
    assertThat(alice.get(Disk.API + "/spaces/" + space + "/children").json()).isEmpty();
    assertThat(used(alice, space)).isEqualTo(used);
    Http.Response upload = alice.startUpload(space, "big.bin", 10, null);
    assertThat(upload.status()).isEqualTo(201);
    Http.Response chunk = Http.send(Http.builder(netdisk.uri(Disk.API + "/uploads/" + upload.json().get("id").asString()
        + "/chunks/1"), alice.token()).header("Content-Type", "application/x-www-form-urlencoded")
        .PUT(HttpRequest.BodyPublishers.ofString("a=0123456")));
    assertThat(chunk.status()).isEqualTo(415);
    assertThat(alice.get(Disk.API + "/uploads/" + upload.json().get("id").asString()).json().get("received"))
        .isEmpty();
    // a type that says nothing of forms is the file's own and is accepted
    assertThat(Http.send(Http.builder(netdisk.uri(Disk.API + "/spaces/" + space + "/content?path=report.txt"),
        alice.token()).header("Content-Type", "text/plain").PUT(HttpRequest.BodyPublishers.ofString("a=b")))
        .status()).isEqualTo(201);
    assertThat(alice.get(Disk.API + "/spaces/" + space + "/children").json().get(0).get("name").asString())
        .isEqualTo("report.txt");
  }

  @Test
  void aRangePastTheEndIsRefusedWithTheSize(NetdiskInstance netdisk, TestServers.Servers servers) {
    Disk alice = new Disk(netdisk, servers.issuer().userToken("bad-bob"));
    String file = alice.file(alice.personalSpace(), "ten.txt", "0123456789".getBytes());
    Http.Response past = alice.download(file, "bytes=10-20");
    assertThat(past.status()).isEqualTo(416);
    assertThat(past.header("Content-Range")).isEqualTo("bytes */10");
    assertThat(past.json().get("type").asString()).isEqualTo("urn:atrium:problem:range-not-satisfiable");
    Http.Response tail = alice.download(file, "bytes=-3");
    assertThat(tail.status()).isEqualTo(206);
    assertThat(tail.body()).isEqualTo("789");
    assertThat(tail.header("Content-Range")).isEqualTo("bytes 7-9/10");
  }

  @Test
  void aTokenIsNeededAndAFileTooLargeIsRefusedBeforeItsBytes(NetdiskInstance netdisk, TestServers.Servers servers) {
    Http.Response anonymous = Http.get(netdisk.uri(Disk.API + "/spaces"), null);
    assertThat(anonymous.status()).isEqualTo(401);
    assertThat(anonymous.json().get("type").asString()).isEqualTo("urn:atrium:problem:unauthenticated");
    Disk alice = new Disk(netdisk, servers.issuer().userToken("bad-carol"));
    Http.Response tooLarge = alice.startUpload(alice.personalSpace(), "disk.img", 65L * 1024 * 1024 * 1024, null);
    assertThat(tooLarge.status()).isEqualTo(413);
    assertThat(tooLarge.json().get("type").asString()).isEqualTo("urn:atrium:problem:file-too-large");
  }

  private static long used(Disk disk, String space) {
    return disk.get(Disk.API + "/spaces/" + space).json().get("space").get("usedBytes").asLong();
  }
}
