package dev.atrium.messagecenter.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the CPU went during a phase: the whole machine (from /proc/stat), the service's process, and this
 * benchmark's own JVM (clients and senders); the rest is PostgreSQL, Redis and anything else running.
 */
record CpuTimes(long wallNanos, double machineBusySeconds, double machineTotalSeconds, double serviceSeconds,
    double benchSeconds) {

  private static final double TICKS_PER_SECOND = 100.0; // USER_HZ on Linux

  static CpuTimes now(Process service) {
    double busy = 0;
    double total = 0;
    try {
      String[] cpu = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
      for (int i = 1; i < cpu.length && i <= 8; i++) {
        double ticks = Long.parseLong(cpu[i]) / TICKS_PER_SECOND;
        total += ticks;
        if (i != 4 && i != 5) { // idle, iowait
          busy += ticks;
        }
      }
    } catch (IOException | RuntimeException e) {
      busy = Double.NaN;
    }
    double serviceSeconds = service == null ? 0 : service.toHandle().info().totalCpuDuration()
        .map(d -> d.toNanos() / 1e9).orElse(Double.NaN);
    double bench = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime() / 1e9;
    return new CpuTimes(System.nanoTime(), busy, total, serviceSeconds, bench);
  }

  Map<String, Object> since(CpuTimes before) {
    double wall = Duration.ofNanos(wallNanos - before.wallNanos).toNanos() / 1e9;
    double machine = machineBusySeconds - before.machineBusySeconds;
    double service = serviceSeconds - before.serviceSeconds;
    double bench = benchSeconds - before.benchSeconds;
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("wallSeconds", Recorder.round(wall));
    out.put("machineBusyPercent", Recorder.round(100 * machine / (machineTotalSeconds - before.machineTotalSeconds)));
    out.put("serviceCpuSeconds", Recorder.round(service));
    out.put("benchCpuSeconds", Recorder.round(bench));
    out.put("otherCpuSeconds", Recorder.round(machine - service - bench));
    return out;
  }
}
