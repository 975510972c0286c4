package dev.atrium.netdisk.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the CPU went between two readings, from /proc: netdisk's process (user + system seconds in /proc/PID/stat;
 * of them its JIT compiler threads and its VM and GC threads), the object store's weed, PostgreSQL (the postmaster and
 * its backends), this benchmark's JVM (the client and the floor's S3 client), the kernel's threads (writeback of the
 * store's files among them) and the whole machine (/proc/stat). What the machine spent beyond those five is
 * {@code otherCores}: other processes, e.g. another session's build on this shared machine.
 */
record Cpu(long wallNanos, double netdisk, double netdiskSystem, double netdiskJit, double netdiskVmGc, double weed,
    double postgres, double bench, double kernelThreads, long[] machine) {

  private static final double TICKS_PER_SECOND = 100.0; // USER_HZ on Linux

  static Cpu now(long netdiskPid, long weedPid, long postmasterPid) {
    double[] threads = netdiskPid > 0 ? threadSeconds(netdiskPid) : new double[2];
    long[] ticks = netdiskPid > 0 ? statTicks(Path.of("/proc", Long.toString(netdiskPid), "stat")) : null;
    return new Cpu(System.nanoTime(), netdiskPid > 0 ? processSeconds(netdiskPid) : 0,
        ticks == null ? 0 : ticks[2] / TICKS_PER_SECOND, threads[0], threads[1],
        weedPid > 0 ? processSeconds(weedPid) : 0, postmasterPid > 0 ? treeSeconds(postmasterPid) : 0,
        processSeconds(ProcessHandle.current().pid()), kernelThreadSeconds(), machineLine());
  }

  double wallSecondsSince(Cpu before) {
    return (wallNanos - before.wallNanos) / 1e9;
  }

  double netdiskSince(Cpu before) {
    return netdisk - before.netdisk;
  }

  /** Cores' worth of CPU used by anything but netdisk, weed, PostgreSQL and this JVM since {@code before}. */
  double otherCoresSince(Cpu before) {
    double wall = wallSecondsSince(before);
    if (machine == null || before.machine == null || wall <= 0) {
      return Double.NaN;
    }
    double machineSeconds = (taskTicks(machine) - taskTicks(before.machine)) / TICKS_PER_SECOND;
    double ours = (netdisk - before.netdisk) + (weed - before.weed) + (postgres - before.postgres)
        + (bench - before.bench) + (kernelThreads - before.kernelThreads);
    return Math.max(0, machineSeconds - ours) / wall;
  }

  /** The figures of the phase between {@code before} and this reading. */
  Map<String, Object> since(Cpu before) {
    double wall = wallSecondsSince(before);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("wallSeconds", Stats.round3(wall));
    double netdiskSeconds = netdisk - before.netdisk;
    out.put("netdiskCpuSeconds", Stats.round3(netdiskSeconds));
    out.put("netdiskCores", Stats.round3(netdiskSeconds / wall));
    // in the kernel on netdisk's behalf: its socket reads and writes, mostly
    out.put("netdiskSystemCpuSeconds", Stats.round3(netdiskSystem - before.netdiskSystem));
    out.put("netdiskJitCpuSeconds", Stats.round3(netdiskJit - before.netdiskJit));
    out.put("netdiskVmAndGcCpuSeconds", Stats.round3(netdiskVmGc - before.netdiskVmGc));
    out.put("weedCpuSeconds", Stats.round3(weed - before.weed));
    out.put("postgresCpuSeconds", Stats.round3(postgres - before.postgres));
    out.put("benchCpuSeconds", Stats.round3(bench - before.bench));
    out.put("kernelThreadsCpuSeconds", Stats.round3(kernelThreads - before.kernelThreads));
    if (machine != null && before.machine != null) {
      long total = 0;
      long idle = 0;
      for (int i = 0; i < 8; i++) {
        long delta = machine[i] - before.machine[i];
        total += delta;
        if (i == 3 || i == 4) {
          idle += delta;
        }
      }
      out.put("machineBusyPercent", total == 0 ? null : Stats.round(100.0 * (total - idle) / total));
      // interrupts and softirqs (loopback traffic is largely softirq work) are not charged to any process here
      out.put("machineIrqSeconds", Stats.round3((machine[5] + machine[6] - before.machine[5] - before.machine[6])
          / TICKS_PER_SECOND));
      // time the hypervisor gave this guest's vCPUs to others: a slower machine for both sides alike
      out.put("machineStealSeconds", Stats.round3((machine[7] - before.machine[7]) / TICKS_PER_SECOND));
      out.put("otherCores", Stats.round3(otherCoresSince(before)));
    }
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

  /** The kernel's threads (kthreadd and its children: writeback, ksoftirqd, kworkers). */
  static double kernelThreadSeconds() {
    long total = 0;
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path proc : procs) {
        long[] ticks = statTicks(proc.resolve("stat"));
        if (ticks != null && (ticks[0] == 2 || proc.getFileName().toString().equals("2"))) {
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
        } else if (name.startsWith("VM Thread") || name.startsWith("GC Thread") || name.startsWith("G1 ")
            || name.startsWith("VM Periodic")) {
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

  /** user, nice, system, idle, iowait, irq, softirq, steal of the machine's line in /proc/stat, or null. */
  private static long[] machineLine() {
    try {
      List<String> lines = Files.readAllLines(Path.of("/proc/stat"));
      String[] fields = lines.getFirst().trim().split("\\s+");
      long[] counters = new long[8];
      for (int i = 0; i < 8 && i + 1 < fields.length; i++) {
        counters[i] = Long.parseLong(fields[i + 1]);
      }
      return counters;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** What processes are charged for: user, nice and system (not interrupts, softirqs, idle or steal). */
  private static long taskTicks(long[] counters) {
    return counters[0] + counters[1] + counters[2];
  }

  /** A field of /proc/PID/status, e.g. VmRSS, or null. */
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
