package dev.atrium.cli.bundle;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarFile;

/**
 * A bundle opened for random access (a push reads each blob when it needs it, an interrupted upload opens it
 * again). It trusts nothing by itself: verify the bundle first ({@link BundleVerifier}); the registry checks
 * every blob's and manifest's digest again as it takes it.
 */
public final class BundleFile implements Closeable {

  private final Path path;
  private final TarFile tar;
  private final List<TarArchiveEntry> entries;
  private final Map<String, TarArchiveEntry> byName = new HashMap<>();

  private BundleFile(Path path) throws IOException {
    this.path = path;
    this.tar = new TarFile(path);
    this.entries = tar.getEntries();
    for (TarArchiveEntry entry : entries) {
      byName.putIfAbsent(entry.getName(), entry);
    }
  }

  public static BundleFile open(Path path) throws IOException {
    return new BundleFile(path);
  }

  public Path path() {
    return path;
  }

  /** The index's bytes: the first entry, which must be {@value BundleIndex#FILE}. */
  public byte[] indexBytes() throws IOException {
    if (entries.isEmpty() || !entries.getFirst().getName().equals(BundleIndex.FILE)) {
      throw new IOException(path + " is not a bundle: its first entry is not " + BundleIndex.FILE);
    }
    return read(BundleIndex.FILE);
  }

  public BundleIndex index() throws IOException {
    return BundleIndex.parse(indexBytes());
  }

  public boolean has(String name) {
    return byName.containsKey(name);
  }

  public InputStream open(String name) throws IOException {
    TarArchiveEntry entry = byName.get(name);
    if (entry == null) {
      throw new IOException(path + " has no " + name);
    }
    return tar.getInputStream(entry);
  }

  public byte[] read(String name) throws IOException {
    try (InputStream in = open(name)) {
      return in.readAllBytes();
    }
  }

  @Override
  public void close() throws IOException {
    tar.close();
  }
}
