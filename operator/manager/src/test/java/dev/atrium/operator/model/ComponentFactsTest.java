package dev.atrium.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.atrium.api.v1alpha1.CollaborationPlatformSpec;
import dev.atrium.api.v1alpha1.ReleaseComponent;
import dev.atrium.api.v1alpha1.ReleaseImage;
import dev.atrium.api.v1alpha1.ReleaseImages;
import dev.atrium.operator.TestPlatforms;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every component's facts are complete and agree with the API, the releases and the CRD's rules: a new
 * component that lacks one fails here (and, for its own facts, stops the operator at start).
 */
class ComponentFactsTest {

  @ParameterizedTest
  @EnumSource(Component.class)
  void factsAreComplete(Component component) {
    assertThat(component.facts().problems()).isEmpty();
  }

  @Test
  void incompleteFactsAreReported() {
    // a deliberately incomplete descriptor: what a half-added component would look like
    Component.Facts incomplete = new Component.Facts(null, "Mail_Server", null, 0, "a-very-long-port-name", null, null,
        "mail-db", List.of(Component.DATABASE), List.of(Component.DATABASE));
    assertThat(incomplete.problems()).containsExactly(
        "no release name (ReleaseComponent)",
        "id Mail_Server is not a DNS label of at most 20 characters",
        "no workload kind",
        "port 0 is not a TCP port",
        "port name a-very-long-port-name is not a valid named port",
        "no block of the platform spec",
        "no image in a release",
        "database mail-db is not a plain PostgreSQL name",
        "DATABASE is both needed and used");
  }

  @Test
  void aDataStoreDependsOnNoService() {
    Component.Facts store = new Component.Facts(ReleaseComponent.cache, "cache", Component.Workload.STATEFUL, 6379,
        "redis", CollaborationPlatformSpec::getCache, ReleaseImages::getCache, null, List.of(Component.IDENTITY),
        List.of());
    assertThat(store.problems()).containsExactly(
        "a data store connects to no platform service (it cannot be switched off, they can)");
    Component.Facts using = new Component.Facts(ReleaseComponent.cache, "cache", Component.Workload.STATEFUL, 6379,
        "redis", CollaborationPlatformSpec::getCache, ReleaseImages::getCache, null, List.of(),
        List.of(Component.NETDISK));
    assertThat(using.problems()).hasSize(1);
  }

  @Test
  void aDataStoreMayNeedAnotherDataStore() {
    // the object store's filers keep their metadata in the database; both are always on
    assertThat(Component.OBJECT_STORE.needs()).containsExactly(Component.DATABASE);
    assertThat(Component.OBJECT_STORE.facts().problems()).isEmpty();
    assertThat(Component.DATABASE.needs()).isEmpty();
    assertThat(Component.CACHE.needs()).isEmpty();
  }

  @Test
  void everyReleasedComponentIsOneComponent() {
    assertThat(Arrays.stream(Component.values()).map(c -> c.facts().release()))
        .containsExactlyInAnyOrder(ReleaseComponent.values());
    for (ReleaseComponent released : ReleaseComponent.values()) {
      assertThat(Component.of(released).specField()).isEqualTo(released.id());
    }
  }

  @ParameterizedTest
  @EnumSource(Component.class)
  void imageIsTheComponentsOwnInARelease(Component component) {
    // every image names its own component, so an accessor pointing at another one's field shows
    ReleaseImages images = new ReleaseImages();
    for (ReleaseComponent released : ReleaseComponent.values()) {
      ReleaseImage image = new ReleaseImage();
      image.setRepository("atrium/" + released.id());
      set(images, released, image);
    }
    assertThat(component.facts().image().apply(images).getRepository()).isEqualTo("atrium/" + component.specField());
  }

  @ParameterizedTest
  @EnumSource(Component.class)
  void specIsTheComponentsOwnBlock(Component component) throws Exception {
    CollaborationPlatformSpec spec = TestPlatforms.example().getSpec();
    Object block = spec.getClass().getMethod("get" + Character.toUpperCase(component.specField().charAt(0))
        + component.specField().substring(1)).invoke(spec);
    assertThat(component.spec(spec)).isNotNull().isSameAs(block);
  }

  @Test
  void servicesCanBeSwitchedOffAndDataStoresCannot() {
    for (Component component : Component.values()) {
      assertThat(component.switchable()).as(component.name()).isEqualTo(!component.stateful());
      assertThat(component.statelessSpec(TestPlatforms.example().getSpec()).isPresent()).as(component.name())
          .isEqualTo(component.switchable());
    }
    assertThat(Component.enabled(TestPlatforms.without(Component.NETDISK, Component.WEBOS).getSpec()))
        .containsExactly(Component.DATABASE, Component.CACHE, Component.OBJECT_STORE, Component.IDENTITY,
            Component.MESSAGE_CENTER);
  }

  @Test
  void everyServiceOwnsADatabaseAndNamesAreUnique() {
    for (Component component : Component.values()) {
      // of the data stores, only the object store keeps something (its metadata) in the database
      assertThat(component.database().isPresent()).as(component.name())
          .isEqualTo(!component.stateful() || component == Component.OBJECT_STORE);
    }
    assertThat(Component.databases()).doesNotHaveDuplicates().containsExactly("objectstore", "identity", "messages",
        "netdisk", "webos");
    assertThat(Arrays.stream(Component.values()).map(Component::id)).doesNotHaveDuplicates();
  }

  /**
   * For every switchable component a component needs, the CRD refuses the one on with the other off, with a
   * message that names both fields; the rules are written by hand in CollaborationPlatformSpec, so this keeps
   * them in step with the facts.
   */
  @Test
  void theCrdRefusesAComponentOnWithOneItNeedsOff() throws IOException {
    Path crd = Path.of(System.getProperty("atrium.crds.dir", "../../crds"))
        .resolve("collaborationplatforms.atrium.dev-v1.yml");
    JsonNode rules = new ObjectMapper(new YAMLFactory()).readTree(crd.toFile())
        .at("/spec/versions/0/schema/openAPIV3Schema/properties/spec/x-kubernetes-validations");
    List<String> messages = new ArrayList<>();
    rules.forEach(rule -> messages.add(rule.get("message").asText()));
    List<String> expected = new ArrayList<>();
    for (Component component : Component.values()) {
      for (Component needed : component.needs()) {
        if (component.switchable() && needed.switchable()) {
          expected.add(component.specField() + ".enabled is true but " + needed.specField() + ".enabled is false");
        }
      }
    }
    assertThat(expected).isNotEmpty();
    for (String pair : expected) {
      assertThat(messages).as("a rule for " + pair).anyMatch(m -> m.startsWith(pair));
    }
    Set<String> ruled = messages.stream().filter(m -> m.contains(".enabled is true but"))
        .map(m -> m.substring(0, m.indexOf(':'))).collect(Collectors.toSet());
    assertThat(ruled).as("no rule for a need the facts do not have").containsExactlyInAnyOrderElementsOf(expected);
  }

  private static void set(ReleaseImages images, ReleaseComponent component, ReleaseImage image) {
    switch (component) {
      case database -> images.setDatabase(image);
      case cache -> images.setCache(image);
      case objectStore -> images.setObjectStore(image);
      case identity -> images.setIdentity(image);
      case webos -> images.setWebos(image);
      case messageCenter -> images.setMessageCenter(image);
      case netdisk -> images.setNetdisk(image);
    }
  }
}
