package dev.atrium.servicetesting;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server from the Debian package, in a fresh directory under java.io.tmpdir: initdb, then
 * pg_ctl start on a random free loopback port with its unix socket in that directory. Durability is off
 * (fsync, synchronous_commit): the data lives as long as the test run. {@link #close()} stops the server and
 * deletes the directory; a run whose JVM died is cleaned up by the next {@link #start()}.
 */
public final class PostgresServer implements AutoCloseable {

  static final String PREFIX = "atrium-pg-";
  /** PostgreSQL refuses to run as root; as root the server runs as the package's system user. */
  static final String SYSTEM_USER = "postgres";
  public static final String SUPERUSER = "postgres";

  private final Path bin;
  private final Path dir;
  private int port;

  private PostgresServer(Path bin, Path dir) {
    this.bin = bin;
    this.dir = dir;
  }

  public static PostgresServer start() {
    Path bin = ServerBinaries.postgres().locate();
    ScratchDir.reapOrphans(PREFIX, orphan -> stopQuietly(bin, orphan));
    PostgresServer server = new PostgresServer(bin, ScratchDir.create(PREFIX));
    try {
      server.initdb();
      server.port = FreePort.pick();
      server.startServer();
      return server;
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
  }

  private void initdb() {
    if (Processes.isRoot()) {
      chownToSystemUser();
    }
    Processes.run(Processes.asUser(SYSTEM_USER, List.of(bin.resolve("initdb").toString(), "-D", data().toString(),
        "-U", SUPERUSER, "-A", "trust", "-E", "UTF8", "--no-sync", "--no-instructions")), null, 120);
  }

  /** Starts the (stopped) server again, on the port it had. */
  public void startServer() {
    List<String> command = new ArrayList<>(List.of(bin.resolve("pg_ctl").toString(), "-D", data().toString(),
        "-l", log().toString(), "-w", "-t", "60", "-o",
        "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off"
            + " -c full_page_writes=off -c max_connections=300", "start"));
    Processes.run(Processes.asUser(SYSTEM_USER, command), log(), 90);
  }

  /** Stops the server and keeps its data (a database outage); {@link #startServer()} brings it back. */
  public void stopServer() {
    Processes.run(Processes.asUser(SYSTEM_USER, List.of(bin.resolve("pg_ctl").toString(), "-D", data().toString(),
        "-m", "fast", "-w", "stop")), log(), 60);
  }

  public int port() {
    return port;
  }

  public Path socketDirectory() {
    return dir;
  }

  public String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  /** Creates an empty database owned by the superuser. */
  public void createDatabase(String name) {
    if (!name.matches("[a-z][a-z0-9_]*")) {
      throw new IllegalArgumentException("database names here are lower-case identifiers: " + name);
    }
    try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"), SUPERUSER, "");
         Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create database " + name + " on " + jdbcUrl("postgres"), e);
    }
  }

  @Override
  public void close() {
    stopQuietly(bin, dir);
    ScratchDir.delete(dir);
  }

  private Path data() {
    return dir.resolve("data");
  }

  private Path log() {
    return dir.resolve("postgres.log");
  }

  private static void stopQuietly(Path bin, Path dir) {
    if (!Files.exists(dir.resolve("data").resolve("postmaster.pid"))) {
      return;
    }
    try {
      Processes.run(Processes.asUser(SYSTEM_USER, List.of(bin.resolve("pg_ctl").toString(), "-D",
          dir.resolve("data").toString(), "-m", "immediate", "-w", "stop")), null, 60);
    } catch (RuntimeException e) {
      // already stopped
    }
  }

  private void chownToSystemUser() {
    try (Stream<Path> files = Files.walk(dir)) {
      UserPrincipal owner = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(SYSTEM_USER);
      for (Path p : files.toList()) {
        Files.setOwner(p, owner);
      }
    } catch (java.nio.file.attribute.UserPrincipalNotFoundException e) {
      throw new ServerBinaries.MissingServerBinariesException("running as root, PostgreSQL must run as the system"
          + " user '" + SYSTEM_USER + "', which does not exist: install the server with `"
          + ServerBinaries.postgres().install() + "` (it creates the user), or run the tests as another user");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot hand " + dir + " to " + SYSTEM_USER, e);
    }
  }
}
