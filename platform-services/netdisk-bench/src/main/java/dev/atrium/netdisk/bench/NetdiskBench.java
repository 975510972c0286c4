package dev.atrium.netdisk.bench;

import dev.atrium.servicetesting.SeaweedServer;
import dev.atrium.servicetesting.ServerBinaries;
import dev.atrium.servicetesting.TestIssuer;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipFile;
import tools.jackson.databind.json.JsonMapper;

/**
 * Netdisk's upload and download throughput beside its floor, and instant send, in one run. Starts SeaweedFS's weed
 * server (service-testing's SeaweedServer: master, volume server, filer and S3 gateway in one process on loopback) and
 * a token issuer (TestIssuer) in this JVM's care, and netdisk from its jar as a process of its own ({@link Service}),
 * against the PostgreSQL hack/bench-netdisk.sh started. Then, every loop bounded in count:
 *
 * <ol>
 *   <li>a warm-up of every kind of request, on both sides;
 *   <li>rounds, each: 1 MiB files whole in one PUT through netdisk (at each concurrency asked for) and the same number
 *       of 1 MiB objects put on the store directly with the S3 client (the floor), then both downloaded; 256 MiB files
 *       through netdisk's chunked upload (8 MiB chunks, in order, as many in flight as asked for) and the floor's
 *       multipart uploads of the same size and part size, then both downloaded; instant sends of stored content of
 *       1, 64 and 256 MiB. Which side goes first alternates between rounds. A round during which other processes
 *       used more than {@code --max-other-cores} is marked disturbed and another one is run;
 *   <li>flight recordings of netdisk during large uploads, large downloads and small uploads ({@link Profile}), not
 *       part of any figure.
 * </ol>
 *
 * For each phase: MB/s (10^6 bytes per second), the per-request latencies, and from /proc the CPU seconds of netdisk,
 * weed, PostgreSQL, this JVM and other processes ({@link Cpu}). The summary gives, over the rounds that were not
 * disturbed, the median, least and most of each rate, of the ratio netdisk/floor within a round and of netdisk's CPU
 * seconds per GB. Writes one JSON results file; asserts nothing. Usage: see hack/bench-netdisk.sh.
 */
public final class NetdiskBench {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final int MIB = 1024 * 1024;
  private static final String BUCKET = "netdisk-bench";
  private static final String FLOOR_BUCKET = "floor-bench";
  private static final String USER = "bench-user";

