package dev.atrium.operator.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atrium.operator.TestPlatforms;
import dev.atrium.operator.model.Component;
import org.junit.jupiter.api.Test;

/**
 * Where a release's image is pulled from: the registry host, then spec.registry.pathPrefix when
 * set, then the release's repository kept whole, the way registry mirrors and crane copy or skopeo
 * sync lay images out, so an image keeps its repository path and its digest.
 */
class ImageRefTest {

  private static final String DIGEST = "sha256:" + "0123456789abcdef".repeat(4);
  private static final ImageRef IDENTITY = new ImageRef("atrium/identity", "1.0.0", DIGEST);

  @Test
  void withoutAPrefixTheRepositoryFollowsTheHost() {
    assertThat(IDENTITY.under("registry.acme.internal"))
        .isEqualTo("registry.acme.internal/atrium/identity:1.0.0@" + DIGEST);
  }

  @Test
  void aPrefixGoesBetweenTheHostAndTheRepository() {
    assertThat(IDENTITY.under("registry.acme.internal/mirror"))
        .isEqualTo("registry.acme.internal/mirror/atrium/identity:1.0.0@" + DIGEST);
    assertThat(IDENTITY.under("registry.acme.internal/mirrors/site-a"))
        .isEqualTo("registry.acme.internal/mirrors/site-a/atrium/identity:1.0.0@" + DIGEST);
  }

  @Test
  void aHostWithAPortKeepsIt() {
    assertThat(IDENTITY.under("registry.acme.internal:5000"))
        .isEqualTo("registry.acme.internal:5000/atrium/identity:1.0.0@" + DIGEST);
    assertThat(IDENTITY.under("registry.acme.internal:5000/mirror"))
        .isEqualTo("registry.acme.internal:5000/mirror/atrium/identity:1.0.0@" + DIGEST);
  }

  @Test
  void aDigestOnlyReferenceHasNoTag() {
    assertThat(new ImageRef("atrium/identity", null, DIGEST).under("registry.acme.internal:5000/mirror"))
        .isEqualTo("registry.acme.internal:5000/mirror/atrium/identity@" + DIGEST);
  }

  @Test
  void aTagAndDigestReferenceKeepsBothAndTheDigestIsWhatIsPulled() {
    assertThat(IDENTITY.under("registry.acme.internal:5000")).endsWith("/atrium/identity:1.0.0@" + DIGEST);
    assertThat(new ImageRef("atrium/identity", "1.0.0", null).under("registry.acme.internal:5000"))
        .isEqualTo("registry.acme.internal:5000/atrium/identity:1.0.0");
  }

  @Test
  void anImageNeedsATagOrADigest() {
    assertThatThrownBy(() -> new ImageRef("atrium/identity", null, null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("atrium/identity");
  }

  @Test
  void aRepositoryThatStartsWithThePrefixIsNotDeduplicated() {
    // pathPrefix is the path the release's repositories are mirrored under, not a replacement for
    // their first segment: atrium/identity under the prefix atrium is atrium/atrium/identity
    assertThat(IDENTITY.under("registry.acme.internal:5000/atrium"))
        .isEqualTo("registry.acme.internal:5000/atrium/atrium/identity:1.0.0@" + DIGEST);
  }

  @Test
  void thePlatformsRegistryHostAndPathPrefixAreWhatThePodsPull() {
    ImageRef identity = TestPlatforms.releases().find(TestPlatforms.VERSION).orElseThrow().image(Component.IDENTITY);
    String pinned = identity.repository() + ":" + identity.tag() + "@" + identity.digest();
    assertThat(identity.repository()).isEqualTo("atrium/identity");

    assertThat(image("registry.acme.internal:5000", "mirror"))
        .isEqualTo("registry.acme.internal:5000/mirror/" + pinned);
    assertThat(image("registry.acme.internal:5000", null)).isEqualTo("registry.acme.internal:5000/" + pinned);
    assertThat(image("registry.acme.internal:5000", "atrium"))
        .isEqualTo("registry.acme.internal:5000/atrium/" + pinned)
        .startsWith("registry.acme.internal:5000/atrium/atrium/identity:");
  }

  /** The identity image of the example platform with that registry, as the operator writes it. */
  private static String image(String host, String pathPrefix) {
    return TestPlatforms.context(TestPlatforms.withRegistry(host, pathPrefix)).image(Component.IDENTITY);
  }
}
