package dev.atrium.netdisk.bench;

import dev.atrium.servicetesting.MemoryCgroup;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Netdisk from its runnable jar, a process of its own, as its image runs it: the image's JVM defaults in
 * {@code JAVA_TOOL_OPTIONS} (platform-services/netdisk/pom.xml, {@code atrium.image.java-tool-options}) and the
 * environment the operator sets, in a memory cgroup with the pod's memory limit, so that the JVM sizes itself as it
 * does in the pod (75 % of the limit as its heap, and the collector it picks for that much memory). No CPU limit: the
 * operator sets none, and the pod's JVM sees the node's cores, as this one sees the machine's. Without a cgroup v1
 * memory controller to write to (not root), {@code -XX:MaxRAM} stands for the limit: the heap is sized the same, the
 * collector is the one the JVM picks for the whole machine.
 */
record Service(Process process, Path log, String javaToolOptions, long memoryLimit, Path cgroup, int port,
    double startupSeconds) {

  static Service start(Path jar, String javaToolOptions, long memoryLimit, Map<String, String> environment, int port,
      Path log, List<String> extraJvmFlags) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path cgroup = MemoryCgroup.create("atrium-netdisk-bench", memoryLimit);
    if (cgroup == null) {
      NetdiskBench.say("no memory cgroup (v1) to write to: -XX:MaxRAM stands for the pod's limit");
    }
    List<String> command = new ArrayList<>();
    if (cgroup != null) {
      // the shell puts itself into the cgroup, then becomes the JVM (same pid)
      command.addAll(List.of("sh", "-c", "echo $$ > \"$0\" && exec \"$@\"", MemoryCgroup.procs(cgroup).toString()));
    }
    command.add(java);
    if (cgroup == null) {
      command.add("-XX:MaxRAM=" + memoryLimit);
    }
    command.addAll(extraJvmFlags);
    // prints the flags the JVM chose (heap, collector) as the first line of its log
    command.addAll(List.of("-XX:+PrintCommandLineFlags", "-jar", jar.toString()));
    ProcessBuilder builder = new ProcessBuilder(command);
    Map<String, String> env = builder.environment();
    String path = env.get("PATH");
    env.clear();
    env.put("PATH", path);
    env.put("LANG", "C.UTF-8");
    env.put("JAVA_TOOL_OPTIONS", javaToolOptions);
    env.putAll(environment);
    Files.createDirectories(log.toAbsolutePath().getParent());
    builder.redirectErrorStream(true).redirectOutput(log.toFile());
    NetdiskBench.say("starting netdisk on 127.0.0.1:" + port + " (" + (cgroup == null ? "-XX:MaxRAM=" + memoryLimit
        : "memory cgroup " + cgroup + ", limit " + memoryLimit) + " bytes), log " + log);
    long start = System.nanoTime();
    Process process = builder.start();
    NetdiskApi probe = new NetdiskApi(URI.create("http://127.0.0.1:" + port), () -> "");
    long deadline = start + TimeUnit.MINUTES.toNanos(3);
    while (true) {
      try {
        if (probe.status("/actuator/health/readiness") == 200) {
          break;
        }
      } catch (IOException notYet) {
        // starting
      }
      if (!process.isAlive() || System.nanoTime() > deadline) {
        process.destroyForcibly();
        throw new IllegalStateException("netdisk did not become ready; see " + log);
      }
      Thread.sleep(200);
    }
    Service service = new Service(process, log, javaToolOptions, memoryLimit, cgroup, port,
        (System.nanoTime() - start) / 1e9);
    NetdiskBench.say("  ready after " + Stats.round(service.startupSeconds) + " s");
    return service;
  }

  long pid() {
    return process.pid();
  }

  Map<String, Object> describe() throws IOException {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("how", "its runnable jar as a process of its own (java -jar), JAVA_TOOL_OPTIONS as its image sets them, "
        + (cgroup != null ? "in a memory cgroup (v1) with the pod's memory limit"
            : "-XX:MaxRAM for the pod's memory limit")
        + ", no CPU limit (as the operator sets none), the operator's environment; not pinned to a core");
    out.put("javaToolOptions", javaToolOptions);
    out.put("memoryLimitBytes", memoryLimit);
    out.put("memoryLimitBy", cgroup != null ? "cgroup v1 " + cgroup : "-XX:MaxRAM");
    out.put("startupSecondsToReady", Stats.round(startupSeconds));
    out.put("command", process.info().commandLine().orElse(null));
    String flags = Files.readAllLines(log).stream().filter(l -> l.startsWith("-XX:")).findFirst().orElse("");
    Matcher gc = Pattern.compile("-XX:\\+Use(\\w+GC)\\b").matcher(flags);
    out.put("gc", gc.find() ? gc.group(1) : null);
    Matcher heap = Pattern.compile("-XX:MaxHeapSize=(\\d+)").matcher(flags);
    out.put("maxHeapBytes", heap.find() ? Long.parseLong(heap.group(1)) : null);
    out.put("jvmFlags", flags);
    return out;
  }

  /** Resident memory now and at most, and the cgroup's highest usage (page cache it was charged included). */
  Map<String, Object> memory() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("VmRSS", Cpu.status(pid(), "VmRSS"));
    out.put("VmHWM", Cpu.status(pid(), "VmHWM"));
    if (cgroup != null) {
      try {
        out.put("cgroupMaxUsageBytes", Long.parseLong(Files.readString(cgroup.resolve("memory.max_usage_in_bytes"))
            .trim()));
        out.put("cgroupFailcnt", Long.parseLong(Files.readString(cgroup.resolve("memory.failcnt")).trim()));
      } catch (IOException | RuntimeException e) {
        // gone
      }
    }
    return out;
  }

  void stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
    if (cgroup != null) {
      MemoryCgroup.remove(cgroup);
    }
  }
}
