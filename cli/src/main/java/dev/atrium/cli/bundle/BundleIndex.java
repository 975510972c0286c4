package dev.atrium.cli.bundle;

import java.util.List;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code atrium-bundle.json}: what a bundle holds, each artifact with its digest and size. Its exact bytes are
 * signed ({@code atrium-bundle.json.sig}); it is written with a fixed field order and indentation, so the same
 * inputs give the same bytes.
 *
 * @param format {@link #FORMAT}; a reader refuses any other
 * @param releases the PlatformRelease versions the bundle carries, sorted
 * @param operator the operator's chart and image
 * @param base for a differential bundle, what the site must already have; null for a full bundle
 * @param images every image, by repository and manifest digest
 * @param artifacts every file of the bundle after the index and its signature, sorted by path
 */
public record BundleIndex(String format, List<String> releases, Operator operator, Base base, List<Image> images,
    List<Artifact> artifacts) {

  public static final String FORMAT = "atrium.dev/bundle/v1";
  public static final String FILE = "atrium-bundle.json";
  public static final String SIGNATURE_FILE = "atrium-bundle.json.sig";

  private static final JsonMapper JSON = JsonMapper.builder()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();

  /**
   * The operator.
   *
   * @param version the chart's appVersion, the operator's release
   * @param chartVersion the chart's version
   * @param chart the chart archive's path in the bundle
   * @param repository the operator image's repository, e.g. {@code atrium/atrium-operator}
   * @param digest the operator image's manifest digest
   */
  public record Operator(String version, String chartVersion, String chart, String repository, String digest) {
  }

  /**
   * What a differential bundle leaves out: the site pushed it from an earlier bundle.
   *
   * @param index the sha256 of the earlier bundle's {@code atrium-bundle.json}
   * @param releases the earlier bundle's releases
   * @param blobs every blob this bundle's images use and do not carry
   */
  public record Base(String index, List<String> releases, List<BaseBlob> blobs) {
  }

  /**
   * A blob left out of a differential bundle.
   *
   * @param digest its digest
   * @param size its size
   * @param repository the repository it was pushed to from the earlier bundle (without the site's path)
   */
  public record BaseBlob(String digest, long size, String repository) {
  }

  /**
   * An image.
   *
   * @param name a short name: the repository's last segment
   * @param repository e.g. {@code atrium/postgresql}
   * @param tags the tags the releases (or the operator's archive) give it
   * @param digest the manifest's digest
   * @param mediaType the manifest's media type
   * @param size the manifest's size
   * @param releases the releases that pin it; empty for the operator
   */
  public record Image(String name, String repository, List<String> tags, String digest, String mediaType, long size,
      List<String> releases) {
  }

  /** Kinds of artifact. */
  public enum Kind {
    chart, crd, release, policy, layout, manifest, config, layer
  }

  /**
   * One file of the bundle.
   *
   * @param path its path in the bundle
   * @param kind what it is
   * @param mediaType its media type
   * @param digest the sha256 of its bytes
   * @param size its size in bytes
   */
  public record Artifact(String path, Kind kind, String mediaType, String digest, long size) {
  }

  public byte[] toJson() {
    return JSON.writeValueAsBytes(this);
  }

  /** Parses an index; a different format or a malformed one is an {@link IllegalArgumentException}. */
  public static BundleIndex parse(byte[] json) {
    BundleIndex index;
    try {
      index = JSON.readValue(json, BundleIndex.class);
    } catch (JacksonException e) {
      throw new IllegalArgumentException(FILE + " is not a bundle index: " + e.getOriginalMessage(), e);
    }
    if (!FORMAT.equals(index.format())) {
      throw new IllegalArgumentException(FILE + " has format " + index.format() + "; this atrium reads " + FORMAT);
    }
    return index;
  }

  public boolean differential() {
    return base != null;
  }

  public Optional<Artifact> artifact(String path) {
    return artifacts.stream().filter(a -> a.path().equals(path)).findFirst();
  }
}
