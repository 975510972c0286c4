package dev.atrium.netdisk.upload;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The SHA-256 of each upload's content so far, kept by the replica that received its chunks in order, so the
 * file's hash is known when the last chunk arrives without reading the content again. The JDK's digest (SHA
 * instructions, about 1.3 GB/s here) cannot be saved and resumed elsewhere; when chunks came out of order, to
 * another replica or before a restart, the replica that completes the upload reads the content back instead
 * (docs/decisions/0010-netdisk-uploads.md). The state records which chunk hashes it covers, so it is used only
 * when those are exactly the chunks recorded.
 */
@Component
public class RunningDigests {

  private static final Duration IDLE = Duration.ofHours(6);

  private record State(List<String> chunkHashes, MessageDigest digest, Instant touched) {
  }

  private final Map<UUID, State> states = new ConcurrentHashMap<>();

  /** A digest to feed chunk {@code number} into, if this replica holds the hash of every chunk before it. */
  public Optional<MessageDigest> before(UUID upload, int number) {
    State state = states.get(upload);
    if (number == 0 && state == null) {
      return Optional.of(sha256());
    }
    if (state != null && state.chunkHashes().size() == number) {
      try {
        return Optional.of((MessageDigest) state.digest().clone());
      } catch (CloneNotSupportedException e) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  /** Chunk {@code number}, of hash {@code chunkHash}, went into {@code digest}. */
  public void after(UUID upload, int number, String chunkHash, MessageDigest digest) {
    states.compute(upload, (id, state) -> {
      List<String> before = state == null ? List.of() : state.chunkHashes();
      if (before.size() != number) {
        return state;
      }
      List<String> hashes = new ArrayList<>(before);
      hashes.add(chunkHash);
      return new State(List.copyOf(hashes), digest, Instant.now());
    });
  }

  /** The content's SHA-256 if this replica hashed exactly the chunks recorded, in order. */
  public Optional<byte[]> finish(UUID upload, List<String> recordedChunkHashes) {
    State state = states.remove(upload);
    return state != null && state.chunkHashes().equals(recordedChunkHashes) ? Optional.of(state.digest().digest())
        : Optional.empty();
  }

  public void forget(UUID upload) {
    states.remove(upload);
  }

  @Scheduled(fixedDelay = 600_000)
  void forgetIdle() {
    Instant before = Instant.now().minus(IDLE);
    states.values().removeIf(state -> state.touched().isBefore(before));
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
