package dev.atrium.servicetesting;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A directory under java.io.tmpdir owned by this JVM, for one test server's data, socket and log. It records
 * the owning JVM's pid and start time, so that a later run can find and clean up what a JVM that died without
 * tearing down (kill -9) left behind.
 */
final class ScratchDir {

  private static final String OWNER_FILE = "owner";

  private ScratchDir() {
  }

  static Path create(String prefix) {
    try {
      Path dir = Files.createTempDirectory(prefix);
      ProcessHandle self = ProcessHandle.current();
      Files.writeString(dir.resolve(OWNER_FILE), self.pid() + " "
          + self.info().startInstant().map(Instant::toString).orElse("?"));
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a scratch directory for a test server", e);
    }
  }

  /** Runs {@code stop} on, then deletes, every {@code prefix*} directory whose owning JVM is gone. */
  static void reapOrphans(String prefix, Consumer<Path> stop) {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    try (Stream<Path> dirs = Files.list(tmp)) {
      dirs.filter(d -> d.getFileName().toString().startsWith(prefix) && Files.isDirectory(d))
          .filter(ScratchDir::ownerIsGone)
          .forEach(d -> {
            stop.accept(d);
            delete(d);
          });
    } catch (IOException e) {
      // nothing to reap when tmp cannot be listed
    }
  }

  static void delete(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }

  private static boolean ownerIsGone(Path dir) {
    try {
      String[] owner = Files.readString(dir.resolve(OWNER_FILE)).trim().split(" ");
      Optional<ProcessHandle> process = ProcessHandle.of(Long.parseLong(owner[0]));
      return process.isEmpty() || !process.get().info().startInstant().map(Instant::toString).orElse("?")
          .equals(owner[1]);
    } catch (IOException | RuntimeException e) {
      return false; // not ours, or being written right now: leave it alone
    }
  }
}
