package dev.atrium.identity.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipFile;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import tools.jackson.databind.json.JsonMapper;

/**
 * Identity's logins and grants per core. Starts the service from its jar as its own process pinned to one core
 * ({@code taskset -c <service-core>}, {@code -XX:ActiveProcessorCount=1}), configured by the environment the
 * operator sets, against PostgreSQL; this JVM (the load) and PostgreSQL are pinned to the other core by
 * hack/bench-identity.sh. Then, every loop bounded in count and time:
 *
 * <ol>
 *   <li>the floors, in a JVM of their own on the service's core before the service starts ({@link Floors}):
 *       Argon2id verifications with identity's encoder and with Keycloak's default parameters, RS256 signatures;
 *   <li>plain HTTP (identity behind the front door, which terminates TLS), every kind of request warmed up first:
 *       password logins, each a fresh browser (cookie jar and connection) going through the whole authorization code
 *       flow with PKCE; a {@link JitProbe} of how the JIT compiled the hash; client credentials grants of the netdisk
 *       client on kept-alive connections; the same grants each on a new connection; GET /actuator/health/liveness
 *       (the HTTP floor of the service's stack); last, logins by people whose stored hash the benchmark made the
 *       cheapest Argon2id, i.e. everything a login costs but the hash;
 *   <li>the service restarted with TLS (a self-signed RSA 2048 certificate): client credentials grants each on a new
 *       TLS connection with a full handshake (no session resumed), as Keycloak's sizing test ran them, and logins;
 *   <li>with {@code --argon2-inline-variant true}, the service restarted over plain HTTP with a JIT flag that inlines
 *       BouncyCastle's Argon2: logins;
 *   <li>the floors again, once the service has stopped; the better of the two runs is the floor.
 * </ol>
 *
 * For each phase: operations per second, latency percentiles, and from /proc the service's CPU seconds (so also
 * operations per CPU second of the service), PostgreSQL's and the load's. Writes one JSON results file. All
 * traffic is on 127.0.0.1; the service stops with the benchmark. Usage: see hack/bench-identity.sh.
 */
public final class IdentityBench {

  static final String PASSWORD = "correct horse battery staple";
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String WEBOS = "webos";
  private static final String NETDISK = "netdisk";
  // never contacted: the browser stops when identity sends it there
  private static final String WEBOS_REDIRECT = "http://127.0.0.1:9/webos/login/oauth2/code/atrium";
  private static final String KEYCLOAK_GUIDE =
      "https://www.keycloak.org/high-availability/single-cluster/concepts-memory-and-cpu-sizing";

  private final Map<String, String> args;
  private final int serviceCore;
  private final Duration phaseLimit;
  private final long postmasterPid;
  private final String signingKey;
  private final String signingKeyId;
  private final String encryptionKey = random(32);
  private final String adminPassword = random(18);
  private final String webosSecret = random(32);
  private final String netdiskSecret = random(32);
  private final HttpClient http;
  private TrustManager[] trust;
  private String tlsSession;

