package dev.atrium.webos;

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
 * Which feature package of webos may use which (service-testing's {@link Layering} rules). At the bottom: config,
 * the problems (web), the rate limits and the usage counts; the platform routes (gateway) on those; who is an
 * administrator (security) on the routes (identity's address); the load balancer on the routes; the apps' routes
 * and their admin API on everything below; the usage report (admin) on the counts and who is an administrator; the
 * app market (market) on the apps' routes, who is an administrator and the routes (identity's address); the portal
 * (its pages, sign-in and calls to the services) on the routes, who is an administrator, the usage report and the
 * market (its review page, and where the desktop's apps open).
 */
class LayeringTest {

  private static final String ROOT = "dev.atrium.webos";

  static final Map<String, Set<String>> ALLOWED = new TreeMap<>(Map.ofEntries(
      entry("config", Set.of()),
      entry("web", Set.of("config")),
      entry("ratelimit", Set.of("config")),
      entry("usage", Set.of()),
      entry("gateway", Set.of("config", "usage", "web")),
      entry("security", Set.of("config", "gateway")),
      entry("loadbalancing", Set.of("gateway")),
      entry("apps", Set.of("ratelimit", "security", "usage", "web")),
      entry("admin", Set.of("security", "usage")),
      entry("market", Set.of("apps", "gateway", "security")),
      entry("portal", Set.of("admin", "gateway", "market", "security"))));

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
