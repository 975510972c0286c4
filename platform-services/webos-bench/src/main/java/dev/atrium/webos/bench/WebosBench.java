package dev.atrium.webos.bench;

import dev.atrium.servicetesting.PostgresServer;
import dev.atrium.servicetesting.RedisServer;
import dev.atrium.servicetesting.TestIssuer;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * Webos's gateway benchmark (docs/benchmarks.md): a closed-loop load of small GETs with N keep-alive connections,
 * straight to a small backend (the floor) and through webos's gateway to the same backend, in the same run,
 * alternating, several rounds; the added latency at p50, p90 and p99 and the share of the direct throughput that
 * goes through; the gateway's CPU per 1,000 requests and its memory. The requests go through the real
 * authentication path (a JWT signed by the test issuer, checked against its JWKS). Run it with hack/bench-webos.sh.
 */
public final class WebosBench {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String APP = "bench";

  /** One kind of request: its path through the gateway and straight to the backend, and its concurrency. */
  record Case(String name, String route, String gatewayPath, String directPath, int connections) {
  }

  private WebosBench() {
  }

  public static void main(String[] argv) throws Exception {
    Map<String, String> args = parse(argv);
    Path jar = Path.of(required(args, "jar"));
    String javaToolOptions = required(args, "java-tool-options");
    int rounds = Integer.parseInt(args.getOrDefault("rounds", "5"));
    double seconds = Double.parseDouble(args.getOrDefault("seconds", "5"));
    double warmupSeconds = Double.parseDouble(args.getOrDefault("warmup-seconds", "60"));
    int[] concurrency = ints(args.getOrDefault("concurrency", "1,16,64"));
    int platformConcurrency = Integer.parseInt(args.getOrDefault("platform-concurrency", "16"));
    int largeConcurrency = Integer.parseInt(args.getOrDefault("large-concurrency", "16"));
    double maxOtherCores = Double.parseDouble(args.getOrDefault("max-other-cores", "0.25"));
    long memoryLimit = bytes(args.getOrDefault("memory-limit", "1g"));
    String gatewayCore = args.getOrDefault("gateway-core", "1");
    String loadCore = args.getOrDefault("load-core", "0");
    Path out = Path.of(args.getOrDefault("out", "docs/bench-results/webos.json"));
    Path logDir = Path.of(args.getOrDefault("log-dir", "target"));
    String jfr = args.get("jfr");

    List<Case> cases = new ArrayList<>();
    for (int c : concurrency) {
      cases.add(new Case("app-small-c" + c, "apps", "/apps/" + APP + "/api/items/42", "/api/items/42", c));
    }
    if (platformConcurrency > 0) {
      cases.add(new Case("platform-small-c" + platformConcurrency, "netdisk", "/netdisk/api/v1/items/42",
          "/netdisk/api/v1/items/42", platformConcurrency));
    }
    if (largeConcurrency > 0) {
      cases.add(new Case("app-64k-c" + largeConcurrency, "apps", "/apps/" + APP + "/api/files/64k", "/api/files/64k",
          largeConcurrency));
    }

    Map<String, Object> results = new LinkedHashMap<>();
    results.put("benchmark", "webos-gateway");
    results.put("startedAt", Instant.now().toString());
    results.put("command", args.getOrDefault("command", null));
    results.put("gitCommit", args.get("git-commit"));
    results.put("webosTree", args.get("webos-tree"));
    results.put("machine", machine(args.get("load-wait")));

    try (PostgresServer postgres = PostgresServer.start(); RedisServer redis = RedisServer.start();
        TestIssuer issuer = TestIssuer.start(); Backend backend = new Backend()) {
      postgres.createDatabase("webos");
      Map<String, String> env = new LinkedHashMap<>();
      env.put("SPRING_DATASOURCE_URL", postgres.jdbcUrl("webos"));
      env.put("SPRING_DATASOURCE_USERNAME", PostgresServer.SUPERUSER);
      env.put("SPRING_DATASOURCE_PASSWORD", "");
      env.put("SPRING_DATA_REDIS_HOST", "127.0.0.1");
      env.put("SPRING_DATA_REDIS_PORT", Integer.toString(redis.port()));
      env.put("ATRIUM_IDENTITY_ISSUER", TestIssuer.ISSUER);
      env.put("ATRIUM_IDENTITY_JWKS_URI", issuer.jwksUri());
      env.put("ATRIUM_PLATFORM", "bench");
      // identity's GET /api/me (is the caller an administrator?) answered by the backend's stand-in
      env.put("ATRIUM_GATEWAY_ROUTES_IDENTITY", backend.origin());
      // a platform route at the same backend
      env.put("ATRIUM_GATEWAY_ROUTES_NETDISK", backend.origin());
      List<String> jvmFlags = new ArrayList<>();
      if (jfr != null) {
        jvmFlags.add("-XX:StartFlightRecording=filename=" + Path.of(jfr).toAbsolutePath()
            + ",settings=profile,dumponexit=true");
      }
      try (Gateway gateway = Gateway.start(jar, javaToolOptions, memoryLimit, gatewayCore, env, freePort(),
          logDir.resolve("webos-bench-webos.log"), jvmFlags)) {
        String adminToken = issuer.userToken("bench-admin");
        publishRoute(gateway.port(), adminToken, backend.origin());
        Map<String, Object> gatewayInfo = new LinkedHashMap<>();
        gatewayInfo.put("how", "its runnable jar as a process of its own (java -jar), JAVA_TOOL_OPTIONS as its image"
            + " sets them, the pod's memory limit by " + gateway.memoryLimitBy() + ", pinned to core " + gatewayCore
            + " (taskset); PostgreSQL, Redis, the token issuer, the backend and the load on core " + loadCore);
        gatewayInfo.put("javaToolOptions", javaToolOptions);
        gatewayInfo.put("memoryLimitBytes", memoryLimit);
        gatewayInfo.put("jvmFlags", gateway.jvmFlags());
        gatewayInfo.put("startupSecondsToReady", round(gateway.startupSeconds));
        gatewayInfo.put("jfr", jfr != null);
        gatewayInfo.put("routes", Map.of(
            "apps", "/apps/" + APP + "/** by the admin API (PUT /webos/api/v1/admin/routes/" + APP
                + "): one version, weight 100, not sticky, no rate limit; the prefix stripped",
            "netdisk", "/netdisk/** from ATRIUM_GATEWAY_ROUTES_NETDISK, path unchanged"));
        gatewayInfo.put("perRequestWork", "the JWT's signature and claims checked (JWKS fetched once); the app's"
            + " route from the in-memory table (reloaded from PostgreSQL every 2 s); no rate limit, so no Redis"
            + " call on the path; usage counted in memory (a Micrometer timer with a histogram) and added to Redis"
            + " every 5 s off the path; X-Forwarded-For set; the response streamed back");
        results.put("gateway", gatewayInfo);

        String[] token = {issuer.userToken("bench-user")};
        say("warm-up: " + warmupSeconds + " s through the gateway and straight, every case");
        for (Case c : cases) {
          double share = warmupSeconds / cases.size();
          Load.run(gateway.port(), c.gatewayPath(), token[0], c.connections(), share);
          Load.run(backend.port(), c.directPath(), token[0], c.connections(), Math.min(share, 3));
        }
        results.put("gatewayRssAfterWarmupKib", Procs.statusKib(gateway.pid(), "VmRSS"));

        List<Map<String, Object>> roundsOut = new ArrayList<>();
        Map<String, List<Map<String, Object>>> byCase = new LinkedHashMap<>();
        for (int round = 1; round <= rounds; round++) {
          token[0] = issuer.userToken("bench-user"); // fresh: the test issuer's tokens live 30 minutes
          Map<String, Object> roundOut = new LinkedHashMap<>();
          roundOut.put("round", round);
          roundOut.put("gatewayFirst", round % 2 == 0);
          roundOut.put("loadAverage", Files.readString(Path.of("/proc/loadavg")).trim());
          List<Map<String, Object>> caseOuts = new ArrayList<>();
          for (Case c : cases) {
            Map<String, Object> sides = new LinkedHashMap<>();
            Load.Result direct = null;
            Load.Result through = null;
            for (int side = 0; side < 2; side++) {
              boolean viaGateway = (side == 0) == (round % 2 == 0);
              Procs.Reading before = Procs.Reading.now(gateway.pid());
              Load.Result result = viaGateway
                  ? Load.run(gateway.port(), c.gatewayPath(), token[0], c.connections(), seconds)
                  : Load.run(backend.port(), c.directPath(), token[0], c.connections(), seconds);
              Procs.Reading after = Procs.Reading.now(gateway.pid());
              Map<String, Object> described = result.describe();
              described.put("gatewayCpuSeconds", round3(after.gatewaySince(before)));
              described.put("benchCpuSeconds", round3(after.benchSince(before)));
              described.put("otherCores", round3(after.otherCoresSince(before)));
              sides.put(viaGateway ? "gateway" : "direct", described);
              if (viaGateway) {
                through = result;
                described.put("gatewayCpuMillisPer1000Requests",
                    round3(after.gatewaySince(before) * 1e6 / Math.max(1, result.requests())));
              } else {
                direct = result;
              }
            }
            Map<String, Object> caseOut = new LinkedHashMap<>();
            caseOut.put("case", c.name());
            caseOut.put("connections", c.connections());
            caseOut.putAll(sides);
            caseOut.put("throughputRatio", round3(through.perSecond() / direct.perSecond()));
            for (String p : List.of("p50", "p90", "p99")) {
              double q = p.equals("p50") ? 0.5 : p.equals("p90") ? 0.9 : 0.99;
              caseOut.put("added" + p.toUpperCase() + "Millis",
                  round3(through.percentileMillis(q) - direct.percentileMillis(q)));
            }
            boolean disturbed = Math.max(((Number) ((Map<?, ?>) sides.get("direct")).get("otherCores")).doubleValue(),
                ((Number) ((Map<?, ?>) sides.get("gateway")).get("otherCores")).doubleValue()) > maxOtherCores;
            caseOut.put("disturbed", disturbed);
            caseOuts.add(caseOut);
            byCase.computeIfAbsent(c.name(), k -> new ArrayList<>()).add(caseOut);
            say(String.format("round %d %-20s direct %8.0f/s p50 %.3f p99 %.3f | gateway %8.0f/s p50 %.3f p99 %.3f"
                    + " | ratio %.2f, added p50 %.3f p99 %.3f ms, gateway %.1f ms CPU/1000%s", round, c.name(),
                direct.perSecond(), direct.percentileMillis(0.5), direct.percentileMillis(0.99), through.perSecond(),
                through.percentileMillis(0.5), through.percentileMillis(0.99), through.perSecond() / direct.perSecond(),
                through.percentileMillis(0.5) - direct.percentileMillis(0.5),
                through.percentileMillis(0.99) - direct.percentileMillis(0.99),
                ((Number) ((Map<?, ?>) sides.get("gateway")).get("gatewayCpuMillisPer1000Requests")).doubleValue(),
                disturbed ? " (disturbed)" : ""));
          }
          roundOut.put("cases", caseOuts);
          roundsOut.add(roundOut);
        }
        Map<String, Object> gatewayMemory = new LinkedHashMap<>();
        gatewayMemory.put("VmRSSKib", Procs.statusKib(gateway.pid(), "VmRSS"));
        gatewayMemory.put("VmHWMKib", Procs.statusKib(gateway.pid(), "VmHWM"));
        results.put("gatewayMemoryAtEnd", gatewayMemory);
        results.put("medians", medians(byCase, maxOtherCores));
        results.put("rounds", roundsOut);
      }
    }
    results.put("finishedAt", Instant.now().toString());
    results.put("loadAverageAtEnd", Files.readString(Path.of("/proc/loadavg")).trim());
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.writeString(out, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(results) + "\n");
    say("results in " + out);
  }

