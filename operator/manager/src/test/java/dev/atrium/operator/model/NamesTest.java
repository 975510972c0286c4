package dev.atrium.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrium.api.v1alpha1.CollaborationPlatform;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every name the operator derives from a platform's name is valid for its kind at the longest name
 * the CRD accepts, and so are the labels Kubernetes derives from a StatefulSet's name. A longer
 * component id or suffix, or a higher limit, fails here before a platform is accepted that never
 * becomes Ready.
 */
class NamesTest {

  /** Services: DNS-1035 labels. */
  private static final Pattern DNS_1035_LABEL = Pattern.compile("^[a-z]([-a-z0-9]*[a-z0-9])?$");
  /** Pod names of StatefulSets, which are also the pods' host names. */
  private static final Pattern DNS_1123_LABEL = Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$");
  private static final Pattern LABEL_VALUE = Pattern.compile("^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$");
  private static final int MAX_LABEL = 63;
  private static final int MAX_SUBDOMAIN = 253;

  /** The longest namespace name there can be. */
  private static final String NAMESPACE = "n".repeat(MAX_LABEL);
  /** StatefulSet revisions are named {@code <StatefulSet>-<hash>}, the hash up to 10 characters. */
  private static final String REVISION_HASH = "5d8f9c7b6a";
  /** Higher than any stateful component's replica maximum in the schema (9, 9 and 32). */
  private static final int HIGHEST_ORDINAL = 99;

  private enum Kind {
    /** A Service. */
    DNS_1035_LABEL,
    /** A pod, whose name is its host name. */
    DNS_1123_LABEL,
    /** Any other object: DNS-1123 subdomains, no limit on the parts between dots but 253 in all. */
    DNS_1123_SUBDOMAIN,
    /** A host name: dot-separated DNS-1123 labels of at most 63 each. */
    HOST_NAME
  }

  private record Derived(Kind kind, BiFunction<String, Component, String> name) {
  }

  /** Every function of Names, with the kind of name it makes. */
  private static final Map<String, Derived> DERIVED = new LinkedHashMap<>();

  static {
    // workload() names the client Service too
    DERIVED.put("workload", new Derived(Kind.DNS_1035_LABEL, Names::workload));
    DERIVED.put("headlessService", new Derived(Kind.DNS_1035_LABEL, Names::headlessService));
    DERIVED.put("readOnlyService", new Derived(Kind.DNS_1035_LABEL, Names::readOnlyService));
    DERIVED.put("podsService", new Derived(Kind.DNS_1035_LABEL, Names::podsService));
    DERIVED.put("account", new Derived(Kind.DNS_1123_SUBDOMAIN, Names::account));
    DERIVED.put("podHost", new Derived(Kind.HOST_NAME, (p, c) -> Names.podHost(p, c, HIGHEST_ORDINAL, NAMESPACE)));
    DERIVED.put("config", new Derived(Kind.DNS_1123_SUBDOMAIN, Names::config));
    DERIVED.put("credentials", new Derived(Kind.DNS_1123_SUBDOMAIN, Names::credentials));
    DERIVED.put("federationKey", new Derived(Kind.DNS_1123_SUBDOMAIN, (p, c) -> Names.federationKey(p)));
    DERIVED.put("backupDataKey", new Derived(Kind.DNS_1123_SUBDOMAIN, (p, c) -> Names.backupDataKey(p)));
    DERIVED.put("identitySigningKey", new Derived(Kind.DNS_1123_SUBDOMAIN, (p, c) -> Names.identitySigningKey(p)));
    DERIVED.put("identityKeys", new Derived(Kind.DNS_1123_SUBDOMAIN, (p, c) -> Names.identityKeys(p)));
    DERIVED.put("identityAdmin", new Derived(Kind.DNS_1123_SUBDOMAIN, (p, c) -> Names.identityAdmin(p)));
    DERIVED.put("oauthClient", new Derived(Kind.DNS_1123_SUBDOMAIN, Names::oauthClient));
    DERIVED.put("networkPolicy", new Derived(Kind.DNS_1123_SUBDOMAIN, Names::networkPolicy));
    DERIVED.put("defaultDenyPolicy", new Derived(Kind.DNS_1123_SUBDOMAIN, (p, c) -> Names.defaultDenyPolicy(p)));
    DERIVED.put("ingress", new Derived(Kind.DNS_1123_SUBDOMAIN, (p, c) -> Names.ingress(p)));
    DERIVED.put("serviceHost", new Derived(Kind.HOST_NAME, (p, c) -> Names.serviceHost(p, c, NAMESPACE)));
  }

