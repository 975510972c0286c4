package dev.atrium.netdisk.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrium.servicetesting.MigrationRules;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Netdisk's migrations only add (service-testing's {@link MigrationRules}), numbered without gaps. */
class MigrationRulesTest {

  static final Path MIGRATIONS = Path.of("src/main/resources/db/migration");

  @Test
  void everyMigrationOnlyAdds() throws IOException {
    List<Path> files = migrations();
    assertThat(files).isNotEmpty();
    for (Path file : files) {
      assertThat(MigrationRules.violations(file.getFileName().toString(), Files.readString(file)))
          .as(file.toString()).isEmpty();
    }
  }

  @Test
  void versionsAreNumberedWithoutGaps() throws IOException {
    List<Integer> versions = migrations().stream()
        .map(p -> p.getFileName().toString())
        .peek(name -> assertThat(name).matches("V\\d+__[a-z0-9_]+\\.sql"))
        .map(name -> Integer.parseInt(name.substring(1, name.indexOf("__"))))
        .sorted().toList();
    for (int i = 0; i < versions.size(); i++) {
      assertThat(versions.get(i)).isEqualTo(i + 1);
    }
  }

  private static List<Path> migrations() throws IOException {
    try (Stream<Path> files = Files.list(MIGRATIONS)) {
      return files.filter(p -> p.toString().endsWith(".sql")).sorted().toList();
    }
  }
}
