package dev.atrium.netdisk.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.atrium.netdisk.storage.ObjectStore;
import dev.atrium.netdisk.testing.Disk;
import dev.atrium.netdisk.testing.NetdiskInstance;
import dev.atrium.netdisk.testing.TestServers;
import dev.atrium.servicetesting.Http;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * Instant send and shared content: content stored once, however many files hold it, and deleted only with its
 * last file. Each test has its own database and bucket, so the bucket's objects can be counted.
 */
@ExtendWith(TestServers.class)
class InstantSendIT {

  @Test
  void contentAlreadyStoredIsNotSentAgainAndIsStoredOnce(TestServers.Servers servers) {
    try (NetdiskInstance netdisk = NetdiskInstance.start(servers, servers.newDatabase(),
        TestServers.Servers.newBucketName(), Map.of())) {
      Disk alice = new Disk(netdisk, servers.issuer().userToken("alice"));
      Disk bob = alice.as(servers.issuer().userToken("bob"));
      ObjectStore store = awaitBucket(netdisk);
      byte[] design = Disk.random(3 * 1024 * 1024 + 17, 11);
      alice.file(alice.personalSpace(), "design.psd", design);
      assertThat(store.count()).isEqualTo(1);

      // bob offers the hash first: "already here", and a range of the content to prove he holds it
      Http.Response started = bob.startUpload(bob.personalSpace(), "from-alice.psd", design.length, Disk.sha256(design));
      assertThat(started.status()).isEqualTo(201);
      JsonNode upload = started.json();
      assertThat(upload.get("instant").asBoolean()).isTrue();
      long offset = upload.get("challenge").get("offset").asLong();
      int length = upload.get("challenge").get("length").asInt();
      String id = upload.get("id").asString();

      // a wrong proof (someone who only knows the hash) gets nothing
      Http.Response guessed = bob.post(Disk.API + "/uploads/" + id + "/complete",
          Map.of("proof", Disk.sha256(new byte[] {1, 2, 3})));
      assertThat(guessed.status()).isEqualTo(403);

      byte[] range = Arrays.copyOfRange(design, (int) offset, (int) offset + length);
      Http.Response done = bob.post(Disk.API + "/uploads/" + id + "/complete", Map.of("proof", Disk.sha256(range)));
      assertThat(done.status()).as(done.toString()).isEqualTo(200);
      assertThat(bob.bytes(done.json().get("id").asString())).isEqualTo(design);
      assertThat(store.count()).isEqualTo(1);

      // the same bytes uploaded in full without the hash are recognised after the fact and kept once too
      bob.file(bob.personalSpace(), "again.psd", design);
      await().atMost(Duration.ofSeconds(10)).until(() -> store.count() == 1);
    }
  }

  @Test
  void contentIsFreedOnlyWhenItsLastFileIsDeletedForGood(TestServers.Servers servers) {
    try (NetdiskInstance netdisk = NetdiskInstance.start(servers, servers.newDatabase(),
        TestServers.Servers.newBucketName(), Map.of())) {
      Disk alice = new Disk(netdisk, servers.issuer().userToken("alice"));
      ObjectStore store = awaitBucket(netdisk);
      String space = alice.personalSpace();
      byte[] report = Disk.random(200_000, 12);
      String first = alice.file(space, "report.pdf", report);
      String second = alice.file(space, "copy of report.pdf", report);
      String other = alice.file(space, "other.txt", "other".getBytes());
      assertThat(store.count()).isEqualTo(2);

      // deleting one of the two (to the trash, then for good) keeps the content for the other
      assertThat(alice.delete(Disk.API + "/nodes/" + first).status()).isEqualTo(204);
      assertThat(alice.delete(Disk.API + "/trash/" + first).status()).isEqualTo(204);
      assertThat(alice.bytes(second)).isEqualTo(report);
      assertThat(store.count()).isEqualTo(2);

      // deleting the last one frees it
      alice.delete(Disk.API + "/nodes/" + second);
      alice.delete(Disk.API + "/trash/" + second);
      await().atMost(Duration.ofSeconds(10)).until(() -> store.count() == 1);
      assertThat(alice.bytes(other)).isEqualTo("other".getBytes());
      assertThat(UploadIT.used(alice, space)).isEqualTo(5);
    }
  }

  static ObjectStore awaitBucket(NetdiskInstance netdisk) {
    ObjectStore store = netdisk.bean(ObjectStore.class);
    await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(store::reachable);
    return store;
  }
}
