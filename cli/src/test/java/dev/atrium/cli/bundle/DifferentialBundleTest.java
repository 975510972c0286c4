package dev.atrium.cli.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrium.cli.bundle.BundleIndex.Artifact;
import dev.atrium.cli.bundle.BundleIndex.BaseBlob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DifferentialBundleTest {

  @TempDir
  Path dir;
  BundleFixture fixture;
  BundleCreator.Created full;

  @BeforeEach
  void fullBundle() throws Exception {
    fixture = new BundleFixture(dir);
    full = fixture.create("atrium-1.0.0.bundle", null, "1.0.0");
  }

  @Test
  void aDifferentialBundleLeavesOutExactlyTheBlobsTheBaseCarried() throws Exception {
    var diff = fixture.create("atrium-1.0.1.bundle", full.file(), "1.0.1");
    BundleIndex index = diff.index();

    Set<String> carriedByBase = new HashSet<>();
    full.index().artifacts().stream().filter(a -> a.kind() == BundleIndex.Kind.layer || a.kind() == BundleIndex.Kind.config)
        .forEach(a -> carriedByBase.add(a.digest()));
    Set<String> needed = new HashSet<>();
    for (TestImages.Built image : List.of(fixture.operator, fixture.database, fixture.identity101)) {
      needed.addAll(image.blobs());
    }
    Set<String> expectedLeftOut = new HashSet<>(needed);
    expectedLeftOut.retainAll(carriedByBase);
    assertThat(index.base().blobs()).extracting(BaseBlob::digest).containsExactlyInAnyOrderElementsOf(expectedLeftOut);
    Set<String> carried = new HashSet<>();
    index.artifacts().stream().filter(a -> a.kind() == BundleIndex.Kind.layer || a.kind() == BundleIndex.Kind.config)
        .forEach(a -> carried.add(a.digest()));
    // what is carried: the new identity's patch layer and its config, nothing else
    assertThat(carried).containsExactlyInAnyOrder(fixture.identity101.layers().get(2), fixture.identity101.config());
    assertThat(index.base().index()).isEqualTo(Digests.of(BundleFile.open(full.file()).indexBytes()));
    assertThat(index.base().releases()).containsExactly("1.0.0");
    // each left-out blob names the repository the site has it in
    assertThat(index.base().blobs()).filteredOn(b -> b.digest().equals(fixture.database.layers().get(1)))
        .extracting(BaseBlob::repository).containsExactly("atrium/postgresql");
    assertThat(index.base().blobs()).filteredOn(b -> b.digest().equals(fixture.identity101.layers().get(1)))
        .extracting(BaseBlob::repository).containsExactly("atrium/identity");
    // manifests and the small files go in whole
    assertThat(index.artifacts()).extracting(Artifact::path).contains(BundlePaths.blob(fixture.database.digest()),
        BundlePaths.blob(fixture.identity101.digest()), "releases/1.0.1.yaml", "chart/atrium-operator-0.1.0.tgz");
    assertThat(diff.size()).isLessThan(full.size() / 3);
    assertThat(fixture.verify(diff.file()).problems()).isEmpty();
  }

  @Test
  void aBlobNeitherCarriedNorInTheBaseFailsCompleteness() throws Exception {
    var diff = fixture.create("atrium-1.0.1.bundle", full.file(), "1.0.1");
    // an index whose base misses a blob, signed with the right key: completeness still refuses it
    BundleIndex index = diff.index();
    BaseBlob dropped = index.base().blobs().getFirst();
    BundleIndex broken = new BundleIndex(index.format(), index.releases(), index.operator(),
        new BundleIndex.Base(index.base().index(), index.base().releases(),
            index.base().blobs().subList(1, index.base().blobs().size())),
        index.images(), index.artifacts());
    byte[] json = broken.toJson();
    byte[] signature = BundleKeys.sign(fixture.keys.getPrivate(), json);
    Path resigned = dir.resolve("resigned.bundle");
    BundleFixture.rewrite(diff.file(), resigned, (name, bytes) -> name.equals(BundleIndex.FILE) ? json
        : name.equals(BundleIndex.SIGNATURE_FILE) ? signature : bytes);
    assertThat(fixture.verify(resigned).problems()).isNotEmpty()
        .allSatisfy(p -> assertThat(p).contains("needs " + dropped.digest()).contains("neither in the bundle nor in its base"));
  }

  @Test
  void aDifferentialAgainstItsOwnReleaseCarriesNoImageBlobAtAll() throws Exception {
    var same = fixture.create("again.bundle", full.file(), "1.0.0");
    assertThat(same.index().artifacts()).noneMatch(a -> a.kind() == BundleIndex.Kind.layer
        || a.kind() == BundleIndex.Kind.config);
    assertThat(fixture.verify(same.file()).problems()).isEmpty();
    assertThat(Files.size(same.file())).isLessThan(300_000);
  }
}
