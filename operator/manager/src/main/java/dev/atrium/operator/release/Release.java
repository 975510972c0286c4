package dev.atrium.operator.release;

import dev.atrium.operator.model.Component;
import java.util.EnumMap;
import java.util.Map;

/** A platform release: its version and the image of each component. */
public record Release(String version, Map<Component, ImageRef> images) {

  public Release {
    images = new EnumMap<>(images);
    for (Component component : Component.values()) {
      if (!images.containsKey(component)) {
        throw new IllegalArgumentException("release " + version + " names no image for " + component.id());
      }
    }
  }

  public ImageRef image(Component component) {
    return images.get(component);
  }
}
