package dev.atrium.netdisk.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where netdisk's CPU goes: a flight recording of the running service (started and stopped with jcmd, the JDK's
 * "profile" settings: a Java execution sample every 10 ms, socket reads and writes whatever their duration, so the
 * sizes of the reads from the client and of the writes to the object store show; the JDK rate-limits those events,
 * so they are a sample, not a count; exceptions thrown), read back here. SHA-256 runs in an intrinsic stub of the JIT
 * that is no Java frame: its samples land on the method that called {@code MessageDigest.update} (netdisk's
 * {@code Uploads$Hashing.read}, the SDK's {@code DigestAlgorithmChecksum.update}), so hashing is counted by those leaf
 * frames as well as by the JDK's digest classes. Not part of any figure: recording costs CPU.
 */
final class Profile {

  private static final List<String> JDK_PACKAGES = List.of("java.", "javax.", "jdk.", "sun.", "com.sun.");
  /** Leaf frames that are the SHA-256 stub's caller (see above), and what they hash for. */
  private static final Map<String, String> HASHING_CALLERS = Map.of(
      "dev.atrium.netdisk.upload.Uploads$Hashing.read", "netdisk's SHA-256 of each chunk and of the file",
      "software.amazon.awssdk.checksums.internal.DigestAlgorithmChecksum.update",
      "the SDK's SHA-256 of the payload for its signature (plain HTTP)");

  private Profile() {
  }

  static void start(long pid, String name) throws IOException, InterruptedException {
    try {
      // every exception counted (the JDK rate-limits them otherwise)
      jcmd(pid, "JFR.start", "name=" + name, "settings=profile", "jdk.SocketWrite#threshold=0ms",
          "jdk.SocketRead#threshold=0ms", "jdk.JavaExceptionThrow#enabled=true", "jdk.JavaExceptionThrow#throttle=off");
    } catch (IOException olderJdk) {
      jcmd(pid, "JFR.start", "name=" + name, "settings=profile", "jdk.SocketWrite#threshold=0ms",
          "jdk.SocketRead#threshold=0ms", "jdk.JavaExceptionThrow#enabled=true");
    }
  }

  /** Stops the recording, writes it to {@code file} and sums it up; {@code storePort} tells the store's sockets. */
  static Map<String, Object> stop(long pid, String name, Path file, int storePort, int postgresPort)
      throws Exception {
    Files.deleteIfExists(file);
    jcmd(pid, "JFR.stop", "name=" + name, "filename=" + file.toAbsolutePath());
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!Files.exists(file) && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    return summary(RecordingFile.readAllEvents(file), storePort, postgresPort, file);
  }

  static Map<String, Object> summary(List<RecordedEvent> events, int storePort, int postgresPort, Path file) {
    long samples = 0;
    Map<String, Long> leaf = new TreeMap<>();
    Map<String, Long> nearestLibrary = new TreeMap<>();
    Map<String, Long> sha256By = new TreeMap<>();
    long sha256 = 0;
    Map<String, long[]> writes = new TreeMap<>();
    Map<String, long[]> reads = new TreeMap<>();
    long gcs = 0;
    Map<String, Long> exceptions = new TreeMap<>();
    double gcPauseMs = 0;
    for (RecordedEvent event : events) {
      String type = event.getEventType().getName();
      switch (type) {
        case "jdk.ExecutionSample" -> {
          if (event.getStackTrace() == null || event.getStackTrace().getFrames().isEmpty()) {
            continue;
          }
          samples++;
          List<RecordedFrame> frames = event.getStackTrace().getFrames();
          RecordedFrame top = frames.getFirst();
          leaf.merge(method(top), 1L, Long::sum);
          RecordedFrame library = frames.stream().filter(f -> !jdk(f)).findFirst().orElse(null);
          nearestLibrary.merge(library == null ? "(JDK only)" : method(library), 1L, Long::sum);
          String caller = HASHING_CALLERS.get(top.getMethod().getType().getName() + "." + top.getMethod().getName());
          boolean inDigest = frames.stream().limit(3).anyMatch(f -> {
            String t = f.getMethod().getType().getName();
            return t.startsWith("sun.security.provider.SHA2") || t.equals("sun.security.provider.DigestBase");
          });
          if (caller != null || inDigest) {
            sha256++;
            sha256By.merge(caller != null ? caller : "SHA-256 in the JDK's digest classes, for "
                + (library == null ? "(JDK only)" : method(library)), 1L, Long::sum);
          }
        }
        case "jdk.SocketWrite", "jdk.SocketRead" -> {
          boolean write = type.equals("jdk.SocketWrite");
          long bytes = write ? event.getLong("bytesWritten") : event.getLong("bytesRead");
          int port = event.getInt("port");
          String via = event.getStackTrace() == null || event.getStackTrace().getFrames().isEmpty() ? "?"
              : method(event.getStackTrace().getFrames().getFirst());
          String peer = (port == storePort ? "object store" : port == postgresPort ? "PostgreSQL" : "client")
              + " via " + via;
          long[] counts = (write ? writes : reads).computeIfAbsent(peer, k -> new long[8]);
          counts[0]++;
          counts[1] += Math.max(0, bytes);
          counts[bucket(bytes)]++;
        }
        case "jdk.JavaExceptionThrow" -> {
          // where it was made: the first frame that is no constructor
          String where = event.getStackTrace() == null ? "?" : event.getStackTrace().getFrames().stream()
              .filter(f -> !f.getMethod().getName().equals("<init>")).findFirst().map(Profile::method).orElse("?");
          exceptions.merge(event.getClass("thrownClass").getName() + " at " + where, 1L, Long::sum);
        }
        case "jdk.GarbageCollection" -> {
          gcs++;
          gcPauseMs += event.getDuration("sumOfPauses").toNanos() / 1e6;
        }
        default -> {
          // not used
        }
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("recording", file.toString());
    out.put("executionSamples", samples);
    out.put("topLeafMethods", top(leaf, samples, 15));
    out.put("topNearestNonJdkFrames", top(nearestLibrary, samples, 15));
    out.put("sha256Samples", sha256);
    out.put("sha256Percent", samples == 0 ? null : Stats.round(100.0 * sha256 / samples));
    out.put("sha256ByCaller", top(sha256By, samples, 8));
    out.put("socketWrites", sockets(writes));
    out.put("socketReads", sockets(reads));
    long thrown = exceptions.values().stream().mapToLong(Long::longValue).sum();
    out.put("exceptionsThrown", thrown);
    out.put("exceptionsByClassAndWhere", top(exceptions, thrown, 5));
    out.put("garbageCollections", gcs);
    out.put("gcPauseMs", Stats.round(gcPauseMs));
    return out;
  }

  private static final String[] BUCKETS = {"", "", "<=4KiB", "<=8KiB", "<=16KiB", "<=64KiB", "<=128KiB", ">128KiB"};

  private static int bucket(long bytes) {
    if (bytes <= 4096) {
      return 2;
    } else if (bytes <= 8192) {
      return 3;
    } else if (bytes <= 16384) {
      return 4;
    } else if (bytes <= 65536) {
      return 5;
    } else if (bytes <= 131072) {
      return 6;
    }
    return 7;
  }

  private static Map<String, Object> sockets(Map<String, long[]> byPeer) {
    Map<String, Object> out = new LinkedHashMap<>();
    byPeer.forEach((peer, counts) -> {
      Map<String, Object> one = new LinkedHashMap<>();
      one.put("calls", counts[0]);
      one.put("bytes", counts[1]);
      one.put("meanBytes", counts[0] == 0 ? 0 : counts[1] / counts[0]);
      Map<String, Long> sizes = new LinkedHashMap<>();
      for (int i = 2; i < BUCKETS.length; i++) {
        if (counts[i] > 0) {
          sizes.put(BUCKETS[i], counts[i]);
        }
      }
      one.put("callsBySize", sizes);
      out.put(peer, one);
    });
    return out;
  }

  private static Map<String, Object> top(Map<String, Long> counts, long total, int limit) {
    Map<String, Object> out = new LinkedHashMap<>();
    counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(limit)
        .forEach(e -> out.put(e.getKey(), e.getValue() + " (" + Stats.round(100.0 * e.getValue() / total) + " %)"));
    return out;
  }

  private static boolean jdk(RecordedFrame frame) {
    String type = frame.getMethod().getType().getName();
    return JDK_PACKAGES.stream().anyMatch(type::startsWith);
  }

  private static String method(RecordedFrame frame) {
    String type = frame.getMethod().getType().getName();
    return type.substring(type.lastIndexOf('.') + 1) + "." + frame.getMethod().getName() + " (" + type
        .substring(0, Math.max(0, type.lastIndexOf('.'))) + ")";
  }

  private static void jcmd(long pid, String... command) throws IOException, InterruptedException {
    String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
    List<String> line = new ArrayList<>(List.of(jcmd, Long.toString(pid)));
    line.addAll(List.of(command));
    Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0 || output.contains("Could not")) {
      throw new IOException("jcmd " + String.join(" ", command) + " failed: " + output);
    }
  }
}
