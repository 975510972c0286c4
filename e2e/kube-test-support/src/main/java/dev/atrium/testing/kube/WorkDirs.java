package dev.atrium.testing.kube;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The working directories of the local servers tests start (control planes, registries) and the
 * processes started in them: a directory names the JVM that owns it, so one whose JVM died is found
 * and reaped with its processes by the next start.
 */
final class WorkDirs {

  private static final Logger LOG = LoggerFactory.getLogger(WorkDirs.class);
  private static final String OWNER_FILE = "owner.pid";

  private WorkDirs() {
  }

  /** Marks the directory as this JVM's. */
  static void claim(Path workdir) throws IOException {
    Files.writeString(workdir.resolve(OWNER_FILE), Long.toString(ProcessHandle.current().pid()));
  }

  /**
   * Removes the directories under {@code tmp} named with {@code prefix} whose owning JVM is gone, and stops the
   * processes whose command line names them. Directories of live JVMs are left alone.
   *
   * @param what what the directories hold, for the log
   */
  static void reapOrphans(Path tmp, String prefix, String what) {
    try (Stream<Path> dirs = Files.list(tmp)) {
      for (Path dir : dirs.filter(d -> d.getFileName().toString().startsWith(prefix)).toList()) {
        Optional<Long> owner = readOwner(dir);
        if (owner.isPresent() && ProcessHandle.of(owner.get()).map(ProcessHandle::isAlive).orElse(false)) {
          continue;
        }
        LOG.warn("Reaping {} left behind in {}", what, dir);
        terminate(processesUsing(dir));
        deleteRecursively(dir);
      }
    } catch (IOException e) {
      LOG.warn("Could not look for a left-over {} in {}: {}", what, tmp, e.toString());
    }
  }

  /** Whether the JVM that claimed the directory still runs. */
  static boolean ownerAlive(Path dir) {
    return readOwner(dir).flatMap(ProcessHandle::of).map(ProcessHandle::isAlive).orElse(false);
  }

  private static Optional<Long> readOwner(Path dir) {
    try {
      return Optional.of(Long.parseLong(Files.readString(dir.resolve(OWNER_FILE)).trim()));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** The processes whose command line names the directory: every server started with paths in it. */
  static List<ProcessHandle> processesUsing(Path dir) {
    String marker = dir.toString() + "/";
    return ProcessHandle.allProcesses()
        .filter(p -> p.pid() != ProcessHandle.current().pid())
        .filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false))
        .toList();
  }

  /** SIGTERM, then SIGKILL what is still running after 10 seconds. */
  static void terminate(List<ProcessHandle> processes) {
    List<ProcessHandle> left = processes.stream().filter(WorkDirs::isRunning).toList();
    left.forEach(ProcessHandle::destroy);
    awaitStopped(left, Duration.ofSeconds(10));
    // a kube-apiserver busy shutting down gracefully on a loaded machine may take longer: SIGKILL
    left.stream().filter(WorkDirs::isRunning).forEach(ProcessHandle::destroyForcibly);
    awaitStopped(left, Duration.ofSeconds(10));
  }

  private static void awaitStopped(List<ProcessHandle> processes, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    while (processes.stream().anyMatch(WorkDirs::isRunning) && Instant.now().isBefore(deadline)) {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /**
   * Alive and not a zombie. Servers are re-parented to PID 1 when their launcher exits, and until PID 1 reaps
   * them a stopped one still counts as alive for {@link ProcessHandle#isAlive()}.
   */
  static boolean isRunning(ProcessHandle process) {
    if (!process.isAlive()) {
      return false;
    }
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
      // the state follows the parenthesised command name, which may itself contain ") "
      String afterName = stat.substring(stat.lastIndexOf(')') + 1).trim();
      return !afterName.startsWith("Z") && !afterName.startsWith("X");
    } catch (IOException | StringIndexOutOfBoundsException e) {
      return process.isAlive();
    }
  }

  static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      LOG.warn("Could not remove {}: {}", dir, e.toString());
    }
  }
}
