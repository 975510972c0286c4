package dev.atrium.identity;

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
 * Which feature package of identity may use which (the rules are service-testing's {@link Layering}). At the
 * bottom: config, audit and security (only who the caller is); then the directory, keys, apps and devices; the
 * login and the LDAP sync on the directory; the authorization server and the person's own API on top.
 */
class LayeringTest {

  private static final String ROOT = "dev.atrium.identity";

  static final Map<String, Set<String>> ALLOWED = new TreeMap<>(Map.ofEntries(
      entry("config", Set.of()),
      entry("security", Set.of()),
      entry("audit", Set.of()),
      entry("keys", Set.of("audit", "config", "security")),
      entry("directory", Set.of("audit", "config", "security")),
      entry("apps", Set.of("audit", "config", "directory", "security")),
      entry("devices", Set.of("apps", "audit", "directory", "security")),
      entry("hybrid", Set.of("audit", "config", "directory")),
      entry("login", Set.of("audit", "config", "directory", "hybrid", "keys")),
      entry("ldap", Set.of("audit", "directory", "security")),
      entry("me", Set.of("apps", "audit", "config", "directory", "keys", "login", "security")),
      entry("authserver", Set.of("apps", "audit", "config", "devices", "directory", "keys", "security"))));

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
