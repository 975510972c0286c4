package dev.atrium.operator;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import dev.atrium.operator.platform.CollaborationPlatformReconciler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The operator's layers, as an allow-list: every package says which of the operator's packages it may
 * use, and a package the list does not name fails the test until someone adds it with its allowance (as
 * Strimzi's import control does). Above that, the desired-state builders are pure: they touch no
 * Kubernetes client, no operator framework and nothing that writes, which keeps them unit-testable
 * without a cluster and keeps every API call in the reconcilers and the applier.
 */
class LayeringTest {

  private static final String ROOT = "dev.atrium.operator";
  private static final Set<String> COMPONENT_MODELS = Set.of("cache", "database", "identity", "messaging", "netdisk",
      "objectstore", "webos");

  /** Each package (relative to {@value #ROOT}; "" is the root) and the operator packages it may use besides itself. */
  static final Map<String, Set<String>> ALLOWED = allowed();

  private static Map<String, Set<String>> allowed() {
    Map<String, Set<String>> allowed = new java.util.TreeMap<>();
    // vocabulary: the components and their facts, names, labels, desired state, reasons
    allowed.put("model", Set.of());
    allowed.put("scaling", Set.of());
    allowed.put("release", Set.of("model"));
    allowed.put("upgrade", Set.of("model", "release"));
    // which components sleep (spec.hibernate): a decision on what the workloads show
    allowed.put("hibernation", Set.of("model"));
    // what every component's objects share, and the context they are built for
    allowed.put("workload", Set.of("model", "release", "scaling"));
    COMPONENT_MODELS.forEach(p -> allowed.put(p, Set.of("model", "workload", "release", "scaling")));
    // the message center's federation and netdisk's path decide what the front door routes and admits; the
    // database's backups what its pods reach
    allowed.put("network", Set.of("model", "workload", "messaging", "netdisk", "database"));
    // talking to the API server
    allowed.put("apply", Set.of());
    allowed.put("monitoring", Set.of());
    Set<String> platform = new TreeSet<>(Set.of("model", "workload", "release", "scaling", "upgrade", "hibernation",
        "network", "apply", "monitoring", "backup", "platformdata"));
    platform.addAll(COMPONENT_MODELS);
    allowed.put("platform", platform);
    allowed.put("policy", Set.of("model", "platform", "scaling"));
    // backups: when the schedule takes one and what the image's command says (pure), and the reconciler that runs it
    allowed.put("backup", Set.of("scaling"));
    allowed.put("platformbackup", Set.of("backup", "database", "model", "platform", "platformdata", "release"));
    // the platform's own data in a backup (secrets, buckets), sealed to the tenant's key: S3 and JOSE, no API server
    allowed.put("platformdata", Set.of());
    allowed.put("", Set.of("platform", "policy", "platformbackup", "monitoring", "model"));
    return Map.copyOf(allowed);
  }

  /** The packages whose classes compute desired state. */
  private static final List<String> BUILDERS = builders();

  private static List<String> builders() {
    List<String> builders = new ArrayList<>(List.of("model", "workload", "network", "release", "scaling", "upgrade",
        "hibernation", "backup"));
    builders.addAll(COMPONENT_MODELS);
    return builders.stream().map(p -> ROOT + "." + p + "..").toList();
  }

  private static final DescribedPredicate<JavaClass> DESIRED_STATE_BUILDERS =
      resideInAnyPackage(BUILDERS.toArray(String[]::new))
          .or(belongToAnyOf(dev.atrium.operator.platform.PlatformModel.class))
          .as("desired-state builders (component models, workload pieces, release catalog, PlatformModel)");

  private static final JavaClasses MAIN_CLASSES = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages(ROOT);

  private static ArchRule touchNoClient(DescribedPredicate<? super JavaClass> subjects) {
    return noClasses().that(subjects)
        .should().dependOnClassesThat().resideInAnyPackage(
            "io.fabric8.kubernetes.client..", "io.javaoperatorsdk..", ROOT + ".apply..")
        .orShould().dependOnClassesThat().belongToAnyOf(CollaborationPlatformReconciler.class)
        .because("desired state is computed purely from the platform; only the reconciler and the applier talk to "
            + "the API server");
  }

  /** The rule for one package: its classes use no operator package outside its allowance. */
  static ArchRule onlyAllowedDependencies(String pkg, Set<String> allowance) {
    String self = pkg.isEmpty() ? ROOT : ROOT + "." + pkg;
    List<String> permitted = new ArrayList<>();
    permitted.add(pkg.isEmpty() ? ROOT : self + "..");
    allowance.forEach(p -> permitted.add(ROOT + "." + p + ".."));
    DescribedPredicate<JavaClass> inPackage = pkg.isEmpty()
        ? DescribedPredicate.describe("in " + ROOT, c -> c.getPackageName().equals(ROOT))
        : resideInAnyPackage(self + "..");
    return classes().that(inPackage)
        .should().onlyDependOnClassesThat(resideOutsideOfPackage(ROOT + "..")
            .or(resideInAnyPackage(permitted.toArray(String[]::new))))
        .because(ROOT + (pkg.isEmpty() ? "" : "." + pkg) + " may use only " + allowance + " (LayeringTest.ALLOWED)");
  }

  /** Each package directly under the root, as the allow-list names it. */
  private static Set<String> packagesInUse() {
    return MAIN_CLASSES.stream().map(JavaClass::getPackageName)
        .map(p -> p.equals(ROOT) ? "" : p.substring(ROOT.length() + 1).split("\\.")[0])
        .collect(Collectors.toCollection(TreeSet::new));
  }

  @Test
  void everyPackageIsInTheAllowList() {
    assertThat(ALLOWED.keySet())
        .as("a new package needs an entry in LayeringTest.ALLOWED saying which packages it may use")
        .containsAll(packagesInUse());
  }

  @Test
  void everyPackageUsesOnlyWhatItIsAllowed() {
    ALLOWED.forEach((pkg, allowance) -> onlyAllowedDependencies(pkg, allowance).allowEmptyShould(true)
        .check(MAIN_CLASSES));
  }

  @Test
  void packagesFormNoCycle() {
    slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(MAIN_CLASSES);
  }

  @Test
  void desiredStateBuildersTouchNoClient() {
    touchNoClient(DESIRED_STATE_BUILDERS).check(MAIN_CLASSES);
  }

  @Test
  void theListNamesOnlyPackagesThatExist() {
    // a misspelt package would silently exempt its classes from the rules
    assertThat(packagesInUse()).containsAll(ALLOWED.keySet());
    assertThat(MAIN_CLASSES.that(DESIRED_STATE_BUILDERS)).extracting(JavaClass::getSimpleName)
        .contains("PlatformModel", "DesiredState", "StatelessService", "StatefulStore", "NetworkModel",
            "ReleaseCatalog", "PlatformContext", "Component")
        .doesNotContain("CollaborationPlatformReconciler", "ResourceApplier", "StatusAggregator");
  }

  @Test
  void rulesFailWhereTheDependenciesExist() {
    // the same rules applied where the dependencies exist must fail, or they would pass vacuously
    assertThatThrownBy(() -> touchNoClient(belongToAnyOf(CollaborationPlatformReconciler.class)).check(MAIN_CLASSES))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("io.fabric8.kubernetes.client")
        .hasMessageContaining("io.javaoperatorsdk")
        .hasMessageContaining(ROOT + ".apply");
    assertThatThrownBy(() -> onlyAllowedDependencies("platform", Set.of("model")).check(MAIN_CLASSES))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining(ROOT + ".apply.ResourceApplier");
    assertThatThrownBy(() -> onlyAllowedDependencies("network", Set.of("model", "workload")).check(MAIN_CLASSES))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("MessageCenterModel");
  }
}