  @Test
  void theLimitIsTheApisLimit() {
    assertThat(Names.MAX_PLATFORM_NAME).isEqualTo(CollaborationPlatform.MAX_NAME_LENGTH);
  }

  @Test
  void everyFunctionOfNamesIsCheckedHere() {
    List<String> functions = Arrays.stream(Names.class.getDeclaredMethods())
        .filter(m -> Modifier.isPublic(m.getModifiers()) && Modifier.isStatic(m.getModifiers()))
        .filter(m -> m.getReturnType() == String.class).map(Method::getName).distinct().toList();

    assertThat(DERIVED.keySet()).as("add each new function of Names to DERIVED with the kind of name it makes")
        .containsExactlyInAnyOrderElementsOf(functions);
  }

  @Test
  void theLongestAcceptedNameGivesValidNamesAndLabels() {
    String longest = platformName(Names.MAX_PLATFORM_NAME);

    assertThat(longest).hasSize(Names.MAX_PLATFORM_NAME).matches(DNS_1035_LABEL);
    assertThat(problems(longest)).isEmpty();
  }

  @Test
  void theLimitIsNoLowerThanItMustBe() {
    // one more character breaks something: the limit is the tightest constraint, not a guess
    assertThat(problems(platformName(Names.MAX_PLATFORM_NAME + 1)))
        .as("at %d characters every name still fits: raise MAX_NAME_LENGTH", Names.MAX_PLATFORM_NAME + 1)
        .isNotEmpty();
  }

  /** What is invalid for a platform of that name, for every component; empty when everything fits. */
  private static List<String> problems(String platform) {
    List<String> problems = new ArrayList<>();
    for (Component component : Component.values()) {
      DERIVED.forEach((function, derived) -> {
        String name = derived.name().apply(platform, component);
        if (!valid(derived.kind(), name)) {
          problems.add("Names." + function + "(" + component + ") = " + name + " (" + name.length()
              + " characters) is no " + derived.kind());
        }
      });
      Labels.of(platform, component, "1.0.0").forEach((key, value) -> {
        if (!labelValue(value)) {
          problems.add(component + " label " + key + "=" + value + " is no label value");
        }
      });
      if (component.stateful()) {
        String statefulSet = Names.workload(platform, component);
        String revision = statefulSet + "-" + REVISION_HASH;
        if (!labelValue(revision)) {
          problems.add(component + " pods' controller-revision-hash=" + revision + " (" + revision.length()
              + " characters) is no label value");
        }
        String pod = statefulSet + "-" + HIGHEST_ORDINAL;
        if (!labelValue(pod) || !valid(Kind.DNS_1123_LABEL, pod)) {
          problems.add(component + " pod " + pod + " (" + pod.length()
              + " characters) is no statefulset.kubernetes.io/pod-name label value or host name");
        }
      }
    }
    return problems;
  }

  private static boolean valid(Kind kind, String name) {
    return switch (kind) {
      case DNS_1035_LABEL -> name.length() <= MAX_LABEL && DNS_1035_LABEL.matcher(name).matches();
      case DNS_1123_LABEL -> name.length() <= MAX_LABEL && DNS_1123_LABEL.matcher(name).matches();
      case DNS_1123_SUBDOMAIN -> name.length() <= MAX_SUBDOMAIN
          && Arrays.stream(name.split("\\.", -1)).allMatch(part -> DNS_1123_LABEL.matcher(part).matches());
      case HOST_NAME -> name.length() <= MAX_SUBDOMAIN
          && Arrays.stream(name.split("\\.", -1)).allMatch(label -> valid(Kind.DNS_1123_LABEL, label));
    };
  }

  private static boolean labelValue(String value) {
    return value.length() <= MAX_LABEL && LABEL_VALUE.matcher(value).matches();
  }

  /** A name of that length the CRD's pattern accepts, e.g. tenant-0123456789-tenant-... . */
  private static String platformName(int length) {
    String name = "tenant-0123456789-".repeat(4).substring(0, length - 1);
    return (name.endsWith("-") ? name.substring(0, length - 2) + "x" : name) + "9";
  }
}
