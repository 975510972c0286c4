package dev.atrium.cli.bundle;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** Tar entries that depend on nothing but their name and bytes: mode 0644, owner 0:0 with no names, mtime 0. */
final class DeterministicTar {

  private DeterministicTar() {
  }

  static TarArchiveOutputStream open(OutputStream out) {
    TarArchiveOutputStream tar = new TarArchiveOutputStream(out);
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    tar.setAddPaxHeadersForNonAsciiNames(true);
    return tar;
  }

  static TarArchiveEntry entry(String name, long size) {
    TarArchiveEntry entry = new TarArchiveEntry(name, true);
    entry.setSize(size);
    entry.setMode(0100644);
    entry.setUserId(0);
    entry.setGroupId(0);
    entry.setUserName("");
    entry.setGroupName("");
    entry.setModTime(0);
    return entry;
  }

  static void put(TarArchiveOutputStream tar, String name, byte[] bytes) throws IOException {
    tar.putArchiveEntry(entry(name, bytes.length));
    tar.write(bytes);
    tar.closeArchiveEntry();
  }

  /** Writes an entry of {@code size} bytes from {@code in}; returns what was written (its size and digest). */
  static Digests.Copied put(TarArchiveOutputStream tar, String name, long size, InputStream in) throws IOException {
    tar.putArchiveEntry(entry(name, size));
    Digests.Copied copied = Digests.copy(in, tar);
    tar.closeArchiveEntry();
    return copied;
  }
}
