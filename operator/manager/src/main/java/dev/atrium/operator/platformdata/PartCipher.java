package dev.atrium.operator.platformdata;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * An object's bytes sealed for the backup bucket as a stream of parts, each {@link #PART} bytes of the object (the
 * last one shorter, an empty object one empty part) sealed with AES-256-GCM under the platform's data key: a random
 * 12-byte nonce, the ciphertext, the 16-byte tag. Each part's associated data names its blob, its index and whether
 * it is the last, so parts cannot be swapped, reordered, dropped or moved to another blob unnoticed (decision 0017:
 * why not JWE for the objects themselves). Sealing and opening both stream: one part in memory at a time.
 */
public final class PartCipher {

  /** Bytes of the object in each part. */
  public static final int PART = 4 * 1024 * 1024;
  static final int NONCE = 12;
  static final int TAG = 16;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKeySpec key;

  /** @param dataKey 32 bytes */
  public PartCipher(byte[] dataKey) {
    if (dataKey.length != 32) {
      throw new IllegalArgumentException("the data key must be 32 bytes, not " + dataKey.length);
    }
    this.key = new SecretKeySpec(dataKey, "AES");
  }

  /** How many parts an object of this size is sealed in. */
  static long parts(long size) {
    return Math.max(1, (size + PART - 1) / PART);
  }

  /** The sealed size of an object of this size. */
  public static long sealedSize(long size) {
    return size + parts(size) * (NONCE + TAG);
  }

  /**
   * The sealed stream of an object, read from its plain stream.
   *
   * @param size what the object's listing said; a stream that gives more or fewer bytes fails (the object changed)
   */
  public InputStream seal(String blob, long size, InputStream plain) {
    return new Parts(blob, size, plain, true);
  }

  /** The object's plain stream, read from its sealed one; a part altered or missing fails with an IOException. */
  public InputStream open(String blob, long size, InputStream sealed) {
    return new Parts(blob, size, sealed, false);
  }

  private static byte[] associatedData(String blob, long index, boolean last) {
    return ("atrium-blob-v1/" + blob + "/" + index + "/" + (last ? "last" : "more")).getBytes(StandardCharsets.UTF_8);
  }

  /** One part at a time through the cipher. */
  private final class Parts extends InputStream {
    private final String blob;
    private final long size;
    private final InputStream in;
    private final boolean sealing;
    private final long count;
    private long index;
    private InputStream current = InputStream.nullInputStream();

    Parts(String blob, long size, InputStream in, boolean sealing) {
      this.blob = blob;
      this.size = size;
      this.in = in;
      this.sealing = sealing;
      this.count = parts(size);
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = current.read(b, off, len);
      while (n < 0) {
        if (index == count) {
          if (in.read() >= 0) {
            throw new IOException(sealing ? "the object has more than the " + size + " bytes it was listed with: it "
                + "changed while it was copied" : "blob " + blob + " has more bytes than its " + count + " parts");
          }
          return -1;
        }
        current = new ByteArrayInputStream(next());
        n = current.read(b, off, len);
      }
      return n;
    }

    private byte[] next() throws IOException {
      boolean last = index == count - 1;
      int plainLength = (int) (last ? size - (count - 1) * PART : PART);
      byte[] input = in.readNBytes(sealing ? plainLength : NONCE + plainLength + TAG);
      if (input.length != (sealing ? plainLength : NONCE + plainLength + TAG)) {
        throw new IOException(sealing ? "the object ended before the " + size + " bytes it was listed with: it "
            + "changed while it was copied" : "blob " + blob + " ends in part " + index + " of " + count
            + ": it is truncated");
      }
      try {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        byte[] out;
        if (sealing) {
          byte[] nonce = new byte[NONCE];
          RANDOM.nextBytes(nonce);
          cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG * 8, nonce));
          cipher.updateAAD(associatedData(blob, index, last));
          byte[] sealed = cipher.doFinal(input);
          out = new byte[NONCE + sealed.length];
          System.arraycopy(nonce, 0, out, 0, NONCE);
          System.arraycopy(sealed, 0, out, NONCE, sealed.length);
        } else {
          cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG * 8, input, 0, NONCE));
          cipher.updateAAD(associatedData(blob, index, last));
          out = cipher.doFinal(input, NONCE, input.length - NONCE);
        }
        index++;
        return out;
      } catch (javax.crypto.AEADBadTagException e) {
        throw new IOException("blob " + blob + " part " + index + " does not open with the data key: altered, moved, "
            + "or sealed under another key", e);
      } catch (GeneralSecurityException e) {
        throw new IOException("AES-GCM failed: " + e.getMessage(), e);
      }
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }
}
