package dev.atrium.operator.model;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * The platform's sizes (spec.size): per component, the replicas and the container's CPU request, memory request
 * and memory limit it gets when its block gives none. The one table of these numbers; docs/operator.md (Sizes)
 * gives the reasoning. A platform without a size gets {@link #UNSIZED}, the numbers that were the schema's and the
 * models' defaults before sizes existed, so that such platforms keep exactly their objects.
 */
public enum SizePreset {
  // one 2-core, 8 GiB node for trials and tests: one pod per component, nothing redundant
  USERS_100("100users", table(
      stateless(1, "100m", "384Mi", "768Mi"),
      row(Component.DATABASE, 1, "100m", "256Mi", "512Mi"),
      row(Component.CACHE, 1, "50m", "64Mi", "128Mi"),
      row(Component.OBJECT_STORE, 1, "100m", "256Mi", "512Mi"))),
  // the pre-size defaults: two of every service, a primary and a replica, Sentinel's three, erasure coding's four
  USERS_1000("1000users", table(
      stateless(2, "250m", "512Mi", "1Gi"),
      row(Component.DATABASE, 2, "500m", "1Gi", "2Gi"),
      row(Component.CACHE, 3, "100m", "256Mi", "512Mi"),
      row(Component.OBJECT_STORE, 4, "250m", "512Mi", "1Gi"))),
  USERS_5000("5000users", table(
      stateless(3, "500m", "1Gi", "2Gi"),
      row(Component.DATABASE, 3, "1", "4Gi", "8Gi"),
      row(Component.CACHE, 3, "200m", "512Mi", "1Gi"),
      row(Component.OBJECT_STORE, 4, "500m", "1Gi", "2Gi"))),
  USERS_25000("25000users", table(
      stateless(4, "1", "2Gi", "4Gi"),
      row(Component.DATABASE, 3, "4", "16Gi", "32Gi"),
      row(Component.CACHE, 3, "500m", "2Gi", "4Gi"),
      row(Component.OBJECT_STORE, 8, "1", "2Gi", "4Gi")));

  /** What a platform without a size gets. */
  public static final SizePreset UNSIZED = USERS_1000;

  /** One component's numbers in a preset. */
  public record Sizing(int replicas, String cpu, String memory, String memoryLimit) {

    public ResourceRequirements resources() {
      return new ResourceRequirementsBuilder()
          .addToRequests("cpu", new Quantity(cpu))
          .addToRequests("memory", new Quantity(memory))
          .addToLimits("memory", new Quantity(memoryLimit))
          .build();
    }
  }

  private final String label;
  private final Map<Component, Sizing> sizings;

  SizePreset(String label, Map<Component, Sizing> sizings) {
    this.label = label;
    this.sizings = sizings;
  }

  /** The name in spec.size, e.g. 100users. */
  public String label() {
    return label;
  }

  public Sizing sizing(Component component) {
    return sizings.get(component);
  }

  /** The preset spec.size names; {@link #UNSIZED} without one (the schema refuses a name it does not list). */
  public static SizePreset of(String size) {
    if (size == null) {
      return UNSIZED;
    }
    return Arrays.stream(values()).filter(p -> p.label.equals(size)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown size " + size));
  }

  /** A count given in the spec, else the preset's. */
  public int replicas(Component component, Integer fromSpec) {
    return Objects.requireNonNullElse(fromSpec, sizing(component).replicas());
  }

  /** The resources given in the spec (requests or limits), else the preset's. */
  public ResourceRequirements resources(Component component, ResourceRequirements fromSpec) {
    if (fromSpec != null && (fromSpec.getRequests() != null || fromSpec.getLimits() != null)) {
      return fromSpec;
    }
    return sizing(component).resources();
  }

  private static Map<Component, Sizing> table(Map<Component, Sizing> stateless, Map<Component, Sizing> database,
      Map<Component, Sizing> cache, Map<Component, Sizing> objectStore) {
    Map<Component, Sizing> all = new EnumMap<>(Component.class);
    all.putAll(stateless);
    all.putAll(database);
    all.putAll(cache);
    all.putAll(objectStore);
    if (all.size() != Component.values().length) {
      throw new IllegalStateException("a size preset lacks a component");
    }
    return Map.copyOf(all);
  }

  /** The platform services (Spring Boot applications) share one row: their load follows the same people. */
  private static Map<Component, Sizing> stateless(int replicas, String cpu, String memory, String memoryLimit) {
    Map<Component, Sizing> m = new EnumMap<>(Component.class);
    for (Component c : Component.values()) {
      if (c.workload() == Component.Workload.STATELESS) {
        m.put(c, new Sizing(replicas, cpu, memory, memoryLimit));
      }
    }
    return m;
  }

  private static Map<Component, Sizing> row(Component component, int replicas, String cpu, String memory,
      String memoryLimit) {
    return Map.of(component, new Sizing(replicas, cpu, memory, memoryLimit));
  }
}
