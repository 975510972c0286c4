package dev.atrium.cli.bundle;

import dev.atrium.cli.bundle.BundleIndex.Artifact;
import dev.atrium.cli.bundle.BundleIndex.BaseBlob;
import dev.atrium.cli.bundle.BundleIndex.Image;
import dev.atrium.cli.bundle.BundleIndex.Kind;
import dev.atrium.cli.bundle.OciArchive.Descriptor;
import dev.atrium.cli.bundle.PlatformReleaseFile.ComponentImage;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import tools.jackson.databind.JsonNode;

/**
 * Verifies a bundle in one pass over the file: the index's signature first (nothing else is believed before
 * it), then every entry against the index (listed, once, its size and sha256), then that nothing listed is
 * missing, then completeness (every manifest's blobs, every release's images, the layout's index).
 */
public final class BundleVerifier {

  /** Larger small files are not kept in memory for the completeness checks. */
  private static final long KEEP_LIMIT = 16 << 20;
  static final int SIGNATURE_SIZE = 64;

  /**
   * What verification found.
   *
   * @param index the index, once its signature verified; null otherwise
   * @param indexDigest the sha256 of the index's bytes
   * @param problems every problem, each naming what is wrong; empty when the bundle verified
   */
  public record Result(BundleIndex index, String indexDigest, List<String> problems, long bytes) {
    public boolean ok() {
      return problems.isEmpty();
    }
  }

  private final Progress progress;

  public BundleVerifier(Progress progress) {
    this.progress = progress;
  }