  private IdentityBench(Map<String, String> args) throws Exception {
    this.args = args;
    this.serviceCore = Integer.parseInt(args.getOrDefault("service-core", "1"));
    this.phaseLimit = Duration.ofSeconds(Long.parseLong(args.getOrDefault("phase-limit-seconds", "150")));
    this.postmasterPid = args.containsKey("postgres-pid-file")
        ? Long.parseLong(Files.readAllLines(Path.of(args.get("postgres-pid-file"))).getFirst().trim()) : -1;
    // the platform's signing key as the operator makes it: RSA 3072, PKCS#8, key id from the public key's SHA-256
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(3072);
    KeyPair pair = generator.generateKeyPair();
    this.signingKey = Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded());
    this.signingKeyId = "rsa-" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
        .digest(pair.getPublic().getEncoded()), 0, 8);
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  public static void main(String[] argv) throws Exception {
    new IdentityBench(arguments(argv)).run();
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

  private void run() throws Exception {
    Map<String, Object> results = new LinkedHashMap<>();
    results.put("benchmark", "identity-logins-and-grants-per-core");
    results.put("date", OffsetDateTime.now(ZoneOffset.UTC).toString());
    results.put("source", Map.of("commit", args.getOrDefault("git-commit", "unknown"),
        "identityTree", args.getOrDefault("identity-tree", "unknown")));
    results.put("loadAverageBefore", read("/proc/loadavg"));
    results.put("machine", machine());
    results.put("libraries", sameLibraries());
    Map<String, Object> pinning = new LinkedHashMap<>();
    pinning.put("serviceCore", serviceCore);
    pinning.put("loadAndPostgresCore", args.getOrDefault("load-core", "0"));
    pinning.put("benchAffinity", CpuTimes.status(ProcessHandle.current().pid(), "Cpus_allowed_list"));
    pinning.put("postgresAffinity", postmasterPid > 0 ? CpuTimes.status(postmasterPid, "Cpus_allowed_list") : null);
    results.put("pinning", pinning);
    Map<String, Object> setup = new LinkedHashMap<>();
    setup.put("people", number("people", 100));
    setup.put("departments", "every person in bench-team, a child of bench (tokens carry both)");
    setup.put("signingKey", "RSA 3072, PKCS#8 (as the operator generates it)");
    setup.put("passwordEncoder", "Argon2PasswordEncoder.defaultsForSpringSecurity_v5_8() (identity's own)");
    setup.put("clientSecrets", "SHA-256 (identity's ClientSecrets, docs/decisions/0008)");
    setup.put("loginClients", number("login-clients", 4));
    setup.put("grantClients", number("grant-clients", 8));
    results.put("setup", setup);

    Map<String, Object> plain = new LinkedHashMap<>();
    results.put("http", plain);
    Map<String, Object> tls = new LinkedHashMap<>();
    results.put("tls", tls);
    try {
      Map<String, Object> floorsBefore = floorRun("before the service");
      plainRun(plain);
      if (!"false".equals(args.get("tls")) && args.containsKey("tls-keystore")) {
        tlsRun(tls);
      } else {
        results.remove("tls");
      }
      if ("true".equals(args.get("argon2-inline-variant"))) {
        Map<String, Object> variant = new LinkedHashMap<>();
        results.put("argon2InlineVariant", variant);
        argon2InlineRun(variant);
      }
      results.put("floors", floors(floorsBefore, floorRun("after the service")));
      results.put("keycloakReference", keycloak());
      results.put("comparison", comparison(results));
    } finally {
      results.put("loadAverageAfter", read("/proc/loadavg"));
      String out = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(results);
      if (args.containsKey("out")) {
        Path file = Path.of(args.get("out"));
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, out + "\n");
        say("results written to " + file);
      } else {
        System.out.println(out);
      }
    }
    summary(results);
  }

  // --- the runs

  private void plainRun(Map<String, Object> out) throws Exception {
    int port = number("service-port", 18490);
    Service service = Service.start(this, port, false, Path.of(args.getOrDefault("service-log-dir", "target"),
        "identity-http.log"));
    try {
      out.put("service", service.describe());
      URI base = URI.create("http://127.0.0.1:" + port);
      say("signing the administrator in, creating " + number("people", 100) + " + " + CHEAP_PEOPLE + " people");
      String admin;
      try (Browser browser = new Browser(null)) {
        admin = browser.signIn(base, WEBOS, webosSecret, WEBOS_REDIRECT, "admin", adminPassword, null)
            .path("access_token").asString();
      }
      out.put("peopleCreated", createPeople(base, admin));
      out.put("cheapHashPeople", cheapHashes());

      // every kind of request first, before any is measured: the JIT compiles on the service's own core
      int loginWarmup = number("login-warmup", 200);
      int grantWarmup = number("grant-warmup", 2000);
      int health = number("health", 5000);
      Map<String, Object> warmup = new LinkedHashMap<>();
      warmup.put("clientCredentials", phase(service, "warm-up: client credentials", grantWarmup,
          number("grant-clients", 8), i -> grantKeptAlive(base)));
      warmup.put("logins", phase(service, "warm-up: logins", loginWarmup, number("login-clients", 4),
          i -> login(base, null, person(i % number("people", 100)), null)));
      warmup.put("clientCredentialsNewConnection", phase(service, "warm-up: client credentials, new connections",
          grantWarmup / 4, number("grant-clients", 8), i -> grantNewConnection(port, false)));
      warmup.put("healthLiveness", phase(service, "warm-up: liveness", health / 4, number("grant-clients", 8),
          i -> health(base, null)));
      out.put("warmup", warmup);

      out.put("logins", logins(service, base, null, number("logins", 400), i -> person(i % number("people", 100)),
          "logins", "password logins: the whole authorization code flow with PKCE of a fresh browser (GET"
              + " /oauth2/authorize, GET /login, POST /login, GET /oauth2/authorize, POST /oauth2/token with the code),"
              + " people in turn"));
      out.put("jitProbe", jitProbe(service, base, null));
      out.put("clientCredentials", grants(service, "client credentials, kept-alive connections",
          number("grants", 6000), i -> grantKeptAlive(base)));
      out.put("clientCredentialsNewConnection", grants(service, "client credentials, a new TCP connection each",
          number("grants", 6000) / 3, i -> grantNewConnection(port, false)));
      Latencies liveness = new Latencies(health);
      Map<String, Object> live = phase(service, "GET /actuator/health/liveness", health, number("grant-clients", 8),
          i -> health(base, liveness));
      live.put("latencyMs", liveness.summary());
      out.put("healthLiveness", live);
      // last: Argon2 with other parameters changes the JIT's profile of the hash code, so nothing measured follows
      warmup.put("loginsCheapHash", phase(service, "warm-up: logins with a cheap hash", loginWarmup / 4,
          number("login-clients", 4), i -> login(base, null, cheapPerson(i % CHEAP_PEOPLE), null)));
      out.put("loginsCheapHash", logins(service, base, null, number("logins", 400) / 2,
          i -> cheapPerson(i % CHEAP_PEOPLE), "logins with a cheap hash", "the same logins by people whose stored"
              + " hash the benchmark replaced in the database with the cheapest Argon2id (8 KiB, 1 pass): everything a"
              + " login costs but the hash (measured last, after everything else)"));
      out.put("serviceMemory", Map.of("VmRSS", String.valueOf(CpuTimes.status(service.pid(), "VmRSS")),
          "VmHWM", String.valueOf(CpuTimes.status(service.pid(), "VmHWM"))));
    } finally {
      service.stop();
    }
  }

  private void tlsRun(Map<String, Object> out) throws Exception {
    int port = number("tls-port", 18491);
    trust = trustManagers();
    Service service = Service.start(this, port, true, Path.of(args.getOrDefault("service-log-dir", "target"),
        "identity-tls.log"));
    try {
      out.put("service", service.describe());
      out.put("serverCertificate", "RSA 2048, self-signed (keytool, hack/bench-identity.sh)");
      URI base = URI.create("https://127.0.0.1:" + port);
      Map<String, Object> warmup = new LinkedHashMap<>();
      warmup.put("clientCredentialsNewTlsConnection", phase(service, "warm-up: client credentials, new TLS"
          + " connections", number("tls-grant-warmup", 300), number("grant-clients", 8),
          i -> grantNewConnection(port, true)));
      warmup.put("logins", phase(service, "warm-up: logins over TLS", number("tls-login-warmup", 30),
          number("login-clients", 4), i -> login(base, this::freshTls, person(i % number("people", 100)), null)));
      out.put("warmup", warmup);
      out.put("logins", logins(service, base, this::freshTls, number("tls-logins", 100),
          i -> person(i % number("people", 100)), "logins over TLS", "password logins as over plain HTTP, each"
              + " browser on a new TLS connection (a full handshake)"));
      out.put("jitProbe", jitProbe(service, base, this::freshTls));
      out.put("clientCredentialsNewTlsConnection", grants(service,
          "client credentials, a new TLS connection (full handshake, nothing resumed) each", number("tls-grants",
              1000), i -> grantNewConnection(port, true)));
      out.put("tlsSession", tlsSession);
    } finally {
      service.stop();
    }
  }

  /** The JIT flags of the variant: BouncyCastle's Argon2 inlined whatever C2's profile of the call sites says. */
  static final List<String> ARGON2_INLINE = List.of("-XX:CompileCommand=quiet",
      "-XX:CompileCommand=inline,org.bouncycastle.crypto.generators.Argon2BytesGenerator::*");

  /**
   * Identity again over plain HTTP with one JVM flag more ({@link #ARGON2_INLINE}), logins only: what the hash costs
   * in the service when C2 inlines Argon2's round function as it does in the floors' JVM.
   */
  private void argon2InlineRun(Map<String, Object> out) throws Exception {
    int port = number("service-port", 18490);
    Service service = Service.start(this, port, false, Path.of(args.getOrDefault("service-log-dir", "target"),
        "identity-inline.log"), ARGON2_INLINE);
    try {
      out.put("what", "identity with " + String.join(" ", ARGON2_INLINE) + ", as over plain HTTP otherwise");
      out.put("service", service.describe());
      URI base = URI.create("http://127.0.0.1:" + port);
      Map<String, Object> warmup = new LinkedHashMap<>();
      warmup.put("clientCredentials", phase(service, "warm-up: client credentials", number("grant-warmup", 2000),
          number("grant-clients", 8), i -> grantKeptAlive(base)));
      warmup.put("logins", phase(service, "warm-up: logins", number("login-warmup", 200),
          number("login-clients", 4), i -> login(base, null, person(i % number("people", 100)), null)));
      out.put("warmup", warmup);
      out.put("logins", logins(service, base, null, number("logins", 400), i -> person(i % number("people", 100)),
          "logins with Argon2 inlined", "password logins as over plain HTTP, the service's JVM told to inline"
              + " Argon2BytesGenerator's methods"));
      out.put("jitProbe", jitProbe(service, base, null));
    } finally {
      service.stop();
    }
  }

  // --- people

  private static final int CHEAP_PEOPLE = 20;

  private int createPeople(URI base, String adminToken) throws Exception {
    expect(201, post(base.resolve("/api/admin/departments"), adminToken, Map.of("id", "bench", "name", "Bench")));
    expect(201, post(base.resolve("/api/admin/departments"), adminToken, Map.of("id", "bench-team", "name",
        "Bench team", "parentId", "bench")));
    int people = number("people", 100);
    AtomicInteger created = new AtomicInteger();
    runParallel(people + CHEAP_PEOPLE, 2, Duration.ofMinutes(3), i -> {
      String id = i < people ? person(i) : cheapPerson(i - people);
      expect(201, post(base.resolve("/api/admin/people"), adminToken, Map.of("id", id, "displayName",
          "Bench person " + i, "email", id + "@bench.test", "departments", List.of("bench-team"), "password",
          PASSWORD)));
      created.incrementAndGet();
    });
    if (created.get() != people + CHEAP_PEOPLE) {
      throw new IllegalStateException("created " + created.get() + " of " + (people + CHEAP_PEOPLE) + " people");
    }
    return created.get();
  }

  /**
   * A measuring device, not something identity does: the stored hash of the cheap-hash people is replaced, in the
   * database, by an Argon2id hash of the same password with the smallest parameters (8 KiB, 1 pass, 1 lane). The
   * encoder verifies with the parameters the stored hash names, so their logins cost everything but the hash.
   */
  private Map<String, Object> cheapHashes() throws Exception {
    String hash = new Argon2PasswordEncoder(16, 32, 1, 8, 1).encode(PASSWORD);
    String url = "jdbc:postgresql://127.0.0.1:" + args.get("postgres-port") + "/" + args.getOrDefault("database",
        "identity");
    try (Connection db = DriverManager.getConnection(url, "postgres", "");
        PreparedStatement update = db.prepareStatement("UPDATE people SET password_hash = ? WHERE id LIKE ?")) {
      update.setString(1, hash);
      update.setString(2, "bench-c%");
      int updated = update.executeUpdate();
      if (updated != CHEAP_PEOPLE) {
        throw new IllegalStateException("replaced the hash of " + updated + " people, not " + CHEAP_PEOPLE);
      }
    }
    return Map.of("people", CHEAP_PEOPLE, "storedHashParameters", hash.substring(0, hash.indexOf('$',
        hash.indexOf("m=")) + 1));
  }

  private static String cheapPerson(int i) {
    return String.format("bench-c%04d", i);
  }

  private static String person(int i) {
    return String.format("bench-p%04d", i);
  }

  private HttpResponse<String> post(URI uri, String token, Object body) throws Exception {
    return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static void expect(int status, HttpResponse<String> response) {
    if (response.statusCode() != status) {
      throw new IllegalStateException(response.request().method() + " " + response.uri().getPath() + " answered "
          + response.statusCode() + ": " + response.body());
    }
  }

  // --- logins

  private interface SslSource {
    SSLContext get() throws Exception;
  }

  private Map<String, Object> logins(Service service, URI base, SslSource ssl, int count, IntFunction<String> who,
      String name, String what) throws Exception {
    Browser.Steps steps = Browser.Steps.of(count);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("what", what);
    out.putAll(phase(service, name, count, number("login-clients", 4), i -> login(base, ssl, who.apply(i), steps)));
    out.put("latencyMs", steps.summary());
    return out;
  }

  private void login(URI base, SslSource ssl, String person, Browser.Steps steps) throws Exception {
    try (Browser browser = new Browser(ssl == null ? null : ssl.get())) {
      browser.signIn(base, WEBOS, webosSecret, WEBOS_REDIRECT, person, PASSWORD, steps);
    }
  }

  /**
   * After the measured logins: 10 s more of them while a flight recording runs in the service, to see how its JIT
   * compiled the hash ({@link JitProbe}). Not part of any figure.
   */
  private Map<String, Object> jitProbe(Service service, URI base, SslSource ssl) throws Exception {
    int seconds = 10;
    say("JIT probe: " + seconds + " s of logins with a flight recording in the service");
    JitProbe probe = JitProbe.start(service.pid(), seconds, service.log().resolveSibling(
        service.log().getFileName().toString().replace(".log", "-jit-probe.jfr")));
    Outcome outcome = runParallel(100_000, number("login-clients", 4), Duration.ofSeconds(seconds),
        i -> login(base, ssl, person(i % number("people", 100)), null));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("what", "a flight recording (jcmd JFR.start, settings=profile) of " + seconds + " s of logins after the"
        + " measured ones; execution samples in Argon2BytesGenerator, and of those how many were in quarterRound"
        + " called as a compiled method of its own rather than inlined (as C2 compiles it in the floors' JVM)");
    out.put("logins", outcome.completed());
    Map<String, Object> found = probe.finish();
    out.putAll(found);
    say("  " + found);
    return out;
  }

  // --- client credentials

  private interface Grant {
    long run(int i) throws Exception;
  }

  private Map<String, Object> grants(Service service, String what, int count, Grant grant) throws Exception {
    Latencies latencies = new Latencies(count);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("what", what);
    out.putAll(phase(service, what, count, number("grant-clients", 8), i -> latencies.add(grant.run(i))));
    out.put("latencyMs", latencies.summary());
    return out;
  }

  private static final String GRANT_BODY = "grant_type=client_credentials";

  private long grantKeptAlive(URI base) throws Exception {
    long start = System.nanoTime();
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(base.resolve("/oauth2/token"))
        .timeout(Duration.ofSeconds(60)).header("Authorization", Browser.basic(NETDISK, netdiskSecret))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(GRANT_BODY)).build(), HttpResponse.BodyHandlers.ofString());
    long took = System.nanoTime() - start;
    checkToken(response.statusCode(), response.body());
    return took;
  }

  /**
   * One grant on a connection of its own: connect (and for TLS a full handshake with a context that has no
   * session to resume), one request with {@code Connection: close}, read to the end.
   */
  private long grantNewConnection(int port, boolean tls) throws Exception {
    long start = System.nanoTime();
    Socket socket = tls ? freshTls().getSocketFactory().createSocket() : new Socket();
    try (socket) {
      socket.setTcpNoDelay(true);
      socket.setSoTimeout(60_000);
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      if (socket instanceof SSLSocket ssl) {
        ssl.startHandshake();
        if (tlsSession == null) {
          tlsSession = ssl.getSession().getProtocol() + " " + ssl.getSession().getCipherSuite()
              + ", server key " + ssl.getSession().getPeerCertificates()[0].getPublicKey().getAlgorithm();
        }
      }
      byte[] body = GRANT_BODY.getBytes(StandardCharsets.US_ASCII);
      String head = "POST /oauth2/token HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAuthorization: "
          + Browser.basic(NETDISK, netdiskSecret) + "\r\nContent-Type: application/x-www-form-urlencoded\r\n"
          + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
      OutputStream output = socket.getOutputStream();
      output.write(head.getBytes(StandardCharsets.US_ASCII));
      output.write(body);
      output.flush();
      InputStream input = socket.getInputStream();
      ByteArrayOutputStream response = new ByteArrayOutputStream();
      input.transferTo(response);
      long took = System.nanoTime() - start;
      String text = response.toString(StandardCharsets.UTF_8);
      int status = text.startsWith("HTTP/1.1 ") ? Integer.parseInt(text.substring(9, 12)) : -1;
      checkToken(status, text.substring(Math.max(0, text.indexOf("\r\n\r\n"))));
      return took;
    }
  }

  private static void checkToken(int status, String body) {
    if (status != 200 || !body.contains("\"access_token\"")) {
      throw new IllegalStateException("token endpoint answered " + status + ": "
          + body.substring(0, Math.min(200, body.length())));
    }
  }

  private void health(URI base, Latencies latencies) throws Exception {
    long start = System.nanoTime();
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(base.resolve("/actuator/health/liveness"))
        .timeout(Duration.ofSeconds(60)).GET().build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("liveness answered " + response.statusCode());
    }
    if (latencies != null) {
      latencies.add(System.nanoTime() - start);
    }
  }

  // --- phases

  private interface Op {
    void run(int i) throws Exception;
  }

  /**
   * Runs {@code count} operations from {@code clients} concurrent loops (each takes the next number), bounded by
   * the phase limit; the completed count, errors, rate and where the CPU went.
   */
  private Map<String, Object> phase(Service service, String name, int count, int clients, Op op) throws Exception {
    say(name + ": " + count + " from " + clients + " clients");
    CpuTimes before = CpuTimes.now(service.pid(), postmasterPid, serviceCore);
    Outcome outcome = runParallel(count, clients, phaseLimit, op);
    CpuTimes after = CpuTimes.now(service.pid(), postmasterPid, serviceCore);
    Map<String, Object> cpu = after.since(before);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("requested", count);
    out.put("clients", clients);
    out.put("completed", outcome.completed());
    out.put("errors", outcome.errors());
    if (outcome.firstError() != null) {
      out.put("firstError", outcome.firstError());
    }
    out.put("seconds", Latencies.round3(outcome.seconds()));
    out.put("perSecond", Latencies.round(outcome.completed() / outcome.seconds()));
    double serviceCpu = (double) cpu.get("serviceCpuSeconds");
    out.put("serviceCpuMsEach", Latencies.round3(1000 * serviceCpu / outcome.completed()));
    out.put("perServiceCpuSecond", Latencies.round(outcome.completed() / serviceCpu));
    out.put("serviceApplicationCpuMsEach", Latencies.round3(1000 * (double) cpu.get("serviceApplicationCpuSeconds")
        / outcome.completed()));
    out.put("postgresCpuMsEach", Latencies.round3(1000 * (double) cpu.get("postgresCpuSeconds")
        / outcome.completed()));
    out.put("cpu", cpu);
    say(String.format("  %d done, %d errors, %.1f/s, service %.2f ms CPU each (JIT %.2f), %.0f%% of its core",
        outcome.completed(), outcome.errors(), outcome.completed() / outcome.seconds(),
        1000 * serviceCpu / outcome.completed(), 1000 * (double) cpu.get("serviceJitCpuSeconds") / outcome.completed(),
        100 * (double) cpu.get("serviceCoreShare")));
    if (outcome.completed() == 0 || outcome.errors() > outcome.completed() / 100) {
      throw new IllegalStateException(name + ": " + outcome.errors() + " errors, first: " + outcome.firstError());
    }
    return out;
  }

  private record Outcome(int completed, int errors, String firstError, double seconds) {
  }

  private static Outcome runParallel(int count, int clients, Duration limit, Op op) throws InterruptedException {
    AtomicInteger next = new AtomicInteger();
    AtomicInteger completed = new AtomicInteger();
    AtomicInteger errors = new AtomicInteger();
    AtomicReference<String> firstError = new AtomicReference<>();
    long start = System.nanoTime();
    long deadline = start + limit.toNanos();
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      threads.add(Thread.ofPlatform().name("load-" + c).start(() -> {
        for (int i = next.getAndIncrement(); i < count && System.nanoTime() < deadline; i = next.getAndIncrement()) {
          try {
            op.run(i);
            completed.incrementAndGet();
          } catch (Exception e) {
            errors.incrementAndGet();
            firstError.compareAndSet(null, e.getClass().getSimpleName() + ": " + e.getMessage());
          }
        }
      }));
    }
    for (Thread thread : threads) {
      thread.join(limit.toMillis() + 120_000);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return new Outcome(completed.get(), errors.get(), firstError.get(), seconds);
  }

  // --- the floors

  private static final List<String> FLOORS = List.of("argon2Identity", "argon2IdentityConcurrent",
      "argon2KeycloakDefault", "rs256", "rs256Rsa2048");

  /** The floors in a JVM of their own pinned to the service's core, while no service runs there. */
  private Map<String, Object> floorRun(String when) throws Exception {
    say("floors (" + when + "): Argon2id and RS256 on core " + serviceCore + ", in a JVM of their own");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder = new ProcessBuilder("taskset", "-c", Integer.toString(serviceCore), java,
        "-XX:ActiveProcessorCount=1", "-Xmx" + args.getOrDefault("service-heap", "1g"), "-cp",
        System.getProperty("java.class.path"), Floors.class.getName(), "--warmup-seconds",
        args.getOrDefault("floor-warmup-seconds", "3"), "--seconds", args.getOrDefault("floor-seconds", "5"),
        "--concurrent", Integer.toString(number("login-clients", 4)));
    builder.environment().put("BENCH_SIGNING_KEY", signingKey);
    builder.redirectError(ProcessBuilder.Redirect.INHERIT);
    CpuTimes before = CpuTimes.now(-1, -1, serviceCore);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
      process.destroyForcibly();
      throw new IllegalStateException("the floors failed: " + output);
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> floors = JSON.readValue(output.trim(), LinkedHashMap.class);
    Map<String, Object> cpu = CpuTimes.now(-1, -1, serviceCore).since(before);
    floors.put("serviceCoreBusyPercent", cpu.get("serviceCoreBusyPercent"));
    floors.put("machineBusyPercent", cpu.get("machineBusyPercent"));
    floors.put("loadAverage", read("/proc/loadavg"));
    for (String floor : FLOORS) {
      @SuppressWarnings("unchecked")
      Map<String, Object> f = (Map<String, Object>) floors.get(floor);
      say(String.format("  %-26s %8s per CPU second, %7s ms CPU each", floor, f.get("perCpuSecond"),
          f.get("cpuMsEach")));
    }
    return floors;
  }

  /** Both floor runs, the better of the two for each floor (the floor is the best the core did), and what follows. */
  private static Map<String, Object> floors(Map<String, Object> before, Map<String, Object> after) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("how", "a JVM of its own pinned to the service's core (taskset, -XX:ActiveProcessorCount=1, same JDK and"
        + " heap), once before the service first started and once after it last stopped; best is the better run");
    Map<String, Object> best = new LinkedHashMap<>();
    for (String floor : FLOORS) {
      double b = perCpuSecond(before, floor);
      double a = perCpuSecond(after, floor);
      best.put(floor, Map.of("perCpuSecond", Math.max(a, b), "cpuMsEach", Latencies.round3(1000 / Math.max(a, b)),
          "run", a >= b ? "after" : "before", "spreadPercent",
          Latencies.round(100 * Math.abs(a - b) / Math.max(a, b))));
    }
    out.put("best", best);
    double argon2 = perCpuSecond(best, "argon2Identity");
    double rs256 = perCpuSecond(best, "rs256");
    Map<String, Object> derived = new LinkedHashMap<>();
    derived.put("loginPerCpuSecond", Latencies.round(1 / (1 / argon2 + 2 / rs256)));
    derived.put("loginNote", "one Argon2id verification (POST /login) and two RS256 signatures (access and ID"
        + " token at the code exchange): the cryptography a login cannot avoid, nothing else");
    derived.put("grantPerCpuSecond", Latencies.round(rs256));
    derived.put("grantNote", "one RS256 signature (the access token); the client secret is checked by SHA-256");
    out.put("derived", derived);
    out.put("before", before);
    out.put("after", after);
    return out;
  }

  @SuppressWarnings("unchecked")
  private static double perCpuSecond(Map<String, Object> map, String key) {
    return ((Number) ((Map<String, Object>) map.get(key)).get("perCpuSecond")).doubleValue();
  }

  // --- Keycloak and the comparison

  private static Map<String, Object> keycloak() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("source", "Keycloak, \"Concepts for sizing CPU and memory resources\" (" + KEYCLOAK_GUIDE + ")");
    out.put("passwordLoginsPerVcpuSecond", 15);
    out.put("clientCredentialGrantsPerVcpuSecond", 120);
    out.put("refreshTokenRequestsPerVcpuSecond", 120);
    out.put("conditions", List.of(
        "AWS c7g.2xlarge (Graviton3, ARM: one vCPU is one core); on x86 (c7i, c7a) the guide found up to twice the"
            + " client credential grants and refreshes per core, and the same password hashing",
        "TLS terminated at the Keycloak pod (OpenShift route in passthrough); each client credentials client runs"
            + " a single request, so most of a grant's CPU is the new TLS connection",
        "passwords hashed with Keycloak's default Argon2 (id, 5 iterations, 7 MiB); most of a login's CPU is the hash",
        "3 pods, two sites active/active, user and client sessions in Aurora PostgreSQL, 20,000 users and 20,000"
            + " clients, OpenJDK 21",
        "per vCPU of the cluster, to which the guide adds 150 % head-room for peaks"));
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> comparison(Map<String, Object> results) {
    Map<String, Object> out = new LinkedHashMap<>();
    Map<String, Object> plain = (Map<String, Object>) results.get("http");
    Map<String, Object> tls = (Map<String, Object>) results.get("tls");
    Map<String, Object> floors = (Map<String, Object>) results.get("floors");
    Map<String, Object> derived = (Map<String, Object>) floors.get("derived");
    double loginsPerCpu = number(plain, "logins", "perServiceCpuSecond");
    double grantsPerCpu = number(plain, "clientCredentials", "perServiceCpuSecond");
    out.put("loginsPerCoreSecondHttp", number(plain, "logins", "perSecond"));
    out.put("loginsPerServiceCpuSecondHttp", loginsPerCpu);
    out.put("loginsVersusKeycloak", Latencies.round(loginsPerCpu / 15));
    out.put("loginsVersusFloor", Latencies.round(loginsPerCpu / ((Number) derived.get("loginPerCpuSecond"))
        .doubleValue()));
    double loginMs = number(plain, "logins", "serviceCpuMsEach");
    double cheapMs = number(plain, "loginsCheapHash", "serviceCpuMsEach");
    out.put("loginServiceCpuMs", loginMs);
    out.put("loginCheapHashServiceCpuMs", cheapMs);
    out.put("hashInServiceCpuMs", Latencies.round3(loginMs - cheapMs));
    out.put("hashFloorCpuMs", number((Map<String, Object>) floors.get("best"), "argon2Identity", "cpuMsEach"));
    out.put("hashFloorConcurrentCpuMs", number((Map<String, Object>) floors.get("best"), "argon2IdentityConcurrent",
        "cpuMsEach"));
    Map<String, Object> variant = (Map<String, Object>) results.get("argon2InlineVariant");
    if (variant != null && variant.get("logins") != null) {
      double inlined = number(variant, "logins", "serviceCpuMsEach");
      out.put("loginServiceCpuMsArgon2Inlined", inlined);
      out.put("hashInServiceCpuMsArgon2Inlined", Latencies.round3(inlined - cheapMs));
      out.put("loginsPerServiceCpuSecondArgon2Inlined", number(variant, "logins", "perServiceCpuSecond"));
    }
    out.put("grantsPerCoreSecondKeptAlive", number(plain, "clientCredentials", "perSecond"));
    out.put("grantsPerServiceCpuSecondKeptAlive", grantsPerCpu);
    out.put("grantsKeptAliveVersusFloor", Latencies.round(grantsPerCpu / ((Number) derived.get("grantPerCpuSecond"))
        .doubleValue()));
    if (tls != null && tls.get("clientCredentialsNewTlsConnection") != null) {
      double tlsGrants = number(tls, "clientCredentialsNewTlsConnection", "perServiceCpuSecond");
      out.put("grantsPerServiceCpuSecondNewTlsConnection", tlsGrants);
      out.put("grantsNewTlsConnectionVersusKeycloak", Latencies.round(tlsGrants / 120));
      out.put("loginsPerServiceCpuSecondTls", number(tls, "logins", "perServiceCpuSecond"));
    }
    out.put("grantsKeptAliveVersusKeycloak", Latencies.round(grantsPerCpu / 120));
    Map<String, Object> best = (Map<String, Object>) floors.get("best");
    double identityHashMs = number(best, "argon2Identity", "cpuMsEach");
    double keycloakHashMs = number(best, "argon2KeycloakDefault", "cpuMsEach");
    out.put("hashCostIdentityOverKeycloakDefault", Latencies.round3(identityHashMs / keycloakHashMs));
    out.put("note", "per service CPU second is the service's own CPU time (user + system, /proc) over the phase;"
        + " per core second is the rate with the service pinned to one core, which also depends on whether the load"
        + " and PostgreSQL on the other core kept it busy (serviceCoreShare). Keycloak's figures are per vCPU of"
        + " the cluster under its own conditions (keycloakReference.conditions).");
    return out;
  }

  @SuppressWarnings("unchecked")
  private static double number(Map<String, Object> map, String phase, String field) {
    return ((Number) ((Map<String, Object>) map.get(phase)).get(field)).doubleValue();
  }

  @SuppressWarnings("unchecked")
  private static void summary(Map<String, Object> results) {
    Map<String, Object> plain = (Map<String, Object>) results.get("http");
    Map<String, Object> tls = (Map<String, Object>) results.get("tls");
    Map<String, Object> floors = (Map<String, Object>) results.get("floors");
    StringBuilder text = new StringBuilder("\nidentity, service on one core\n");
    line(text, "password logins (HTTP)", plain.get("logins"));
    line(text, "logins, cheap hash (all but hash)", plain.get("loginsCheapHash"));
    line(text, "client credentials, kept alive", plain.get("clientCredentials"));
    line(text, "client credentials, new TCP conn", plain.get("clientCredentialsNewConnection"));
    line(text, "GET liveness (HTTP floor)", plain.get("healthLiveness"));
    if (tls != null) {
      line(text, "password logins (TLS)", tls.get("logins"));
      line(text, "client credentials, new TLS conn", tls.get("clientCredentialsNewTlsConnection"));
    }
    Map<String, Object> variant = (Map<String, Object>) results.get("argon2InlineVariant");
    if (variant != null) {
      line(text, "logins, Argon2 inlined (variant)", variant.get("logins"));
    }
    text.append("floors on the same core, per CPU second (the better of two runs):\n");
    Map<String, Object> best = (Map<String, Object>) floors.get("best");
    for (String floor : FLOORS) {
      Map<String, Object> f = (Map<String, Object>) best.get(floor);
      text.append(String.format("  %-34s %10s/s  %8s ms each, runs %s%% apart%n", floor, f.get("perCpuSecond"),
          f.get("cpuMsEach"), f.get("spreadPercent")));
    }
    text.append("  derived: ").append(floors.get("derived")).append('\n');
    text.append("Keycloak's guide: 15 password logins/s and 120 client credential grants/s per vCPU\n");
    text.append("comparison: ").append(results.get("comparison")).append('\n');
    System.err.print(text);
  }

  @SuppressWarnings("unchecked")
  private static void line(StringBuilder text, String name, Object phase) {
    if (!(phase instanceof Map<?, ?> map)) {
      return;
    }
    Object latency = map.get("latencyMs");
    Map<String, Object> whole = latency instanceof Map<?, ?> l && l.get("login") != null
        ? (Map<String, Object>) l.get("login") : (Map<String, Object>) latency;
    text.append(String.format("  %-34s %8s/s on the core, %8s per service CPU s (%s ms each, %s without JIT),"
        + " p50 %s ms, p99 %s ms%n", name, map.get("perSecond"), map.get("perServiceCpuSecond"),
        map.get("serviceCpuMsEach"), map.get("serviceApplicationCpuMsEach"), whole.get("p50"), whole.get("p99")));
  }

  // --- the service process

  /** Identity from its jar, pinned to one core, configured by the environment as the operator configures it. */
  record Service(Process process, int port, boolean tls, double startupSeconds, Path log) {

    static Service start(IdentityBench bench, int port, boolean tls, Path log) throws Exception {
      return start(bench, port, tls, log, List.of());
    }

    static Service start(IdentityBench bench, int port, boolean tls, Path log, List<String> jvmFlags)
        throws Exception {
      Map<String, String> args = bench.args;
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      List<String> command = new ArrayList<>(List.of("taskset", "-c", Integer.toString(bench.serviceCore), java,
          "-XX:ActiveProcessorCount=1", "-Xmx" + args.getOrDefault("service-heap", "1g"),
          "-XX:+PrintCommandLineFlags"));
      // e.g. a flight recording to see where the time goes (not for the figures: recording costs CPU)
      if (args.containsKey("service-jvm-extra")) {
        command.addAll(List.of(args.get("service-jvm-extra").trim().split("\\s+")));
      }
      command.addAll(jvmFlags);
      command.addAll(List.of("-jar", args.get("jar")));
      ProcessBuilder builder = new ProcessBuilder(command);
      Map<String, String> env = builder.environment();
      String path = env.get("PATH");
      env.clear();
      env.put("PATH", path);
      env.put("LANG", "C.UTF-8");
      env.put("SERVER_PORT", Integer.toString(port));
      env.put("SPRING_DATASOURCE_URL", "jdbc:postgresql://127.0.0.1:" + args.get("postgres-port") + "/"
          + args.getOrDefault("database", "identity"));
      env.put("SPRING_DATASOURCE_USERNAME", "postgres");
      env.put("SPRING_DATASOURCE_PASSWORD", "");
      env.put("ATRIUM_PLATFORM", "bench");
      env.put("ATRIUM_IDENTITY_ISSUER", (tls ? "https" : "http") + "://127.0.0.1:" + port);
      env.put("ATRIUM_IDENTITY_SIGNING_KEY", bench.signingKey);
      env.put("ATRIUM_IDENTITY_SIGNING_KEY_ID", bench.signingKeyId);
      env.put("ATRIUM_IDENTITY_ENCRYPTION_KEY", bench.encryptionKey);
      env.put("ATRIUM_IDENTITY_ADMIN_PASSWORD", bench.adminPassword);
      env.put("ATRIUM_IDENTITY_CLIENTS", WEBOS + "," + NETDISK);
      env.put("ATRIUM_IDENTITY_CLIENT_WEBOS_SECRET", bench.webosSecret);
      env.put("ATRIUM_IDENTITY_CLIENT_WEBOS_GRANT_TYPES", "authorization_code,refresh_token");
      env.put("ATRIUM_IDENTITY_CLIENT_WEBOS_REDIRECT_URIS", WEBOS_REDIRECT);
      env.put("ATRIUM_IDENTITY_CLIENT_WEBOS_POST_LOGOUT_REDIRECT_URIS", "http://127.0.0.1:9/webos/");
      env.put("ATRIUM_IDENTITY_CLIENT_NETDISK_SECRET", bench.netdiskSecret);
      env.put("ATRIUM_IDENTITY_CLIENT_NETDISK_GRANT_TYPES", "client_credentials");
      env.put("ATRIUM_IDENTITY_CLIENT_NETDISK_REDIRECT_URIS", "");
      env.put("ATRIUM_IDENTITY_CLIENT_NETDISK_POST_LOGOUT_REDIRECT_URIS", "");
      env.put("ATRIUM_LDAP_ENABLED", "false");
      env.put("ATRIUM_SHUTDOWN_TIMEOUT", "5s");
      if (tls) {
        env.put("SERVER_SSL_ENABLED", "true");
        env.put("SERVER_SSL_KEY_STORE", args.get("tls-keystore"));
        env.put("SERVER_SSL_KEY_STORE_TYPE", "PKCS12");
        env.put("SERVER_SSL_KEY_STORE_PASSWORD", args.get("tls-password"));
      }
      Files.createDirectories(log.toAbsolutePath().getParent());
      builder.redirectErrorStream(true).redirectOutput(log.toFile());
      say("starting identity (" + (tls ? "TLS" : "HTTP") + ") on 127.0.0.1:" + port + ", core " + bench.serviceCore
          + ", log " + log);
      long start = System.nanoTime();
      Process process = builder.start();
      HttpClient probe = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
          .sslContext(tls ? bench.freshTls() : SSLContext.getDefault()).build();
      URI ready = URI.create((tls ? "https" : "http") + "://127.0.0.1:" + port + "/actuator/health/readiness");
      long deadline = start + Duration.ofMinutes(3).toNanos();
      while (true) {
        try {
          if (probe.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(5)).build(),
              HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
            break;
          }
        } catch (IOException notYet) {
          // starting
        }
        if (!process.isAlive() || System.nanoTime() > deadline) {
          process.destroyForcibly();
          throw new IllegalStateException("identity did not become ready; see " + log);
        }
        Thread.sleep(200);
      }
      probe.close();
      Service service = new Service(process, port, tls, (System.nanoTime() - start) / 1e9, log);
      say("  ready after " + Latencies.round(service.startupSeconds) + " s");
      return service;
    }

    long pid() {
      return process.pid();
    }

    Map<String, Object> describe() throws IOException {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("scheme", tls ? "https" : "http");
      out.put("startupSecondsToReady", Latencies.round(startupSeconds));
      out.put("affinity", CpuTimes.status(pid(), "Cpus_allowed_list"));
      out.put("command", process.info().commandLine().orElse(null));
      // -XX:+PrintCommandLineFlags: the first line of the log has the flags the JVM chose, the collector among them
      String flags = Files.readAllLines(log).stream().filter(l -> l.startsWith("-XX:")).findFirst().orElse("");
      Matcher gc = Pattern.compile("-XX:\\+Use(\\w+GC)\\b").matcher(flags);
      out.put("gc", gc.find() ? gc.group(1) : null);
      out.put("jvmFlags", flags);
      return out;
    }

    void stop() throws InterruptedException {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  // --- TLS

  /** Trusts exactly the certificate of the bench's keystore. */
  private TrustManager[] trustManagers() throws Exception {
    KeyStore keystore = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(Path.of(args.get("tls-keystore")))) {
      keystore.load(in, args.get("tls-password").toCharArray());
    }
    KeyStore trusted = KeyStore.getInstance("PKCS12");
    trusted.load(null, null);
    for (String alias : Collections.list(keystore.aliases())) {
      Certificate certificate = keystore.getCertificate(alias);
      if (certificate != null) {
        trusted.setCertificateEntry(alias, certificate);
      }
    }
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trusted);
    return factory.getTrustManagers();
  }

  /** A context of its own: its session cache is empty, so every connection made with it does a full handshake. */
  private SSLContext freshTls() throws Exception {
    if (trust == null) {
      trust = trustManagers();
    }
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust, null);
    return context;
  }

  // --- the machine and the libraries

  private Map<String, Object> machine() throws IOException {
    Map<String, Object> out = new LinkedHashMap<>();
    String cpuinfo = read("/proc/cpuinfo");
    Matcher model = Pattern.compile("model name\\s*:\\s*(.+)").matcher(cpuinfo);
    out.put("cpuModel", model.find() ? model.group(1).trim() : null);
    out.put("cpus", cpuinfo.lines().filter(l -> l.startsWith("processor")).count());
    out.put("hypervisor", cpuinfo.contains(" hypervisor") ? "yes (cpuinfo flag)" : "no");
    out.put("memTotal", read("/proc/meminfo").lines().filter(l -> l.startsWith("MemTotal")).findFirst()
        .map(l -> l.replaceAll("\\s+", " ")).orElse(null));
    out.put("kernel", read("/proc/sys/kernel/osrelease").trim());
    out.put("java", System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version"));
    out.put("javaHome", System.getProperty("java.home"));
    out.put("postgres", args.getOrDefault("postgres-version", "unknown"));
    out.put("benchJvm", ManagementFactory.getRuntimeMXBean().getInputArguments());
    return out;
  }

  /**
   * The floors must run the code the service runs: the password encoder, Argon2 and JOSE jars on this JVM's
   * classpath must be the very ones in identity's jar.
   */
  private Map<String, Object> sameLibraries() throws IOException {
    List<String> prefixes = List.of("spring-security-crypto-", "bcprov-jdk18on-", "nimbus-jose-jwt-");
    TreeSet<String> inJar = new TreeSet<>();
    try (ZipFile jar = new ZipFile(args.get("jar"))) {
      jar.stream().map(e -> e.getName()).filter(n -> n.startsWith("BOOT-INF/lib/"))
          .map(n -> n.substring("BOOT-INF/lib/".length()))
          .filter(n -> prefixes.stream().anyMatch(n::startsWith)).forEach(inJar::add);
    }
    TreeSet<String> here = new TreeSet<>();
    for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      String name = Path.of(entry).getFileName().toString();
      if (prefixes.stream().anyMatch(name::startsWith)) {
        here.add(name);
      }
    }
    if (!inJar.equals(here) || inJar.size() != prefixes.size()) {
      throw new IllegalStateException("the floors would not run identity's libraries: identity's jar has " + inJar
          + ", the benchmark " + here);
    }
    return Map.of("jar", Path.of(args.get("jar")).getFileName().toString(), "sameInJarAndFloors",
        new ArrayList<>(inJar));
  }

  private static String read(String file) {
    try {
      return Files.readString(Path.of(file)).trim();
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static String random(int bytes) {
    byte[] value = new byte[bytes];
    new SecureRandom().nextBytes(value);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
  }

  static void say(String message) {
    System.err.println("[bench] " + message);
  }
}
