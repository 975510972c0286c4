package dev.atrium.operator.release;

import java.util.Objects;

/**
 * An image of a release, without its registry: the registry comes from the platform (or the
 * operator's default), so that an air-gapped site pulls every image from its own.
 *
 * @param repository path such as atrium/identity; kept whole under the registry, the way registry
 *     mirrors and {@code crane copy} or {@code skopeo sync} lay images out
 * @param tag tag such as 1.0.0, for people; null for a reference by digest only
 * @param digest sha256:... when the release pins one; then it is what gets pulled
 */
public record ImageRef(String repository, String tag, String digest) {

  public ImageRef {
    Objects.requireNonNull(repository, "repository");
    if (tag == null && digest == null) {
      throw new IllegalArgumentException("image " + repository + " needs a tag or a digest");
    }
  }

  /**
   * The reference under a registry host and optional path prefix, which is put in front of the
   * repository as it is, without removing a part the two share: under
   * {@code registry.acme.internal:5000/mirror}, atrium/identity 1.0.0 pinned to sha256:abc is
   * {@code registry.acme.internal:5000/mirror/atrium/identity:1.0.0@sha256:abc} (the digest is
   * what is pulled; the tag only tells people the version).
   */
  public String under(String registryAndPrefix) {
    String image = registryAndPrefix + "/" + repository;
    if (tag != null) {
      image += ":" + tag;
    }
    return digest == null ? image : image + "@" + digest;
  }
}
