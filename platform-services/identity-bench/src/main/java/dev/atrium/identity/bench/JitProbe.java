package dev.atrium.identity.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * How the service's JIT compiled the password hash: a short flight recording of the running service (started with
 * jcmd, execution samples every 10 ms) while it handles logins. Of the samples in BouncyCastle's Argon2, how many
 * were in one of the tiny methods its Blake2b round calls once per quarter round ({@code quarterRound},
 * {@code Longs.rotateRight}) compiled as a method of its own and called, not inlined. In a JVM that runs nothing but
 * the hash (the floors) C2 inlines them; when it does not, every quarter round pays a call, and the hash costs more
 * CPU than the floor says it must. With fewer than 100 samples in the hash the answer is null (unknown: a sampler
 * drops the samples whose stack it cannot walk). The recording is kept next to the service's log.
 */
final class JitProbe {

  private static final String ARGON2 = "org.bouncycastle.crypto.generators.Argon2BytesGenerator";
  private static final int MIN_SAMPLES = 100;
  // called once per quarter round (Blake2b's G): inlined, they cost nothing; called, each call costs more than its work
  private static final Set<String> TINY = Set.of(ARGON2 + ".quarterRound", "org.bouncycastle.util.Longs.rotateRight");

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
    long hash = 0;
    long calledNotInlined = 0;
    Map<String, Long> topFrames = new TreeMap<>();
    for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
      if (!event.getEventType().getName().equals("jdk.ExecutionSample") || event.getStackTrace() == null) {
        continue;
      }
      samples++;
      List<RecordedFrame> frames = event.getStackTrace().getFrames();
      if (frames.stream().noneMatch(f -> f.getMethod().getType().getName().startsWith(ARGON2))) {
        continue;
      }
      hash++;
      RecordedFrame top = frames.getFirst();
      topFrames.merge(simpleName(top) + " [" + top.getType() + "]", 1L, Long::sum);
      if (frames.stream().anyMatch(f -> TINY.contains(f.getMethod().getType().getName() + "." + f.getMethod().getName())
          && !"Inlined".equals(f.getType()))) {
        calledNotInlined++;
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("executionSamples", samples);
    out.put("hashSamples", hash);
    out.put("hashSamplesInATinyMethodNotInlined", calledNotInlined);
    Map<String, Long> mostSampled = new LinkedHashMap<>();
    topFrames.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(5)
        .forEach(e -> mostSampled.put(e.getKey(), e.getValue()));
    out.put("hashTopFrames", mostSampled);
    // a profiler that cannot walk a stack drops the sample: with few samples in the hash, nothing can be told
    out.put("roundInlined", hash < MIN_SAMPLES ? null : calledNotInlined * 10 < hash);
    out.put("recording", file.toString());
    return out;
  }

  private static String simpleName(RecordedFrame frame) {
    String type = frame.getMethod().getType().getName();
    return type.substring(type.lastIndexOf('.') + 1) + "." + frame.getMethod().getName();
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
