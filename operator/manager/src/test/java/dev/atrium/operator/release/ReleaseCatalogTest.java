package dev.atrium.operator.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atrium.operator.TestPlatforms;
import dev.atrium.operator.model.Component;
import java.util.EnumMap;
import java.util.Map;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The releases the operator knows and the image of each component in them. */
class ReleaseCatalogTest {

  private final ReleaseCatalog catalog = TestPlatforms.releases();

  @Test
  void theExampleReleasesAreRead() {
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
        assertThat(image.digest()).as("%s in %s", component, version).matches("sha256:[0-9a-f]{64}");
      }
    }
  }

  @Test
  void theNewerReleaseUpgradesFromTheOlderWithDataStoresFirst() {
    Release newer = catalog.find("1.1.0").orElseThrow();

    assertThat(newer.upgradesFrom("1.0.0")).isTrue();
    assertThat(newer.upgradesFrom("0.9.0")).isFalse();
    assertThat(newer.order()).startsWith(Component.DATABASE, Component.CACHE, Component.OBJECT_STORE, Component.IDENTITY);
    assertThat(newer.soak()).isEqualTo(java.time.Duration.ofSeconds(30));
  }

  @Test
  void aReleaseMustOrderEveryComponentOnce() {
    Release release = catalog.find("1.0.0").orElseThrow();

    assertThatThrownBy(() -> new Release("2.0.0", release.images(), java.util.List.of(Component.WEBOS),
        java.util.Set.of(), Release.DEFAULT_SOAK, Release.DEFAULT_STEP_TIMEOUT))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("order");
  }

  @Test
  void aReleaseWithoutADataStoreIsSetAsideWithWhy() {
    // every platform runs its data stores: a release without one cannot run any platform
    var old = TestPlatforms.releaseManifests().get(0);
    old.getSpec().getImages().setObjectStore(null);
    ReleaseCatalog withOld = ReleaseCatalog.of(List.of(old));
    assertThat(withOld.find(old.getSpec().getVersion())).isEmpty();
    assertThat(withOld.whyUnusable(old.getSpec().getVersion())).hasValueSatisfying(why ->
        assertThat(why).contains(old.getSpec().getVersion()).contains("no image for objectStore"));
  }

  @Test
  void aReleaseWithoutAServiceRunsPlatformsThatKeepItSwitchedOff() {
    var manifest = TestPlatforms.releaseManifests().get(0);
    manifest.getSpec().getImages().setNetdisk(null);
    manifest.getSpec().getImages().setWebos(null);
    Release release = ReleaseCatalog.of(List.of(manifest)).find(manifest.getSpec().getVersion()).orElseThrow();

    assertThat(release.ships(Component.NETDISK)).isFalse();
    assertThat(release.ships(Component.MESSAGE_CENTER)).isTrue();
    assertThat(release.missingFor(List.of(Component.DATABASE, Component.WEBOS, Component.MESSAGE_CENTER,
        Component.NETDISK))).containsExactly(Component.WEBOS, Component.NETDISK);
    assertThat(release.missingFor(List.of(Component.DATABASE, Component.MESSAGE_CENTER))).isEmpty();
    assertThatThrownBy(() -> release.image(Component.NETDISK)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("netdisk");
  }

  @Test
  void unknownVersionIsEmpty() {
    assertThat(catalog.find("9.9.9")).isEmpty();
    assertThat(catalog.find("1.0")).isEmpty();
    assertThat(catalog.find("")).isEmpty();
  }

  @Test
  void aReleaseMustNameAnImageForEveryDataStore() {
    Map<Component, ImageRef> images = new EnumMap<>(Component.class);
    images.put(Component.WEBOS, new ImageRef("atrium/webos", "2.0.0", null));

    assertThatThrownBy(() -> new Release("2.0.0", images)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("2.0.0").hasMessageContaining("database");
  }

  @Test
  void imageIsPlacedUnderTheRegistryAndPinnedByDigestWhenGiven() {
    assertThat(new ImageRef("atrium/webos", "1.0.0", null).under("registry.acme.internal/mirror"))
        .isEqualTo("registry.acme.internal/mirror/atrium/webos:1.0.0");
    assertThat(new ImageRef("atrium/webos", "1.0.0", "sha256:abc").under("registry.acme.internal"))
        .isEqualTo("registry.acme.internal/atrium/webos:1.0.0@sha256:abc");
  }
}
