package dev.atrium.cli.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleKeysTest {

  @TempDir
  Path dir;

  @Test
  void keygenWritesPemFilesTheKeyOnlyForItsOwnerAndNeverOverwrites() throws Exception {
    BundleKeys.write(BundleKeys.generate(), dir);
    Path key = dir.resolve(BundleKeys.PRIVATE_FILE);
    assertThat(Files.readString(key)).startsWith("-----BEGIN PRIVATE KEY-----\n").endsWith("-----END PRIVATE KEY-----\n");
    assertThat(Files.readString(dir.resolve(BundleKeys.PUBLIC_FILE))).startsWith("-----BEGIN PUBLIC KEY-----\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
    assertThat(BundleKeys.readableByOthers(key)).isFalse();
    assertThatThrownBy(() -> BundleKeys.write(BundleKeys.generate(), dir)).isInstanceOf(FileAlreadyExistsException.class);
  }

  @Test
  void aSignatureVerifiesWithItsKeyOnlyAndOverTheExactBytesOnly() throws Exception {
    BundleKeys.write(BundleKeys.generate(), dir);
    PrivateKey key = BundleKeys.readPrivate(dir.resolve(BundleKeys.PRIVATE_FILE));
    PublicKey pub = BundleKeys.readPublic(dir.resolve(BundleKeys.PUBLIC_FILE));
    byte[] data = "{\"format\":\"x\"}".getBytes(StandardCharsets.UTF_8);
    byte[] signature = BundleKeys.sign(key, data);
    assertThat(signature).hasSize(64);
    assertThat(BundleKeys.verify(pub, data, signature)).isTrue();
    byte[] changed = data.clone();
    changed[3] ^= 1;
    assertThat(BundleKeys.verify(pub, changed, signature)).isFalse();
    assertThat(BundleKeys.verify(BundleKeys.generate().getPublic(), data, signature)).isFalse();
  }

  @Test
  void aPrivateKeyIsNotAPublicKey() throws Exception {
    BundleKeys.write(BundleKeys.generate(), dir);
    assertThatThrownBy(() -> BundleKeys.readPublic(dir.resolve(BundleKeys.PRIVATE_FILE)))
        .hasMessageContaining("has no -----BEGIN PUBLIC KEY----- block");
  }

  /** What docs/bundle.md tells a site to run without atrium: OpenSSL verifies the index with the public key. */
  @Test
  void opensslVerifiesTheSignatureAndRefusesAChangedIndex() throws Exception {
    Assumptions.assumeTrue(onPath("openssl"), "openssl is not on PATH");
    BundleKeys.write(BundleKeys.generate(), dir);
    byte[] index = "{\"format\":\"atrium.dev/bundle/v1\"}\n".getBytes(StandardCharsets.UTF_8);
    Files.write(dir.resolve(BundleIndex.FILE), index);
    Files.write(dir.resolve(BundleIndex.SIGNATURE_FILE),
        BundleKeys.sign(BundleKeys.readPrivate(dir.resolve(BundleKeys.PRIVATE_FILE)), index));
    assertThat(openssl()).isEqualTo(0);
    index[5] ^= 1;
    Files.write(dir.resolve(BundleIndex.FILE), index);
    assertThat(openssl()).isNotEqualTo(0);
  }

  private int openssl() throws Exception {
    Process process = new ProcessBuilder("openssl", "pkeyutl", "-verify", "-pubin", "-inkey", BundleKeys.PUBLIC_FILE,
        "-rawin", "-in", BundleIndex.FILE, "-sigfile", BundleIndex.SIGNATURE_FILE)
        .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("openssl.out").toFile()).start();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return process.exitValue();
  }

  static boolean onPath(String command) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, command))) {
        return true;
      }
    }
    return false;
  }
}
