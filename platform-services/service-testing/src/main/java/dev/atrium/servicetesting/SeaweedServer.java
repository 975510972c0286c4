package dev.atrium.servicetesting;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A real object store: SeaweedFS's {@code weed server} (master, volume server, filer and S3 gateway in one
 * process, as each object-store pod runs it) on free loopback ports, its data, metadata and log in a fresh
 * directory under java.io.tmpdir that {@link #close()} deletes. The S3 gateway accepts one generated key pair,
 * written to weed's identity file as the image's entrypoint writes it. The filer keeps its metadata in its
 * default embedded store here, not in PostgreSQL: what the services see is the S3 API, which is the same.
 */
public final class SeaweedServer implements AutoCloseable {

  static final String PREFIX = "atrium-weed-";
  public static final String REGION = "us-east-1";

  private final Path bin;
  private final Path dir;
  private final String accessKey = "it" + UUID.randomUUID().toString().replace("-", "").substring(0, 14);
  private final String secretKey = UUID.randomUUID().toString().replace("-", "");
  private final int s3Port = FreePort.pick();
  /** gRPC ports of the master, volume server, filer and S3 gateway, in that order. */
  private final List<Integer> grpcPorts = List.of(FreePort.pick(), FreePort.pick(), FreePort.pick(), FreePort.pick());
  private Process process;

  private SeaweedServer(Path bin, Path dir) {
    this.bin = bin;
    this.dir = dir;
  }

  public static SeaweedServer start() {
    Path bin = ServerBinaries.weed().locate();
    ScratchDir.reapOrphans(PREFIX, orphan -> Processes.killRecorded(orphan, "weed.pid"));
    SeaweedServer server = new SeaweedServer(bin, ScratchDir.create(PREFIX));
    try {
      server.startServer();
      return server;
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
  }

  private void startServer() {
    try {
      Files.createDirectories(dir.resolve("master"));
      Files.createDirectories(dir.resolve("volume"));
      Files.writeString(dir.resolve("s3.json"), "{\"identities\":[{\"name\":\"atrium\",\"credentials\":[{\"accessKey\":\""
          + accessKey + "\",\"secretKey\":\"" + secretKey + "\"}],\"actions\":[\"Admin\",\"Read\",\"List\",\"Tagging\","
          + "\"Write\"]}]}");
      List<String> command = new ArrayList<>(List.of(bin.resolve("weed").toString(), "-logtostderr=true", "server",
          "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
          "-master.port=" + FreePort.pick(), "-master.port.grpc=" + grpcPorts.get(0),
          "-master.dir=" + dir.resolve("master"), "-master.volumeSizeLimitMB=64", "-master.telemetry=false",
          "-dir=" + dir.resolve("volume"), "-volume.max=0",
          "-volume.port=" + FreePort.pick(), "-volume.port.grpc=" + grpcPorts.get(1),
          "-filer=true", "-filer.port=" + FreePort.pick(), "-filer.port.grpc=" + grpcPorts.get(2),
          "-filer.localSocket=" + dir.resolve("filer.sock"),
          "-s3=true", "-s3.port=" + s3Port, "-s3.port.grpc=" + grpcPorts.get(3),
          "-s3.localSocket=" + dir.resolve("s3.sock"),
          "-s3.config=" + dir.resolve("s3.json"),
          "-s3.port.iceberg=0", "-s3.port.lance=0", "-s3.iam=false"));
      // the filer's embedded store is created in the working directory
      process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
          .redirectOutput(log().toFile()).start();
      Files.writeString(dir.resolve("weed.pid"), Long.toString(process.pid()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start weed in " + dir, e);
    }
    Process started = process;
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    try {
      // the gateway answers its health check once its filer is up; the first write may still wait for the volume
      // server to register with the master, which clients retry
      Awaitility.await("weed's S3 gateway on port " + s3Port).atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> !started.isAlive() || healthy(http));
    } catch (ConditionTimeoutException e) {
      started.destroyForcibly();
    }
    if (!started.isAlive()) {
      throw new IllegalStateException("weed's S3 gateway did not come up on port " + s3Port + Processes.tail(log()));
    }
  }

  private boolean healthy(HttpClient http) {
    try {
      HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(endpoint() + "/healthz"))
          .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
      return response.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The S3 endpoint, {@code http://127.0.0.1:<port>}. */
  public String endpoint() {
    return "http://127.0.0.1:" + s3Port;
  }

  public String accessKey() {
    return accessKey;
  }

  public String secretKey() {
    return secretKey;
  }

  /** Where the volume server keeps its data (to count what is stored on disk). */
  public Path dataDir() {
    return dir.resolve("volume");
  }

  @Override
  public void close() {
    if (process != null) {
      Processes.stop(process);
      process = null;
    }
    ScratchDir.delete(dir);
    // weed puts a unix socket per gRPC service in /tmp whatever TMPDIR says, and leaves them after a stop
    for (int i = 0; i < GRPC_SERVICES.size(); i++) {
      try {
        Files.deleteIfExists(Path.of("/tmp", "seaweedfs-" + GRPC_SERVICES.get(i) + "-grpc-" + grpcPorts.get(i)
            + ".sock"));
      } catch (IOException e) {
        // not ours to worry about
      }
    }
  }

  private static final List<String> GRPC_SERVICES = List.of("master", "volume", "filer", "s3");

  private Path log() {
    return dir.resolve("weed.log");
  }
}
