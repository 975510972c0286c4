package dev.atrium.messagecenter;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.atrium.servicetesting.Layering;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
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
   * down to what they build on: web and config at the bottom, then security (the Spring Security set-up; who
   * calls is service-support's Caller), push and federation.
   * Conversation uses federation (the trust list, the outbox); federation reaches conversation only through
   * its own interface {@code FederatedInbox}, never the reverse. Unread only reads the features' counts.
   */
  static final Map<String, Set<String>> ALLOWED = new TreeMap<>(Map.ofEntries(
      entry("config", Set.of()),
      entry("web", Set.of("config")),
      entry("security", Set.of("config")),
      entry("push", Set.of("config")),
      entry("federation", Set.of()),
      entry("conversation", Set.of("config", "federation", "push")),
      entry("serviceaccount", Set.of("config", "push")),
      entry("todo", Set.of("config", "push")),
      entry("unread", Set.of("conversation", "serviceaccount", "todo"))));

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
    assertThat(Layering.staleEntries(ROOT, MAIN_CLASSES, ALLOWED)).as("stale entries in LayeringTest.ALLOWED").isEmpty();
  }

  @Test
  void allowListRuleFailsForADependencyItDoesNotGrant() {
    // the rule must see the dependencies that exist, or it would pass whatever the code does
    Map<String, Set<String>> withoutFederation = new TreeMap<>(ALLOWED);
    withoutFederation.put("conversation", Set.of("config", "push"));
    assertThatThrownBy(() -> Layering.onlyAllowedDependencies(ROOT, withoutFederation).check(MAIN_CLASSES))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining(ROOT + ".conversation.ConversationService")
        .hasMessageContaining(ROOT + ".federation.TrustList");
  }

  @Test
  void allowListRuleFailsForAPackageItDoesNotList() {
    // todo stands for a package added tomorrow that nobody placed yet
    Map<String, Set<String>> withoutTodo = new TreeMap<>(ALLOWED);
    withoutTodo.remove("todo");
    withoutTodo.put("unread", Set.of("conversation", "serviceaccount"));
    assertThatThrownBy(() -> Layering.onlyAllowedDependencies(ROOT, withoutTodo).check(MAIN_CLASSES))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Class <" + ROOT + ".todo.TodoService> is not contained in architecture");
  }

  @Test
  void cycleRuleFailsForPackagesThatUseEachOther() {
    String fixture = ROOT + ".layeringfixture.cyclic";
    JavaClasses cyclic = new ClassFileImporter().importPackages(fixture);
    assertThat(cyclic).isNotEmpty();
    assertThatThrownBy(() -> Layering.noCyclesBetweenPackagesUnder(fixture).check(cyclic))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Cycle detected")
        .hasMessageContaining(fixture + ".first.First")
        .hasMessageContaining(fixture + ".second.Second");
  }
}
