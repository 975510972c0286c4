package dev.atrium.servicetesting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerBinariesTest {

  @TempDir
  Path tmp;

  @Test
  void missingPostgresNamesTheAptPackage() {
    ServerBinaries postgres = withDirs(ServerBinaries.postgres(), List.of(tmp.resolve("none")));

    assertThatThrownBy(() -> postgres.locate(null))
        .isInstanceOf(ServerBinaries.MissingServerBinariesException.class)
        .hasMessageContaining("apt-get install -y postgresql-15")
        .hasMessageContaining("initdb")
        .hasMessageContaining("-Datrium.postgres.bin");
  }

  @Test
  void missingRedisNamesTheAptPackage() {
    ServerBinaries redis = withDirs(ServerBinaries.redis(), List.of(tmp));

    assertThatThrownBy(() -> redis.locate(null)).hasMessageContaining("apt-get install -y redis-server");
  }

  @Test
  void aDirectoryWithOnlySomeExecutablesDoesNotCount() throws IOException {
    executable(tmp.resolve("initdb"));
    ServerBinaries postgres = withDirs(ServerBinaries.postgres(), List.of(tmp));

    assertThatThrownBy(() -> postgres.locate(null)).hasMessageContaining("not found");
  }

  @Test
  void findsTheDirectoryHoldingEveryExecutable() throws IOException {
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    for (String name : List.of("initdb", "pg_ctl", "postgres")) {
      executable(bin.resolve(name));
    }
    ServerBinaries postgres = withDirs(ServerBinaries.postgres(), List.of(tmp, bin));

    assertThat(postgres.locate(null)).isEqualTo(bin);
  }

  @Test
  void newestPostgresMajorFirst() throws IOException {
    for (String version : List.of("9", "15", "13", "notes")) {
      Files.createDirectories(tmp.resolve(version));
    }

    assertThat(ServerBinaries.postgresVersionDirs(tmp))
        .containsExactly(tmp.resolve("15/bin"), tmp.resolve("13/bin"), tmp.resolve("9/bin"));
  }

  @Test
  void aConfiguredDirectoryMustHoldThem() {
    assertThatThrownBy(() -> ServerBinaries.redis().locate(tmp.toString()))
        .hasMessageContaining("atrium.redis.bin/ATRIUM_REDIS_BIN names " + tmp)
        .hasMessageContaining("apt-get install -y redis-server");
  }

  private static ServerBinaries withDirs(ServerBinaries binaries, List<Path> dirs) {
    return new ServerBinaries(binaries.what(), binaries.executables(), binaries.property(), binaries.envVariable(),
        binaries.install(), dirs, List.of());
  }

  private static void executable(Path file) throws IOException {
    Files.writeString(file, "#!/bin/sh\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }
}