  /** Per case, the median over the rounds of every figure, and how many rounds were disturbed. */
  private static Map<String, Object> medians(Map<String, List<Map<String, Object>>> byCase, double maxOtherCores) {
    Map<String, Object> out = new LinkedHashMap<>();
    byCase.forEach((name, rounds) -> {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("connections", rounds.getFirst().get("connections"));
      m.put("rounds", rounds.size());
      m.put("disturbedRounds", rounds.stream().filter(r -> (Boolean) r.get("disturbed")).count()
          + " (other processes above " + maxOtherCores + " cores)");
      for (String side : List.of("direct", "gateway")) {
        for (String figure : List.of("requestsPerSecond", "p50Millis", "p90Millis", "p99Millis")) {
          m.put(side + capital(figure), median(rounds.stream()
              .map(r -> ((Number) ((Map<?, ?>) r.get(side)).get(figure)).doubleValue()).toList()));
        }
      }
      for (String figure : List.of("throughputRatio", "addedP50Millis", "addedP90Millis", "addedP99Millis")) {
        m.put(figure, median(rounds.stream().map(r -> ((Number) r.get(figure)).doubleValue()).toList()));
      }
      m.put("gatewayCpuMillisPer1000Requests", median(rounds.stream()
          .map(r -> ((Number) ((Map<?, ?>) r.get("gateway")).get("gatewayCpuMillisPer1000Requests")).doubleValue())
          .toList()));
      m.put("otherCoresMedian", median(rounds.stream()
          .map(r -> ((Number) ((Map<?, ?>) r.get("gateway")).get("otherCores")).doubleValue()).toList()));
      out.put(name, m);
    });
    return out;
  }