  private final Map<String, String> args;
  private final int rounds;
  private final int extraRounds;
  private final int smallSize;
  private final int smallFiles;
  private final List<Integer> smallConcurrency;
  private final int largeSize;
  private final int largeFiles;
  private final List<Integer> largeInFlight;
  private final int chunkSize;
  private final List<Integer> instantSizes;
  private final int instantPerSize;
  private final double maxOtherCores;
  private final Content content;
  private final AtomicLong variants = new AtomicLong(1);
  private final Map<String, String> chunkHashes = new ConcurrentHashMap<>();
  private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
    Thread thread = new Thread(r, "bench-client");
    thread.setDaemon(true);
    return thread;
  });
  /** Per-round figures: key, round, value. */
  private final List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
  /** Per-request latencies by key and round. */
  private final Map<String, Map<Integer, List<Double>>> latencies = new ConcurrentHashMap<>();
  private final Map<Integer, Content.File> stored = new TreeMap<>();

  private TestIssuer issuer;
  private SeaweedServer store;
  private Service netdisk;
  private Floor floor;
  private NetdiskApi api;
  private String space;
  private long weedPid = -1;
  private final long postmasterPid;
  private Map<String, String> serviceEnvironment;
  private String token;
  private long tokenAt;
  private boolean closed;

  private record Sample(String key, int round, double value) {
  }

  private enum Side { NETDISK, FLOOR }

  private NetdiskBench(Map<String, String> args) throws IOException {
    this.args = args;
    rounds = number("rounds", 5);
    extraRounds = number("extra-rounds", 4);
    smallSize = number("small-kib", 1024) * 1024;
    smallFiles = number("small-files", 100);
    smallConcurrency = numbers("small-concurrency", "1,4");
    largeSize = number("large-mib", 256) * MIB;
    largeFiles = number("large-files", 2);
    largeInFlight = numbers("large-in-flight", "1,4");
    chunkSize = number("chunk-mib", 8) * MIB;
    instantSizes = numbers("instant-mib", "1,64,256").stream().map(m -> m * MIB).toList();
    instantPerSize = number("instant", 10);
    maxOtherCores = Double.parseDouble(args.getOrDefault("max-other-cores", "0.25"));
    postmasterPid = args.containsKey("postgres-pid-file")
        ? Long.parseLong(Files.readAllLines(Path.of(args.get("postgres-pid-file"))).getFirst().trim()) : -1;
    int largest = Math.max(largeSize, Math.max(smallSize, instantSizes.stream().max(Integer::compare).orElse(0)));
    content = new Content(largest, 20261129L);
  }

  public static void main(String[] argv) throws Exception {
    // kept-alive connections to netdisk for every client thread (HttpURLConnection keeps 5 by default)
    System.setProperty("http.maxConnections", "32");
    new NetdiskBench(arguments(argv)).run();
    System.exit(0);
  }

  static Map<String, String> arguments(String[] argv) {
    Map<String, String> args = new LinkedHashMap<>();
    for (int i = 0; i + 1 < argv.length; i += 2) {
      args.put(argv[i].replaceFirst("^--", ""), argv[i + 1]);
    }
    return args;
  }

  private int number(String name, int fallback) {
    return Integer.parseInt(args.getOrDefault(name, Integer.toString(fallback)));
  }

  private List<Integer> numbers(String name, String fallback) {
    return Arrays.stream(args.getOrDefault(name, fallback).split(",")).map(String::trim).map(Integer::parseInt)
        .toList();
  }

  static void say(String message) {
    System.out.printf("[bench %s] %s%n", java.time.LocalTime.now().withNano(0), message);
    System.out.flush();
  }

  // --- the run

  private void run() throws Exception {
    Map<String, Object> results = new LinkedHashMap<>();
    results.put("benchmark", "netdisk-throughput");
    results.put("date", OffsetDateTime.now(ZoneOffset.UTC).toString());
    results.put("source", Map.of("commit", args.getOrDefault("git-commit", "unknown"),
        "netdiskTree", args.getOrDefault("netdisk-tree", "unknown")));
    Map<String, Object> load = new LinkedHashMap<>();
    load.put("scriptWait", args.getOrDefault("load-wait", "none"));
    load.put("atStart", read("/proc/loadavg"));
    results.put("loadAverage", load);
    results.put("machine", machine());
    results.put("libraries", sameLibraries(Path.of(args.get("jar"))));
    Runtime.getRuntime().addShutdownHook(new Thread(this::close));
    try {
      start(results);
      results.put("setup", setup());
      say("warm-up");
      results.put("warmup", warmup());
      Map<String, Object> probes = new LinkedHashMap<>();
      probes.put("quietBefore", waitForQuiet("probes"));
      probes.put("postgresCommit", Probes.postgresCommits(Integer.parseInt(args.get("postgres-port")), 300));
      probes.put("loopback", Probes.loopback(512L * MIB));
      results.put("probes", probes);
      List<Map<String, Object>> roundResults = new ArrayList<>();
      results.put("rounds", roundResults);
      int undisturbed = 0;
      for (int r = 0; undisturbed < rounds && r < rounds + extraRounds; r++) {
        Map<String, Object> quiet = waitForQuiet("round " + (r + 1));
        Map<String, Object> round = round(r);
        round.put("quietBefore", quiet);
        roundResults.add(round);
        if (!Boolean.TRUE.equals(round.get("disturbed"))) {
          undisturbed++;
        }
      }
      load.put("afterRounds", read("/proc/loadavg"));
      results.put("summary", summary(roundResults));
      results.put("serviceMemory", netdisk.memory());
      if (!"false".equals(args.get("profile"))) {
        results.put("profile", profile());
      }
      results.put("floorClient", Map.of("sdk", "AWS SDK for Java v2, S3Client over Apache HttpClient 4, configured as"
          + " netdisk's StorageConfiguration (path-style, checksums WHEN_REQUIRED, 64 connections)",
          "x-amz-content-sha256 by operation", floor.payloadSigning()));
    } finally {
      load.put("atEnd", read("/proc/loadavg"));
      String out = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(results);
      if (args.containsKey("out")) {
        Path file = Path.of(args.get("out"));
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, out + "\n");
        say("results written to " + file);
      } else {
        System.out.println(out);
      }
      close();
    }
    print(results);
  }

  private void start(Map<String, Object> results) throws Exception {
    issuer = TestIssuer.start();
    say("starting the object store (weed server)");
    store = SeaweedServer.start();
    weedPid = ProcessHandle.current().children()
        .filter(p -> p.info().command().map(c -> c.endsWith("/weed")).orElse(false)).findFirst()
        .map(ProcessHandle::pid).orElse(-1L);
    Map<String, Object> objectStore = new LinkedHashMap<>();
    objectStore.put("server", "SeaweedFS weed server (master, volume, filer, S3 gateway in one process;"
        + " service-testing's SeaweedServer: volumes of 64 MB, the filer's embedded store), on loopback, data under"
        + " java.io.tmpdir");
    objectStore.put("version", weedVersion());
    objectStore.put("endpoint", store.endpoint());
    results.put("objectStore", objectStore);
    results.put("postgres", Map.of("version", args.getOrDefault("postgres-version", "unknown"),
        "settings", "initdb defaults (durable: fsync on, synchronous_commit on), on loopback"));

    floor = new Floor(store.endpoint(), store.accessKey(), store.secretKey(), FLOOR_BUCKET);
    floor.createBucket();

    int port = number("service-port", 18500);
    Map<String, String> env = new LinkedHashMap<>();
    env.put("SERVER_PORT", Integer.toString(port));
    env.put("SPRING_DATASOURCE_URL", "jdbc:postgresql://127.0.0.1:" + args.get("postgres-port") + "/"
        + args.getOrDefault("database", "netdisk"));
    env.put("SPRING_DATASOURCE_USERNAME", "postgres");
    env.put("SPRING_DATASOURCE_PASSWORD", "");
    env.put("ATRIUM_PLATFORM", "bench");
    env.put("ATRIUM_IDENTITY_ISSUER", TestIssuer.ISSUER);
    env.put("ATRIUM_IDENTITY_JWKS_URI", issuer.jwksUri());
    env.put("ATRIUM_NETDISK_PUBLIC_URL", "http://127.0.0.1:" + port + "/netdisk");
    env.put("ATRIUM_S3_ENDPOINT", store.endpoint());
    env.put("ATRIUM_S3_BUCKET", BUCKET);
    env.put("ATRIUM_S3_REGION", SeaweedServer.REGION);
    env.put("ATRIUM_S3_ACCESS_KEY", store.accessKey());
    env.put("ATRIUM_S3_SECRET_KEY", store.secretKey());
    // every file of the run fits (an instant send counts its whole size against the quota, as any file does)
    env.put("ATRIUM_NETDISK_PERSONAL_QUOTA", "1TB");
    env.put("ATRIUM_NETDISK_CHUNK_SIZE", (chunkSize / MIB) + "MB");
    env.put("ATRIUM_SHUTDOWN_TIMEOUT", "5s");
    Path logDir = Path.of(args.getOrDefault("service-log-dir", "target"));
    serviceEnvironment = env;
    netdisk = Service.start(Path.of(args.get("jar")), args.getOrDefault("java-tool-options", ""),
        bytes(args.getOrDefault("memory-limit", "1g")), env, port, logDir.resolve("netdisk.log"), List.of());
    Map<String, Object> service = netdisk.describe();
    Map<String, String> settings = new LinkedHashMap<>(env);
    settings.replaceAll((k, v) -> k.contains("SECRET") || k.contains("ACCESS_KEY") ? "(generated)" : v);
    service.put("environment", settings);
    results.put("service", service);
    api = new NetdiskApi(URI.create("http://127.0.0.1:" + port), this::token);
    space = api.personalSpace();
  }

  private synchronized String token() {
    if (token == null || System.nanoTime() - tokenAt > TimeUnit.MINUTES.toNanos(10)) {
      token = issuer.userToken(USER);
      tokenAt = System.nanoTime();
    }
    return token;
  }

  /** What the rounds need: the content instant sends find stored, uploaded once through netdisk. */
  private Map<String, Object> setup() throws Exception {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("smallFileBytes", smallSize);
    out.put("smallFilesPerRound", smallFiles);
    out.put("smallConcurrency", smallConcurrency);
    out.put("largeFileBytes", largeSize);
    out.put("largeFilesPerRound", largeFiles);
    out.put("chunkBytes", chunkSize);
    out.put("chunksInFlight", largeInFlight);
    out.put("instantSizes", instantSizes);
    out.put("instantSendsPerSizePerRound", instantPerSize);
    out.put("rounds", rounds);
    out.put("maxOtherCores", maxOtherCores);
    out.put("content", "random bytes; each file its own first 16 bytes (a variant number), so each upload is new"
        + " content; the client declares each file's and chunk's SHA-256, computed before the clock starts");
    for (int size : instantSizes) {
      Content.File file = content.file(variants.getAndIncrement(), size);
      api.putWhole(space, "instant/stored-" + size + ".bin", file, file.sha256());
      api.folder(space, instantFolder(size));
      stored.put(size, file);
    }
    return out;
  }

  private Map<String, Object> warmup() throws Exception {
    Map<String, Object> out = new LinkedHashMap<>();
    int max = smallConcurrency.stream().max(Integer::compare).orElse(1);
    int small = number("warmup-small", 500);
    int large = number("warmup-large", 2);
    int instant = number("warmup-instant", 30);
    for (Side side : Side.values()) {
      Map<String, Object> one = new LinkedHashMap<>();
      Content.File[] files = files(small, smallSize);
      String[] ids = new String[small];
      one.put("smallUpload", brief(smallUpload(side, "warmup", max, files, ids)));
      one.put("smallDownload", brief(smallDownload(side, max, files, ids)));
      Content.File[] big = files(large, largeSize);
      String[] bigIds = new String[large];
      one.put("largeUpload", brief(largeUpload(side, "warmup", largeInFlight.getFirst(), big, bigIds)));
      one.put("largeDownload", brief(largeDownload(side, big, bigIds)));
      out.put(side.name().toLowerCase(), one);
    }
    out.put("instant", instant(-1, "warmup", instant).keySet());
    return out;
  }

  /** Only the rate of a warm-up phase. */
  private static Map<String, Object> brief(Map<String, Object> phase) {
    return Map.of("MBps", phase.get("MBps"), "files", phase.get("files"));
  }

  // --- one round

  private Map<String, Object> round(int r) throws Exception {
    int number = r + 1;
    boolean floorFirst = r % 2 == 0;
    List<Side> order = floorFirst ? List.of(Side.FLOOR, Side.NETDISK) : List.of(Side.NETDISK, Side.FLOOR);
    say("round " + number + " (" + (floorFirst ? "floor" : "netdisk") + " first)");
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("round", number);
    out.put("order", floorFirst ? "floor first" : "netdisk first");
    out.put("loadAverageAtStart", read("/proc/loadavg"));
    Cpu start = cpu();
    Map<String, Map<String, Object>> phases = new LinkedHashMap<>();
    for (int c : smallConcurrency) {
      String key = smallKey(c);
      Map<Side, Content.File[]> files = new LinkedHashMap<>();
      Map<Side, String[]> ids = new LinkedHashMap<>();
      Map<String, Object> upload = new LinkedHashMap<>();
      Map<String, Object> download = new LinkedHashMap<>();
      for (Side side : order) {
        files.put(side, files(smallFiles, smallSize));
        ids.put(side, new String[smallFiles]);
        upload.put(side.name().toLowerCase(), smallUpload(side, "r" + number + "c" + c, c, files.get(side),
            ids.get(side)));
      }
      for (Side side : order) {
        download.put(side.name().toLowerCase(), smallDownload(side, c, files.get(side), ids.get(side)));
      }
      phases.put(key, pair(r, key, upload, download));
    }
    for (int inFlight : largeInFlight) {
      String key = largeKey(inFlight);
      Map<Side, Content.File[]> files = new LinkedHashMap<>();
      Map<Side, String[]> ids = new LinkedHashMap<>();
      Map<String, Object> upload = new LinkedHashMap<>();
      Map<String, Object> download = new LinkedHashMap<>();
      for (Side side : order) {
        files.put(side, files(largeFiles, largeSize));
        ids.put(side, new String[largeFiles]);
        upload.put(side.name().toLowerCase(), largeUpload(side, "r" + number + "f" + inFlight, inFlight,
            files.get(side), ids.get(side)));
      }
      for (Side side : order) {
        download.put(side.name().toLowerCase(), largeDownload(side, files.get(side), ids.get(side)));
      }
      phases.put(key, pair(r, key, upload, download));
    }
    out.put("phases", phases);
    out.put("instant", instant(r, "r" + number, instantPerSize));
    Cpu end = cpu();
    double other = end.otherCoresSince(start);
    out.put("cpu", end.since(start));
    out.put("loadAverageAtEnd", read("/proc/loadavg"));
    out.put("otherCores", Stats.round3(other));
    boolean disturbed = other > maxOtherCores;
    out.put("disturbed", disturbed);
    if (disturbed) {
      say("  round " + number + " was disturbed: other processes used " + Stats.round(other) + " cores; it does not"
          + " count");
    }
    synchronized (samples) {
      if (disturbed) {
        samples.removeIf(s -> s.round() == r);
      }
    }
    if (disturbed) {
      latencies.values().forEach(byRound -> byRound.remove(r));
    }
    return out;
  }

  private String smallKey(int c) {
    return label(smallSize) + " files, whole-file PUT, " + c + " at a time";
  }

  private String largeKey(int inFlight) {
    return label(largeSize) + " files, chunked (" + label(chunkSize) + " chunks in order, " + inFlight
        + " in flight)";
  }

  private static String label(int size) {
    return size % MIB == 0 ? (size / MIB) + " MiB" : size % 1024 == 0 ? (size / 1024) + " KiB" : size + " bytes";
  }

  /** Both sides' upload and download of one kind in one round, with netdisk/floor and the per-round figures. */
  private Map<String, Object> pair(int r, String key, Map<String, Object> upload, Map<String, Object> download) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, Map<String, Object>> direction : Map.of("upload", upload, "download", download).entrySet()
        .stream().sorted(Map.Entry.comparingByKey(Comparator.reverseOrder())).toList()) {
      Map<String, Object> sides = direction.getValue();
      @SuppressWarnings("unchecked")
      Map<String, Object> n = (Map<String, Object>) sides.get("netdisk");
      @SuppressWarnings("unchecked")
      Map<String, Object> f = (Map<String, Object>) sides.get("floor");
      double ratio = (double) n.get("MBps") / (double) f.get("MBps");
      sides.put("ratioNetdiskToFloor", Stats.round3(ratio));
      String prefix = key + "|" + direction.getKey() + "|";
      samples.add(new Sample(prefix + "netdiskMBps", r, (double) n.get("MBps")));
      samples.add(new Sample(prefix + "floorMBps", r, (double) f.get("MBps")));
      samples.add(new Sample(prefix + "ratio", r, ratio));
      samples.add(new Sample(prefix + "netdiskCpuSecondsPerGB", r, (double) n.get("netdiskCpuSecondsPerGB")));
      samples.add(new Sample(prefix + "netdiskCpuSecondsPerGBWithoutJit", r,
          (double) n.get("netdiskCpuSecondsPerGBWithoutJit")));
      samples.add(new Sample(prefix + "netdiskSystemCpuSecondsPerGB", r,
          (double) n.get("netdiskSystemCpuSecondsPerGB")));
      samples.add(new Sample(prefix + "weedCpuSecondsPerGB (netdisk)", r, (double) n.get("weedCpuSecondsPerGB")));
      samples.add(new Sample(prefix + "weedCpuSecondsPerGB (floor)", r, (double) f.get("weedCpuSecondsPerGB")));
      samples.add(new Sample(prefix + "benchCpuSecondsPerGB (netdisk)", r, (double) n.get("benchCpuSecondsPerGB")));
      samples.add(new Sample(prefix + "benchCpuSecondsPerGB (floor)", r, (double) f.get("benchCpuSecondsPerGB")));
      if (n.get("partRequestMs") instanceof Map<?, ?> np && f.get("partRequestMs") instanceof Map<?, ?> fp
          && np.get("p50") != null && fp.get("p50") != null) {
        samples.add(new Sample(prefix + "netdiskChunkRequestMsP50", r, (double) np.get("p50")));
        samples.add(new Sample(prefix + "floorPartRequestMsP50", r, (double) fp.get("p50")));
      }
      out.put(direction.getKey(), sides);
    }
    return out;
  }

  // --- the phases

  private Content.File[] files(int count, int size) {
    Content.File[] files = new Content.File[count];
    for (int i = 0; i < count; i++) {
      files[i] = content.file(variants.getAndIncrement(), size);
    }
    return files;
  }

  private Map<String, Object> smallUpload(Side side, String tag, int concurrency, Content.File[] files, String[] ids)
      throws Exception {
    String[] sha = Arrays.stream(files).map(Content.File::sha256).toArray(String[]::new);
    if (side == Side.NETDISK) {
      api.folder(space, "small/" + tag);
    }
    return measure(side, files, concurrency, i -> {
      if (side == Side.NETDISK) {
        ids[i] = api.putWhole(space, "small/" + tag + "/" + i + ".bin", files[i], sha[i]);
      } else {
        ids[i] = "small/" + tag + "/" + i;
        floor.put(ids[i], files[i]);
      }
    });
  }

  private Map<String, Object> smallDownload(Side side, int concurrency, Content.File[] files, String[] ids)
      throws Exception {
    String[] sha = side == Side.NETDISK ? Arrays.stream(files).map(Content.File::sha256).toArray(String[]::new) : null;
    return measure(side, files, concurrency, i -> {
      if (side == Side.NETDISK) {
        api.download(ids[i], files[i].size(), sha[i]);
      } else {
        floor.get(ids[i], files[i].size());
      }
    });
  }

  private Map<String, Object> largeUpload(Side side, String tag, int inFlight, Content.File[] files, String[] ids)
      throws Exception {
    String[] sha = Arrays.stream(files).map(Content.File::sha256).toArray(String[]::new);
    String[][] hashes = Arrays.stream(files).map(this::chunkHashes).toArray(String[][]::new);
    List<Double> completes = Collections.synchronizedList(new ArrayList<>());
    List<Double> parts = Collections.synchronizedList(new ArrayList<>());
    if (side == Side.NETDISK) {
      api.folder(space, "large/" + tag);
    }
    Map<String, Object> out = measure(side, files, 1, i -> {
      if (side == Side.NETDISK) {
        ids[i] = chunked("large/" + tag + "/" + i + ".bin", files[i], sha[i], hashes[i], inFlight, completes, parts);
      } else {
        ids[i] = "large/" + tag + "/" + i;
        floor.multipart(ids[i], files[i], chunkSize, inFlight, pool, parts);
      }
    });
    // one chunk's PUT through netdisk, one part's UploadPart on the store
    out.put("partRequestMs", Stats.latencies(parts));
    if (side == Side.NETDISK) {
      out.put("completeRequestMs", Stats.latencies(completes));
    }
    return out;
  }

  private Map<String, Object> largeDownload(Side side, Content.File[] files, String[] ids) throws Exception {
    return smallDownload(side, 1, files, ids);
  }

  /** Netdisk's chunked upload of one file: start, the chunks in order ({@code inFlight} at a time), complete. */
  private String chunked(String path, Content.File file, String sha256, String[] hashes, int inFlight,
      List<Double> completes, List<Double> parts) throws Exception {
    NetdiskApi.Started started = api.start(space, path, file.size(), sha256);
    if (started.instant() || started.chunkSize() != chunkSize || started.chunks() != hashes.length) {
      throw new IllegalStateException("unexpected upload " + started + " for " + path);
    }
    if (inFlight <= 1) {
      for (int n = 0; n < hashes.length; n++) {
        sendChunk(started.id(), file, n, hashes[n], parts);
      }
    } else {
      AtomicInteger next = new AtomicInteger();
      List<Future<?>> senders = new ArrayList<>();
      for (int s = 0; s < inFlight; s++) {
        senders.add(pool.submit(() -> {
          for (int n; (n = next.getAndIncrement()) < hashes.length; ) {
            sendChunk(started.id(), file, n, hashes[n], parts);
          }
          return null;
        }));
      }
      for (Future<?> sender : senders) {
        sender.get();
      }
    }
    long t = System.nanoTime();
    String id = api.complete(started.id(), null);
    completes.add((System.nanoTime() - t) / 1e6);
    return id;
  }

  private void sendChunk(String upload, Content.File file, int n, String sha256, List<Double> parts)
      throws IOException {
    long offset = (long) n * chunkSize;
    long start = System.nanoTime();
    api.chunk(upload, n, file, offset, (int) Math.min(chunkSize, file.size() - offset), sha256);
    parts.add((System.nanoTime() - start) / 1e6);
  }

  private String[] chunkHashes(Content.File file) {
    int chunks = (file.size() + chunkSize - 1) / chunkSize;
    String[] hashes = new String[chunks];
    for (int n = 0; n < chunks; n++) {
      long offset = (long) n * chunkSize;
      long length = Math.min(chunkSize, file.size() - offset);
      // past the variant's 16 bytes every file has the same bytes: those chunks' hashes are computed once
      hashes[n] = offset >= Content.HEADER ? chunkHashes.computeIfAbsent(offset + "+" + length,
          k -> file.sha256(offset, length)) : file.sha256(offset, length);
    }
    return hashes;
  }

  @FunctionalInterface
  private interface Op {
    void run(int i) throws Exception;
  }

  /**
   * Runs {@code op} for every file, {@code concurrency} at a time; the phase's bytes over its wall time, the
   * per-request latencies and the CPU of each process.
   */
  private Map<String, Object> measure(Side side, Content.File[] files, int concurrency, Op op) throws Exception {
    long bytes = Arrays.stream(files).mapToLong(Content.File::size).sum();
    List<Double> millis = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger next = new AtomicInteger();
    Cpu before = cpu();
    List<Future<?>> workers = new ArrayList<>();
    for (int w = 0; w < concurrency; w++) {
      workers.add(pool.submit(() -> {
        for (int i; (i = next.getAndIncrement()) < files.length; ) {
          long t = System.nanoTime();
          op.run(i);
          millis.add((System.nanoTime() - t) / 1e6);
        }
        return null;
      }));
    }
    for (Future<?> worker : workers) {
      worker.get();
    }
    Cpu after = cpu();
    double wall = after.wallSecondsSince(before);
    double gb = bytes / 1e9;
    Map<String, Object> cpu = after.since(before);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("files", files.length);
    out.put("bytes", bytes);
    out.put("concurrency", concurrency);
    out.put("MBps", Stats.round(bytes / 1e6 / wall));
    out.put("netdiskCpuSecondsPerGB", side == Side.NETDISK ? Stats.round3(after.netdiskSince(before) / gb) : 0.0);
    out.put("netdiskCpuSecondsPerGBWithoutJit", side == Side.NETDISK ? Stats.round3((after.netdiskSince(before)
        - (double) cpu.get("netdiskJitCpuSeconds")) / gb) : 0.0);
    out.put("netdiskSystemCpuSecondsPerGB", side == Side.NETDISK
        ? Stats.round3((double) cpu.get("netdiskSystemCpuSeconds") / gb) : 0.0);
    out.put("weedCpuSecondsPerGB", Stats.round3((double) cpu.get("weedCpuSeconds") / gb));
    out.put("benchCpuSecondsPerGB", Stats.round3((double) cpu.get("benchCpuSeconds") / gb));
    out.put("latencyMs", Stats.latencies(millis));
    out.put("cpu", cpu);
    return out;
  }

  /** Instant sends of each stored size: start with the SHA-256, the proof of the challenged range, complete. */
  private Map<String, Object> instant(int r, String tag, int perSize) throws Exception {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<Integer, Content.File> entry : stored.entrySet()) {
      int size = entry.getKey();
      Content.File file = entry.getValue();
      String sha256 = file.sha256();
      List<Double> total = new ArrayList<>();
      List<Double> starts = new ArrayList<>();
      List<Double> proofs = new ArrayList<>();
      List<Double> completes = new ArrayList<>();
      Cpu before = cpu();
      for (int i = 0; i < perSize; i++) {
        long t0 = System.nanoTime();
        NetdiskApi.Started started = api.start(space, instantFolder(size) + "/" + tag + "-" + i + ".bin", size,
            sha256);
        long t1 = System.nanoTime();
        if (!started.instant()) {
          throw new IllegalStateException("content of " + size + " bytes was not found stored: " + started);
        }
        String proof = file.sha256(started.challengeOffset(), started.challengeLength());
        long t2 = System.nanoTime();
        api.complete(started.id(), proof);
        long t3 = System.nanoTime();
        total.add((t3 - t0) / 1e6);
        starts.add((t1 - t0) / 1e6);
        proofs.add((t2 - t1) / 1e6);
        completes.add((t3 - t2) / 1e6);
      }
      Cpu after = cpu();
      String key = instantKey(size);
      Map<String, Object> one = new LinkedHashMap<>();
      one.put("sends", perSize);
      one.put("latencyMs", Stats.latencies(total));
      one.put("startMs", Stats.latencies(starts));
      one.put("clientProofMs", Stats.latencies(proofs));
      one.put("completeMs", Stats.latencies(completes));
      double cpuMs = after.netdiskSince(before) * 1000 / perSize;
      Map<String, Object> cpu = after.since(before);
      double withoutJit = cpuMs - (double) cpu.get("netdiskJitCpuSeconds") * 1000 / perSize;
      one.put("netdiskCpuMsEach", Stats.round(cpuMs));
      one.put("netdiskCpuMsEachWithoutJit", Stats.round(withoutJit));
      one.put("cpu", cpu);
      out.put(key, one);
      if (r >= 0) {
        List<Double> sorted = new ArrayList<>(total);
        sorted.sort(null);
        samples.add(new Sample(key + "|p50Ms", r, Stats.median(sorted)));
        samples.add(new Sample(key + "|netdiskCpuMsEach", r, cpuMs));
        samples.add(new Sample(key + "|netdiskCpuMsEachWithoutJit", r, withoutJit));
        latencies.computeIfAbsent(key + "|latencyMs", k -> new ConcurrentHashMap<>()).put(r, total);
        latencies.computeIfAbsent(key + "|startMs", k -> new ConcurrentHashMap<>()).put(r, starts);
        latencies.computeIfAbsent(key + "|completeMs", k -> new ConcurrentHashMap<>()).put(r, completes);
      }
    }
    return out;
  }

  private static String instantFolder(int size) {
    return "instant/" + (size / 1024) + "k";
  }

  private static String instantKey(int size) {
    return "instant send of stored " + label(size);
  }

  // --- quiet machine

  /**
   * Waits until other processes (another session's build, say) use at most {@code --max-other-cores} over 5 s, at most
   * {@code --quiet-wait-seconds} in all; then goes on, noting whether it was quiet.
   */
  private Map<String, Object> waitForQuiet(String when) throws Exception {
    long started = System.nanoTime();
    long deadline = started + TimeUnit.SECONDS.toNanos(number("quiet-wait-seconds", 600));
    int checks = 0;
    while (true) {
      Cpu a = cpu();
      Thread.sleep(5000);
      Cpu b = cpu();
      checks++;
      double other = b.otherCoresSince(a);
      String load = read("/proc/loadavg");
      boolean quiet = other <= maxOtherCores;
      if (quiet || System.nanoTime() > deadline) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("otherCores", Stats.round3(other));
        out.put("loadAverage", load);
        out.put("quiet", quiet);
        out.put("checks", checks);
        out.put("waitedSeconds", Stats.round((System.nanoTime() - started) / 1e9));
        if (checks > 1) {
          say("  " + when + ": " + (quiet ? "quiet" : "still busy, going on") + " after "
              + out.get("waitedSeconds") + " s");
        }
        return out;
      }
      say("  " + when + ": other processes use " + Stats.round(other) + " cores (load " + load + "), waiting");
      Thread.sleep(10_000);
    }
  }

  private Cpu cpu() {
    return Cpu.now(netdisk == null ? -1 : netdisk.pid(), weedPid, postmasterPid);
  }

  // --- profile

  /**
   * Flight recordings of a second netdisk JVM, started after the rounds with one difference: the JIT keeps debug
   * information at every instruction ({@code -XX:+DebugNonSafepoints}), without which a sample in compiled code is
   * charged to the nearest safepoint and the SHA-256 stub's samples land on whichever caller the JIT inlined it into.
   * Warmed up as the first one was.
   */
  private Map<String, Object> profile() throws Exception {
    say("flight recordings of netdisk (not part of the figures): netdisk restarted with -XX:+DebugNonSafepoints");
    Map<String, Object> out = new LinkedHashMap<>();
    netdisk.stop();
    int port = netdisk.port();
    netdisk = Service.start(Path.of(args.get("jar")), args.getOrDefault("java-tool-options", ""),
        bytes(args.getOrDefault("memory-limit", "1g")), serviceEnvironment, port,
        Path.of(args.getOrDefault("service-log-dir", "target")).resolve("netdisk-profiled.log"),
        List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:+DebugNonSafepoints"));
    out.put("service", netdisk.describe());
    int warm = number("warmup-small", 500);
    int c0 = smallConcurrency.stream().max(Integer::compare).orElse(1);
    Content.File[] warmFiles = files(warm, smallSize);
    String[] warmIds = new String[warm];
    smallUpload(Side.NETDISK, "profile-warmup", c0, warmFiles, warmIds);
    smallDownload(Side.NETDISK, c0, warmFiles, warmIds);
    int warmLarge = number("warmup-large", 2);
    Content.File[] warmBig = files(warmLarge, largeSize);
    String[] warmBigIds = new String[warmLarge];
    largeUpload(Side.NETDISK, "profile-warmup", largeInFlight.getFirst(), warmBig, warmBigIds);
    largeDownload(Side.NETDISK, warmBig, warmBigIds);
    Path dir = Path.of(args.getOrDefault("service-log-dir", "target"));
    int storePort = URI.create(store.endpoint()).getPort();
    int large = Math.max(4, largeFiles);
    Content.File[] big = files(large, largeSize);
    String[] bigIds = new String[large];
    int chunks = (largeSize + chunkSize - 1) / chunkSize;
    out.put("largeUpload", recorded("large-upload", dir, storePort, large * (chunks + 2),
        () -> largeUpload(Side.NETDISK, "profile", largeInFlight.getFirst(), big, bigIds)));
    out.put("largeDownload", recorded("large-download", dir, storePort, large,
        () -> largeDownload(Side.NETDISK, big, bigIds)));
    int small = Math.max(200, smallFiles);
    int c = smallConcurrency.stream().max(Integer::compare).orElse(1);
    Content.File[] files = files(small, smallSize);
    String[] ids = new String[small];
    out.put("smallUpload", recorded("small-upload", dir, storePort, small,
        () -> smallUpload(Side.NETDISK, "profile", c, files, ids)));
    out.put("smallDownload", recorded("small-download", dir, storePort, small,
        () -> smallDownload(Side.NETDISK, c, files, ids)));
    return out;
  }

  @FunctionalInterface
  private interface Phase {
    Map<String, Object> run() throws Exception;
  }

  private Map<String, Object> recorded(String name, Path dir, int storePort, int requests, Phase phase)
      throws Exception {
    Profile.start(netdisk.pid(), name);
    Map<String, Object> measured = phase.run();
    Map<String, Object> out = Profile.stop(netdisk.pid(), name, dir.resolve("netdisk-" + name + ".jfr"), storePort,
        Integer.parseInt(args.getOrDefault("postgres-port", "0")));
    out.put("requests", requests);
    out.put("exceptionsPerRequest", Stats.round((long) out.get("exceptionsThrown") / (double) requests));
    out.put("MBpsWhileRecording", measured.get("MBps"));
    out.put("netdiskCpuSecondsPerGBWhileRecording", measured.get("netdiskCpuSecondsPerGB"));
    say("  " + name + ": " + out.get("executionSamples") + " samples, SHA-256 in " + out.get("sha256Percent") + " %");
    return out;
  }

  // --- summary

  private Map<String, Object> summary(List<Map<String, Object>> roundResults) {
    List<Integer> used = new ArrayList<>();
    List<Integer> disturbed = new ArrayList<>();
    for (Map<String, Object> round : roundResults) {
      (Boolean.TRUE.equals(round.get("disturbed")) ? disturbed : used).add((Integer) round.get("round"));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("roundsUsed", used);
    out.put("roundsDisturbedAndLeftOut", disturbed);
    out.put("how", "per round, bytes over the wall time of the phase (MB = 10^6 bytes); the ratio is netdisk's rate"
        + " over the floor's in the same round; median, least and most over the rounds used; spreadPercent is"
        + " (most - least) / median");
    Map<String, Map<String, List<Double>>> byKey = new TreeMap<>();
    synchronized (samples) {
      for (Sample s : samples) {
        String[] parts = s.key().split("\\|");
        String group = String.join(" | ", Arrays.copyOf(parts, parts.length - 1));
        byKey.computeIfAbsent(group, k -> new LinkedHashMap<>())
            .computeIfAbsent(parts[parts.length - 1], k -> new ArrayList<>()).add(s.value());
      }
    }
    Map<String, Object> throughput = new LinkedHashMap<>();
    Map<String, Object> instant = new LinkedHashMap<>();
    byKey.forEach((group, figures) -> {
      Map<String, Object> one = new LinkedHashMap<>();
      figures.forEach((figure, values) -> one.put(figure, Stats.spread(values)));
      if (group.startsWith("instant")) {
        latencies.forEach((key, byRound) -> {
          if (key.startsWith(group + "|")) {
            one.put(key.substring(group.length() + 1) + " (all sends of the rounds used)",
                Stats.latencies(byRound.values().stream().flatMap(List::stream).toList()));
          }
        });
        instant.put(group, one);
      } else {
        throughput.put(group, one);
      }
    });
    out.put("throughput", throughput);
    out.put("instantSend", instant);
    return out;
  }

  @SuppressWarnings("unchecked")
  private void print(Map<String, Object> results) {
    Map<String, Object> summary = (Map<String, Object>) results.get("summary");
    if (summary == null) {
      return;
    }
    StringBuilder text = new StringBuilder("\nnetdisk against the floor, rounds " + summary.get("roundsUsed")
        + " (median [least, most]):\n");
    ((Map<String, Object>) summary.get("throughput")).forEach((group, value) -> {
      Map<String, Map<String, Object>> f = (Map<String, Map<String, Object>>) value;
      text.append(String.format("  %-72s netdisk %8s MB/s, floor %8s MB/s, ratio %s [%s, %s], netdisk %s CPU s/GB%n",
          group, f.get("netdiskMBps").get("median"), f.get("floorMBps").get("median"), f.get("ratio").get("median"),
          f.get("ratio").get("min"), f.get("ratio").get("max"), f.get("netdiskCpuSecondsPerGB").get("median")));
    });
    ((Map<String, Object>) summary.get("instantSend")).forEach((group, value) -> {
      Map<String, Map<String, Object>> f = (Map<String, Map<String, Object>>) value;
      text.append(String.format("  %-72s p50 %s ms [%s, %s] per round, netdisk %s CPU ms each (%s without JIT)%n",
          group, f.get("p50Ms").get("median"), f.get("p50Ms").get("min"), f.get("p50Ms").get("max"),
          f.get("netdiskCpuMsEach").get("median"), f.get("netdiskCpuMsEachWithoutJit").get("median")));
    });
    System.out.print(text);
  }

  // --- the machine and the libraries

  private Map<String, Object> machine() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("nproc", Runtime.getRuntime().availableProcessors());
    out.put("cpuModel", grep("/proc/cpuinfo", "model name"));
    out.put("memTotal", grep("/proc/meminfo", "MemTotal"));
    out.put("kernel", read("/proc/sys/kernel/osrelease"));
    out.put("javaVersion", System.getProperty("java.vm.version"));
    out.put("javaVendor", System.getProperty("java.vm.vendor"));
    // one thread's SHA-256 in this JVM: what netdisk's hashing of every byte costs at most
    out.put("sha256MBpsOneThread", Stats.round(content.sha256Rate(6)));
    // one exception made deep in a stack: what netdisk's row mapping pays for each column it looks up twice
    out.put("exceptions", ExceptionProbe.measure());
    return out;
  }

  /**
   * The S3 client and HTTP client jars in netdisk's jar are the ones on this classpath: the floor is the very client
   * netdisk uses. Refuses to run when they differ.
   */
  static Map<String, String> sameLibraries(Path jar) throws IOException {
    List<String> names = List.of("s3", "sdk-core", "http-auth-aws", "apache-client", "httpclient", "httpcore");
    Map<String, String> inJar = new TreeMap<>();
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      zip.stream().map(e -> e.getName()).filter(n -> n.startsWith("BOOT-INF/lib/"))
          .forEach(n -> inJar.put(n.substring("BOOT-INF/lib/".length()), n));
    }
    List<String> ours = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .map(p -> Path.of(p).getFileName().toString()).toList();
    Map<String, String> out = new TreeMap<>();
    for (String name : names) {
      Pattern version = Pattern.compile(Pattern.quote(name) + "-(\\d[\\w.\\-]*)\\.jar");
      String theirs = inJar.keySet().stream().map(version::matcher).filter(Matcher::matches).map(m -> m.group(1))
          .findFirst().orElse(null);
      String mine = ours.stream().map(version::matcher).filter(Matcher::matches).map(m -> m.group(1)).findFirst()
          .orElse(null);
      if (theirs == null || !theirs.equals(mine)) {
        throw new IllegalStateException(name + " is " + theirs + " in netdisk's jar and " + mine + " here: the floor"
            + " must use the S3 client netdisk uses (platform-services/netdisk-bench/pom.xml, aws-sdk.version)");
      }
      out.put(name, mine);
    }
    return out;
  }

  private static String weedVersion() {
    try {
      Process process = new ProcessBuilder(ServerBinaries.weed().locate().resolve("weed").toString(), "version")
          .redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes()).trim();
      process.waitFor(10, TimeUnit.SECONDS);
      // "version 30GB 4.53  linux amd64", then an advertisement
      return output.lines().filter(l -> !l.isBlank()).findFirst().orElse(output).trim();
    } catch (IOException | RuntimeException | InterruptedException e) {
      return "unknown (" + e.getMessage() + ")";
    }
  }

  static long bytes(String size) {
    Matcher m = Pattern.compile("(\\d+)([kmgKMG]?)i?[bB]?").matcher(size.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("not a size: " + size);
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2).toLowerCase()) {
      case "k" -> n << 10;
      case "m" -> n << 20;
      case "g" -> n << 30;
      default -> n;
    };
  }

  private static String read(String file) {
    try {
      return Files.readString(Path.of(file)).trim();
    } catch (IOException e) {
      return null;
    }
  }

  private static String grep(String file, String field) {
    try {
      return Files.readAllLines(Path.of(file)).stream().filter(l -> l.startsWith(field))
          .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse(null);
    } catch (IOException e) {
      return null;
    }
  }

  private synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (netdisk != null) {
        netdisk.stop();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (floor != null) {
      floor.close();
    }
    if (store != null) {
      store.close();
    }
    if (issuer != null) {
      issuer.close();
    }
    pool.shutdownNow();
  }
}
