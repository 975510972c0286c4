package dev.atrium.cli.bundle;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.function.BiFunction;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarFile;

/**
 * A site's inputs for bundles, made small: the operator, a database and identity image sharing a base layer,
 * releases 1.0.0 and 1.0.1 (1.0.1 adds a layer to identity and keeps the database), a key pair; the chart,
 * CRDs and policies are the checkout's own.
 */
public final class BundleFixture {

  /** The checkout: -Datrium.source, or the parent of the module's directory the tests run in. */
  public static final Path SOURCE = Path.of(System.getProperty("atrium.source", "..")).toAbsolutePath().normalize();

  public final Path dir;
  public final Path images;
  public final Path releases;
  public final KeyPair keys;
  public final TestImages.Built operator;
  public final TestImages.Built database;
  public final TestImages.Built identity100;
  public final TestImages.Built identity101;

  public BundleFixture(Path dir) throws IOException {
    this.dir = dir;
    this.images = dir.resolve("images");
    this.releases = dir.resolve("releases");
    this.keys = BundleKeys.generate();
    byte[] base = TestImages.layer("base.bin", TestImages.noise(1, 300_000));
    operator = TestImages.write(images, "atrium-operator.tar", "registry.atrium.dev/atrium/atrium-operator:0.1.0",
        List.of(base, TestImages.layer("operator.bin", TestImages.noise(2, 200_000))));
    database = TestImages.write(images, "postgresql.tar", "registry.atrium.dev/atrium/postgresql:15-1.0.0",
        List.of(base, TestImages.layer("postgres.bin", TestImages.noise(3, 2_000_000))));
    byte[] identityLayer = TestImages.layer("identity.jar", TestImages.noise(4, 1_500_000));
    identity100 = TestImages.write(images, "identity.tar", "registry.atrium.dev/atrium/identity:1.0.0",
        List.of(base, identityLayer));
    identity101 = TestImages.write(images, "identity-1.0.1.tar", "registry.atrium.dev/atrium/identity:1.0.1",
        List.of(base, identityLayer, TestImages.layer("patch.jar", TestImages.noise(5, 500_000))));
    Files.createDirectories(releases);
    Files.writeString(releases.resolve("1.0.0.yaml"), release("1.0.0", identity100));
    Files.writeString(releases.resolve("1.0.1.yaml"), release("1.0.1", identity101));
  }

  private String release(String version, TestImages.Built identity) {
    return """
        # a test release
        apiVersion: atrium.dev/v1alpha1
        kind: PlatformRelease
        metadata:
          name: %s
        spec:
          version: %s
          order: [database, identity]
          images:
            database:
              repository: atrium/postgresql
              tag: "15-1.0.0"
              digest: %s
            identity:
              repository: atrium/identity
              tag: "%s"
              digest: %s
        """.formatted(version, version, database.digest(), version, identity.digest());
  }

  public BundleCreator.Inputs inputs(List<String> versions, Path since) throws IOException {
    List<Path> files;
    try (var list = Files.list(releases)) {
      files = list.sorted().toList();
    }
    return new BundleCreator.Inputs(versions, List.of(images), files, SOURCE.resolve("charts/atrium-operator"),
        SOURCE.resolve("crds"), SOURCE.resolve("autoscaling-policies"), keys.getPrivate(), since);
  }

  /** Creates a bundle of {@code versions} (differential against {@code since} when not null) at {@code dir/name}. */
  public BundleCreator.Created create(String name, Path since, String... versions) throws IOException {
    return new BundleCreator(new Progress(new java.io.PrintWriter(OutputStream.nullOutputStream())))
        .create(inputs(List.of(versions), since), dir.resolve(name));
  }

  public BundleVerifier.Result verify(Path bundle) throws IOException {
    return new BundleVerifier(new Progress(new java.io.PrintWriter(OutputStream.nullOutputStream())))
        .verify(bundle, keys.getPublic());
  }

  /** Flips one byte of {@code path}'s content in the bundle, in place. */
  public static void flipByte(Path bundle, String path, long at) throws IOException {
    long offset;
    try (TarFile tar = new TarFile(bundle)) {
      TarArchiveEntry entry = tar.getEntries().stream().filter(e -> e.getName().equals(path)).findFirst()
          .orElseThrow();
      offset = entry.getDataOffset() + at;
    }
    try (RandomAccessFile file = new RandomAccessFile(bundle.toFile(), "rw")) {
      file.seek(offset);
      int b = file.read();
      file.seek(offset);
      file.write(b ^ 0x01);
    }
  }

  /**
   * Copies a bundle entry by entry, each through {@code change} (name, bytes → new bytes, or null to leave it
   * out), as someone rewriting a bundle would.
   */
  public static void rewrite(Path from, Path to, BiFunction<String, byte[], byte[]> change) throws IOException {
    try (InputStream in = Files.newInputStream(from); TarArchiveInputStream tarIn = new TarArchiveInputStream(in);
        OutputStream out = Files.newOutputStream(to); TarArchiveOutputStream tarOut = DeterministicTar.open(out)) {
      for (TarArchiveEntry entry; (entry = tarIn.getNextEntry()) != null; ) {
        byte[] bytes = change.apply(entry.getName(), tarIn.readAllBytes());
        if (bytes != null) {
          DeterministicTar.put(tarOut, entry.getName(), bytes);
        }
      }
    }
  }
}
