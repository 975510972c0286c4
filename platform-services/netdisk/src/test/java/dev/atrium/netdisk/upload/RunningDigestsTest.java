package dev.atrium.netdisk.upload;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.MessageDigest;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RunningDigestsTest {

  private final RunningDigests digests = new RunningDigests();

  @Test
  void chunksInOrderGiveTheWholeFilesHash() {
    UUID upload = UUID.randomUUID();
    feed(upload, 0, "hello ", "h0");
    feed(upload, 1, "world", "h1");
    assertThat(digests.finish(upload, List.of("h0", "h1")))
        .hasValueSatisfying(hash -> assertThat(hash).isEqualTo(sha256("hello world")));
  }

  @Test
  void aChunkOutOfOrderLeavesNoDigestAndTheContentIsReadBack() {
    UUID upload = UUID.randomUUID();
    feed(upload, 0, "a", "h0");
    assertThat(digests.before(upload, 2)).isEmpty();
    assertThat(digests.finish(upload, List.of("h0", "h1", "h2"))).isEmpty();
  }

  @Test
  void aDigestOfOtherChunksThanTheRecordedOnesIsNotUsed() {
    UUID upload = UUID.randomUUID();
    feed(upload, 0, "first try", "h0");
    // chunk 0 was sent again with other content (and recorded with its hash) on another replica
    assertThat(digests.finish(upload, List.of("h0-again"))).isEmpty();
  }

  @Test
  void anotherReplicaWithoutTheEarlierChunksHasNoDigest() {
    assertThat(new RunningDigests().before(UUID.randomUUID(), 3)).isEmpty();
  }

  private void feed(UUID upload, int number, String content, String hash) {
    MessageDigest digest = digests.before(upload, number).orElseThrow();
    digest.update(content.getBytes());
    digests.after(upload, number, hash, digest);
  }

  private static byte[] sha256(String text) {
    return RunningDigests.sha256().digest(text.getBytes());
  }
}
