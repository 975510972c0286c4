package dev.atrium.cli.bundle;

import dev.atrium.cli.bundle.BundleIndex.Artifact;
import dev.atrium.cli.bundle.BundleIndex.Base;
import dev.atrium.cli.bundle.BundleIndex.BaseBlob;
import dev.atrium.cli.bundle.BundleIndex.Image;
import dev.atrium.cli.bundle.BundleIndex.Kind;
import dev.atrium.cli.bundle.BundleIndex.Operator;
import dev.atrium.cli.bundle.OciArchive.Descriptor;
import dev.atrium.cli.bundle.OciArchive.Manifest;
import dev.atrium.cli.bundle.PlatformReleaseFile.ComponentImage;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes a bundle: the index and its signature first, then every artifact sorted by path, each image blob
 * copied byte for byte from its archive (and its digest checked on the way).
 */
public final class BundleCreator {

  static final String OPERATOR_ARCHIVE = "atrium-operator.tar";
  static final String CHART_MEDIA_TYPE = "application/vnd.cncf.helm.chart.content.v1.tar+gzip";
  static final String YAML_MEDIA_TYPE = "application/yaml";
  static final String LAYOUT_MEDIA_TYPE = "application/vnd.oci.image.layout.v1+json";

  /**
   * What to bundle.
   *
   * @param releases the PlatformRelease versions
   * @param imageDirs directories of image archives (OCI layouts as tar)
   * @param releaseFiles PlatformRelease files to choose the releases from (the explicit files first)
   * @param chartDir the operator's chart
   * @param crdDir the CRDs ({@code *.yml}, {@code *.yaml})
   * @param policyDir the ready AutoscalingPolicies ({@code *.yaml})
   * @param key the Ed25519 private key that signs the index
   * @param since an earlier bundle whose blobs the site has; null for a full bundle
   */
  public record Inputs(List<String> releases, List<Path> imageDirs, List<Path> releaseFiles, Path chartDir,
      Path crdDir, Path policyDir, PrivateKey key, Path since) {
  }

  /** The bundle written: its size, the file's sha256, and the index it carries. */
  public record Created(Path file, long size, String sha256, BundleIndex index) {
  }

  private final Progress progress;

  public BundleCreator(Progress progress) {
    this.progress = progress;
  }

  /** One artifact and where its bytes come from. */
  private record Planned(Artifact artifact, byte[] bytes, OciArchive archive) {
  }

  public Created create(Inputs inputs, Path out) throws IOException {
    List<OciArchive> archives = new ArrayList<>();
    try {
      return create(inputs, out, archives);
    } finally {
      for (OciArchive archive : archives) {
        archive.close();
      }
    }
  }

