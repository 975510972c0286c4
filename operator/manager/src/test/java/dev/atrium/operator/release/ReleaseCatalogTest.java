package dev.atrium.operator.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atrium.operator.model.Component;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The releases the operator knows and the image of each component in them. */
class ReleaseCatalogTest {

  private final ReleaseCatalog catalog = ReleaseCatalog.builtIn();

  @Test
  void builtInCatalogHasTheSupportedReleases() {
    assertThat(catalog.versions()).containsExactly("1.0.0", "1.1.0");
    assertThat(catalog.find("1.0.0")).hasValueSatisfying(r -> assertThat(r.version()).isEqualTo("1.0.0"));
    assertThat(catalog.find("1.1.0")).hasValueSatisfying(r -> assertThat(r.version()).isEqualTo("1.1.0"));
  }

  @Test
  void everyComponentHasAnImageInEveryRelease() {
    for (String version : catalog.versions()) {
      Release release = catalog.find(version).orElseThrow();
      for (Component component : Component.values()) {
        ImageRef image = release.image(component);
        assertThat(image).as("%s in %s", component, version).isNotNull();
        assertThat(image.repository()).as("%s in %s", component, version).isNotBlank();
        // the tag carries the release, so that a new release rolls every component
        assertThat(image.tag()).as("%s in %s", component, version).endsWith(version);
      }
    }
  }

  @Test
  void unknownVersionIsEmpty() {
    assertThat(catalog.find("9.9.9")).isEmpty();
    assertThat(catalog.find("1.0")).isEmpty();
    assertThat(catalog.find("")).isEmpty();
  }

  @Test
  void aReleaseMustNameAnImageForEveryComponent() {
    Map<Component, ImageRef> images = new EnumMap<>(Component.class);
    images.put(Component.WEBOS, new ImageRef("atrium/webos", "2.0.0", null));

    assertThatThrownBy(() -> new Release("2.0.0", images)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("2.0.0");
  }

  @Test
  void imageIsPlacedUnderTheRegistryAndPinnedByDigestWhenGiven() {
    assertThat(new ImageRef("atrium/webos", "1.0.0", null).under("registry.acme.internal/mirror"))
        .isEqualTo("registry.acme.internal/mirror/atrium/webos:1.0.0");
    assertThat(new ImageRef("atrium/webos", "1.0.0", "sha256:abc").under("registry.acme.internal"))
        .isEqualTo("registry.acme.internal/atrium/webos:1.0.0@sha256:abc");
  }
}
