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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The message center as its own process (its runnable jar, as the image runs it), configured as the operator
 * configures it, trusting the issuer and JWKS it is given (identity's, or a {@link TestIssuer}'s). The jar's path
 * is the system property {@code atrium.message-center.jar}: a service's pom copies it there before its ITs.
 */
public final class MessageCenterProcess implements AutoCloseable {

  private final Process process;
  private final int port;
  private final Path log;

  private MessageCenterProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  public static MessageCenterProcess start(PostgresServer postgres, String database, RedisServer redis,
      String issuer, String jwksUri) {
    return start(postgres, database, redis, issuer, jwksUri, FreePort.pick());
  }

  /** As above, on a port chosen before (a client configured with it before the message center is up). */
  public static MessageCenterProcess start(PostgresServer postgres, String database, RedisServer redis,
      String issuer, String jwksUri, int port) {
    Path jar = Path.of(System.getProperty("atrium.message-center.jar", "target/it-services/message-center.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("the message center's jar is not at " + jar + ": run the ITs through Maven"
          + " (its pre-integration-test phase copies it), after building platform-services/message-center");
    }
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-jar", jar.toString(),
        "--server.port=" + port,
        "--spring.datasource.url=" + postgres.jdbcUrl(database),
        "--spring.datasource.username=" + PostgresServer.SUPERUSER,
        "--spring.datasource.password=",
        "--spring.data.redis.host=127.0.0.1",
        "--spring.data.redis.port=" + redis.port(),
        "--ATRIUM_IDENTITY_ISSUER=" + issuer,
        "--ATRIUM_IDENTITY_JWKS_URI=" + jwksUri,
        "--ATRIUM_PLATFORM=it",
        "--logging.level.root=WARN"));
    try {
      Path log = Files.createTempFile("atrium-message-center-", ".log");
      Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      MessageCenterProcess started = new MessageCenterProcess(process, port, log);
      started.awaitReady(Duration.ofSeconds(90));
      return started;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  private void awaitReady(Duration timeout) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the message center exited with " + process.exitValue() + ":\n" + tail());
      }
      try {
        HttpResponse<Void> response = http.send(HttpRequest.newBuilder(uri("/actuator/health/readiness"))
            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    close();
    throw new IllegalStateException("the message center was not ready within " + timeout + ":\n" + tail());
  }

  private String tail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    try {
      Files.deleteIfExists(log);
    } catch (IOException e) {
      // a temporary file
    }
  }
}
