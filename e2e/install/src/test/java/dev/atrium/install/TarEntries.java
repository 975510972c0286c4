package dev.atrium.install;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Where each file of a tar lies, read from its 512-byte headers (ustar, with POSIX extended headers), so that a test
 * can change a byte inside one entry or copy the archive without one: what a damaged transfer or a careless hand does
 * to a bundle.
 */
final class TarEntries {

  private static final int BLOCK = 512;

  /**
   * One file.
   *
   * @param name its path
   * @param start where its headers begin (a preceding extended header included)
   * @param data where its content begins
   * @param size its content's length
   */
  record Entry(String name, long start, long data, long size) {

    /** Where the next entry's headers begin. */
    long end() {
      return data + (size + BLOCK - 1) / BLOCK * BLOCK;
    }
  }

  private TarEntries() {
  }

  static List<Entry> of(Path tar) throws IOException {
    List<Entry> entries = new ArrayList<>();
    try (FileChannel channel = FileChannel.open(tar)) {
      long offset = 0;
      long start = -1;
      String extendedName = null;
      while (offset + BLOCK <= channel.size()) {
        byte[] header = new byte[BLOCK];
        channel.read(java.nio.ByteBuffer.wrap(header), offset);
        if (isZero(header)) {
          break;
        }
        char type = (char) header[156];
        long size = octal(header, 124, 12);
        long data = offset + BLOCK;
        if (start < 0) {
          start = offset;
        }
        if (type == 'x') {
          byte[] pax = new byte[(int) size];
          channel.read(java.nio.ByteBuffer.wrap(pax), data);
          extendedName = paxPath(new String(pax, StandardCharsets.UTF_8));
        } else {
          String name = extendedName != null ? extendedName : ustarName(header);
          entries.add(new Entry(name, start, data, size));
          start = -1;
          extendedName = null;
        }
        offset = data + (size + BLOCK - 1) / BLOCK * BLOCK;
      }
    }
    return entries;
  }

  /** The largest entry whose name starts with {@code prefix}. */
  static Entry largest(Path tar, String prefix) throws IOException {
    return of(tar).stream().filter(e -> e.name().startsWith(prefix))
        .max(java.util.Comparator.comparingLong(Entry::size)).orElseThrow();
  }

  /** Copies {@code tar} with one byte in the middle of {@code entry}'s content changed. */
  static void copyWithOneByteChanged(Path tar, Entry entry, Path out) throws IOException {
    Files.copy(tar, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    try (FileChannel channel = FileChannel.open(out, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long at = entry.data() + entry.size() / 2;
      java.nio.ByteBuffer one = java.nio.ByteBuffer.allocate(1);
      channel.read(one, at);
      one.put(0, (byte) (one.get(0) ^ 0x01)).rewind();
      channel.write(one, at);
    }
  }

  /** Copies {@code tar} without {@code entry} (its headers and content). */
  static void copyWithout(Path tar, Entry entry, Path out) throws IOException {
    try (FileChannel in = FileChannel.open(tar); OutputStream os = Files.newOutputStream(out);
        var target = java.nio.channels.Channels.newChannel(os)) {
      transfer(in, 0, entry.start(), target);
      transfer(in, entry.end(), in.size() - entry.end(), target);
    }
  }

  private static void transfer(FileChannel in, long from, long length, java.nio.channels.WritableByteChannel to)
      throws IOException {
    long done = 0;
    while (done < length) {
      done += in.transferTo(from + done, length - done, to);
    }
  }

  private static boolean isZero(byte[] block) {
    for (byte b : block) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  private static long octal(byte[] header, int offset, int length) {
    if ((header[offset] & 0x80) != 0) {
      throw new IllegalArgumentException("base-256 sizes are not read here");
    }
    String text = new String(header, offset, length, StandardCharsets.US_ASCII).replace("\0", "").strip();
    return text.isEmpty() ? 0 : Long.parseLong(text, 8);
  }

  private static String ustarName(byte[] header) {
    String name = cString(header, 0, 100);
    String prefix = cString(header, 345, 155);
    return prefix.isEmpty() ? name : prefix + "/" + name;
  }

  private static String cString(byte[] header, int offset, int length) {
    int end = offset;
    while (end < offset + length && header[end] != 0) {
      end++;
    }
    return new String(header, offset, end - offset, StandardCharsets.UTF_8);
  }

  /** The {@code path} record of a POSIX extended header ("LEN path=VALUE\n" records), or null. */
  private static String paxPath(String records) {
    for (String line : records.split("\n")) {
      int space = line.indexOf(' ');
      if (space > 0 && line.startsWith("path=", space + 1)) {
        return line.substring(space + 1 + "path=".length());
      }
    }
    return null;
  }
}
