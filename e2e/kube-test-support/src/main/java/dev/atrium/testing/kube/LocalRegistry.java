package dev.atrium.testing.kube;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An OCI registry (distribution's {@code registry}, built by {@code hack/tools.sh}) on loopback, plain
 * HTTP, no authentication, with filesystem storage in a fresh temporary directory. It stands for an
 * air-gapped site's private registry: tests push images to it and a node pulls them by digest.
 *
 * <p>{@link #close()} stops the process (and any children) and removes the directory; the log is
 * copied under {@link Settings#keptLogsRoot()} when the start failed or {@link #markFailed()} was
 * called. A directory left by a JVM that died without closing is reaped by the next start.
 */
public final class LocalRegistry implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LocalRegistry.class);
  static final String WORKDIR_PREFIX = "atrium-registry-";
  static final String BINARY = "registry";
  static final String CONFIG_FILE = "config.yml";
  static final String LOG_FILE = "registry.log";
  static final String STORAGE_DIR = "storage";
  private static final int START_ATTEMPTS = 3;
  static final String LOOPBACK = "127.0.0.1";

  /**
   * How to start the registry.
   *
   * @param toolsBin directory with the binaries from hack/tools.sh
   * @param startTimeout how long one start may take until {@code GET /v2/} answers 200
   * @param keptLogsRoot where the log of a failed run is copied to
   */
  public record Settings(Path toolsBin, Duration startTimeout, Path keptLogsRoot) {

    public static final String LOGS_PROPERTY = "atrium.registry.logs";

    /** Reads -Datrium.tools.bin (or ATRIUM_TOOLS_BIN) and -Datrium.registry.logs. */
    public static Settings fromSystemProperties() {
      String bin = System.getProperty(LocalControlPlane.Settings.TOOLS_BIN_PROPERTY, System.getenv("ATRIUM_TOOLS_BIN"));
      if (bin == null || bin.isBlank()) {
        bin = ".tools/bin";
      }
      String logs = System.getProperty(LOGS_PROPERTY, "target/registry-logs");
      return new Settings(Path.of(bin).toAbsolutePath(), Duration.ofSeconds(60), Path.of(logs).toAbsolutePath());
    }
  }

  private final Settings settings;
  private final Path workdir;
  private final Process process;
  private final String address;
  private final int port;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Thread shutdownHook;
  private volatile boolean failed;

  private LocalRegistry(Settings settings, Path workdir, Process process, String address, int port) {
    this.address = address;
    this.settings = settings;
    this.workdir = workdir;
    this.process = process;
    this.port = port;
    this.shutdownHook = new Thread(this::close, "stop-" + workdir.getFileName());
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** Starts a registry with {@link Settings#fromSystemProperties()}. */
  public static LocalRegistry start() {
    return start(Settings.fromSystemProperties());
  }

  /** Starts a registry on loopback and waits until {@code GET /v2/} answers 200. */
  public static LocalRegistry start(Settings settings) {
    return start(settings, LOOPBACK);
  }

  /**
   * Starts a registry listening on {@code address} (an address of this machine) and waits until
   * {@code GET /v2/} answers 200; a real node reaches it at its veth's host address.
   */
  public static LocalRegistry start(Settings settings, String address) {
    Path binary = settings.toolsBin().resolve(BINARY);
    if (!Files.isExecutable(binary)) {
      throw new ClusterUnavailableException("The local registry needs " + BINARY + " in " + settings.toolsBin()
          + ", which is missing. Build it with hack/tools.sh (or point -D"
          + LocalControlPlane.Settings.TOOLS_BIN_PROPERTY + " at a directory that has it).");
    }
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    reapOrphans(tmp);
    Path workdir;
    try {
      workdir = Files.createTempDirectory(tmp, WORKDIR_PREFIX);
      WorkDirs.claim(workdir);
      Files.createDirectories(workdir.resolve(STORAGE_DIR));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a directory for the local registry", e);
    }
    Instant started = Instant.now();
    RuntimeException last = null;
    // the free port is found by binding and releasing it, so another process may take it first: retry
    for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
      int port = freePort(address);
      Process process = null;
      try {
        Files.writeString(workdir.resolve(CONFIG_FILE), config(workdir.resolve(STORAGE_DIR), address, port));
        ProcessBuilder builder = new ProcessBuilder(binary.toString(), "serve", workdir.resolve(CONFIG_FILE).toString())
            .directory(workdir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(workdir.resolve(LOG_FILE).toFile()));
        // no OpenTelemetry exporter trying to reach a collector
        builder.environment().put("OTEL_TRACES_EXPORTER", "none");
        process = builder.start();
        awaitReady(process, address, port, settings.startTimeout());
        LOG.info("Local registry is ready after {}ms at {}:{} ({})",
            Duration.between(started, Instant.now()).toMillis(), address, port, workdir);
        return new LocalRegistry(settings, workdir, process, address, port);
      } catch (IOException e) {
        last = new UncheckedIOException(e);
      } catch (RuntimeException e) {
        last = e;
      }
      if (process != null) {
        terminate(process);
      }
      LOG.warn("Local registry start {} of {} failed: {}", attempt, START_ATTEMPTS, last.getMessage());
    }
    Path kept = keepLog(workdir, settings.keptLogsRoot());
    WorkDirs.deleteRecursively(workdir);
    throw new ClusterUnavailableException("The local registry did not start: " + last.getMessage() + ". Log: " + kept,
        last);
  }

  /** The registry's configuration: filesystem storage, deletes enabled, plain HTTP on loopback, no auth. */
  static String config(Path storage, int port) {
    return config(storage, LOOPBACK, port);
  }

  /** The registry's configuration: filesystem storage, deletes enabled, plain HTTP on {@code address}, no auth. */
  static String config(Path storage, String address, int port) {
    return """
        version: 0.1
        log:
          level: info
          formatter: text
          accesslog:
            disabled: false
        storage:
          filesystem:
            rootdirectory: %s
          delete:
            enabled: true
          maintenance:
            uploadpurging:
              enabled: false
        http:
          addr: %s:%d
        """.formatted(storage.toAbsolutePath(), address, port);
  }

  /** {@code address:port} (loopback unless started on another address), as an image reference's registry part. */
  public String host() {
    return address + ":" + port;
  }

  /** {@code http://address:port}. */
  public URI url() {
    return URI.create("http://" + host());
  }

  public int port() {
    return port;
  }

  public Path workdir() {
    return workdir;
  }

  /** The registry's log while it runs (its standard output and error). */
  public Path logFile() {
    return workdir.resolve(LOG_FILE);
  }

  /** Keeps the log on {@link #close()}. */
  public void markFailed() {
    failed = true;
  }

  /** The registry and any process it started, while alive. */
  public List<ProcessHandle> processes() {
    return Stream.concat(Stream.of(process.toHandle()), process.descendants())
        .filter(LocalControlPlane::isRunning).toList();
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (Thread.currentThread() != shutdownHook) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException shuttingDown) {
        // the JVM is already exiting; the hook runs this method anyway
      }
    }
    terminate(process);
    if (failed) {
      Path kept = keepLog(workdir, settings.keptLogsRoot());
      LOG.warn("Kept the log of the local registry at {} in {}", host(), kept);
    }
    WorkDirs.deleteRecursively(workdir);
  }

  private static void awaitReady(Process process, String address, int port, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    URI v2 = URI.create("http://" + address + ":" + port + "/v2/");
    String lastProblem = "no answer";
    try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
      while (Instant.now().isBefore(deadline)) {
        if (!process.isAlive()) {
          throw new IllegalStateException("registry exited with " + process.exitValue());
        }
        try {
          HttpResponse<Void> response = http.send(HttpRequest.newBuilder(v2).timeout(Duration.ofSeconds(2)).GET().build(),
              HttpResponse.BodyHandlers.discarding());
          if (response.statusCode() == 200) {
            return;
          }
          lastProblem = "GET /v2/ answered " + response.statusCode();
        } catch (IOException e) {
          lastProblem = e.toString();
        }
        Thread.sleep(100);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the registry", e);
    }
    throw new IllegalStateException("GET " + v2 + " did not answer 200 within " + timeout.toSeconds() + "s ("
        + lastProblem + ")");
  }

  private static int freePort(String address) {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(address))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free port", e);
    }
  }

  /** Stops the process and its children: SIGTERM, then SIGKILL what is left after 10 seconds. */
  private static void terminate(Process process) {
    List<ProcessHandle> all = Stream.concat(process.descendants(), Stream.of(process.toHandle())).toList();
    WorkDirs.terminate(all);
  }

  private static Path keepLog(Path workdir, Path keptLogsRoot) {
    Path log = workdir.resolve(LOG_FILE);
    if (!Files.exists(log)) {
      return null;
    }
    try {
      Path target = keptLogsRoot.resolve(workdir.getFileName().toString());
      Files.createDirectories(target);
      Files.copy(log, target.resolve(LOG_FILE), StandardCopyOption.REPLACE_EXISTING);
      if (Files.exists(workdir.resolve(CONFIG_FILE))) {
        Files.copy(workdir.resolve(CONFIG_FILE), target.resolve(CONFIG_FILE), StandardCopyOption.REPLACE_EXISTING);
      }
      return target;
    } catch (IOException e) {
      LOG.warn("Could not keep the log of the local registry in {}: {}", workdir, e.toString());
      return null;
    }
  }

  /** Removes directories of registries whose JVM died without closing them, and kills their processes. */
  static void reapOrphans(Path tmp) {
    // the registry's command line names its config file in the directory
    WorkDirs.reapOrphans(tmp, WORKDIR_PREFIX, "local registry");
  }
}