  private Created create(Inputs inputs, Path out, List<OciArchive> archives) throws IOException {
    List<PlatformReleaseFile> releases = chooseReleases(inputs);
    Map<String, Manifest> manifests = new LinkedHashMap<>();
    Manifest operatorManifest = null;
    for (Path dir : inputs.imageDirs()) {
      List<Path> tars;
      try (Stream<Path> files = Files.list(dir)) {
        tars = files.filter(f -> f.getFileName().toString().endsWith(".tar")).sorted().toList();
      }
      for (Path tar : tars) {
        OciArchive archive = OciArchive.open(tar);
        archives.add(archive);
        for (Manifest manifest : archive.manifests()) {
          manifests.putIfAbsent(manifest.digest(), manifest);
          if (operatorManifest == null && tar.getFileName().toString().equals(OPERATOR_ARCHIVE)) {
            operatorManifest = manifest;
          }
        }
      }
    }
    if (operatorManifest == null) {
      throw new IOException("no " + OPERATOR_ARCHIVE + " (the operator image) in " + inputs.imageDirs());
    }
    ChartPackage chart = ChartPackage.of(inputs.chartDir());

    // images, by repository and digest: the operator's and every component's of the releases
    Map<String, ImageBuilder> images = new TreeMap<>();
    String[] operatorRef = repositoryAndTag(operatorManifest.name(), chart.appVersion());
    images.computeIfAbsent(operatorRef[0] + "@" + operatorManifest.digest(),
        k -> new ImageBuilder(operatorRef[0], manifests.get(k.substring(k.indexOf('@') + 1))))
        .tags.add(operatorRef[1]);
    List<String> missing = new ArrayList<>();
    for (PlatformReleaseFile release : releases) {
      for (ComponentImage component : release.images()) {
        Manifest manifest = manifests.get(component.digest());
        if (manifest == null) {
          missing.add("release " + release.version() + " component " + component.component() + " ("
              + component.repository() + ":" + component.tag() + ") pins " + component.digest());
          continue;
        }
        ImageBuilder image = images.computeIfAbsent(component.repository() + "@" + component.digest(),
            k -> new ImageBuilder(component.repository(), manifest));
        image.tags.add(component.tag());
        image.releases.add(release.version());
      }
    }
    if (!missing.isEmpty()) {
      throw new IOException("no image archive in " + inputs.imageDirs() + " has the manifest that "
          + String.join("; ", missing));
    }

    Base base = null;
    Set<String> leftOut = Set.of();
    if (inputs.since() != null) {
      base = base(inputs.since(), images.values());
      leftOut = new TreeSet<>();
      for (BaseBlob blob : base.blobs()) {
        leftOut.add(blob.digest());
      }
    }

    List<Planned> planned = new ArrayList<>();
    planned.add(small(chartPath(chart), Kind.chart, CHART_MEDIA_TYPE, chart.bytes()));
    for (Path crd : yamlFiles(inputs.crdDir(), ".*\\.ya?ml$")) {
      planned.add(small(BundlePaths.CRDS_DIR + crd.getFileName(), Kind.crd, YAML_MEDIA_TYPE, Files.readAllBytes(crd)));
    }
    for (PlatformReleaseFile release : releases) {
      planned.add(small(BundlePaths.RELEASES_DIR + release.version() + ".yaml", Kind.release, YAML_MEDIA_TYPE,
          Files.readAllBytes(release.file())));
    }
    for (Path policy : yamlFiles(inputs.policyDir(), ".*\\.yaml$")) {
      planned.add(small(BundlePaths.POLICIES_DIR + policy.getFileName(), Kind.policy, YAML_MEDIA_TYPE,
          Files.readAllBytes(policy)));
    }
    planned.add(small(BundlePaths.OCI_LAYOUT, Kind.layout, LAYOUT_MEDIA_TYPE,
        "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8)));
    planned.add(small(BundlePaths.LAYOUT_INDEX, Kind.layout, OciArchive.OCI_INDEX, layoutIndex(images.values())));
    Map<String, Planned> blobs = new TreeMap<>();
    for (ImageBuilder image : images.values()) {
      Manifest manifest = image.manifest;
      blobs.putIfAbsent(manifest.digest(), small(BundlePaths.blob(manifest.digest()), Kind.manifest,
          manifest.mediaType(), manifest.bytes()));
      OciArchive archive = archives.stream().filter(a -> a.path().equals(manifest.archive())).findFirst().orElseThrow();
      for (Descriptor blob : manifest.blobs()) {
        if (leftOut.contains(blob.digest()) || blobs.containsKey(blob.digest())) {
          continue;
        }
        if (!archive.hasBlob(blob.digest()) || archive.blobSize(blob.digest()) != blob.size()) {
          throw new IOException(archive.path() + ": the blob " + blob.digest() + " of " + image.repository
              + " is missing or not of the size its manifest says (" + blob.size() + ")");
        }
        Kind kind = blob == manifest.config() ? Kind.config : Kind.layer;
        blobs.put(blob.digest(), new Planned(new Artifact(BundlePaths.blob(blob.digest()), kind, blob.mediaType(),
            blob.digest(), blob.size()), null, archive));
      }
    }
    planned.addAll(blobs.values());
    planned.sort(Comparator.comparing(p -> p.artifact().path()));

    List<String> releaseNames = releases.stream().map(PlatformReleaseFile::version).sorted().toList();
    BundleIndex index = new BundleIndex(BundleIndex.FORMAT, releaseNames,
        new Operator(chart.appVersion(), chart.version(), chartPath(chart), operatorRef[0],
            operatorManifest.digest()),
        base, images.values().stream().map(ImageBuilder::build).toList(),
        planned.stream().map(Planned::artifact).toList());
    return write(index, planned, inputs.key(), out);
  }

  private static String chartPath(ChartPackage chart) {
    return BundlePaths.CHART_DIR + chart.fileName();
  }

  private Created write(BundleIndex index, List<Planned> planned, PrivateKey key, Path out) throws IOException {
    byte[] indexBytes = index.toJson();
    byte[] signature = BundleKeys.sign(key, indexBytes);
    long total = planned.stream().mapToLong(p -> p.artifact().size()).sum();
    progress.say("writing %s: %d releases %s, %d images, %d files, %s%s", out, index.releases().size(),
        index.releases(), index.images().size(), planned.size(), Progress.bytes(total),
        index.differential() ? ", differential against " + index.base().releases() + " (" + index.base().blobs().size()
            + " blobs left out)" : "");
    Path partial = out.resolveSibling(out.getFileName() + ".partial");
    MessageDigest fileDigest = Digests.sha256();
    long written = 0;
    try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(partial), 1 << 16);
        DigestOutputStream digesting = new DigestOutputStream(file, fileDigest);
        TarArchiveOutputStream tar = DeterministicTar.open(digesting)) {
      DeterministicTar.put(tar, BundleIndex.FILE, indexBytes);
      DeterministicTar.put(tar, BundleIndex.SIGNATURE_FILE, signature);
      for (Planned p : planned) {
        Artifact artifact = p.artifact();
        if (p.bytes() != null) {
          DeterministicTar.put(tar, artifact.path(), p.bytes());
        } else {
          if (artifact.size() >= 1 << 20) {
            progress.say("  %s %s %s (%s of %s written)", artifact.kind(), Progress.shortDigest(artifact.digest()),
                Progress.bytes(artifact.size()), Progress.bytes(written), Progress.bytes(total));
          }
          Digests.Copied copied;
          try (InputStream in = p.archive().openBlob(artifact.digest())) {
            copied = DeterministicTar.put(tar, artifact.path(), artifact.size(), in);
          }
          if (!copied.digest().equals(artifact.digest())) {
            throw new IOException(p.archive().path() + ": the blob " + artifact.digest() + " has the digest "
                + copied.digest() + "; the archive is damaged");
          }
        }
        written += artifact.size();
      }
      tar.finish();
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(partial);
      throw e;
    }
    Files.move(partial, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    String sha = Digests.format(fileDigest.digest());
    long size = Files.size(out);
    progress.say("wrote %s: %d bytes (%s), %s", out, size, Progress.bytes(size), sha);
    return new Created(out, size, sha, index);
  }

  private static Planned small(String path, Kind kind, String mediaType, byte[] bytes) {
    return new Planned(new Artifact(path, kind, mediaType, Digests.of(bytes), bytes.length), bytes, null);
  }

  private static List<Path> yamlFiles(Path dir, String pattern) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().matches(pattern)).sorted().toList();
    }
  }

  private static List<PlatformReleaseFile> chooseReleases(Inputs inputs) throws IOException {
    Map<String, PlatformReleaseFile> byVersion = new LinkedHashMap<>();
    for (Path file : inputs.releaseFiles()) {
      PlatformReleaseFile release = PlatformReleaseFile.read(file);
      byVersion.putIfAbsent(release.version(), release);
    }
    List<PlatformReleaseFile> chosen = new ArrayList<>();
    for (String version : new TreeSet<>(inputs.releases())) {
      PlatformReleaseFile release = byVersion.get(version);
      if (release == null) {
        throw new IOException("no PlatformRelease named " + version + " among " + inputs.releaseFiles());
      }
      chosen.add(release);
    }
    if (chosen.isEmpty()) {
      throw new IOException("name at least one release (--release)");
    }
    return chosen;
  }

  /** The OCI layout's index.json: every image manifest once per tag, named {@code repository:tag}. */
  private static byte[] layoutIndex(Iterable<ImageBuilder> images) {
    ObjectNode root = OciArchive.JSON.createObjectNode();
    root.put("schemaVersion", 2);
    root.put("mediaType", OciArchive.OCI_INDEX);
    ArrayNode list = root.putArray("manifests");
    for (ImageBuilder image : images) {
      for (String tag : image.tags) {
        ObjectNode descriptor = list.addObject();
        descriptor.put("mediaType", image.manifest.mediaType());
        descriptor.put("digest", image.manifest.digest());
        descriptor.put("size", image.manifest.bytes().length);
        descriptor.putObject("annotations").put(OciArchive.REF_NAME, image.repository + ":" + tag);
      }
    }
    return OciArchive.JSON.writeValueAsBytes(root);
  }

  /**
   * The base of a differential bundle: which of this bundle's blobs the earlier bundle carried (or itself
   * relied on), each with the repository the site pushed it to.
   */
  private Base base(Path since, Iterable<ImageBuilder> images) throws IOException {
    Map<String, BaseBlob> atSite = new TreeMap<>();
    String oldIndexDigest;
    BundleIndex old;
    try (BundleFile oldBundle = BundleFile.open(since)) {
      byte[] oldBytes = oldBundle.indexBytes();
      oldIndexDigest = Digests.of(oldBytes);
      old = BundleIndex.parse(oldBytes);
      if (old.base() != null) {
        old.base().blobs().forEach(b -> atSite.put(b.digest(), b));
      }
      for (Image image : old.images()) {
        byte[] manifest = oldBundle.read(BundlePaths.blob(image.digest()));
        for (Descriptor blob : OciArchive.blobsOf(manifest)) {
          if (oldBundle.has(BundlePaths.blob(blob.digest()))) {
            atSite.putIfAbsent(blob.digest(), new BaseBlob(blob.digest(), blob.size(), image.repository()));
          }
        }
      }
    }
    Map<String, BaseBlob> needed = new TreeMap<>();
    for (ImageBuilder image : images) {
      for (Descriptor blob : image.manifest.blobs()) {
        BaseBlob there = atSite.get(blob.digest());
        if (there != null) {
          needed.put(blob.digest(), there);
        }
      }
    }
    progress.say("differential against %s (%s): %d of this bundle's blobs are at the site already", since,
        old.releases(), needed.size());
    return new Base(oldIndexDigest, old.releases(), List.copyOf(needed.values()));
  }

  /** {@code registry.example/atrium/x:1.0} → {@code [atrium/x, 1.0]}; a bare tag keeps the fallback repository. */
  static String[] repositoryAndTag(String name, String fallbackTag) {
    String reference = name;
    int slash = reference.indexOf('/');
    if (slash > 0) {
      String first = reference.substring(0, slash);
      if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
        reference = reference.substring(slash + 1);
      }
    }
    int colon = reference.lastIndexOf(':');
    String repository = colon > reference.lastIndexOf('/') && colon > 0 ? reference.substring(0, colon) : reference;
    String tag = colon > reference.lastIndexOf('/') && colon > 0 ? reference.substring(colon + 1) : fallbackTag;
    if (repository.isEmpty() || !repository.contains("/")) {
      throw new IllegalArgumentException("the operator image archive names no repository ('" + name
          + "'): expected REGISTRY/atrium/atrium-operator:TAG in its index.json");
    }
    return new String[] {repository, tag};
  }

  private static final class ImageBuilder {
    final String repository;
    final Manifest manifest;
    final Set<String> tags = new TreeSet<>();
    final Set<String> releases = new TreeSet<>();

    ImageBuilder(String repository, Manifest manifest) {
      this.repository = repository;
      this.manifest = manifest;
    }

    Image build() {
      return new Image(repository.substring(repository.lastIndexOf('/') + 1), repository, List.copyOf(tags),
          manifest.digest(), manifest.mediaType(), manifest.bytes().length, List.copyOf(releases));
    }
  }
}
