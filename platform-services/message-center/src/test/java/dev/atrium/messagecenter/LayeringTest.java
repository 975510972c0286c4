package dev.atrium.messagecenter;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Which feature package of the message center may use which. The packages form no cycle, and each depends only
 * on the packages {@link #ALLOWED} grants it: a dependency it does not grant fails, and so does a package it
 * does not list, so whoever adds a package decides where it sits.
 */
class LayeringTest {

  private static final String ROOT = "dev.atrium.messagecenter";

  /**
   * Each package under {@value #ROOT} and the packages it may depend on. Dependencies point from the features
   * down to what they build on: web and config at the bottom, then security, push and federation.
   * Conversation uses federation (the trust list, the outbox); federation reaches conversation only through
   * its own interface {@code FederatedInbox}, never the reverse. Unread only reads the features' counts.
   */
  static final Map<String, Set<String>> ALLOWED = new TreeMap<>(Map.ofEntries(
      entry("config", Set.of()),
      entry("web", Set.of("config")),
      entry("security", Set.of("config", "web")),
      entry("health", Set.of("config")),
      entry("push", Set.of("config", "security")),
      entry("federation", Set.of("web")),
      entry("conversation", Set.of("config", "federation", "push", "security", "web")),
      entry("serviceaccount", Set.of("config", "push", "security", "web")),
      entry("todo", Set.of("config", "push", "security", "web")),
      entry("unread", Set.of("conversation", "security", "serviceaccount", "todo"))));

  /** The layer of the root package: the application class, which reaches the features by component scan only. */
  private static final String ROOT_LAYER = "(root package)";

  private static final JavaClasses MAIN_CLASSES = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages(ROOT);

  static ArchRule noCyclesBetweenPackagesUnder(String root) {
    return slices().matching(root + ".(*)..").namingSlices("$1").should().beFreeOfCycles()
        .because("a cycle makes two features one: neither can change or be tested without the other");
  }

  static ArchRule onlyAllowedDependencies(String root, Map<String, Set<String>> allowed) {
    LayeredArchitecture architecture = layeredArchitecture().consideringOnlyDependenciesInLayers()
        .ensureAllClassesAreContainedInArchitecture()
        .layer(ROOT_LAYER).definedBy(root);
    for (String feature : allowed.keySet()) {
      architecture = architecture.layer(feature).definedBy(root + "." + feature + "..");
    }
    architecture = architecture.whereLayer(ROOT_LAYER).mayNotAccessAnyLayer();
    for (Map.Entry<String, Set<String>> feature : allowed.entrySet()) {
      architecture = feature.getValue().isEmpty()
          ? architecture.whereLayer(feature.getKey()).mayNotAccessAnyLayer()
          : architecture.whereLayer(feature.getKey()).mayOnlyAccessLayers(feature.getValue().toArray(String[]::new));
    }
    return architecture.because("LayeringTest.ALLOWED says which package may use which; change it there, on"
        + " purpose, when a package is added or a new dependency is right");
  }

  @Test
  void featurePackagesFormNoCycle() {
    noCyclesBetweenPackagesUnder(ROOT).check(MAIN_CLASSES);
  }

  @Test
  void featurePackagesDependOnlyOnWhatTheAllowListGrants() {
    onlyAllowedDependencies(ROOT, ALLOWED).check(MAIN_CLASSES);
  }

  @Test
  void allowListNamesPackagesThatExistAndDependenciesThatAreUsed() {
    // a misspelt package would exempt nothing and grant nothing; a grant nobody uses invites the next dependency
    Map<String, Set<String>> used = packageDependencies(MAIN_CLASSES);
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, Set<String>> feature : ALLOWED.entrySet()) {
      if (MAIN_CLASSES.stream().noneMatch(c -> feature.getKey().equals(featureOf(c)))) {
        problems.add(feature.getKey() + " has no classes");
      }
      for (String target : feature.getValue()) {
        if (!used.getOrDefault(feature.getKey(), Set.of()).contains(target)) {
          problems.add(feature.getKey() + " may use " + target + " but does not");
        }
      }
    }
    assertThat(problems).as("stale entries in LayeringTest.ALLOWED").isEmpty();
  }

  @Test
  void allowListRuleFailsForADependencyItDoesNotGrant() {
    // the rule must see the dependencies that exist, or it would pass whatever the code does
    Map<String, Set<String>> withoutFederation = new TreeMap<>(ALLOWED);
    withoutFederation.put("conversation", Set.of("config", "push", "security", "web"));
    assertThatThrownBy(() -> onlyAllowedDependencies(ROOT, withoutFederation).check(MAIN_CLASSES))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining(ROOT + ".conversation.ConversationService")
        .hasMessageContaining(ROOT + ".federation.TrustList");
  }

  @Test
  void allowListRuleFailsForAPackageItDoesNotList() {
    // todo stands for a package added tomorrow that nobody placed yet
    Map<String, Set<String>> withoutTodo = new TreeMap<>(ALLOWED);
    withoutTodo.remove("todo");
    withoutTodo.put("unread", Set.of("conversation", "security", "serviceaccount"));
    assertThatThrownBy(() -> onlyAllowedDependencies(ROOT, withoutTodo).check(MAIN_CLASSES))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Class <" + ROOT + ".todo.TodoService> is not contained in architecture");
  }

  @Test
  void cycleRuleFailsForPackagesThatUseEachOther() {
    String fixture = ROOT + ".layeringfixture.cyclic";
    JavaClasses cyclic = new ClassFileImporter().importPackages(fixture);
    assertThat(cyclic).isNotEmpty();
    assertThatThrownBy(() -> noCyclesBetweenPackagesUnder(fixture).check(cyclic))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Cycle detected")
        .hasMessageContaining(fixture + ".first.First")
        .hasMessageContaining(fixture + ".second.Second");
  }

  /** For each package under the root, the other packages under it that its classes depend on. */
  private static Map<String, Set<String>> packageDependencies(JavaClasses classes) {
    Map<String, Set<String>> uses = new TreeMap<>();
    for (JavaClass origin : classes) {
      for (Dependency dependency : origin.getDirectDependenciesFromSelf()) {
        String from = featureOf(origin);
        String to = featureOf(dependency.getTargetClass());
        if (from != null && to != null && !from.equals(to)) {
          uses.computeIfAbsent(from, f -> new TreeSet<>()).add(to);
        }
      }
    }
    return uses;
  }

  /** The package directly under the root that a class is in: "" for the root itself, null outside it. */
  private static String featureOf(JavaClass type) {
    String name = type.getBaseComponentType().getPackageName();
    if (name.equals(ROOT)) {
      return "";
    }
    if (!name.startsWith(ROOT + ".")) {
      return null;
    }
    String rest = name.substring(ROOT.length() + 1);
    int dot = rest.indexOf('.');
    return dot < 0 ? rest : rest.substring(0, dot);
  }
}
