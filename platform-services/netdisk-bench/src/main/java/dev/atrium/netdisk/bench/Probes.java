package dev.atrium.netdisk.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Two measuring devices beside the figures, run in this JVM while nothing else of the benchmark runs: what one
 * durable commit costs on this machine's PostgreSQL (netdisk commits at least once per request that changes
 * anything), and what moving a GB over loopback costs in CPU when it is written in pieces of 8 KiB (what Tomcat's and
 * Apache HttpClient's buffers write per call), 16 KiB, 64 KiB or 1 MiB: the cost of each extra hop's many small
 * system calls, whoever makes them.
 */
final class Probes {

  private static final double TICKS_PER_SECOND = 100.0;

  private Probes() {
  }

  /** Single-row inserts, each its own transaction, on a table of the {@code postgres} database. */
  static Map<String, Object> postgresCommits(int port, int count) throws Exception {
    List<Double> millis = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres",
        "")) {
      try (Statement s = c.createStatement()) {
        s.execute("create table if not exists bench_commit_probe (id bigint, at timestamptz default now())");
      }
      try (PreparedStatement insert = c.prepareStatement("insert into bench_commit_probe (id) values (?)")) {
        for (int i = 0; i < count; i++) {
          long start = System.nanoTime();
          insert.setLong(1, i);
          insert.executeUpdate();
          millis.add((System.nanoTime() - start) / 1e6);
        }
      }
      try (Statement s = c.createStatement()) {
        s.execute("drop table bench_commit_probe");
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("what", "one-row INSERT, autocommit (a durable commit: fsync of the WAL), on loopback");
    out.put("latencyMs", Stats.latencies(millis));
    return out;
  }

  /** A GB written to a loopback socket in pieces of each size, read on the other end in 1 MiB reads. */
  static Map<String, Object> loopback(long bytes) throws Exception {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("what", "this JVM writes " + bytes + " bytes to a loopback TCP connection in pieces of the given size"
        + " and reads them on the other end in 1 MiB reads; CPU of this JVM (user + system) and the machine's"
        + " interrupt and softirq time, per GB; the best of 3");
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    for (int size : new int[] {8 * 1024, 16 * 1024, 64 * 1024, 1024 * 1024}) {
      double bestCpu = Double.MAX_VALUE;
      double bestIrq = Double.MAX_VALUE;
      double bestRate = 0;
      for (int run = 0; run < 3; run++) {
        long cpu0 = os.getProcessCpuTime();
        long irq0 = irqTicks();
        long t0 = System.nanoTime();
        copy(bytes, size);
        double wall = (System.nanoTime() - t0) / 1e9;
        double gb = bytes / 1e9;
        bestCpu = Math.min(bestCpu, (os.getProcessCpuTime() - cpu0) / 1e9 / gb);
        bestIrq = Math.min(bestIrq, (irqTicks() - irq0) / TICKS_PER_SECOND / gb);
        bestRate = Math.max(bestRate, bytes / 1e6 / wall);
      }
      Map<String, Object> one = new LinkedHashMap<>();
      one.put("cpuSecondsPerGB", Stats.round3(bestCpu));
      one.put("irqSecondsPerGB", Stats.round3(bestIrq));
      one.put("MBps", Stats.round(bestRate));
      out.put((size >= 1024 * 1024 ? size / (1024 * 1024) + " MiB" : size / 1024 + " KiB") + " writes", one);
    }
    return out;
  }

  private static void copy(long bytes, int size) throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CompletableFuture<Long> reader = CompletableFuture.supplyAsync(() -> {
        try (Socket s = server.accept(); InputStream in = s.getInputStream()) {
          byte[] buffer = new byte[1024 * 1024];
          long read = 0;
          for (int n; (n = in.read(buffer)) > 0; ) {
            read += n;
          }
          return read;
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
           OutputStream out = s.getOutputStream()) {
        byte[] piece = new byte[size];
        for (long written = 0; written < bytes; written += size) {
          out.write(piece, 0, (int) Math.min(size, bytes - written));
        }
      }
      if (reader.get() != bytes) {
        throw new IllegalStateException("loopback probe lost bytes");
      }
    }
  }

  /** irq + softirq ticks of the machine's line in /proc/stat. */
  private static long irqTicks() throws IOException {
    String[] fields = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
    return Long.parseLong(fields[6]) + Long.parseLong(fields[7]);
  }
}
