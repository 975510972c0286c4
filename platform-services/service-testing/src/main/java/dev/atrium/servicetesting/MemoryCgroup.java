package dev.atrium.servicetesting;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A memory cgroup (v1) for a service a benchmark starts from its jar, so that its JVM sizes itself as in the pod
 * with the pod's memory limit: a child of this process's own memory cgroup, limited to some bytes. A process joins
 * it by writing its pid to {@link #procs(Path)}, e.g. {@code sh -c 'echo $$ > "$0" && exec "$@"' PROCS java ...}.
 */
public final class MemoryCgroup {

  private static final Path MEMORY_CGROUPS = Path.of("/sys/fs/cgroup/memory");

  private MemoryCgroup() {
  }

  /** A new child cgroup named {@code name} limited to {@code limit} bytes, or null without one to write to. */
  public static Path create(String name, long limit) {
    try {
      String own = Files.readAllLines(Path.of("/proc/self/cgroup")).stream()
          .filter(l -> l.matches("\\d+:([^:]*,)?memory(,[^:]*)?:.*")).map(l -> l.substring(l.lastIndexOf(':') + 1))
          .findFirst().orElse(null);
      if (own == null || !Files.isDirectory(MEMORY_CGROUPS)) {
        return null;
      }
      Path cgroup = MEMORY_CGROUPS.resolve(own.substring(1)).resolve(name + "-" + ProcessHandle.current().pid());
      Files.createDirectories(cgroup);
      Files.writeString(cgroup.resolve("memory.limit_in_bytes"), Long.toString(limit));
      return cgroup;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** The file a process writes its pid to, to join the cgroup. */
  public static Path procs(Path cgroup) {
    return cgroup.resolve("cgroup.procs");
  }

  /** Removes the cgroup once its processes have gone (retrying for a few seconds). */
  public static void remove(Path cgroup) throws InterruptedException {
    for (int i = 0; i < 20 && Files.exists(cgroup); i++) {
      try {
        Files.delete(cgroup);
      } catch (IOException busy) {
        Thread.sleep(250);
      }
    }
  }
}
