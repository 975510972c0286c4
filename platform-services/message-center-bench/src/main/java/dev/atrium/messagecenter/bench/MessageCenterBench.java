package dev.atrium.messagecenter.bench;

import com.sun.net.httpserver.HttpServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.json.JsonMapper;

/**
 * End-to-end delivery through the message center with {@code --clients} connected WebSocket clients (one per
 * person; the people form 1:1 conversations in pairs), and in the same run the floor of the raw broker: Redis
 * pub/sub alone with one subscriber connection per client and the payload the service publishes. Every loop is
 * bounded in count and time; all traffic stays on 127.0.0.1. Usage (see hack/bench-message-center.sh):
 * {@code --jar J --postgres-port P --redis-port R [--clients 1000] [--messages 20000] [--warmup 3000]
 * [--senders 32] [--out FILE]}.
 */
public final class MessageCenterBench {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String ISSUER = "http://bench.atrium.test/auth";
  private static final Duration PHASE_LIMIT = Duration.ofMinutes(5);

  private final Map<String, String> args;
  private final int clients;
  private final int messages;
  private final int warmup;
  private final int senders;
  private final KeyPair key;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private volatile Recorder current;
  private final AtomicLong ownCopies = new AtomicLong();

  private MessageCenterBench(Map<String, String> args) throws Exception {
    this.args = args;
    this.clients = Integer.parseInt(args.getOrDefault("clients", "1000"));
    this.messages = Integer.parseInt(args.getOrDefault("messages", "20000"));
    this.warmup = Integer.parseInt(args.getOrDefault("warmup", "3000"));
    this.senders = Integer.parseInt(args.getOrDefault("senders", "32"));
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    this.key = generator.generateKeyPair();
  }

  public static void main(String[] argv) throws Exception {
    Map<String, String> args = new LinkedHashMap<>();
    for (int i = 0; i + 1 < argv.length; i += 2) {
      args.put(argv[i].replaceFirst("^--", ""), argv[i + 1]);
    }
    new MessageCenterBench(args).run();
    System.exit(0);
  }

