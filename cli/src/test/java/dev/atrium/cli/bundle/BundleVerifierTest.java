package dev.atrium.cli.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleVerifierTest {

  @TempDir
  Path dir;
  BundleFixture fixture;
  Path bundle;
  BundleIndex index;

  @BeforeEach
  void bundle() throws Exception {
    fixture = new BundleFixture(dir);
    var created = fixture.create("atrium-1.0.0.bundle", null, "1.0.0");
    bundle = created.file();
    index = created.index();
  }

  private String bigLayer() {
    return fixture.database.layers().get(1);
  }

  @Test
  void anUntouchedBundleVerifies() throws Exception {
    var result = fixture.verify(bundle);
    assertThat(result.problems()).isEmpty();
    assertThat(result.index()).isEqualTo(index);
    assertThat(result.bytes()).isEqualTo(index.artifacts().stream().mapToLong(BundleIndex.Artifact::size).sum());
  }

  @Test
  void oneByteChangedInTheIndexIsRefusedByTheSignature() throws Exception {
    Path changed = dir.resolve("changed.bundle");
    BundleFixture.rewrite(bundle, changed, (name, bytes) -> {
      if (name.equals(BundleIndex.FILE)) {
        String text = new String(bytes).replace("\"tags\" : [ \"1.0.0\" ]", "\"tags\" : [ \"1.0.9\" ]");
        return text.getBytes();
      }
      return bytes;
    });
    var result = fixture.verify(changed);
    assertThat(result.index()).isNull();
    assertThat(result.problems()).singleElement().asString().startsWith("the signature does not verify");
  }

  @Test
  void anotherKeyIsRefused() throws Exception {
    var result = new BundleVerifier(quiet()).verify(bundle, BundleKeys.generate().getPublic());
    assertThat(result.ok()).isFalse();
    assertThat(result.problems()).singleElement().asString()
        .contains("was not signed by the key whose public key is sha256:");
  }

  @Test
  void aTamperedLayerByteIsRefusedNamingTheFileAndBothDigests() throws Exception {
    BundleFixture.flipByte(bundle, BundlePaths.blob(bigLayer()), 123_456);
    var result = fixture.verify(bundle);
    assertThat(result.problems()).singleElement().asString()
        .startsWith(BundlePaths.blob(bigLayer()) + ": its content has the digest sha256:")
        .endsWith("the index says " + bigLayer());
  }

  @Test
  void aRemovedBlobIsRefusedAsMissing() throws Exception {
    Path removed = dir.resolve("removed.bundle");
    BundleFixture.rewrite(bundle, removed, (name, bytes) -> name.equals(BundlePaths.blob(bigLayer())) ? null : bytes);
    var result = fixture.verify(removed);
    assertThat(result.problems()).singleElement().asString()
        .isEqualTo("missing " + BundlePaths.blob(bigLayer()) + " (layer, " + bigLayer() + ", "
            + index.artifact(BundlePaths.blob(bigLayer())).orElseThrow().size() + " bytes)");
  }

  @Test
  void anExtraFileIsRefused() throws Exception {
    Path withExtra = dir.resolve("with-extra.bundle");
    try (InputStream in = Files.newInputStream(bundle);
        var tarIn = new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(in);
        var tarOut = DeterministicTar.open(Files.newOutputStream(withExtra))) {
      for (var entry = tarIn.getNextEntry(); entry != null; entry = tarIn.getNextEntry()) {
        DeterministicTar.put(tarOut, entry.getName(), tarIn.readAllBytes());
      }
      DeterministicTar.put(tarOut, "crds/evil.yml", "kind: ClusterRoleBinding\n".getBytes());
    }
    assertThat(fixture.verify(withExtra).problems()).singleElement().asString()
        .startsWith("unexpected entry crds/evil.yml");
  }

  @Test
  void aTruncatedBundleIsRefusedWhereverItIsCut() throws Exception {
    byte[] whole = Files.readAllBytes(bundle);
    for (int cut : new int[] {100, 30_000, whole.length / 2, whole.length - 2048}) {
      Path truncated = dir.resolve("truncated-" + cut + ".bundle");
      Files.write(truncated, java.util.Arrays.copyOf(whole, cut));
      var result = fixture.verify(truncated);
      assertThat(result.ok()).as("cut at %d", cut).isFalse();
      assertThat(String.join("\n", result.problems())).as("cut at %d", cut).containsAnyOf("truncated", "missing");
    }
    // cut inside the database's 2 MB layer: that layer named, and every entry after it missing
    String layer = BundlePaths.blob(bigLayer());
    long offset;
    try (var tar = new org.apache.commons.compress.archivers.tar.TarFile(bundle)) {
      offset = tar.getEntries().stream().filter(e -> e.getName().equals(layer)).findFirst().orElseThrow()
          .getDataOffset();
    }
    Path cutInLayer = dir.resolve("cut-in-layer.bundle");
    Files.write(cutInLayer, java.util.Arrays.copyOf(whole, (int) offset + 1_000_000));
    var result = fixture.verify(cutInLayer);
    assertThat(result.problems().getFirst()).startsWith("the bundle is truncated or damaged in " + layer + ", after");
    BundleIndex.Artifact release = index.artifact("releases/1.0.0.yaml").orElseThrow();
    assertThat(result.problems()).contains("missing releases/1.0.0.yaml (release, " + release.digest() + ", "
        + release.size() + " bytes)");
  }

  @Test
  void aLayerSwappedForAnotherWithItsIndexEntryStillFailsTheSignature() throws Exception {
    // someone replacing a layer has to change the index, which the signature covers
    String layerPath = BundlePaths.blob(bigLayer());
    byte[] evil = TestImages.layer("evil.bin", TestImages.noise(99, 2_000_000));
    Path swapped = dir.resolve("swapped.bundle");
    BundleFixture.rewrite(bundle, swapped, (name, bytes) -> {
      if (name.equals(layerPath)) {
        return evil;
      }
      if (name.equals(BundleIndex.FILE)) {
        return new String(bytes).replace(bigLayer(), Digests.of(evil)).getBytes();
      }
      return bytes;
    });
    assertThat(fixture.verify(swapped).problems()).singleElement().asString()
        .startsWith("the signature does not verify");
  }

  private static Progress quiet() {
    return new Progress(new java.io.PrintWriter(OutputStream.nullOutputStream()));
  }
}
