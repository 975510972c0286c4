package dev.atrium.netdisk.upload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrium.netdisk.storage.ObjectStore;
import dev.atrium.netdisk.testing.Disk;
import dev.atrium.netdisk.testing.NetdiskInstance;
import dev.atrium.netdisk.testing.TestServers;
import dev.atrium.servicetesting.Http;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/** Uploads against a real PostgreSQL and a real object store (SeaweedFS), through two replicas. */
@ExtendWith(TestServers.class)
class UploadIT {

  static final int CHUNK = 5 * 1024 * 1024;

  @Test
  void anUploadInterruptedAtRandomChunksResumesOnAnotherReplicaAndGivesTheSameBytes(TestServers.Servers servers,
      NetdiskInstance first) throws IOException {
    try (NetdiskInstance second = NetdiskInstance.start(servers, servers.database(), servers.bucket(), Map.of())) {
      String token = servers.issuer().userToken("alice");
      Disk onFirst = new Disk(first, token);
      Disk onSecond = onFirst.on(second);
      String space = onFirst.personalSpace();
      Random random = new Random(42);
      byte[] content = Disk.random(4 * CHUNK + 1_234_567, 7);
      JsonNode upload = onFirst.startUpload(space, "designs/logo.psd", content.length, null).json();
      String id = upload.get("id").asString();
      assertThat(upload.get("chunks").asInt()).isEqualTo(5);
      assertThat(upload.get("chunkSize").asInt()).isEqualTo(CHUNK);

      // chunks in a random order; one is cut off in the middle of its body, as a dropped connection would
      List<Integer> order = new ArrayList<>(List.of(0, 1, 2, 3, 4));
      Collections.shuffle(order, random);
      int cut = order.get(random.nextInt(3));
      for (int i = 0; i < 3; i++) {
        int n = order.get(i);
        if (n == cut) {
          sendHalfAndDrop(first, token, id, n, content);
        } else {
          assertThat(onFirst.chunk(id, n, CHUNK, content).status()).isEqualTo(200);
        }
      }
      // the other replica knows what arrived, wherever it arrived, and not the chunk that was cut off
      JsonNode status = onSecond.get(Disk.API + "/uploads/" + id).json();
      List<Integer> received = new ArrayList<>();
      status.get("received").forEach(n -> received.add(n.asInt()));
      List<Integer> expected = new ArrayList<>(order.subList(0, 3));
      expected.remove(Integer.valueOf(cut));
      assertThat(received).containsExactlyInAnyOrderElementsOf(expected);
      for (int n = 0; n < 5; n++) {
        if (!received.contains(n)) {
          assertThat(onSecond.chunk(id, n, CHUNK, content).status()).isEqualTo(200);
        }
      }
      Http.Response done = onSecond.complete(id);
      assertThat(done.status()).as(done.toString()).isEqualTo(200);
      assertThat(done.json().get("sha256").asString()).isEqualTo(Disk.sha256(content));
      assertThat(onFirst.bytes(done.json().get("id").asString())).isEqualTo(content);
    }
  }

  @Test
  void chunksSentInOrderToOneReplicaNeedNoReadingBack(NetdiskInstance netdisk, TestServers.Servers servers) {
    Disk disk = new Disk(netdisk, servers.issuer().userToken("carol"));
    byte[] content = Disk.random(2 * CHUNK + 10, 8);
    String id = disk.startUpload(disk.personalSpace(), "in-order.bin", content.length, Disk.sha256(content)).json()
        .get("id").asString();
    for (int n = 0; n < 3; n++) {
      assertThat(disk.chunk(id, n, CHUNK, content).status()).isEqualTo(200);
    }
    Http.Response done = disk.complete(id);
    assertThat(done.status()).as(done.toString()).isEqualTo(200);
    assertThat(disk.bytes(done.json().get("id").asString())).isEqualTo(content);
  }

