package dev.atrium.webos.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrium.servicetesting.MigrationRules;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Webos's migrations only add (service-testing's {@link MigrationRules}), numbered without gaps. */
class MigrationRulesTest {

  @Test
  void migrationsOnlyAddAndAreNumberedWithoutGaps() {
    assertThat(MigrationRules.check(Path.of("src/main/resources/db/migration"))).isEmpty();
  }
}
