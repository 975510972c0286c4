package dev.atrium.operator.model;

import dev.atrium.api.v1alpha1.CollaborationPlatform;
import dev.atrium.api.v1alpha1.RegistrySpec;
import dev.atrium.operator.release.Release;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.util.List;

/**
 * What every component model needs to know about the platform it builds for: its name and
 * namespace, its spec, the release, where images come from, and the owner reference every object
 * carries.
 */
public record PlatformContext(CollaborationPlatform platform, Release release, String registry) {

  /**
   * @param defaultRegistry registry (and path) used when the platform names none, from the operator's configuration
   */
  public static PlatformContext of(CollaborationPlatform platform, Release release, String defaultRegistry) {
    RegistrySpec registry = platform.getSpec().getRegistry();
    String resolved = registry == null ? defaultRegistry
        : registry.getPathPrefix() == null || registry.getPathPrefix().isBlank() ? registry.getHost()
        : registry.getHost() + "/" + registry.getPathPrefix();
    return new PlatformContext(platform, release, resolved);
  }

  public String name() {
    return platform.getMetadata().getName();
  }

  public String namespace() {
    return platform.getMetadata().getNamespace();
  }

  public String version() {
    return release.version();
  }

  /** The image a component runs, under the platform's registry. */
  public String image(Component component) {
    return release.image(component).under(registry);
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
