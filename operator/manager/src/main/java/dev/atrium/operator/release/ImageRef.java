package dev.atrium.operator.release;

import java.util.Objects;

/**
 * An image of a release, without its registry: the registry comes from the platform (or the
 * operator's default), so that an air-gapped site pulls every image from its own.
 *
 * @param repository path such as atrium/identity
 * @param tag tag such as 1.0.0
 * @param digest sha256:... when the release pins one; then it is what gets pulled
 */
public record ImageRef(String repository, String tag, String digest) {

  public ImageRef {
    Objects.requireNonNull(repository, "repository");
    Objects.requireNonNull(tag, "tag");
  }

  /** The reference under a registry, e.g. registry.example.com/mirror/atrium/identity:1.0.0. */
  public String under(String registryAndPrefix) {
    String image = registryAndPrefix + "/" + repository + ":" + tag;
    return digest == null ? image : image + "@" + digest;
  }
}
