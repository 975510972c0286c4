package dev.atrium.operator.workload;

import dev.atrium.api.v1alpha1.AutoscalingSpec;
import dev.atrium.api.v1alpha1.CollaborationPlatform;
import dev.atrium.api.v1alpha1.RegistrySpec;
import dev.atrium.operator.model.Component;
import dev.atrium.operator.model.SizePreset;
import dev.atrium.operator.release.Release;
import dev.atrium.operator.scaling.ScalingPlan;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What every component model needs to know about the platform it builds for: its name and
 * namespace, its spec, the release each component runs (during an upgrade they differ), where images
 * come from, the database's rollout partition, and the owner reference every object carries.
 *
 * @param release the release the platform asks for (spec.version)
 * @param componentReleases the release each component runs now; the upgrade orchestrator holds
 *     components that are not yet upgraded at the previous one
 * @param databasePartition the database StatefulSet's rollout partition: pods from this ordinal up run
 *     the new template, so 1 upgrades the replicas and keeps the primary (ordinal 0) until last
 * @param policyPlans the plans of the AutoscalingPolicies components name that exist and are valid; a
 *     component whose policy is not here gets no autoscaler written, so it keeps the one it has
 * @param now the instant the autoscalers' floors are computed for (their time windows)
 * @param atZero the components that run no pod because the platform sleeps or is waking (spec.hibernate): their
 *     replicas are zero and they get no autoscaler
 */
public record PlatformContext(CollaborationPlatform platform, Release release, String registry,
    Map<Component, Release> componentReleases, int databasePartition, Map<Component, ScalingPlan> policyPlans,
    Instant now, Set<Component> atZero) {

  public PlatformContext {
    componentReleases = Map.copyOf(componentReleases);
    policyPlans = Map.copyOf(policyPlans);
    atZero = Set.copyOf(atZero);
  }

  /**
   * Every component on {@code release}.
   *
   * @param defaultRegistry registry (and path) used when the platform names none, from the operator's configuration
   */
  public static PlatformContext of(CollaborationPlatform platform, Release release, String defaultRegistry) {
    RegistrySpec registry = platform.getSpec().getRegistry();
    String resolved = registry == null ? defaultRegistry
        : registry.getPathPrefix() == null || registry.getPathPrefix().isBlank() ? registry.getHost()
        : registry.getHost() + "/" + registry.getPathPrefix();
    Map<Component, Release> all = new EnumMap<>(Component.class);
    for (Component component : Component.values()) {
      all.put(component, release);
    }
    return new PlatformContext(platform, release, resolved, all, 0, Map.of(), Instant.EPOCH, Set.of());
  }

  /** The same platform with components on the given releases (those not named stay as they were). */
  public PlatformContext withComponentReleases(Map<Component, Release> releases, int databasePartition) {
    Map<Component, Release> merged = new EnumMap<>(componentReleases);
    merged.putAll(releases);
    return new PlatformContext(platform, release, registry, merged, databasePartition, policyPlans, now, atZero);
  }

  /** The same platform with the plans of the policies its components name, at {@code now}. */
  public PlatformContext withScaling(Map<Component, ScalingPlan> plans, Instant now) {
    return new PlatformContext(platform, release, registry, componentReleases, databasePartition, plans, now,
        atZero);
  }

  /** The same platform with {@code components} at zero replicas (hibernation). */
  public PlatformContext withAtZero(Set<Component> components) {
    return new PlatformContext(platform, release, registry, componentReleases, databasePartition, policyPlans, now,
        components);
  }

  /** The component runs no pod now: the platform sleeps, or it waits for the data stores while waking. */
  public boolean atZero(Component component) {
    return atZero.contains(component);
  }

  /**
   * How a component scales: its inline bounds, or its policy's plan; empty without autoscaling, or
   * while its policy is missing or invalid.
   */
  public Optional<ScalingPlan> scaling(Component component, AutoscalingSpec autoscaling) {
    if (autoscaling == null || atZero(component)) {
      return Optional.empty();
    }
    return autoscaling.getPolicy() == null ? Optional.of(ScalingPlan.inline(autoscaling))
        : Optional.ofNullable(policyPlans.get(component));
  }

  /** The components the platform runs: data stores always, services unless switched off. */
  public List<Component> enabled() {
    return Component.enabled(platform.getSpec());
  }

  /** The size preset the platform names, or the one for no size. */
  public SizePreset size() {
    return SizePreset.of(platform.getSpec().getSize());
  }

  /** The component's replicas: zero while it sleeps, else its block's count, else its size's. */
  public int replicas(Component component, Integer fromSpec) {
    return atZero(component) ? 0 : size().replicas(component, fromSpec);
  }

  /** The component's container resources: its block's, else its size's. */
  public ResourceRequirements resources(Component component, ResourceRequirements fromSpec) {
    return size().resources(component, fromSpec);
  }

  public String name() {
    return platform.getMetadata().getName();
  }

  public String namespace() {
    return platform.getMetadata().getNamespace();
  }

  /** The release version a component runs. */
  public String version(Component component) {
    return componentReleases.get(component).version();
  }

  /** The image a component runs, under the platform's registry. */
  public String image(Component component) {
    return componentReleases.get(component).image(component).under(registry);
  }

  public List<LocalObjectReference> pullSecrets() {
    RegistrySpec registry = platform.getSpec().getRegistry();
    if (registry == null || registry.getPullSecrets() == null) {
      return List.of();
    }
    return registry.getPullSecrets().stream().map(LocalObjectReference::new).toList();
  }

  /** Makes the platform the controller-owner, so deleting it deletes the object. */
  public OwnerReference ownerReference() {
    return new OwnerReferenceBuilder()
        .withApiVersion(platform.getApiVersion())
        .withKind(platform.getKind())
        .withName(name())
        .withUid(platform.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }
}
