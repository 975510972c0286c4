package dev.atrium.cli.bundle;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarFile;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An image archive as hack/images.sh writes it: an OCI image layout in a tar ({@code oci-layout},
 * {@code index.json}, {@code blobs/sha256/...}), read in place (random access, nothing extracted).
 */
public final class OciArchive implements Closeable {

  public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  public static final String REF_NAME = "org.opencontainers.image.ref.name";
  static final String CONTAINERD_NAME = "io.containerd.image.name";
  static final JsonMapper JSON = JsonMapper.builder().build();

  /** A blob a manifest names. */
  public record Descriptor(String mediaType, String digest, long size) {
  }

  /**
   * One image manifest of the archive.
   *
   * @param name what the archive's index names it (a reference or a tag), may be empty
   * @param bytes the manifest exactly as stored
   */
  public record Manifest(Path archive, String name, String digest, String mediaType, byte[] bytes, Descriptor config,
      List<Descriptor> layers) {

    /** The config and the layers. */
    public List<Descriptor> blobs() {
      List<Descriptor> all = new ArrayList<>();
      all.add(config);
      all.addAll(layers);
      return all;
    }
  }

  private final Path path;
  private final TarFile tar;
  private final Map<String, TarArchiveEntry> entries = new HashMap<>();

  private OciArchive(Path path) throws IOException {
    this.path = path;
    this.tar = new TarFile(path);
    for (TarArchiveEntry entry : tar.getEntries()) {
      if (entry.isFile()) {
        entries.put(normalise(entry.getName()), entry);
      }
    }
  }

  public static OciArchive open(Path path) throws IOException {
    OciArchive archive = new OciArchive(path);
    if (!archive.entries.containsKey("index.json") || !archive.entries.containsKey("oci-layout")) {
      archive.close();
      throw new IOException(path + " is not an OCI image layout archive (no index.json or oci-layout)");
    }
    return archive;
  }

  public Path path() {
    return path;
  }

  /** Every image manifest {@code index.json} lists. */
  public List<Manifest> manifests() throws IOException {
    JsonNode index = JSON.readTree(read("index.json"));
    List<Manifest> manifests = new ArrayList<>();
    for (JsonNode descriptor : index.path("manifests")) {
      String digest = descriptor.path("digest").asString();
      String mediaType = descriptor.path("mediaType").asString();
      if (!OCI_MANIFEST.equals(mediaType)) {
        throw new IOException(path + ": " + digest + " is a " + mediaType + "; a bundle carries single-platform OCI"
            + " image manifests (" + OCI_MANIFEST + ") only, so that the registry keeps their digest");
      }
      byte[] bytes = readBlob(digest);
      List<Descriptor> blobs;
      try {
        blobs = blobsOf(bytes);
      } catch (IllegalArgumentException e) {
        throw new IOException(path + ": the manifest " + digest + " " + e.getMessage(), e);
      }
      JsonNode annotations = descriptor.path("annotations");
      String name = annotations.path(CONTAINERD_NAME).asString(annotations.path(REF_NAME).asString(""));
      manifests.add(new Manifest(path, name, digest, mediaType, bytes, blobs.getFirst(),
          List.copyOf(blobs.subList(1, blobs.size()))));
    }
    return manifests;
  }

  /** The blobs an image manifest names: its config first, then its layers; a malformed one is refused. */
  public static List<Descriptor> blobsOf(byte[] manifest) {
    JsonNode root;
    try {
      root = JSON.readTree(manifest);
    } catch (tools.jackson.core.JacksonException e) {
      throw new IllegalArgumentException("is not JSON: " + e.getOriginalMessage(), e);
    }
    List<Descriptor> blobs = new ArrayList<>();
    blobs.add(descriptor(root.path("config")));
    for (JsonNode layer : root.path("layers")) {
      blobs.add(descriptor(layer));
    }
    return blobs;
  }

  private static Descriptor descriptor(JsonNode node) {
    String digest = node.path("digest").asString("");
    if (!Digests.valid(digest)) {
      throw new IllegalArgumentException("names the blob '" + digest + "', not a sha256 digest");
    }
    return new Descriptor(node.path("mediaType").asString(""), digest, node.path("size").asLong(-1));
  }

  public boolean hasBlob(String digest) {
    return entries.containsKey(blobPath(digest));
  }

  public long blobSize(String digest) throws IOException {
    return entry(blobPath(digest)).getSize();
  }

  public InputStream openBlob(String digest) throws IOException {
    return tar.getInputStream(entry(blobPath(digest)));
  }

  private byte[] readBlob(String digest) throws IOException {
    byte[] bytes = read(blobPath(digest));
    String actual = Digests.of(bytes);
    if (!actual.equals(digest)) {
      throw new IOException(path + ": the blob " + digest + " has the digest " + actual);
    }
    return bytes;
  }

  private byte[] read(String name) throws IOException {
    try (InputStream in = tar.getInputStream(entry(name))) {
      return in.readAllBytes();
    }
  }

  private TarArchiveEntry entry(String name) throws IOException {
    TarArchiveEntry entry = entries.get(name);
    if (entry == null) {
      throw new IOException(path + " has no " + name);
    }
    return entry;
  }

  static String blobPath(String digest) {
    return "blobs/sha256/" + Digests.hex(digest);
  }

  private static String normalise(String name) {
    return name.startsWith("./") ? name.substring(2) : name;
  }

  @Override
  public void close() throws IOException {
    tar.close();
  }
}
