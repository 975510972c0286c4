package dev.atrium.webos.bench;

import dev.atrium.servicetesting.MemoryCgroup;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Webos from its runnable jar, a process of its own as its image runs it: the image's {@code JAVA_TOOL_OPTIONS}
 * (webos's pom, {@code atrium.image.java-tool-options}), the environment the operator sets, pinned to its own core
 * with taskset, in a memory cgroup (v1) with the pod's memory limit so the JVM sizes its heap as in the pod (else
 * {@code -XX:MaxRAM} stands for the limit).
 */
final class Gateway implements AutoCloseable {

  private final Process process;
  private final Path cgroup;
  private final int port;
  private final Path log;
  final double startupSeconds;
  final List<String> command;

  private Gateway(Process process, Path cgroup, int port, Path log, double startupSeconds, List<String> command) {
    this.process = process;
    this.cgroup = cgroup;
    this.port = port;
    this.log = log;
    this.startupSeconds = startupSeconds;
    this.command = command;
  }

  static Gateway start(Path jar, String javaToolOptions, long memoryLimit, String core, Map<String, String> env,
      int port, Path log, List<String> jvmFlags) throws Exception {
    Path cgroup = MemoryCgroup.create("atrium-webos-bench", memoryLimit);
    if (cgroup == null) {
      WebosBench.say("no memory cgroup (v1) to write to: -XX:MaxRAM stands for the pod's limit");
    }
    List<String> command = new ArrayList<>(List.of("taskset", "-c", core));
    if (cgroup != null) {
      // the shell puts itself into the cgroup, then becomes the JVM (same pid)
      command.addAll(List.of("sh", "-c", "echo $$ > \"$0\" && exec \"$@\"", MemoryCgroup.procs(cgroup).toString()));
    }
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    if (cgroup == null) {
      command.add("-XX:MaxRAM=" + memoryLimit);
    }
    command.addAll(jvmFlags);
    command.addAll(List.of("-XX:+PrintCommandLineFlags", "-jar", jar.toString()));
    ProcessBuilder builder = new ProcessBuilder(command);
    Map<String, String> environment = builder.environment();
    String path = environment.get("PATH");
    environment.clear();
    environment.put("PATH", path);
    environment.put("LANG", "C.UTF-8");
    environment.put("JAVA_TOOL_OPTIONS", javaToolOptions);
    environment.put("SERVER_PORT", Integer.toString(port));
    environment.putAll(env);
    Files.createDirectories(log.toAbsolutePath().getParent());
    builder.redirectErrorStream(true).redirectOutput(log.toFile());
    WebosBench.say("starting webos on 127.0.0.1:" + port + ", core " + core + ", " + (cgroup == null
        ? "-XX:MaxRAM=" + memoryLimit : "memory cgroup limit " + memoryLimit) + " bytes, log " + log);
    long start = System.nanoTime();
    Process process = builder.start();
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    long deadline = start + TimeUnit.MINUTES.toNanos(3);
    while (true) {
      try {
        if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness"))
            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          break;
        }
      } catch (IOException notYet) {
        // starting
      }
      if (!process.isAlive() || System.nanoTime() > deadline) {
        process.destroyForcibly();
        throw new IllegalStateException("webos did not become ready; see " + log);
      }
      Thread.sleep(200);
    }
    Gateway gateway = new Gateway(process, cgroup, port, log, (System.nanoTime() - start) / 1e9, command);
    WebosBench.say("  ready after " + WebosBench.round(gateway.startupSeconds) + " s");
    return gateway;
  }

  long pid() {
    return process.pid();
  }

  int port() {
    return port;
  }

  String memoryLimitBy() {
    return cgroup != null ? "a memory cgroup (v1)" : "-XX:MaxRAM";
  }

  /** The flags the JVM chose (its first line of output). */
  String jvmFlags() throws IOException {
    return Files.readAllLines(log).stream().filter(l -> l.startsWith("-XX:")).findFirst().orElse("");
  }

  @Override
  public void close() throws InterruptedException {
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
