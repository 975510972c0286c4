package dev.atrium.servicetesting;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The layering rules every service's LayeringTest checks: its feature packages form no cycle, and each depends
 * only on the packages its allow-list grants (a package the list does not name fails too, so whoever adds one
 * decides where it sits).
 */
public final class Layering {

  /** The layer of the root package: the application class, which reaches the features by component scan only. */
  private static final String ROOT_LAYER = "(root package)";

  private Layering() {
  }

  public static ArchRule noCyclesBetweenPackagesUnder(String root) {
    return slices().matching(root + ".(*)..").namingSlices("$1").should().beFreeOfCycles()
        .because("a cycle makes two features one: neither can change or be tested without the other");
  }

  public static ArchRule onlyAllowedDependencies(String root, Map<String, Set<String>> allowed) {
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

  /**
   * Entries of the allow-list that name a package without classes or grant a dependency nobody uses: a misspelt
   * package would exempt nothing, and an unused grant invites the next dependency.
   */
  public static List<String> staleEntries(String root, JavaClasses classes, Map<String, Set<String>> allowed) {
    Map<String, Set<String>> used = packageDependencies(root, classes);
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, Set<String>> feature : allowed.entrySet()) {
      if (classes.stream().noneMatch(c -> feature.getKey().equals(featureOf(root, c)))) {
        problems.add(feature.getKey() + " has no classes");
      }
      for (String target : feature.getValue()) {
        if (!used.getOrDefault(feature.getKey(), Set.of()).contains(target)) {
          problems.add(feature.getKey() + " may use " + target + " but does not");
        }
      }
    }
    return problems;
  }

  /** For each package under the root, the other packages under it that its classes depend on. */
  static Map<String, Set<String>> packageDependencies(String root, JavaClasses classes) {
    Map<String, Set<String>> uses = new TreeMap<>();
    for (JavaClass origin : classes) {
      for (Dependency dependency : origin.getDirectDependenciesFromSelf()) {
        String from = featureOf(root, origin);
        String to = featureOf(root, dependency.getTargetClass());
        if (from != null && to != null && !from.equals(to)) {
          uses.computeIfAbsent(from, f -> new TreeSet<>()).add(to);
        }
      }
    }
    return uses;
  }

  /** The package directly under the root that a class is in: "" for the root itself, null outside it. */
  static String featureOf(String root, JavaClass type) {
    String name = type.getBaseComponentType().getPackageName();
    if (name.equals(root)) {
      return "";
    }
    if (!name.startsWith(root + ".")) {
      return null;
    }
    String rest = name.substring(root.length() + 1);
    int dot = rest.indexOf('.');
    return dot < 0 ? rest : rest.substring(0, dot);
  }
}
