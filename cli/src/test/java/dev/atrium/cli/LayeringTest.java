package dev.atrium.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The packages of docs/architecture.md's table for cli/: no cycles, the registry knows nothing of bundles. */
class LayeringTest {

  private static final JavaClasses MAIN = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.atrium.cli");

  @Test
  void thePackagesFormNoCycle() {
    slices().matching("dev.atrium.cli.(*)..").should().beFreeOfCycles().check(MAIN);
  }

  @Test
  void theRegistryPackageUsesNoOtherPackageOfTheCommandLine() {
    noClasses().that().resideInAPackage("dev.atrium.cli.registry..").should().dependOnClassesThat()
        .resideInAnyPackage("dev.atrium.cli", "dev.atrium.cli.bundle..").check(MAIN);
  }

  @Test
  void onlyTheRegistryPackageTalksToTheRegistryLibrary() {
    noClasses().that().resideOutsideOfPackage("dev.atrium.cli.registry..").should().dependOnClassesThat()
        .resideInAPackage("land.oras..").check(MAIN);
  }
}
