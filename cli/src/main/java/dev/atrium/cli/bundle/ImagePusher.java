package dev.atrium.cli.bundle;

import dev.atrium.cli.bundle.BundleIndex.BaseBlob;
import dev.atrium.cli.bundle.BundleIndex.Image;
import dev.atrium.cli.bundle.OciArchive.Descriptor;
import dev.atrium.cli.registry.OciRegistry;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Pushes a verified bundle's images to the site's registry by digest: each blob HEAD first (what is there is
 * skipped, so a push that was interrupted goes on where it stopped), mounted from a repository of this push
 * that has it, or uploaded; then the manifest, unchanged, by digest and under each tag.
 */
public final class ImagePusher {

  /** Opens a blob of the bundle; a test can make it fail part way. */
  @FunctionalInterface
  public interface BlobSource {
    InputStream open(String path) throws IOException;
  }

  /** What a push did. */
  public record Pushed(int images, int uploaded, long uploadedBytes, int present, int mounted) {
  }

  private final OciRegistry registry;
  private final Progress progress;
  private final BlobSource source;

  public ImagePusher(OciRegistry registry, BundleFile bundle, Progress progress) {
    this(registry, bundle::open, progress);
  }

  public ImagePusher(OciRegistry registry, BlobSource source, Progress progress) {
    this.registry = registry;
    this.source = source;
    this.progress = progress;
  }

  private record ImageBlobs(Image image, byte[] manifest, List<Descriptor> blobs) {
  }

  public Pushed push(BundleIndex index) throws IOException {
    List<ImageBlobs> images = new ArrayList<>();
    for (Image image : index.images()) {
      byte[] manifest;
      try (InputStream in = source.open(BundlePaths.blob(image.digest()))) {
        manifest = in.readAllBytes();
      }
      images.add(new ImageBlobs(image, manifest, OciArchive.blobsOf(manifest)));
    }
    Map<String, BaseBlob> base = new HashMap<>();
    if (index.base() != null) {
      index.base().blobs().forEach(b -> base.put(b.digest(), b));
      checkBase(index, images, base);
    }
    Map<String, String> pushedTo = new LinkedHashMap<>();
    int uploaded = 0;
    int present = 0;
    int mounted = 0;
    long uploadedBytes = 0;
    long total = 0;
    for (ImageBlobs image : images) {
      for (Descriptor blob : image.blobs()) {
        total += base.containsKey(blob.digest()) ? 0 : blob.size();
      }
    }
    AtomicLong done = new AtomicLong();
    for (ImageBlobs entry : images) {
      Image image = entry.image();
      String repository = image.repository();
      progress.say("image %s@%s (%s)", registry.target().repository(repository), image.digest(),
          String.join(", ", image.tags()));
      for (Descriptor blob : entry.blobs()) {
        if (base.containsKey(blob.digest())) {
          continue; // checked before anything was pushed
        }
        if (registry.hasBlob(repository, blob.digest())) {
          present++;
          done.addAndGet(blob.size());
          progress.say("  %s %s present", Progress.shortDigest(blob.digest()), Progress.bytes(blob.size()));
        } else if (pushedTo.containsKey(blob.digest())
            && registry.mount(repository, blob.digest(), pushedTo.get(blob.digest()))) {
          mounted++;
          done.addAndGet(blob.size());
          progress.say("  %s %s mounted from %s", Progress.shortDigest(blob.digest()), Progress.bytes(blob.size()),
              registry.target().repository(pushedTo.get(blob.digest())));
        } else {
          long before = done.get();
          String path = BundlePaths.blob(blob.digest());
          long[] totals = {total};
          registry.uploadBlob(repository, blob.digest(), blob.size(), () -> {
            done.set(before);
            try {
              return new Counting(source.open(path), done, totals[0], blob.size() >= 8 << 20 ? progress : null);
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
          done.set(before + blob.size());
          uploaded++;
          uploadedBytes += blob.size();
          progress.say("  %s %s uploaded (%s of %s)", Progress.shortDigest(blob.digest()),
              Progress.bytes(blob.size()), Progress.bytes(done.get()), Progress.bytes(total));
        }
        pushedTo.putIfAbsent(blob.digest(), repository);
      }
      String digest = registry.putManifest(repository, image.digest(), entry.manifest());
      if (!image.digest().equals(digest)) {
        throw new IllegalStateException("the registry gave the manifest of " + repository + " the digest " + digest
            + ", not " + image.digest());
      }
      for (String tag : image.tags()) {
        String tagged = registry.putManifest(repository, tag, entry.manifest());
        if (!image.digest().equals(tagged)) {
          throw new IllegalStateException("the registry gave " + repository + ":" + tag + " the digest " + tagged
              + ", not " + image.digest());
        }
      }
      progress.say("  manifest %s and tags %s", Progress.shortDigest(image.digest()), image.tags());
    }
    progress.say("pushed %d images to %s: %d blobs uploaded (%s), %d present, %d mounted", images.size(),
        registry.target(), uploaded, Progress.bytes(uploadedBytes), present, mounted);
    return new Pushed(images.size(), uploaded, uploadedBytes, present, mounted);
  }

  /** A differential bundle: every blob it relies on must be at the site (HEAD, or mounted from where it was). */
  private void checkBase(BundleIndex index, List<ImageBlobs> images, Map<String, BaseBlob> base) {
    Map<String, List<String>> missing = new TreeMap<>();
    int checked = 0;
    for (ImageBlobs image : images) {
      String repository = image.image().repository();
      for (Descriptor blob : image.blobs()) {
        BaseBlob atSite = base.get(blob.digest());
        if (atSite == null) {
          continue;
        }
        checked++;
        boolean there = registry.hasBlob(repository, blob.digest())
            || (!repository.equals(atSite.repository())
                && registry.mount(repository, blob.digest(), atSite.repository()));
        if (!there) {
          missing.computeIfAbsent(blob.digest(), d -> new ArrayList<>()).add(registry.target().repository(repository));
        }
      }
    }
    if (!missing.isEmpty()) {
      List<String> lines = new ArrayList<>();
      missing.forEach((digest, repositories) -> lines.add(digest + " (" + Progress.bytes(base.get(digest).size())
          + ", pushed from the base to " + registry.target().repository(base.get(digest).repository())
          + ") for " + String.join(", ", repositories)));
      throw new IllegalStateException("this differential bundle relies on " + missing.size() + " blobs the registry "
          + registry.target() + " does not have; push the base bundle first (releases " + index.base().releases()
          + ", index " + index.base().index() + "). Missing: " + String.join("; ", lines));
    }
    progress.say("base: all %d blobs this differential bundle relies on are at %s", checked, registry.target());
  }

  /** Counts what an upload read, and says so every 64 MiB of a large blob. */
  private static final class Counting extends FilterInputStream {
    private static final long STEP = 64L << 20;
    private final AtomicLong done;
    private final long total;
    private final Progress progress;
    private long read;

    Counting(InputStream in, AtomicLong done, long total, Progress progress) {
      super(in);
      this.done = done;
      this.total = total;
      this.progress = progress;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count(1);
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      if (n > 0) {
        count(n);
      }
      return n;
    }

    private void count(int n) {
      long before = read;
      read += n;
      long now = done.addAndGet(n);
      if (progress != null && before / STEP != read / STEP) {
        progress.say("    %s of %s", Progress.bytes(now), Progress.bytes(total));
      }
    }
  }
}
