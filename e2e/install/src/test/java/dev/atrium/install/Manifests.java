package dev.atrium.install;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/** Reads rendered multi-document YAML into objects, and walks them. */
final class Manifests {

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static final Pattern SEPARATOR = Pattern.compile("(?m)^---\\s*$");

  private Manifests() {
  }

  static List<GenericKubernetesResource> parse(String yaml) {
    List<GenericKubernetesResource> objects = new ArrayList<>();
    for (String doc : SEPARATOR.split(yaml)) {
      // a document of comments only (helm's "# Source:" lines of an empty template) is no object
      boolean hasContent = doc.lines().anyMatch(l -> !l.isBlank() && !l.stripLeading().startsWith("#"));
      if (hasContent) {
        objects.add(SERIALIZATION.unmarshal(doc, GenericKubernetesResource.class));
      }
    }
    return objects;
  }

  static List<GenericKubernetesResource> ofKind(List<GenericKubernetesResource> objects, String kind) {
    return objects.stream().filter(o -> kind.equals(o.getKind())).toList();
  }

  static GenericKubernetesResource only(List<GenericKubernetesResource> objects, String kind) {
    List<GenericKubernetesResource> found = ofKind(objects, kind);
    if (found.size() != 1) {
      throw new AssertionError("expected one " + kind + ", found " + found.size());
    }
    return found.get(0);
  }

  static <T> T as(Object value, Class<T> type) {
    return SERIALIZATION.convertValue(value, type);
  }

  static List<PolicyRule> rules(GenericKubernetesResource role) {
    Object rules = role.getAdditionalProperties().get("rules");
    List<PolicyRule> result = new ArrayList<>();
    if (rules instanceof List<?> list) {
      list.forEach(r -> result.add(as(r, PolicyRule.class)));
    }
    return result;
  }

  /** Calls back with the value of every field named {@code field}, anywhere in the object. */
  static void eachField(Object node, String field, Consumer<Object> action) {
    if (node instanceof Map<?, ?> map) {
      map.forEach((k, v) -> {
        if (field.equals(k)) {
          action.accept(v);
        }
        eachField(v, field, action);
      });
    } else if (node instanceof List<?> list) {
      list.forEach(v -> eachField(v, field, action));
    }
  }

  /** The object as plain maps and lists, for walking. */
  static Object tree(Object object) {
    return SERIALIZATION.convertValue(object, Object.class);
  }
}
