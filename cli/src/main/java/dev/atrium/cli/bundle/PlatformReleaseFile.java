package dev.atrium.cli.bundle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * A PlatformRelease manifest (e.g. examples/releases/1.0.0.yaml): its name and the image each component pins.
 *
 * @param file where it was read
 * @param version {@code metadata.name}
 * @param images component name to image, in the file's order
 */
public record PlatformReleaseFile(Path file, String version, List<ComponentImage> images) {

  private static final YAMLMapper YAML = YAMLMapper.builder().build();

  /** One component's image: {@code spec.images.<component>}. */
  public record ComponentImage(String component, String repository, String tag, String digest) {
  }

  public static PlatformReleaseFile read(Path file) throws IOException {
    return parse(file, Files.readString(file));
  }

  /** Parses a release's text; {@code file} names it in messages. */
  public static PlatformReleaseFile parse(Path file, String yaml) throws IOException {
    JsonNode root;
    try {
      root = YAML.readTree(yaml);
    } catch (JacksonException e) {
      throw new IOException(file + " is not YAML: " + e.getOriginalMessage(), e);
    }
    if (root == null || !"PlatformRelease".equals(root.path("kind").asString(""))) {
      throw new IOException(file + " is not a PlatformRelease");
    }
    String version = root.path("metadata").path("name").asString("");
    List<ComponentImage> images = new ArrayList<>();
    for (Map.Entry<String, JsonNode> entry : root.path("spec").path("images").properties()) {
      JsonNode image = entry.getValue();
      String digest = image.path("digest").asString("");
      if (!Digests.valid(digest)) {
        throw new IOException(file + ": component " + entry.getKey() + " pins no sha256 digest ('" + digest + "')");
      }
      images.add(new ComponentImage(entry.getKey(), image.path("repository").asString(""),
          image.path("tag").asString(""), digest));
    }
    if (version.isEmpty() || images.isEmpty()) {
      throw new IOException(file + " names no version (metadata.name) or no image (spec.images)");
    }
    return new PlatformReleaseFile(file, version, List.copyOf(images));
  }

  /** Reads every {@code *.yaml}/{@code *.yml} PlatformRelease of {@code dir}, keyed by version. */
  public static List<PlatformReleaseFile> readAll(Path dir) throws IOException {
    List<PlatformReleaseFile> releases = new ArrayList<>();
    try (var files = Files.list(dir)) {
      for (Path file : files.filter(f -> f.toString().matches(".*\\.ya?ml$")).sorted().toList()) {
        releases.add(read(file));
      }
    }
    return releases;
  }
}
