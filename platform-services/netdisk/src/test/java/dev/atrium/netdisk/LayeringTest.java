package dev.atrium.netdisk;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.atrium.servicetesting.Layering;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Which feature package of netdisk may use which (service-testing's {@link Layering} rules). At the bottom: config,
 * audit, the object store and the event outbox; spaces (who may do what) on those; files and folders on spaces;
 * uploads, shares, comments and search on files.
 */
class LayeringTest {

  private static final String ROOT = "dev.atrium.netdisk";

  static final Map<String, Set<String>> ALLOWED = new TreeMap<>(Map.ofEntries(
      entry("config", Set.of()),
      entry("audit", Set.of()),
      entry("security", Set.of("config")),
      entry("web", Set.of("config")),
      entry("storage", Set.of("config")),
      entry("event", Set.of("config")),
      entry("space", Set.of("audit", "config")),
      entry("file", Set.of("audit", "config", "space", "storage")),
      entry("upload", Set.of("audit", "config", "event", "file", "space", "storage")),
      entry("share", Set.of("audit", "config", "event", "file", "space")),
      entry("comment", Set.of("audit", "config", "event", "file", "space")),
      entry("search", Set.of("audit", "file", "space"))));

  private static final JavaClasses MAIN_CLASSES = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages(ROOT);

  @Test
  void featurePackagesFormNoCycle() {
    Layering.noCyclesBetweenPackagesUnder(ROOT).check(MAIN_CLASSES);
  }

  @Test
  void featurePackagesDependOnlyOnWhatTheAllowListGrants() {
    Layering.onlyAllowedDependencies(ROOT, ALLOWED).check(MAIN_CLASSES);
  }

  @Test
  void allowListNamesPackagesThatExistAndDependenciesThatAreUsed() {
    assertThat(Layering.staleEntries(ROOT, MAIN_CLASSES, ALLOWED)).as("stale entries in LayeringTest.ALLOWED")
        .isEmpty();
  }
}
