package dev.atrium.messagecenter.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrium.servicetesting.MigrationRules;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MigrationRulesTest {

  static final Path MIGRATIONS = Path.of("src/main/resources/db/migration");

  @Test
  void migrationsOnlyAddAndAreNumberedWithoutGaps() {
    assertThat(MigrationRules.check(MIGRATIONS)).isEmpty();
  }

  @Test
  void aGapInTheVersionsOrABadNameIsReported(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("V1__first.sql"), "CREATE TABLE a (id int);");
    Files.writeString(dir.resolve("V3__third.sql"), "CREATE TABLE c (id int);");
    Files.writeString(dir.resolve("v4-Bad.sql"), "CREATE TABLE d (id int);");
    assertThat(MigrationRules.check(dir)).containsExactly("v4-Bad.sql is not named V<n>__<lower_case_words>.sql",
        "versions [1, 3] are not 1, 2, 3, ... without gaps");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "ALTER TABLE message DROP COLUMN body;",
      "drop table conversation;",
      "ALTER TABLE message RENAME COLUMN body TO text;",
      "ALTER TABLE message ALTER COLUMN seq TYPE int;",
      "ALTER TABLE message ALTER COLUMN body SET NOT NULL;",
      "ALTER TABLE message ADD COLUMN edited boolean NOT NULL;",
      "ALTER TABLE message ADD edited boolean NOT NULL;",
      "DELETE FROM message;"})
  void refusesWhatBreaksThePreviousRelease(String sql) {
    assertThat(MigrationRules.violations("V9__change.sql", sql)).hasSize(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "CREATE TABLE todo (id uuid PRIMARY KEY, title text NOT NULL);",
      "ALTER TABLE message ADD COLUMN edited boolean NOT NULL DEFAULT false;",
      "ALTER TABLE message ADD COLUMN reply_to uuid;",
      "CREATE INDEX message_by_sender ON message (sender_id);",
      "-- we never DROP TABLE here\nCREATE TABLE x (id int);",
      "CREATE TABLE u (kind text CHECK (kind IN ('RENAME', 'DROP TABLE', 'it''s DELETE FROM')));"})
  void acceptsWhatOnlyAdds(String sql) {
    assertThat(MigrationRules.violations("V9__change.sql", sql)).isEmpty();
  }

  @Test
  void contractMigrationsMayRemove() {
    assertThat(MigrationRules.violations("V12__contract_drop_old_body.sql", "ALTER TABLE m DROP COLUMN old;"))
        .isEmpty();
  }

  /** The service's migrations, in order (MigrationsIT applies them one by one). */
  static List<Path> migrations() throws IOException {
    try (Stream<Path> files = Files.list(MIGRATIONS)) {
      return files.filter(p -> p.toString().endsWith(".sql")).sorted().toList();
    }
  }
}
