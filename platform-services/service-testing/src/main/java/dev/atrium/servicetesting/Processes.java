package dev.atrium.servicetesting;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the commands the test servers are set up with, failing with their output. */
final class Processes {

  private Processes() {
  }

  /** Runs a command to its end; a non-zero exit fails with the command's output and the tail of {@code log}. */
  static String run(List<String> command, Path log, long timeoutSeconds) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      process.getOutputStream().close();
      byte[] output = process.getInputStream().readAllBytes();
      if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("timed out after " + timeoutSeconds + "s: " + String.join(" ", command));
      }
      String text = new String(output);
      if (process.exitValue() != 0) {
        throw new IllegalStateException("`" + String.join(" ", command) + "` exited with " + process.exitValue()
            + ":\n" + text + tail(log));
      }
      return text;
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + command, e);
    }
  }

  /** The command, run as {@code user} through runuser when this JVM is root (PostgreSQL refuses to run as root). */
  static List<String> asUser(String user, List<String> command) {
    if (!isRoot()) {
      return command;
    }
    List<String> wrapped = new ArrayList<>(List.of("runuser", "-u", user, "--"));
    wrapped.addAll(command);
    return wrapped;
  }

  /** SIGTERM, then after 10 s SIGKILL: a server this JVM started in the foreground. */
  static void stop(Process process) {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Ends the server a dead JVM left running in {@code orphanDir}: the pid its pid file records, if that process
   * still runs from that directory (a pid reused by something else is left alone).
   */
  static void killRecorded(Path orphanDir, String pidFile) {
    try {
      long pid = Long.parseLong(Files.readString(orphanDir.resolve(pidFile)).trim());
      ProcessHandle.of(pid)
          .filter(p -> p.info().commandLine().orElse("").contains(orphanDir.toString()))
          .ifPresent(ProcessHandle::destroy);
    } catch (IOException | RuntimeException e) {
      // no pid file: it never started or already stopped
    }
  }

  static boolean isRoot() {
    return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
  }

  static String tail(Path log) {
    if (log == null || !Files.exists(log)) {
      return "";
    }
    try {
      List<String> lines = Files.readAllLines(log);
      return "\n--- last lines of " + log + " ---\n"
          + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "";
    }
  }
}
