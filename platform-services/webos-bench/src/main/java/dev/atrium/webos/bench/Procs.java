package dev.atrium.webos.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** CPU seconds and memory of processes and of the whole machine, from /proc. */
final class Procs {

  private static final double TICKS_PER_SECOND = 100.0; // USER_HZ on Linux

  private Procs() {
  }

  /** A reading: the gateway's, this JVM's and the machine's CPU seconds (user + system), and when. */
  record Reading(long nanos, double gateway, double bench, double machine) {

    static Reading now(long gatewayPid) {
      return new Reading(System.nanoTime(), cpuSeconds(gatewayPid), cpuSeconds(ProcessHandle.current().pid()),
          machineSeconds());
    }

    double gatewaySince(Reading before) {
      return gateway - before.gateway;
    }

    double benchSince(Reading before) {
      return bench - before.bench;
    }

    /**
     * Cores' worth of CPU that processes other than the gateway and this JVM (the load and the backend) used:
     * another session's build on this shared machine, PostgreSQL and Redis (idle while the load runs).
     */
    double otherCoresSince(Reading before) {
      double wall = (nanos - before.nanos) / 1e9;
      double others = (machine - before.machine) - gatewaySince(before) - benchSince(before);
      return wall <= 0 ? Double.NaN : Math.max(0, others) / wall;
    }
  }

  /** User plus system seconds of one process, or NaN when it is gone. */
  static double cpuSeconds(long pid) {
    try {
      String line = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String[] fields = line.substring(line.lastIndexOf(')') + 2).trim().split("\\s+");
      return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  /** The machine's user, nice and system seconds (what processes are charged for; not interrupts or idle). */
  static double machineSeconds() {
    try {
      String[] fields = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
      return (Long.parseLong(fields[1]) + Long.parseLong(fields[2]) + Long.parseLong(fields[3])) / TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  /** A field of /proc/PID/status in kB (VmRSS, VmHWM), or -1. */
  static long statusKib(long pid, String field) {
    try {
      List<String> lines = Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"));
      for (String line : lines) {
        if (line.startsWith(field + ":")) {
          return Long.parseLong(line.substring(field.length() + 1).replace("kB", "").trim());
        }
      }
    } catch (IOException | RuntimeException e) {
      // gone
    }
    return -1;
  }
}
