package dev.atrium.servicetesting;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A real Redis server from the Debian package: redis-server on a random free loopback port, no persistence,
 * in a fresh directory under java.io.tmpdir that {@link #close()} deletes.
 */
public final class RedisServer implements AutoCloseable {

  static final String PREFIX = "atrium-redis-";

  private final Path bin;
  private final Path dir;
  private final int port;
  private Process process;

  private RedisServer(Path bin, Path dir, int port) {
    this.bin = bin;
    this.dir = dir;
    this.port = port;
  }

  public static RedisServer start() {
    Path bin = ServerBinaries.redis().locate();
    ScratchDir.reapOrphans(PREFIX, RedisServer::killRecorded);
    RedisServer server = new RedisServer(bin, ScratchDir.create(PREFIX), FreePort.pick());
    try {
      server.startServer();
      return server;
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
  }

  /** Starts the (stopped) server again, on the port it had. */
  public synchronized void startServer() {
    try {
      // set-proc-title no: the command line keeps the config path, which tells this server apart from others
      Files.writeString(config(), String.join("\n", "port " + port, "bind 127.0.0.1", "protected-mode no",
          "save \"\"", "appendonly no", "dir " + dir, "pidfile " + dir.resolve("redis.pid"),
          "logfile " + log(), "daemonize no", "set-proc-title no", ""));
      process = new ProcessBuilder(bin.resolve("redis-server").toString(), config().toString())
          .redirectErrorStream(true).redirectOutput(dir.resolve("redis.out").toFile()).start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start redis-server in " + dir, e);
    }
    Process started = process;
    try {
      Awaitility.await("redis-server answering PING on port " + port).atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> answersPing() || !started.isAlive());
    } catch (ConditionTimeoutException e) {
      started.destroyForcibly();
    }
    if (!started.isAlive()) {
      throw new IllegalStateException("redis-server did not come up on port " + port + Processes.tail(log()));
    }
  }

  /** Stops the server (a broker outage); {@link #startServer()} brings it back, empty. */
  public synchronized void stopServer() {
    if (process == null) {
      return;
    }
    Processes.stop(process);
    process = null;
  }

  public int port() {
    return port;
  }

  @Override
  public void close() {
    stopServer();
    ScratchDir.delete(dir);
  }

  private boolean answersPing() {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(1000);
      OutputStream out = socket.getOutputStream();
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] reply = in.readNBytes(7);
      return new String(reply, StandardCharsets.US_ASCII).equals("+PONG\r\n");
    } catch (IOException e) {
      return false;
    }
  }

  private Path config() {
    return dir.resolve("redis.conf");
  }

  private Path log() {
    return dir.resolve("redis.log");
  }

  private static void killRecorded(Path orphanDir) {
    Processes.killRecorded(orphanDir, "redis.pid");
  }
}
