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
 * A platform release as the operator uses it: the image of each component, the order components
 * upgrade in, the versions it upgrades from, and the gates of each step.
 */
public record Release(String version, Map<Component, ImageRef> images, List<Component> order, Set<String> upgradeFrom,
    Duration soak, Duration stepTimeout) {

  public static final Duration DEFAULT_SOAK = Duration.ofSeconds(30);
  public static final Duration DEFAULT_STEP_TIMEOUT = Duration.ofMinutes(10);

  public Release {
    images = new EnumMap<>(images);
    for (Component component : Component.values()) {
      if (!images.containsKey(component)) {
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
      if (image == null) {
        // a release written before this component existed: this operator cannot run a platform on it
        throw new IllegalArgumentException("release " + spec.getVersion() + " names no image for "
            + component.specField() + ", which this operator deploys; apply a release made for it");
      }
      images.put(component, ref(image));
    }
    List<Component> order = spec.getOrder().stream().map(Component::of).toList();
    return new Release(spec.getVersion(), images, order, Set.copyOf(spec.getUpgradeFrom()),
        spec.getSoakSeconds() == null ? DEFAULT_SOAK : Duration.ofSeconds(spec.getSoakSeconds()),
        spec.getStepTimeoutSeconds() == null ? DEFAULT_STEP_TIMEOUT : Duration.ofSeconds(spec.getStepTimeoutSeconds()));
  }

  public ImageRef image(Component component) {
    return images.get(component);
  }

  /** Whether a platform running {@code version} may move to this release. */
  public boolean upgradesFrom(String version) {
    return upgradeFrom.contains(version);
  }

  private static ImageRef ref(ReleaseImage image) {
    return new ImageRef(image.getRepository(), image.getTag(), image.getDigest());
  }
}
