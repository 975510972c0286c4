package dev.atrium.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/** Heap in use after garbage collection: what the JVM's live objects occupy, near enough. */
final class Heap {

  private static final int COLLECTIONS = 5;

  private Heap() {
  }

  /**
   * Collects {@value #COLLECTIONS} times, 200 ms apart, and returns the smallest heap use seen
   * right after a collection: the operator's threads keep allocating between collections (watch
   * events, resyncs), and the smallest figure is the one closest to the live set.
   */
  static long usedAfterGc() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long least = Long.MAX_VALUE;
    for (int i = 0; i < COLLECTIONS; i++) {
      System.gc();
      least = Math.min(least, memory.getHeapMemoryUsage().getUsed());
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while measuring the heap", e);
      }
    }
    return least;
  }
}
