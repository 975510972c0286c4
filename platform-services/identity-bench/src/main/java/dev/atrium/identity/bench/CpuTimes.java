package dev.atrium.identity.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the CPU went during a phase, from /proc: the service's process (its user and system time in
 * /proc/PID/stat), PostgreSQL (the postmaster and its children), this benchmark's own JVM (the load), the core the
 * service is pinned to (its line in /proc/stat, which also counts anything else scheduled there) and the whole
 * machine.
 */
record CpuTimes(long wallNanos, double serviceSeconds, double serviceJitSeconds, double serviceVmSeconds,
    double postgresSeconds, double benchSeconds, long[] serviceCore, long[] machine) {

  private static final double TICKS_PER_SECOND = 100.0; // USER_HZ on Linux

  static CpuTimes now(long servicePid, long postmasterPid, int serviceCore) {
    double[] threads = servicePid > 0 ? threadSeconds(servicePid) : new double[2];
    return new CpuTimes(System.nanoTime(), servicePid > 0 ? processSeconds(servicePid) : 0, threads[0], threads[1],
        postmasterPid > 0 ? treeSeconds(postmasterPid) : 0, processSeconds(ProcessHandle.current().pid()),
        cpuLine("cpu" + serviceCore), cpuLine("cpu"));
  }

  /** The figures of the phase between {@code before} and this reading. */
  Map<String, Object> since(CpuTimes before) {
    double wall = (wallNanos - before.wallNanos) / 1e9;
    double service = serviceSeconds - before.serviceSeconds;
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("wallSeconds", Latencies.round3(wall));
    out.put("serviceCpuSeconds", Latencies.round3(service));
    // how much of its one core the service got: 1.0 is the whole core for the whole phase
    out.put("serviceCoreShare", Latencies.round3(service / wall));
    // of the service's CPU: the JIT compilers' threads, the VM thread (the serial collector's pauses, safepoints) and
    // GC threads; the rest is the application's (request handling, Tomcat, the pool)
    double jit = serviceJitSeconds - before.serviceJitSeconds;
    double vm = serviceVmSeconds - before.serviceVmSeconds;
    out.put("serviceJitCpuSeconds", Latencies.round3(jit));
    out.put("serviceVmAndGcCpuSeconds", Latencies.round3(vm));
    out.put("serviceApplicationCpuSeconds", Latencies.round3(service - jit - vm));
    out.put("serviceCoreBusyPercent", busyPercent(before.serviceCore, serviceCore));
    out.put("postgresCpuSeconds", Latencies.round3(postgresSeconds - before.postgresSeconds));
    out.put("benchCpuSeconds", Latencies.round3(benchSeconds - before.benchSeconds));
    out.put("machineBusyPercent", busyPercent(before.machine, machine));
    return out;
  }

  /** User plus system seconds of one process, or NaN when it cannot be read. */
  static double processSeconds(long pid) {
    long[] ticks = statTicks(Path.of("/proc", Long.toString(pid), "stat"));
    return ticks == null ? Double.NaN : (ticks[1] + ticks[2]) / TICKS_PER_SECOND;
  }

  /** A process and its direct children (PostgreSQL's postmaster and its backends). */
  static double treeSeconds(long rootPid) {
    long total = 0;
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path proc : procs) {
        long[] ticks = statTicks(proc.resolve("stat"));
        if (ticks != null && (ticks[0] == rootPid || Long.parseLong(proc.getFileName().toString()) == rootPid)) {
          total += ticks[1] + ticks[2];
        }
      }
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
    return total / TICKS_PER_SECOND;
  }

  /** CPU seconds of the JIT compiler threads and of the VM and GC threads of a JVM, from /proc/PID/task. */
  static double[] threadSeconds(long pid) {
    double[] out = new double[2];
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
      for (Path task : tasks) {
        String stat;
        try {
          stat = Files.readString(task.resolve("stat"));
        } catch (IOException gone) {
          continue;
        }
        String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        long[] ticks = statTicks(task.resolve("stat"));
        if (ticks == null) {
          continue;
        }
        double seconds = (ticks[1] + ticks[2]) / TICKS_PER_SECOND;
        if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
          out[0] += seconds;
        } else if (name.startsWith("VM Thread") || name.startsWith("GC Thread") || name.startsWith("VM Periodic")) {
          out[1] += seconds;
        }
      }
    } catch (IOException | RuntimeException e) {
      return new double[] {Double.NaN, Double.NaN};
    }
    return out;
  }

  /** {ppid, utime, stime} from a /proc/PID/stat file, or null when the process is gone. */
  private static long[] statTicks(Path stat) {
    try {
      String line = Files.readString(stat);
      // the command name may hold spaces and parentheses: the fields start after the last ')'
      String[] fields = line.substring(line.lastIndexOf(')') + 2).trim().split("\\s+");
      return new long[] {Long.parseLong(fields[1]), Long.parseLong(fields[11]), Long.parseLong(fields[12])};
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** The eight first counters of a line of /proc/stat ("cpu" for the machine, "cpuN" for core N). */
  private static long[] cpuLine(String name) {
    try {
      List<String> lines = Files.readAllLines(Path.of("/proc/stat"));
      for (String line : lines) {
        String[] fields = line.trim().split("\\s+");
        if (fields[0].equals(name)) {
          long[] counters = new long[8];
          for (int i = 0; i < 8 && i + 1 < fields.length; i++) {
            counters[i] = Long.parseLong(fields[i + 1]);
          }
          return counters;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not on Linux: no figure
    }
    return null;
  }

  /** Busy share of the ticks between two readings; idle and iowait are the 4th and 5th counters. */
  private static Double busyPercent(long[] before, long[] after) {
    if (before == null || after == null) {
      return null;
    }
    long total = 0;
    long idle = 0;
    for (int i = 0; i < 8; i++) {
      long delta = after[i] - before[i];
      total += delta;
      if (i == 3 || i == 4) {
        idle += delta;
      }
    }
    return total == 0 ? null : Latencies.round(100.0 * (total - idle) / total);
  }

  /** A field of /proc/PID/status, e.g. VmRSS or Cpus_allowed_list, or null. */
  static String status(long pid, String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith(field + ":")) {
          return line.substring(field.length() + 1).trim();
        }
      }
    } catch (IOException e) {
      // gone
    }
    return null;
  }
}
