package dev.atrium.operator.release;

import dev.atrium.api.v1alpha1.PlatformRelease;
import dev.atrium.api.v1alpha1.PlatformReleaseSpec;
import dev.atrium.api.v1alpha1.ReleaseImage;
import dev.atrium.operator.model.Component;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A platform release as the operator uses it: the image of each component it ships, the order components
 * upgrade in, the versions it upgrades from, and the gates of each step. Every data store ships in every
 * release (a platform cannot run without them); a service that can be switched off may be missing, and then
 * a platform on this release must keep it switched off ({@link #missingFor}).
 */
public record Release(String version, Map<Component, ImageRef> images, List<Component> order, Set<String> upgradeFrom,
    Duration soak, Duration stepTimeout) {

  public static final Duration DEFAULT_SOAK = Duration.ofSeconds(30);
  public static final Duration DEFAULT_STEP_TIMEOUT = Duration.ofMinutes(10);

  public Release {
    images = new EnumMap<>(images);
    for (Component component : Component.values()) {
      if (!component.switchable() && !images.containsKey(component)) {
        throw new IllegalArgumentException("release " + version + " names no image for " + component.specField());
      }
    }
    order = List.copyOf(order);
    if (order.size() != Component.values().length || !EnumSet.copyOf(order).equals(EnumSet.allOf(Component.class))) {
      throw new IllegalArgumentException("release " + version + " must order each component once, not " + order);
    }
    upgradeFrom = Set.copyOf(upgradeFrom);
  }

  /** A release that upgrades from nothing, in the components' natural order, with the default gates. */
  public Release(String version, Map<Component, ImageRef> images) {
    this(version, images, Arrays.asList(Component.values()), Set.of(), DEFAULT_SOAK, DEFAULT_STEP_TIMEOUT);
  }

  /** The operator's view of a PlatformRelease resource (the schema has already checked its shape). */
  public static Release of(PlatformRelease resource) {
    PlatformReleaseSpec spec = resource.getSpec();
    Map<Component, ImageRef> images = new EnumMap<>(Component.class);
    for (Component component : Component.values()) {
      ReleaseImage image = component.facts().image().apply(spec.getImages());
      if (image == null && !component.switchable()) {
        // every platform runs its data stores: this operator cannot run a platform on a release without one
        throw new IllegalArgumentException("release " + spec.getVersion() + " names no image for "
            + component.specField() + ", which every platform runs; apply a release made for this operator");
      }
      if (image != null) {
        images.put(component, ref(image));
      }
    }
    List<Component> order = spec.getOrder().stream().map(Component::of).toList();
    return new Release(spec.getVersion(), images, order, Set.copyOf(spec.getUpgradeFrom()),
        spec.getSoakSeconds() == null ? DEFAULT_SOAK : Duration.ofSeconds(spec.getSoakSeconds()),
        spec.getStepTimeoutSeconds() == null ? DEFAULT_STEP_TIMEOUT : Duration.ofSeconds(spec.getStepTimeoutSeconds()));
  }

  /** The component's image; only for a component the release ships ({@link #ships}). */
  public ImageRef image(Component component) {
    ImageRef image = images.get(component);
    if (image == null) {
      throw new IllegalStateException("release " + version + " ships no image of " + component.specField());
    }
    return image;
  }

  public boolean ships(Component component) {
    return images.containsKey(component);
  }

  /** Of the components a platform switches on, those this release has no image of, in order. */
  public List<Component> missingFor(List<Component> enabled) {
    return enabled.stream().filter(c -> !ships(c)).toList();
  }

  /** Whether a platform running {@code version} may move to this release. */
  public boolean upgradesFrom(String version) {
    return upgradeFrom.contains(version);
  }

  private static ImageRef ref(ReleaseImage image) {
    return new ImageRef(image.getRepository(), image.getTag(), image.getDigest());
  }
}