  @Test
  void aChunkWithTheWrongHashIsRefusedAndNotKept(NetdiskInstance netdisk, TestServers.Servers servers) {
    Disk disk = new Disk(netdisk, servers.issuer().userToken("dave"));
    byte[] content = Disk.random(CHUNK + 100, 9);
    String id = disk.startUpload(disk.personalSpace(), "wrong-hash.bin", content.length, null).json().get("id")
        .asString();
    byte[] chunk = java.util.Arrays.copyOf(content, CHUNK);
    Http.Response refused = disk.chunkBytes(id, 0, chunk, Disk.sha256(new byte[] {1}));
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.json().get("type").asString()).isEqualTo("urn:atrium:problem:chunk-hash-mismatch");
    assertThat(disk.get(Disk.API + "/uploads/" + id).json().get("received")).isEmpty();
    Http.Response incomplete = disk.complete(id);
    assertThat(incomplete.status()).isEqualTo(409);
    assertThat(incomplete.json().get("detail").asString()).contains("[0, 1]");
  }

  @Test
  void contentThatIsNotWhatWasDeclaredIsRefusedAtTheEndAndNothingIsKept(NetdiskInstance netdisk,
      TestServers.Servers servers) {
    Disk disk = new Disk(netdisk, servers.issuer().userToken("erin"));
    String space = disk.personalSpace();
    long usedBefore = used(disk, space);
    byte[] content = Disk.random(CHUNK + 5, 10);
    String id = disk.startUpload(space, "declared.bin", content.length, Disk.sha256(new byte[] {2})).json().get("id")
        .asString();
    disk.chunk(id, 0, CHUNK, content);
    disk.chunk(id, 1, CHUNK, content);
    Http.Response refused = disk.complete(id);
    assertThat(refused.status()).isEqualTo(422);
    assertThat(refused.json().get("type").asString()).isEqualTo("urn:atrium:problem:content-hash-mismatch");
    assertThat(disk.get(Disk.API + "/uploads/" + id).json().get("state").asString()).isEqualTo("ABORTED");
    assertThat(used(disk, space)).isEqualTo(usedBefore);
    assertThat(space(disk, space).get("reservedBytes").asLong()).isZero();
    assertThat(disk.get(Disk.API + "/search?name=declared").json()).isEmpty();
  }

  @Test
  void aQuotaRefusesAnUploadBeforeAnyByteIsStored(NetdiskInstance netdisk, TestServers.Servers servers) {
    Disk alice = new Disk(netdisk, servers.issuer().userToken("frank"));
    String team = alice.teamSpace("Small team");
    // an administrator (the admin area, as an app) gives the space 1 MiB
    Disk admin = alice.as(servers.issuer().appToken("webos"));
    assertThat(admin.patch(Disk.API + "/spaces/" + team, Map.of("quotaBytes", 1024 * 1024)).status()).isEqualTo(200);
    ObjectStore store = netdisk.bean(ObjectStore.class);
    long objects = store.count();

    Http.Response tooBig = alice.putFile(team, "big.bin", new byte[2 * 1024 * 1024]);
    assertThat(tooBig.status()).isEqualTo(507);
    assertThat(tooBig.json().get("type").asString()).isEqualTo("urn:atrium:problem:quota-exceeded");

    // 10 GiB declared in advance: refused at once, without a byte sent or stored
    Http.Response huge = alice.startUpload(team, "huge.iso", 10L * 1024 * 1024 * 1024, null);
    assertThat(huge.status()).isEqualTo(507);
    assertThat(store.count()).isEqualTo(objects);
    JsonNode after = space(alice, team);
    assertThat(after.get("usedBytes").asLong()).isZero();
    assertThat(after.get("reservedBytes").asLong()).isZero();

    // what fits is stored, and held against the quota while it uploads
    Http.Response fits = alice.startUpload(team, "fits.bin", 700_000, null);
    assertThat(fits.status()).isEqualTo(201);
    assertThat(alice.startUpload(team, "second.bin", 700_000, null).status()).isEqualTo(507);
    assertThat(alice.delete(Disk.API + "/uploads/" + fits.json().get("id").asString()).status()).isEqualTo(204);
    assertThat(space(alice, team).get("reservedBytes").asLong()).isZero();
  }

  @Test
  void anUploadRefusedWhenItCompletesKeepsNothing(TestServers.Servers servers) {
    try (NetdiskInstance netdisk = NetdiskInstance.start(servers, servers.newDatabase(),
        TestServers.Servers.newBucketName(), Map.of())) {
      Disk disk = new Disk(netdisk, servers.issuer().userToken("gina"));
      ObjectStore store = InstantSendIT.awaitBucket(netdisk);
      String space = disk.personalSpace();
      byte[] content = Disk.random(100_000, 13);
      String id = disk.post(Disk.API + "/spaces/" + space + "/uploads", Map.of("name", "clash.txt",
          "size", content.length, "onConflict", "FAIL")).json().get("id").asString();
      assertThat(disk.chunk(id, 0, CHUNK, content).status()).isEqualTo(200);
      // meanwhile someone puts a file of that name there
      disk.file(space, "clash.txt", "first".getBytes());
      Http.Response refused = disk.complete(id);
      assertThat(refused.status()).isEqualTo(409);
      assertThat(refused.json().get("type").asString()).isEqualTo("urn:atrium:problem:name-taken");
      assertThat(disk.get(Disk.API + "/uploads/" + id).json().get("state").asString()).isEqualTo("ABORTED");
      assertThat(used(disk, space)).isEqualTo(5);
      assertThat(space(disk, space).get("reservedBytes").asLong()).isZero();
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> store.count() == 1);
    }
  }

  @Test
  void uploadsAtTheSameTimeIntoOneNewFolderAllLandInIt(NetdiskInstance netdisk, TestServers.Servers servers)
      throws Exception {
    Disk disk = new Disk(netdisk, servers.issuer().userToken("hana"));
    String space = disk.personalSpace();
    List<java.util.concurrent.Future<Http.Response>> puts = new ArrayList<>();
    try (var pool = java.util.concurrent.Executors.newFixedThreadPool(6)) {
      for (int i = 0; i < 6; i++) {
        String path = "batch 1/photos/" + i + ".jpg";
        puts.add(pool.submit(() -> disk.putFile(space, path, path.getBytes(StandardCharsets.UTF_8))));
      }
    }
    for (var put : puts) {
      assertThat(put.get().status()).as(put.get().toString()).isEqualTo(201);
    }
    JsonNode top = disk.get(Disk.API + "/spaces/" + space + "/children").json();
    assertThat(top.findValuesAsString("name")).containsOnlyOnce("batch 1");

    // the same new name at the same moment: one file, each upload one of its versions
    List<java.util.concurrent.Future<Http.Response>> same = new ArrayList<>();
    try (var pool = java.util.concurrent.Executors.newFixedThreadPool(4)) {
      for (int i = 0; i < 4; i++) {
        byte[] body = ("draft " + i).getBytes(StandardCharsets.UTF_8);
        same.add(pool.submit(() -> disk.putFile(space, "batch 1/notes.txt", body)));
      }
    }
    java.util.Set<String> ids = new java.util.HashSet<>();
    for (var put : same) {
      assertThat(put.get().status()).as(put.get().toString()).isEqualTo(201);
      ids.add(put.get().json().get("id").asString());
    }
    assertThat(ids).hasSize(1);
    assertThat(disk.get(Disk.API + "/files/" + ids.iterator().next() + "/versions").json()).hasSize(4);
  }

  /** Headers and half the body of a chunk, then the connection closes. */
  private static void sendHalfAndDrop(NetdiskInstance netdisk, String token, String id, int number, byte[] content)
      throws IOException {
    int length = Math.min(CHUNK, content.length - number * CHUNK);
    byte[] chunk = java.util.Arrays.copyOfRange(content, number * CHUNK, number * CHUNK + length);
    try (Socket socket = new Socket("127.0.0.1", netdisk.uri("/").getPort())) {
      OutputStream out = socket.getOutputStream();
      out.write(("PUT " + Disk.API + "/uploads/" + id + "/chunks/" + number + " HTTP/1.1\r\nHost: localhost\r\n"
          + "Authorization: Bearer " + token + "\r\nX-Chunk-SHA256: " + Disk.sha256(chunk) + "\r\n"
          + "Content-Type: application/octet-stream\r\nContent-Length: " + length + "\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.write(chunk, 0, length / 2);
      out.flush();
    }
    // let the server notice the dropped connection and give up the part
    try {
      Thread.sleep(500);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static JsonNode space(Disk disk, String id) {
    return disk.get(Disk.API + "/spaces/" + id).json().get("space");
  }

  static long used(Disk disk, String id) {
    return space(disk, id).get("usedBytes").asLong();
  }
}
