package dev.atrium.testing.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The image archives that hack/images.sh writes (OCI layouts, FILE.tar with FILE.tar.digest beside it), and
 * pushing them to a registry by digest, unchanged, with skopeo: what a site does with the images it received.
 */
public final class ImageArchives {

  /**
   * One image.
   *
   * @param archive the OCI layout archive
   * @param reference the name it was built with, REGISTRY/REPOSITORY:TAG
   * @param digest the manifest digest, which stays the same in every registry it is copied to
   */
  public record Image(Path archive, String reference, String digest) {

    /** REPOSITORY without the registry, e.g. {@code atrium/pause}. */
    public String repository() {
      String withoutTag = reference.substring(0, reference.lastIndexOf(':'));
      return withoutTag.substring(withoutTag.indexOf('/') + 1);
    }

    public String tag() {
      return reference.substring(reference.lastIndexOf(':') + 1);
    }

    /** {@code registry/repository@digest}: how a pod names it. */
    public String byDigest(String registry) {
      return registry + "/" + repository() + "@" + digest;
    }
  }

  private final Map<String, Image> images;

  private ImageArchives(Map<String, Image> images) {
    this.images = images;
  }

  /** Reads every {@code *.tar} with a {@code .digest} beside it in {@code dir}, by file name without .tar. */
  public static ImageArchives in(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new ClusterUnavailableException("No image archives in " + dir + ": build them with hack/images.sh"
          + " (or point -D" + NodeCluster.Settings.IMAGES_PROPERTY + " at the directory that has them)");
    }
    Map<String, Image> images = new LinkedHashMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path archive : files.filter(f -> f.toString().endsWith(".tar")).sorted().toList()) {
        Path digestFile = archive.resolveSibling(archive.getFileName() + ".digest");
        if (!Files.exists(digestFile)) {
          continue;
        }
        String name = archive.getFileName().toString().replaceAll("\\.tar$", "");
        images.put(name, new Image(archive, referenceOf(archive), Files.readString(digestFile).strip()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new ImageArchives(images);
  }

  /** The image built as {@code name}.tar, e.g. {@code pause}. */
  public Image get(String name) {
    Image image = images.get(name);
    if (image == null) {
      throw new ClusterUnavailableException("No image archive " + name + ".tar among " + images.keySet()
          + ": build it with hack/images.sh");
    }
    return image;
  }

  public Map<String, Image> all() {
    return Map.copyOf(images);
  }

  /**
   * Copies the image to {@code registryHost} (plain HTTP) under its repository and tag with skopeo; the
   * digest does not change (skopeo copies the manifest and blobs as they are), which is checked.
   */
  public static void push(Image image, String registryHost) {
    String target = "docker://" + registryHost + "/" + image.repository() + ":" + image.tag();
    List<String> command = List.of("skopeo", "copy", "--quiet", "--dest-tls-verify=false", "--preserve-digests",
        "--digestfile", image.archive() + ".pushed", "oci-archive:" + image.archive(), target);
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
        process.destroyForcibly();
        throw new IllegalStateException("skopeo copy to " + target + " failed: " + out.strip());
      }
      String pushed = Files.readString(Path.of(image.archive() + ".pushed")).strip();
      Files.deleteIfExists(Path.of(image.archive() + ".pushed"));
      if (!pushed.equals(image.digest())) {
        throw new IllegalStateException("pushing " + image.reference() + " changed its digest from " + image.digest()
            + " to " + pushed);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run skopeo (Debian: apt-get install skopeo)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /**
   * The name the archive was built with: the {@code io.containerd.image.name} annotation of its index.json
   * (hack/lib/oci-image.sh), else the first RepoTags entry of its {@code docker save} manifest.json (Jib).
   */
  static String referenceOf(Path archive) {
    try {
      ObjectMapper json = new ObjectMapper();
      JsonNode name = json.readTree(extract(archive, "index.json"))
          .path("manifests").path(0).path("annotations").path("io.containerd.image.name");
      if (name.isTextual()) {
        return name.asText();
      }
      JsonNode tag = json.readTree(extract(archive, "manifest.json")).path(0).path("RepoTags").path(0);
      if (tag.isTextual()) {
        return tag.asText();
      }
      throw new IllegalStateException(archive + " names no image (index.json or manifest.json)");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + archive, e);
    }
  }

  private static byte[] extract(Path archive, String member) throws IOException {
    Process process = new ProcessBuilder("tar", "-xOf", archive.toString(), member).start();
    byte[] content = process.getInputStream().readAllBytes();
    try {
      if (!process.waitFor(1, TimeUnit.MINUTES) || process.exitValue() != 0) {
        throw new IllegalStateException(archive + " has no " + member + ": not an OCI image layout archive");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    return content;
  }
}
