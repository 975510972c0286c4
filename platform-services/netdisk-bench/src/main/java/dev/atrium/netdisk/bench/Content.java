package dev.atrium.netdisk.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * The benchmark's files: one block of random bytes as large as the largest file, and files made of its first
 * {@code size} bytes with their first 16 bytes replaced by a variant number. Every upload is new content (its own
 * SHA-256, so netdisk stores it rather than finding it stored) without a new array, and any range of any file can be
 * hashed again for an instant send's proof.
 */
final class Content {

  static final int HEADER = 16;
  private static final int SLICE = 1024 * 1024;
  private static final byte[] MARK = "ndbench!".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private final byte[] base;

  Content(int largest, long seed) {
    base = new byte[largest];
    SplittableRandom random = new SplittableRandom(seed);
    ByteBuffer longs = ByteBuffer.wrap(base);
    while (longs.remaining() >= 8) {
      longs.putLong(random.nextLong());
    }
  }

  File file(long variant, int size) {
    if (size > base.length || size < HEADER) {
      throw new IllegalArgumentException("a file of " + size + " bytes from a block of " + base.length);
    }
    byte[] header = new byte[HEADER];
    ByteBuffer.wrap(header).putLong(variant).put(MARK);
    return new File(this, variant, size, header);
  }

  /** One file: the block's first {@code size} bytes with {@code header} over its first 16. */
  record File(Content content, long variant, int size, byte[] header) {

    /** Copies bytes {@code [offset, offset + length)} of the file into {@code into} at {@code at}. */
    void copy(long offset, byte[] into, int at, int length) {
      System.arraycopy(content.base, (int) offset, into, at, length);
      for (long i = offset; i < HEADER && i < offset + length; i++) {
        into[at + (int) (i - offset)] = header[(int) i];
      }
    }

    /** Writes bytes {@code [offset, offset + length)} to {@code out}, the header from its own array, the rest in 1 MiB
     *  slices straight from the block. */
    void writeTo(OutputStream out, long offset, long length) throws IOException {
      long position = offset;
      long end = offset + length;
      if (position < HEADER) {
        int n = (int) Math.min(HEADER - position, length);
        out.write(header, (int) position, n);
        position += n;
      }
      while (position < end) {
        int n = (int) Math.min(SLICE, end - position);
        out.write(content.base, (int) position, n);
        position += n;
      }
    }

    /**
     * Bytes {@code [offset, offset + length)} as a stream that reads from the block without copying it first. Like the
     * request body netdisk hands to the S3 client, it does not support mark and reset.
     */
    InputStream stream(long offset, long length) {
      return new InputStream() {
        private long position = offset;
        private final long end = offset + length;

        @Override
        public int read() {
          if (position >= end) {
            return -1;
          }
          byte b = position < HEADER ? header[(int) position] : content.base[(int) position];
          position++;
          return b & 0xff;
        }

        @Override
        public int read(byte[] buffer, int at, int len) {
          if (len == 0) {
            return 0;
          }
          if (position >= end) {
            return -1;
          }
          int n = (int) Math.min(len, end - position);
          copy(position, buffer, at, n);
          position += n;
          return n;
        }

        @Override
        public int available() {
          return (int) Math.min(Integer.MAX_VALUE, end - position);
        }
      };
    }

    String sha256() {
      return sha256(0, size);
    }

    /** The SHA-256 of bytes {@code [offset, offset + length)}, as lower-case hex. */
    String sha256(long offset, long length) {
      MessageDigest digest = Content.sha256Digest();
      long position = offset;
      long end = offset + length;
      if (position < HEADER) {
        int n = (int) Math.min(HEADER - position, length);
        digest.update(header, (int) position, n);
        position += n;
      }
      if (position < end) {
        digest.update(content.base, (int) position, (int) (end - position));
      }
      return HexFormat.of().formatHex(digest.digest());
    }
  }

  static MessageDigest sha256Digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** One thread's SHA-256 rate over the block in this JVM, in MB (10^6 bytes) per second: the best of a few passes. */
  double sha256Rate(int passes) {
    double best = 0;
    MessageDigest digest = sha256Digest();
    for (int i = 0; i < passes; i++) {
      long start = System.nanoTime();
      digest.update(base);
      digest.digest();
      best = Math.max(best, base.length / ((System.nanoTime() - start) / 1e9) / 1e6);
    }
    return best;
  }
}