  public Result verify(Path bundle, PublicKey key) throws IOException {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(bundle), 1 << 16)) {
      return verify(in, key);
    }
  }

  public Result verify(InputStream in, PublicKey key) {
    List<String> problems = new ArrayList<>();
    TarArchiveInputStream tar = new TarArchiveInputStream(in);
    byte[] indexBytes;
    byte[] signature;
    try {
      indexBytes = readSmall(tar, BundleIndex.FILE, problems);
      signature = indexBytes == null ? null : readSmall(tar, BundleIndex.SIGNATURE_FILE, problems);
    } catch (IOException e) {
      problems.add("the bundle is truncated or not a tar before its index and signature: " + e.getMessage());
      return new Result(null, null, problems, 0);
    }
    if (indexBytes == null || signature == null) {
      return new Result(null, null, problems, 0);
    }
    String indexDigest = Digests.of(indexBytes);
    if (!BundleKeys.verify(key, indexBytes, signature)) {
      problems.add("the signature does not verify: " + BundleIndex.FILE + " (" + indexDigest + ") was changed, or"
          + " was not signed by the key whose public key is " + BundleKeys.fingerprint(key));
      return new Result(null, indexDigest, problems, 0);
    }
    BundleIndex index;
    try {
      index = BundleIndex.parse(indexBytes);
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage());
      return new Result(null, indexDigest, problems, 0);
    }
    progress.say("signature verified (%s, key %s): releases %s, %d images, %d files", indexDigest,
        Progress.shortDigest(BundleKeys.fingerprint(key)), index.releases(), index.images().size(),
        index.artifacts().size());

    Map<String, Artifact> expected = new LinkedHashMap<>();
    for (Artifact artifact : index.artifacts()) {
      if (expected.put(artifact.path(), artifact) != null) {
        problems.add("the index lists " + artifact.path() + " twice");
      }
    }
    Map<String, byte[]> kept = new HashMap<>();
    Set<String> seen = new HashSet<>();
    long bytes = 0;
    String current = null;
    try {
      for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; current = null) {
        String name = entry.getName();
        current = name;
        Artifact artifact = expected.get(name);
        if (artifact == null) {
          problems.add("unexpected entry " + name + " (" + entry.getSize() + " bytes): the index does not list it");
          continue;
        }
        if (!seen.add(name)) {
          problems.add(name + " appears twice in the bundle");
          continue;
        }
        boolean keep = (artifact.kind() == Kind.manifest || artifact.kind() == Kind.release
            || name.equals(BundlePaths.LAYOUT_INDEX)) && artifact.size() <= KEEP_LIMIT;
        java.io.ByteArrayOutputStream copy = keep ? new java.io.ByteArrayOutputStream() : null;
        Digests.Copied copied = Digests.copy(tar, copy);
        bytes += copied.size();
        if (copied.size() != entry.getSize()) {
          problems.add("the bundle is truncated: " + name + " ends after " + copied.size() + " of its "
              + entry.getSize() + " bytes");
          break;
        }
        if (copied.size() != artifact.size()) {
          problems.add(name + ": " + copied.size() + " bytes, the index says " + artifact.size());
        } else if (!copied.digest().equals(artifact.digest())) {
          problems.add(name + ": its content has the digest " + copied.digest() + ", the index says "
              + artifact.digest());
        } else if (keep) {
          kept.put(name, copy.toByteArray());
        }
        if (artifact.size() >= 1 << 20) {
          progress.say("  %s %s %s verified (%s read)", artifact.kind(), Progress.shortDigest(artifact.digest()),
              Progress.bytes(artifact.size()), Progress.bytes(bytes));
        }
      }
    } catch (IOException e) {
      problems.add("the bundle is truncated or damaged " + (current == null ? "between entries" : "in " + current)
          + ", after " + bytes + " bytes of content: " + e.getMessage());
    }
    for (Artifact artifact : expected.values()) {
      if (!seen.contains(artifact.path())) {
        problems.add("missing " + artifact.path() + " (" + artifact.kind() + ", " + artifact.digest() + ", "
            + artifact.size() + " bytes)");
      }
    }
    checkComplete(index, kept, problems);
    return new Result(index, indexDigest, problems, bytes);
  }

  /** Every image's manifest and blobs are carried (or in the base), every release's image is an image. */
  private static void checkComplete(BundleIndex index, Map<String, byte[]> kept, List<String> problems) {
    Map<String, Artifact> byPath = new HashMap<>();
    index.artifacts().forEach(a -> byPath.put(a.path(), a));
    Map<String, BaseBlob> base = new HashMap<>();
    if (index.base() != null) {
      index.base().blobs().forEach(b -> base.put(b.digest(), b));
    }
    Set<String> imageDigests = new HashSet<>();
    for (Image image : index.images()) {
      imageDigests.add(image.digest());
      String path = BundlePaths.blob(image.digest());
      Artifact manifest = byPath.get(path);
      if (manifest == null || manifest.kind() != Kind.manifest) {
        problems.add("image " + image.repository() + "@" + image.digest() + ": its manifest is not in the bundle");
        continue;
      }
      byte[] bytes = kept.get(path);
      if (bytes == null) {
        continue; // missing or damaged: said above
      }
      List<Descriptor> blobs;
      try {
        blobs = OciArchive.blobsOf(bytes);
      } catch (IllegalArgumentException e) {
        problems.add("image " + image.repository() + "@" + image.digest() + ": the manifest " + e.getMessage());
        continue;
      }
      for (Descriptor blob : blobs) {
        Artifact carried = byPath.get(BundlePaths.blob(blob.digest()));
        BaseBlob atSite = base.get(blob.digest());
        if (carried == null && atSite == null) {
          problems.add("image " + image.repository() + "@" + image.digest() + " needs " + blob.digest() + " ("
              + blob.mediaType() + "), which is neither in the bundle nor in its base");
        } else if ((carried != null ? carried.size() : atSite.size()) != blob.size()) {
          problems.add("image " + image.repository() + "@" + image.digest() + " names " + blob.digest()
              + " with " + blob.size() + " bytes; the bundle has it with another size");
        }
      }
    }
    if (index.operator() == null || !imageDigests.contains(index.operator().digest())) {
      problems.add("the operator's image is not among the bundle's images");
    }
    if (index.operator() != null && byPath.get(index.operator().chart()) == null) {
      problems.add("the operator's chart " + index.operator().chart() + " is not in the bundle");
    }
    for (String version : index.releases()) {
      String path = BundlePaths.RELEASES_DIR + version + ".yaml";
      byte[] release = kept.get(path);
      if (release == null) {
        if (!byPath.containsKey(path)) {
          problems.add("release " + version + ": " + path + " is not in the bundle");
        }
        continue;
      }
      try {
        String text = new String(release, java.nio.charset.StandardCharsets.UTF_8);
        for (ComponentImage component : PlatformReleaseFile.parse(Path.of(path), text).images()) {
          if (!imageDigests.contains(component.digest())) {
            problems.add("release " + version + " pins " + component.component() + " to " + component.digest()
                + ", which is not among the bundle's images");
          }
        }
      } catch (IOException e) {
        problems.add("release " + version + ": " + e.getMessage());
      }
    }
    byte[] layout = kept.get(BundlePaths.LAYOUT_INDEX);
    if (layout != null) {
      Set<String> listed = new HashSet<>();
      for (JsonNode descriptor : OciArchive.JSON.readTree(layout).path("manifests")) {
        listed.add(descriptor.path("digest").asString(""));
      }
      for (String digest : imageDigests) {
        if (!listed.contains(digest)) {
          problems.add(BundlePaths.LAYOUT_INDEX + " does not list the image " + digest);
        }
      }
    }
  }

  private static byte[] readSmall(TarArchiveInputStream tar, String name, List<String> problems) throws IOException {
    TarArchiveEntry entry = tar.getNextEntry();
    if (entry == null || !entry.getName().equals(name)) {
      problems.add("not a bundle: the " + (name.equals(BundleIndex.FILE) ? "first" : "second") + " entry is "
          + (entry == null ? "missing" : entry.getName()) + ", not " + name);
      return null;
    }
    if (entry.getSize() > KEEP_LIMIT) {
      problems.add(name + " is " + entry.getSize() + " bytes, too large for a bundle index");
      return null;
    }
    byte[] bytes = tar.readAllBytes();
    if (bytes.length != entry.getSize()) {
      problems.add("the bundle is truncated: " + name + " ends after " + bytes.length + " of " + entry.getSize()
          + " bytes");
      return null;
    }
    if (name.equals(BundleIndex.SIGNATURE_FILE) && bytes.length != SIGNATURE_SIZE) {
      problems.add(name + " is " + bytes.length + " bytes, not an Ed25519 signature (" + SIGNATURE_SIZE + ")");
      return null;
    }
    return bytes;
  }
}

