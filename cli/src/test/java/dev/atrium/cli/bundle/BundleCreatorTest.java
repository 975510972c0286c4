package dev.atrium.cli.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atrium.cli.bundle.BundleIndex.Image;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarFile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleCreatorTest {

  @TempDir
  Path dir;
  BundleFixture fixture;

  @BeforeEach
  void images() throws Exception {
    fixture = new BundleFixture(dir);
  }

  @Test
  void theSameInputsGiveTheSameBytes() throws Exception {
    var first = fixture.create("a.bundle", null, "1.0.0");
    var second = fixture.create("b.bundle", null, "1.0.0");
    assertThat(second.sha256()).isEqualTo(first.sha256());
    assertThat(Digests.copy(Files.newInputStream(second.file()), null).digest()).isEqualTo(first.sha256());
    assertThat(fixture.create("c.bundle", null, "1.0.0", "1.0.1").sha256()).isNotEqualTo(first.sha256());
  }

  @Test
  void theIndexComesFirstThenItsSignatureThenEveryArtifactSortedWithFixedOwnersAndTimes() throws Exception {
    var created = fixture.create("a.bundle", null, "1.0.0");
    List<String> names = new ArrayList<>();
    try (TarFile tar = new TarFile(created.file())) {
      for (TarArchiveEntry entry : tar.getEntries()) {
        names.add(entry.getName());
        assertThat(entry.getModTime().getTime()).isZero();
        assertThat(entry.getLongUserId()).isZero();
        assertThat(entry.getLongGroupId()).isZero();
        assertThat(entry.getUserName()).isEmpty();
        assertThat(entry.getMode()).isEqualTo(0100644);
      }
    }
    assertThat(names.subList(0, 2)).containsExactly(BundleIndex.FILE, BundleIndex.SIGNATURE_FILE);
    assertThat(names.subList(2, names.size())).isSorted()
        .containsExactlyElementsOf(created.index().artifacts().stream().map(BundleIndex.Artifact::path).toList());
    assertThat(names).contains("chart/atrium-operator-0.1.0.tgz", "crds/collaborationplatforms.atrium.dev-v1.yml",
        "releases/1.0.0.yaml", "autoscaling-policies/office-hours.yaml", "images/oci-layout", "images/index.json");
  }

  @Test
  void everyImageIsCopiedByteForByteAndASharedBlobIsStoredOnce() throws Exception {
    var created = fixture.create("a.bundle", null, "1.0.0");
    BundleIndex index = created.index();
    assertThat(index.images()).extracting(Image::repository, Image::digest, Image::tags, Image::releases)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("atrium/atrium-operator", fixture.operator.digest(), List.of("0.1.0"),
                List.of()),
            org.assertj.core.groups.Tuple.tuple("atrium/identity", fixture.identity100.digest(), List.of("1.0.0"),
                List.of("1.0.0")),
            org.assertj.core.groups.Tuple.tuple("atrium/postgresql", fixture.database.digest(), List.of("15-1.0.0"),
                List.of("1.0.0")));
    assertThat(index.operator().digest()).isEqualTo(fixture.operator.digest());
    assertThat(index.operator().repository()).isEqualTo("atrium/atrium-operator");
    // the base layer is in all three images and once in the bundle
    String base = fixture.operator.layers().getFirst();
    assertThat(index.artifacts()).filteredOn(a -> a.digest().equals(base)).hasSize(1);
    try (BundleFile bundle = BundleFile.open(created.file());
        OciArchive source = OciArchive.open(fixture.identity100.archive())) {
      for (String blob : fixture.identity100.blobs()) {
        try (InputStream in = source.openBlob(blob)) {
          assertThat(bundle.read(BundlePaths.blob(blob))).isEqualTo(in.readAllBytes());
        }
      }
      assertThat(Digests.of(bundle.read(BundlePaths.blob(fixture.identity100.digest()))))
          .isEqualTo(fixture.identity100.digest());
      String layout = new String(bundle.read(BundlePaths.LAYOUT_INDEX));
      assertThat(layout).contains("\"org.opencontainers.image.ref.name\":\"atrium/identity:1.0.0\"");
    }
  }

  @Test
  void aReleaseNamingADigestNoArchiveHasIsRefusedNamingComponentAndDigest() throws Exception {
    String unknown = "sha256:" + "ab".repeat(32);
    Files.writeString(fixture.releases.resolve("1.0.0.yaml"),
        Files.readString(fixture.releases.resolve("1.0.0.yaml")).replace(fixture.database.digest(), unknown));
    assertThatThrownBy(() -> fixture.create("a.bundle", null, "1.0.0"))
        .hasMessageContaining("release 1.0.0 component database (atrium/postgresql:15-1.0.0) pins " + unknown);
    assertThat(dir.resolve("a.bundle")).doesNotExist();
    assertThat(dir.resolve("a.bundle.partial")).doesNotExist();
  }

  @Test
  void aDamagedArchiveBlobStopsTheBundleAndLeavesNoFile() throws Exception {
    BundleFixture.flipByte(fixture.database.archive(), "blobs/sha256/" + Digests.hex(fixture.database.layers().get(1)),
        1000);
    assertThatThrownBy(() -> fixture.create("a.bundle", null, "1.0.0"))
        .hasMessageContaining("the blob " + fixture.database.layers().get(1) + " has the digest");
    assertThat(dir.resolve("a.bundle")).doesNotExist();
    assertThat(dir.resolve("a.bundle.partial")).doesNotExist();
  }

  @Test
  void anUnknownReleaseIsRefused() {
    assertThatThrownBy(() -> fixture.create("a.bundle", null, "9.9.9"))
        .hasMessageContaining("no PlatformRelease named 9.9.9");
  }
}
