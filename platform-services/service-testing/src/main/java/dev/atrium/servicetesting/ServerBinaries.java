package dev.atrium.servicetesting;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds the server binaries the integration tests run (PostgreSQL's initdb/pg_ctl, redis-server) and,
 * when they are missing, says which Debian package installs them.
 *
 * <p>Search order: the directory named by the system property (or its environment variable), then the
 * fixed candidate directories (for PostgreSQL every {@code /usr/lib/postgresql/<major>/bin}, newest first),
 * then {@code PATH}.
 */
public record ServerBinaries(String what, List<String> executables, String property, String envVariable,
    String install, List<Path> candidateDirs, List<Path> pathDirs) {

  /** PostgreSQL 15 (or newer) server binaries. */
  public static ServerBinaries postgres() {
    return new ServerBinaries("PostgreSQL server", List.of("initdb", "pg_ctl", "postgres"), "atrium.postgres.bin",
        "ATRIUM_POSTGRES_BIN", "apt-get install -y postgresql-15", postgresVersionDirs(Path.of("/usr/lib/postgresql")), systemPath());
  }

  /** The Redis server. */
  public static ServerBinaries redis() {
    return new ServerBinaries("Redis server", List.of("redis-server"), "atrium.redis.bin", "ATRIUM_REDIS_BIN",
        "apt-get install -y redis-server", List.of(Path.of("/usr/bin"), Path.of("/usr/local/bin")), systemPath());
  }

  /**
   * OpenLDAP's server. Only slapd itself: {@link SlapdServer} writes its entries over LDAP from Java, so the
   * client tools (ldap-utils) are not needed; its mdb backend module comes with the same package.
   */
  public static ServerBinaries slapd() {
    return new ServerBinaries("OpenLDAP server", List.of("slapd"), "atrium.slapd.bin", "ATRIUM_SLAPD_BIN",
        "apt-get install -y slapd",
        List.of(Path.of("/usr/sbin"), Path.of("/usr/local/sbin"), Path.of("/usr/libexec")), systemPath());
  }

  /**
   * SeaweedFS's weed, the object store's server: built from its Go module by {@code hack/tools.sh} into the
   * repository's {@code .tools/bin} (found from the working directory upwards), or on {@code PATH}.
   */
  public static ServerBinaries weed() {
    List<Path> candidates = new ArrayList<>();
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      candidates.add(dir.resolve(".tools/bin"));
    }
    return new ServerBinaries("SeaweedFS weed", List.of("weed"), "atrium.weed.bin", "ATRIUM_WEED_BIN",
        "hack/tools.sh (it builds weed from its Go module)", candidates, systemPath());
  }

  /** The directory holding every executable, or an exception whose message says how to install them. */
  public Path locate() {
    return locate(Optional.ofNullable(System.getProperty(property)).orElse(System.getenv(envVariable)));
  }

  /** As {@link #locate()}, with the configured directory given (null: none). */
  Path locate(String configured) {
    if (configured != null && !configured.isBlank()) {
      Path dir = Path.of(configured);
      if (!holdsAll(dir)) {
        throw new MissingServerBinariesException(what + ": " + property + "/" + envVariable + " names " + dir
            + ", which does not hold all of " + executables + ". Point it at the right directory, or unset it and"
            + " install the server with `" + install + "`.");
      }
      return dir;
    }
    List<Path> searched = new ArrayList<>(candidateDirs);
    searched.addAll(pathDirs);
    return searched.stream().filter(this::holdsAll).findFirst().orElseThrow(() -> new MissingServerBinariesException(
        what + " binaries " + executables + " not found (searched " + searched + "). The integration tests start a"
            + " real server: install it with `" + install + "`, or set -D" + property
            + "=<dir> (or " + envVariable + ") to a directory that holds them."));
  }

  public Path executable(String name) {
    return locate().resolve(name);
  }

  private boolean holdsAll(Path dir) {
    return executables.stream().allMatch(name -> Files.isExecutable(dir.resolve(name)));
  }

  static List<Path> postgresVersionDirs(Path root) {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> versions = Files.list(root)) {
      return versions.filter(p -> p.getFileName().toString().matches("\\d+"))
          .sorted(Comparator.comparingInt((Path p) -> Integer.parseInt(p.getFileName().toString())).reversed())
          .map(p -> p.resolve("bin"))
          .toList();
    } catch (java.io.IOException e) {
      return List.of();
    }
  }

  private static List<Path> systemPath() {
    String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
    return Stream.of(path.split(java.io.File.pathSeparator)).filter(s -> !s.isBlank()).map(Path::of).toList();
  }

  /** The servers the tests need are not installed. */
  public static final class MissingServerBinariesException extends IllegalStateException {
    public MissingServerBinariesException(String message) {
      super(message);
    }
  }
}
