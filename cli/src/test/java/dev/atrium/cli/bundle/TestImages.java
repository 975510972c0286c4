package dev.atrium.cli.bundle;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;

/**
 * Small real OCI images for tests: layers are gzipped tars of one file, the config names their diff ids, the
 * manifest names both; written as an OCI image layout in a tar, as hack/images.sh writes its archives.
 */
public final class TestImages {

  private TestImages() {
  }

  /**
   * An image written to an archive.
   *
   * @param digest the manifest's digest
   * @param config the config's digest
   * @param layers the layers' digests
   */
  public record Built(Path archive, String reference, String digest, String config, List<String> layers) {

    /** Config and layers. */
    public List<String> blobs() {
      List<String> all = new ArrayList<>(layers);
      all.add(config);
      return all;
    }
  }

  /** A layer: a gzipped tar holding {@code name} with {@code content}; the same arguments give the same bytes. */
  public static byte[] layer(String name, byte[] content) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    GzipParameters gzip = new GzipParameters();
    gzip.setModificationTime(0);
    try (TarArchiveOutputStream tar = DeterministicTar.open(new GzipCompressorOutputStream(out, gzip))) {
      DeterministicTar.put(tar, name, content);
    }
    return out.toByteArray();
  }

  /** Random-looking content of {@code size} bytes that gzip cannot shrink, from a seed. */
  public static byte[] noise(long seed, int size) {
    byte[] bytes = new byte[size];
    new java.util.Random(seed).nextBytes(bytes);
    return bytes;
  }

  /** Writes {@code dir/file} (an OCI layout tar) with one image of these layers, named {@code reference}. */
  public static Built write(Path dir, String file, String reference, List<byte[]> layers) throws IOException {
    Map<String, byte[]> blobs = new LinkedHashMap<>();
    StringBuilder diffIds = new StringBuilder();
    StringBuilder layerDescriptors = new StringBuilder();
    List<String> layerDigests = new ArrayList<>();
    for (byte[] layer : layers) {
      String digest = Digests.of(layer);
      blobs.put(digest, layer);
      layerDigests.add(digest);
      String diffId = Digests.of(new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(layer))
          .readAllBytes());
      diffIds.append(diffIds.isEmpty() ? "" : ",").append('"').append(diffId).append('"');
      layerDescriptors.append(layerDescriptors.isEmpty() ? "" : ",")
          .append("{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"").append(digest)
          .append("\",\"size\":").append(layer.length).append('}');
    }
    byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Labels\":{\"image\":\"" + reference
        + "\"}},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[" + diffIds + "]}}").getBytes(StandardCharsets.UTF_8);
    String configDigest = Digests.of(config);
    blobs.put(configDigest, config);
    // written as the image tools write it: not in Jackson's layout, so a rewrite would show in the digest
    byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + OciArchive.OCI_MANIFEST + "\",\"config\":{\"mediaType\":"
        + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + configDigest + "\",\"size\":" + config.length
        + "},\"layers\":[" + layerDescriptors + "]}").getBytes(StandardCharsets.UTF_8);
    String manifestDigest = Digests.of(manifest);
    blobs.put(manifestDigest, manifest);
    byte[] index = ("{\"schemaVersion\":2,\"mediaType\":\"" + OciArchive.OCI_INDEX + "\",\"manifests\":[{\"mediaType\":\""
        + OciArchive.OCI_MANIFEST + "\",\"digest\":\"" + manifestDigest + "\",\"size\":" + manifest.length
        + ",\"annotations\":{\"" + OciArchive.REF_NAME + "\":\"" + reference + "\"}}]}")
        .getBytes(StandardCharsets.UTF_8);
    Files.createDirectories(dir);
    Path archive = dir.resolve(file);
    try (OutputStream out = Files.newOutputStream(archive); TarArchiveOutputStream tar = DeterministicTar.open(out)) {
      DeterministicTar.put(tar, "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
      DeterministicTar.put(tar, "index.json", index);
      for (Map.Entry<String, byte[]> blob : blobs.entrySet()) {
        DeterministicTar.put(tar, "blobs/sha256/" + Digests.hex(blob.getKey()), blob.getValue());
      }
    }
    Files.writeString(dir.resolve(file + ".digest"), manifestDigest + "\n");
    return new Built(archive, reference, manifestDigest, configDigest, layerDigests);
  }
}