  private static void publishRoute(int port, String adminToken, String origin) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    String body = "{\"backends\":[{\"version\":\"v1\",\"url\":\"" + origin + "\",\"weight\":100}],\"sticky\":false}";
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + port + "/webos/api/v1/admin/routes/" + APP))
        .header("Authorization", "Bearer " + adminToken).header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString(body)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() / 100 != 2) {
      throw new IllegalStateException("the admin API did not take the route: " + response.statusCode() + " "
          + response.body());
    }
    say("route /apps/" + APP + "/** -> " + origin + " (" + response.statusCode() + ")");
  }

  private static Map<String, Object> machine(String loadWait) throws Exception {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cores", Runtime.getRuntime().availableProcessors() + " available to the benchmark (taskset), "
        + Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("processor")).count()
        + " in the machine");
    m.put("cpu", Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
        .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse(null));
    m.put("memory", Files.readAllLines(Path.of("/proc/meminfo")).getFirst().replaceAll("\\s+", " "));
    m.put("kernel", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
    m.put("loadAverageAtStart", Files.readString(Path.of("/proc/loadavg")).trim());
    m.put("loadWait", loadWait);
    return m;
  }

  static double median(List<Double> values) {
    double[] sorted = values.stream().filter(v -> !v.isNaN()).mapToDouble(Double::doubleValue).sorted().toArray();
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int n = sorted.length;
    return round3(n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2);
  }

  private static String capital(String s) {
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static Map<String, String> parse(String[] argv) {
    Map<String, String> args = new HashMap<>();
    for (int i = 0; i + 1 < argv.length; i += 2) {
      if (!argv[i].startsWith("--")) {
        throw new IllegalArgumentException("expected --name value, got " + argv[i]);
      }
      args.put(argv[i].substring(2), argv[i + 1]);
    }
    return args;
  }

  private static String required(Map<String, String> args, String name) {
    String value = args.get(name);
    if (value == null) {
      throw new IllegalArgumentException("--" + name + " is required");
    }
    return value;
  }

  private static int[] ints(String list) {
    return Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).mapToInt(Integer::parseInt)
        .toArray();
  }

  private static long bytes(String size) {
    String s = size.trim().toLowerCase();
    long unit = s.endsWith("g") ? 1L << 30 : s.endsWith("m") ? 1L << 20 : s.endsWith("k") ? 1L << 10 : 1;
    return Long.parseLong(unit == 1 ? s : s.substring(0, s.length() - 1)) * unit;
  }

  static void say(String message) {
    System.out.println("[webos-bench] " + message);
    System.out.flush();
  }

  static double round(double value) {
    return Math.round(value * 100) / 100.0;
  }

  static double round3(double value) {
    return Math.round(value * 1000) / 1000.0;
  }
}
