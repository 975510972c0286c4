package dev.atrium.operator.platformdata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class PartCipherTest {

  private static final byte[] KEY = PlatformDataArchive.dataKey("a generated value");
  private final PartCipher cipher = new PartCipher(KEY);

  @ParameterizedTest
  @ValueSource(ints = {0, 1, PartCipher.PART - 1, PartCipher.PART, PartCipher.PART + 1, 2 * PartCipher.PART + 5})
  void anObjectOfAnySizeComesBackAsItWasAndItsSealedSizeIsKnownBeforehand(int size) throws IOException {
    byte[] plain = bytes(size);
    byte[] sealed = cipher.seal("blob", size, new ByteArrayInputStream(plain)).readAllBytes();
    assertThat((long) sealed.length).isEqualTo(PartCipher.sealedSize(size));
    assertThat(cipher.open("blob", size, new ByteArrayInputStream(sealed)).readAllBytes()).isEqualTo(plain);
  }

  @Test
  void theSealedBytesDoNotContainThePlainOnes() throws IOException {
    byte[] plain = "the minutes of the board meeting, 2026-11-30".repeat(100).getBytes();
    byte[] sealed = cipher.seal("blob", plain.length, new ByteArrayInputStream(plain)).readAllBytes();
    assertThat(new String(sealed, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("board meeting");
  }

  @Test
  void oneAlteredByteFailsTheOpening() throws IOException {
    byte[] sealed = sealed(PartCipher.PART + 10);
    sealed[PartCipher.PART + 40] ^= 1; // in the second part
    assertThatThrownBy(() -> cipher.open("blob", PartCipher.PART + 10, new ByteArrayInputStream(sealed))
        .readAllBytes()).isInstanceOf(IOException.class).hasMessageContaining("part 1 does not open");
  }

  @Test
  void aTruncatedBlobFailsAndSaysSo() throws IOException {
    byte[] sealed = sealed(PartCipher.PART + 10);
    byte[] cut = Arrays.copyOf(sealed, PartCipher.PART + PartCipher.NONCE + PartCipher.TAG);
    assertThatThrownBy(() -> cipher.open("blob", PartCipher.PART + 10, new ByteArrayInputStream(cut))
        .readAllBytes()).isInstanceOf(IOException.class).hasMessageContaining("truncated");
  }

  @Test
  void aBlobDroppedAfterAFullPartIsNotTakenForAShorterObject() throws IOException {
    // the first part of a two-part blob, offered as a whole one-part object: its part says "more", not "last"
    byte[] sealed = sealed(PartCipher.PART + 10);
    byte[] first = Arrays.copyOf(sealed, PartCipher.PART + PartCipher.NONCE + PartCipher.TAG);
    assertThatThrownBy(() -> cipher.open("blob", PartCipher.PART, new ByteArrayInputStream(first)).readAllBytes())
        .isInstanceOf(IOException.class).hasMessageContaining("does not open");
  }

  @Test
  void aBlobOpenedAsAnotherOneFails() throws IOException {
    byte[] sealed = sealed(100);
    assertThatThrownBy(() -> cipher.open("other", 100, new ByteArrayInputStream(sealed)).readAllBytes())
        .isInstanceOf(IOException.class).hasMessageContaining("does not open");
  }

  @Test
  void anotherDataKeyDoesNotOpenIt() throws IOException {
    byte[] sealed = sealed(100);
    PartCipher other = new PartCipher(PlatformDataArchive.dataKey("another value"));
    assertThatThrownBy(() -> other.open("blob", 100, new ByteArrayInputStream(sealed)).readAllBytes())
        .isInstanceOf(IOException.class);
  }

  @Test
  void anObjectThatChangedSizeWhileCopiedFailsTheSealing() {
    InputStream longer = new ByteArrayInputStream(bytes(101));
    assertThatThrownBy(() -> cipher.seal("blob", 100, longer).readAllBytes()).isInstanceOf(IOException.class)
        .hasMessageContaining("changed while it was copied");
    InputStream shorter = new ByteArrayInputStream(bytes(99));
    assertThatThrownBy(() -> cipher.seal("blob", 100, shorter).readAllBytes()).isInstanceOf(IOException.class)
        .hasMessageContaining("changed while it was copied");
  }

  private byte[] sealed(int size) throws IOException {
    return cipher.seal("blob", size, new ByteArrayInputStream(bytes(size))).readAllBytes();
  }

  private static byte[] bytes(int size) {
    byte[] bytes = new byte[size];
    new Random(size).nextBytes(bytes);
    return bytes;
  }
}
