package dev.atrium.identity.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * How the service's JIT compiled the password hash: a short flight recording of the running service (started with
 * jcmd, execution samples every 10 ms) while it handles logins, and of the samples in BouncyCastle's Argon2, how many
 * were in its {@code quarterRound} compiled as a method of its own, called rather than inlined into the round
 * function. In a JVM that runs nothing but the hash (the floors) C2 inlines it; when it does not, each round pays a
 * call, and the hash costs more CPU than the floor says it must.
 */
final class JitProbe {

  private static final String ARGON2 = "org.bouncycastle.crypto.generators.Argon2BytesGenerator";

  private final Path file;

  private JitProbe(Path file) {
    this.file = file;
  }

  /** Starts a recording of {@code seconds} in the JVM {@code pid}. */
  static JitProbe start(long pid, int seconds, Path file) throws IOException, InterruptedException {
    Files.deleteIfExists(file);
    jcmd(pid, "JFR.start", "name=bench-jit-probe", "settings=profile", "duration=" + seconds + "s",
        "filename=" + file.toAbsolutePath());
    return new JitProbe(file);
  }

  /** Waits for the recording to be written and reads it. */
  Map<String, Object> finish() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!Files.exists(file) && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
    Thread.sleep(500); // the file appears before it is complete
    long samples = 0;
    long argon2 = 0;
    long calledNotInlined = 0;
    for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
      if (!event.getEventType().getName().equals("jdk.ExecutionSample") || event.getStackTrace() == null) {
        continue;
      }
      samples++;
      List<RecordedFrame> frames = event.getStackTrace().getFrames();
      if (frames.isEmpty() || !frames.getFirst().getMethod().getType().getName().startsWith(ARGON2)) {
        continue;
      }
      argon2++;
      for (RecordedFrame frame : frames) {
        if (frame.getMethod().getName().equals("quarterRound") && frame.getMethod().getType().getName().equals(ARGON2)
            && !"Inlined".equals(frame.getType())) {
          calledNotInlined++;
          break;
        }
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("executionSamples", samples);
    out.put("argon2Samples", argon2);
    out.put("argon2SamplesInQuarterRoundNotInlined", calledNotInlined);
    out.put("quarterRoundInlined", argon2 > 0 && calledNotInlined * 10 < argon2);
    Files.deleteIfExists(file);
    return out;
  }

  private static void jcmd(long pid, String... command) throws IOException, InterruptedException {
    String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
    List<String> line = new java.util.ArrayList<>(List.of(jcmd, Long.toString(pid)));
    line.addAll(List.of(command));
    Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IOException("jcmd " + String.join(" ", command) + " failed: " + output);
    }
  }
}
