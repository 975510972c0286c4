package dev.atrium.operator;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import dev.atrium.operator.platform.CollaborationPlatformReconciler;
import dev.atrium.operator.platform.PlatformModel;
import org.junit.jupiter.api.Test;

/**
 * The desired-state builders are pure functions of the platform: they touch no Kubernetes client,
 * no operator framework and nothing that writes. That keeps them unit-testable without a cluster
 * and keeps every API call in the reconciler and the applier.
 */
class LayeringTest {

  /** The component models and what they are built from. */
  private static final String[] BUILDER_PACKAGES = {
      "dev.atrium.operator.model..",
      "dev.atrium.operator.workload..",
      "dev.atrium.operator.identity..",
      "dev.atrium.operator.webos..",
      "dev.atrium.operator.messaging..",
      "dev.atrium.operator.netdisk..",
      "dev.atrium.operator.database..",
      "dev.atrium.operator.cache..",
      "dev.atrium.operator.objectstore..",
      "dev.atrium.operator.network..",
      "dev.atrium.operator.release..",
      "dev.atrium.operator.scaling..",
      "dev.atrium.operator.upgrade..",
  };

  private static final DescribedPredicate<JavaClass> DESIRED_STATE_BUILDERS =
      resideInAnyPackage(BUILDER_PACKAGES).or(belongToAnyOf(PlatformModel.class))
          .as("desired-state builders (component models, workload pieces, release catalog, PlatformModel)");

  private static final JavaClasses MAIN_CLASSES = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("dev.atrium.operator");

  private static ArchRule touchNoClient(DescribedPredicate<? super JavaClass> subjects) {
    return noClasses().that(subjects)
        .should().dependOnClassesThat().resideInAnyPackage(
            "io.fabric8.kubernetes.client..", "io.javaoperatorsdk..", "dev.atrium.operator.apply..")
        .orShould().dependOnClassesThat().belongToAnyOf(CollaborationPlatformReconciler.class)
        .because("desired state is computed purely from the platform; only the reconciler and the applier talk to "
            + "the API server");
  }

  @Test
  void desiredStateBuildersTouchNoClient() {
    touchNoClient(DESIRED_STATE_BUILDERS).check(MAIN_CLASSES);
  }

  @Test
  void ruleCoversEveryBuilderPackage() {
    // a misspelt package would silently exempt its classes from the rule
    for (String pkg : BUILDER_PACKAGES) {
      assertThat(MAIN_CLASSES.that(resideInAnyPackage(pkg))).as(pkg).isNotEmpty();
    }
    assertThat(MAIN_CLASSES.that(DESIRED_STATE_BUILDERS)).extracting(JavaClass::getSimpleName)
        .contains("PlatformModel", "DesiredState", "StatelessService", "StatefulStore", "NetworkModel",
            "ReleaseCatalog")
        .doesNotContain("CollaborationPlatformReconciler", "ResourceApplier", "StatusAggregator");
  }

  @Test
  void ruleFailsForClassesThatDoTouchTheClient() {
    // the same rule applied where the dependencies exist must fail, or it would pass vacuously
    assertThatThrownBy(() -> touchNoClient(belongToAnyOf(CollaborationPlatformReconciler.class)).check(MAIN_CLASSES))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("io.fabric8.kubernetes.client")
        .hasMessageContaining("io.javaoperatorsdk")
        .hasMessageContaining("dev.atrium.operator.apply");
    assertThatThrownBy(() -> touchNoClient(belongToAnyOf(Main.class)).check(MAIN_CLASSES))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining(CollaborationPlatformReconciler.class.getName());
  }
}
