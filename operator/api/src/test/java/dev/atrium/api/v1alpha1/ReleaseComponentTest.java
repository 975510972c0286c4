package dev.atrium.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * A release names every component the platform spec configures: the enum, its count that the schema's rules
 * use, the images a release carries and the spec's blocks must all agree, or a new component would be half
 * released.
 */
class ReleaseComponentTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Test
  void countIsTheNumberOfComponents() {
    assertThat(ReleaseComponent.COUNT).isEqualTo(ReleaseComponent.values().length);
  }

  @Test
  void aReleaseCarriesOneImagePerComponent() {
    assertThat(properties(ReleaseImages.class)).containsExactlyInAnyOrder(ids());
  }

  @Test
  void thePlatformSpecHasOneBlockPerComponent() {
    assertThat(properties(CollaborationPlatformSpec.class)).contains(ids());
  }

  private static String[] ids() {
    return Arrays.stream(ReleaseComponent.values()).map(ReleaseComponent::id).toArray(String[]::new);
  }

  private static String[] properties(Class<?> type) {
    BeanDescription description = MAPPER.getSerializationConfig().introspect(MAPPER.constructType(type));
    return description.findProperties().stream().map(BeanPropertyDefinition::getName).toArray(String[]::new);
  }
}