  private void run() throws Exception {
    Map<String, Object> results = new LinkedHashMap<>();
    results.put("benchmark", "message-center-delivery");
    results.put("date", OffsetDateTime.now().toString());
    results.put("cores", Runtime.getRuntime().availableProcessors());
    results.put("loadAverageBefore", loadAverage());
    results.put("clients", clients);
    results.put("conversations", clients / 2);
    results.put("senders", senders);
    results.put("warmupMessages", warmup);

    HttpServer jwks = jwks();
    Process service = startService(jwks.getAddress().getPort());
    try {
      results.put("service", serviceRun(service));
    } finally {
      service.destroy();
      service.waitFor(30, TimeUnit.SECONDS);
      jwks.stop(0);
    }
    results.put("redisFloor", redisRun());
    results.put("loadAverageAfter", loadAverage());
    String out = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(results);
    System.out.println(out);
    if (args.containsKey("out")) {
      Path file = Path.of(args.get("out"));
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, out + "\n");
    }
  }

  // --- the service

  private int port;

  private Process startService(int jwksPort) throws Exception {
    port = Integer.parseInt(args.getOrDefault("service-port", "18480"));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder = new ProcessBuilder(java, args.getOrDefault("service-jvm", "-Xmx2g"), "-jar",
        args.get("jar"));
    Map<String, String> env = builder.environment();
    env.put("SERVER_PORT", Integer.toString(port));
    env.put("SPRING_DATASOURCE_URL", "jdbc:postgresql://127.0.0.1:" + args.get("postgres-port") + "/messages");
    env.put("SPRING_DATASOURCE_USERNAME", "postgres");
    env.put("SPRING_DATASOURCE_PASSWORD", "");
    env.put("SPRING_DATA_REDIS_HOST", "127.0.0.1");
    env.put("SPRING_DATA_REDIS_PORT", args.get("redis-port"));
    env.put("ATRIUM_IDENTITY_ISSUER", ISSUER);
    env.put("ATRIUM_IDENTITY_JWKS_URI", "http://127.0.0.1:" + jwksPort + "/jwks");
    env.put("ATRIUM_PLATFORM", "bench");
    env.put("ATRIUM_DB_POOL_SIZE", args.getOrDefault("pool", "20"));
    env.put("LOGGING_LEVEL_ROOT", "WARN");
    builder.redirectErrorStream(true).redirectOutput(Path.of(args.getOrDefault("service-log",
        "target/message-center.log")).toFile());
    Process process = builder.start();
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (true) {
      try {
        if (http.send(HttpRequest.newBuilder(uri("/actuator/health/readiness")).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return process;
        }
      } catch (IOException notYet) {
        // starting
      }
      if (!process.isAlive() || System.nanoTime() > deadline) {
        process.destroy();
        throw new IllegalStateException("the message center did not become ready; see its log");
      }
      Thread.sleep(200);
    }
  }

  private Map<String, Object> serviceRun(Process service) throws Exception {
    String[] tokens = new String[clients];
    for (int u = 0; u < clients; u++) {
      tokens[u] = token(user(u));
    }
    String[] conversations = new String[clients / 2];
    for (int c = 0; c < conversations.length; c++) {
      HttpResponse<String> opened = post("/api/v1/conversations", tokens[2 * c],
          "{\"kind\":\"DIRECT\",\"members\":[\"" + user(2 * c + 1) + "\"]}");
      conversations[c] = JSON.readTree(opened.body()).path("id").asString();
    }
    List<WebSocket> sockets = new ArrayList<>();
    CountDownLatch hellos = new CountDownLatch(clients);
    HttpClient wsClient = HttpClient.newHttpClient();
    for (int u = 0; u < clients; u++) {
      sockets.add(wsClient.newWebSocketBuilder().header("Authorization", "Bearer " + tokens[u])
          .buildAsync(URI.create("ws://127.0.0.1:" + port + "/api/v1/stream"), listener(u, hellos))
          .get(30, TimeUnit.SECONDS));
    }
    if (!hellos.await(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException(hellos.getCount() + " sockets got no hello");
    }
    System.err.println("[bench] " + clients + " sockets open; warming up");
    phase(1, warmup, (i, body) -> sendOverHttp(i, body, conversations, tokens));
    ownCopies.set(0);
    System.err.println("[bench] measuring " + messages + " messages through the service");
    CpuTimes before = CpuTimes.now(service);
    Recorder measured = phase(2, messages, (i, body) -> sendOverHttp(i, body, conversations, tokens));
    Map<String, Object> summary = measured.summary(ownCopies.get());
    summary.put("cpu", CpuTimes.now(service).since(before));
    summary.put("metrics", serviceMetrics());
    for (WebSocket socket : sockets) {
      socket.abort();
    }
    return summary;
  }

  private void sendOverHttp(int i, String body, String[] conversations, String[] tokens) {
    int conversation = i % conversations.length;
    int sender = sender(i, conversations.length);
    HttpResponse<String> sent = post("/api/v1/conversations/" + conversations[conversation] + "/messages",
        tokens[sender], "{\"clientMessageId\":\"" + UUID.randomUUID() + "\",\"body\":\"" + body + "\"}");
    if (sent.statusCode() != 201) {
      throw new IllegalStateException("send refused: " + sent.statusCode() + " " + sent.body());
    }
  }

  /** Alternates the direction per round over the conversations: 2c sends, then 2c+1. */
  private static int sender(int i, int conversationCount) {
    return 2 * (i % conversationCount) + (i / conversationCount) % 2;
  }

  private WebSocket.Listener listener(int user, CountDownLatch hellos) {
    return new WebSocket.Listener() {
      private final StringBuilder parts = new StringBuilder();

      @Override
      public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
        parts.append(data);
        if (last) {
          String frame = parts.toString();
          parts.setLength(0);
          if (frame.startsWith("{\"type\":\"hello\"")) {
            hellos.countDown();
          } else {
            String body = field(frame, "\"body\":\"");
            if (body != null) {
              deliver(body, user);
            }
          }
        }
        socket.request(1);
        return null;
      }
    };
  }

  private void deliver(String body, int receiver) {
    Recorder recorder = current;
    if (recorder != null) {
      if (body.split(":").length == 4 && Integer.parseInt(body.split(":")[2]) == receiver) {
        ownCopies.incrementAndGet();
      }
      recorder.received(body, receiver);
    }
  }

  private static String field(String frame, String prefix) {
    int start = frame.indexOf(prefix);
    if (start < 0) {
      return null;
    }
    start += prefix.length();
    return frame.substring(start, frame.indexOf('"', start));
  }

  private Map<String, Object> serviceMetrics() throws Exception {
    String text = http.send(HttpRequest.newBuilder(uri("/actuator/prometheus")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    Map<String, Object> metrics = new LinkedHashMap<>();
    for (String line : text.lines().toList()) {
      if (line.startsWith("messagecenter_messages_sent_total") || line.startsWith("messagecenter_messages_delivered_total")
          || line.startsWith("messagecenter_push_publish_failures_total") || line.startsWith("messagecenter_sockets_open")) {
        metrics.put(line.substring(0, line.indexOf('{') < 0 ? line.indexOf(' ') : line.indexOf('{')),
            Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
      }
    }
    return metrics;
  }

  // --- the floor: Redis pub/sub alone

  private Map<String, Object> redisRun() throws Exception {
    RedisClient redis = RedisClient.create(RedisURI.create("127.0.0.1", Integer.parseInt(args.get("redis-port"))));
    try {
      List<StatefulRedisPubSubConnection<String, String>> subscribers = new ArrayList<>();
      for (int u = 0; u < clients; u++) {
        StatefulRedisPubSubConnection<String, String> connection = redis.connectPubSub();
        int user = u;
        connection.addListener(new RedisPubSubAdapter<>() {
          @Override
          public void message(String channel, String message) {
            String body = field(message, "\"body\":\"");
            if (body != null) {
              deliver(body, user);
            }
          }
        });
        connection.sync().subscribe(channel(u));
        subscribers.add(connection);
      }
      StatefulRedisConnection<String, String> publisher = redis.connect();
      int conversations = clients / 2;
      System.err.println("[bench] " + clients + " Redis subscribers; warming up");
      PhaseSend publish = (i, body) -> {
        int sender = sender(i, conversations);
        int recipient = sender % 2 == 0 ? sender + 1 : sender - 1;
        publisher.sync().publish(channel(recipient), payload(i, sender, recipient, body));
      };
      phase(3, warmup, publish);
      System.err.println("[bench] measuring " + messages + " messages through Redis alone");
      CpuTimes before = CpuTimes.now(null);
      Map<String, Object> summary = phase(4, messages, publish).summary(-1);
      summary.put("cpu", CpuTimes.now(null).since(before));
      summary.put("subscribers", clients);
      summary.put("payloadBytes", payload(0, 0, 1, Recorder.body(4, 0, 0)).getBytes(StandardCharsets.UTF_8).length);
      subscribers.forEach(StatefulRedisPubSubConnection::close);
      publisher.close();
      return summary;
    } finally {
      redis.shutdown();
    }
  }

  private static String channel(int user) {
    return "bench:user:" + user;
  }

  /** The shape and size of what a replica publishes for a 1:1 message (PushEvent with the message). */
  private static String payload(int i, int sender, int recipient, String body) {
    UUID id = UUID.randomUUID();
    return "{\"kind\":\"message\",\"refId\":\"" + id + "\",\"entries\":[{\"userId\":\"" + user(sender)
        + "\",\"seq\":" + (i + 1) + "},{\"userId\":\"" + user(recipient) + "\",\"seq\":" + (i + 1) + "}],"
        + "\"data\":{\"id\":\"" + id + "\",\"conversationId\":\"" + UUID.randomUUID() + "\",\"seq\":" + (i + 1)
        + ",\"senderId\":\"" + user(sender) + "\",\"clientMessageId\":\"" + UUID.randomUUID() + "\",\"body\":\""
        + body + "\",\"createdAt\":\"" + OffsetDateTime.now() + "\"},\"publishedAtMillis\":"
        + System.currentTimeMillis() + "}";
  }

  // --- phases

  @FunctionalInterface
  private interface PhaseSend {
    void send(int message, String body) throws Exception;
  }

  /** Sends {@code count} messages from {@code senders} concurrent loops, then waits until all arrived. */
  private Recorder phase(int phase, int count, PhaseSend send) throws Exception {
    Recorder recorder = new Recorder(phase, count);
    current = recorder;
    AtomicInteger next = new AtomicInteger();
    long deadline = System.nanoTime() + PHASE_LIMIT.toNanos();
    recorder.started();
    try (ExecutorService loops = Executors.newVirtualThreadPerTaskExecutor()) {
      List<CompletableFuture<Void>> running = new ArrayList<>();
      for (int s = 0; s < senders; s++) {
        running.add(CompletableFuture.runAsync(() -> {
          for (int i = next.getAndIncrement(); i < count && System.nanoTime() < deadline; i = next.getAndIncrement()) {
            try {
              int conversations = clients / 2;
              send.send(i, Recorder.body(phase, i, sender(i, conversations)));
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          }
        }, loops));
      }
      CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).join();
    }
    while (recorder.delivered() < count && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    Thread.sleep(500); // let duplicates, if any, show up before the next phase
    current = null;
    return recorder;
  }

  // --- tokens and HTTP

  private HttpServer jwks() throws IOException {
    RSAPublicKey pub = (RSAPublicKey) key.getPublic();
    String body = "{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"bench\",\"alg\":\"RS256\",\"use\":\"sig\",\"n\":\""
        + b64(unsigned(pub.getModulus())) + "\",\"e\":\"" + b64(unsigned(pub.getPublicExponent())) + "\"}]}";
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/jwks", exchange -> {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    });
    server.start();
    return server;
  }

  private String token(String subject) throws Exception {
    long now = Instant.now().getEpochSecond();
    String header = b64("{\"alg\":\"RS256\",\"kid\":\"bench\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
    String claims = b64(("{\"iss\":\"" + ISSUER + "\",\"sub\":\"" + subject + "\",\"iat\":" + now + ",\"exp\":"
        + (now + 7200) + ",\"principal_type\":\"user\",\"departments\":[]}").getBytes(StandardCharsets.UTF_8));
    Signature signer = Signature.getInstance("SHA256withRSA");
    signer.initSign(key.getPrivate());
    signer.update((header + "." + claims).getBytes(StandardCharsets.US_ASCII));
    return header + "." + claims + "." + b64(signer.sign());
  }

  private static byte[] unsigned(BigInteger value) {
    byte[] bytes = value.toByteArray();
    return bytes[0] == 0 ? java.util.Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
  }

  private static String b64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private HttpResponse<String> post(String path, String token, String json) {
    try {
      return http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
          .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  private static String user(int u) {
    return String.format("bench-u%04d", u);
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException e) {
      return "unknown";
    }
  }
}
