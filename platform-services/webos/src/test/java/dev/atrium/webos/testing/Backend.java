package dev.atrium.webos.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.json.JsonMapper;

/**
 * A small real HTTP server on loopback standing for a backend: it reads any body to the end (counting, never
 * keeping it) and answers with who it is and what it got (path, query, the forwarded headers, the body's size).
 * As identity it also answers {@code /api/me} with {@code person.admin} true for the subjects named admins.
 */
public final class Backend implements AutoCloseable {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final String name;
  private final HttpServer server;
  private final AtomicInteger requests = new AtomicInteger();
  private volatile Set<String> admins = Set.of();

  private Backend(String name, HttpServer server) {
    this.name = name;
    this.server = server;
  }

  public static Backend start(String name) {
    return start(name, "127.0.0.1", 0);
  }

  /** A backend on {@code address} (any of 127.0.0.0/8) and {@code port} (0: any free one). */
  public static Backend start(String name, String address, int port) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(address, port), 200);
      Backend backend = new Backend(name, server);
      server.createContext("/", backend::handle);
      server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
      server.start();
      return backend;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Answers {@code /api/me} as identity would for these subjects: administrators. */
  public Backend withAdmins(String... subjects) {
    admins = Set.of(subjects);
    return this;
  }

  public String name() {
    return name;
  }

  public URI origin() {
    return URI.create("http://" + server.getAddress().getAddress().getHostAddress() + ":" + port());
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** Requests received since start (or the last reset). */
  public int requests() {
    return requests.get();
  }

  public void reset() {
    requests.set(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    requests.incrementAndGet();
    long bytes = 0;
    byte[] buffer = new byte[64 * 1024];
    try (InputStream in = exchange.getRequestBody()) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        bytes += n;
      }
    }
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("backend", name);
    answer.put("method", exchange.getRequestMethod());
    answer.put("path", exchange.getRequestURI().getRawPath());
    answer.put("query", exchange.getRequestURI().getRawQuery());
    answer.put("bodyBytes", bytes);
    for (String header : new String[] {"X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto",
        "X-Forwarded-Prefix", "Authorization", "Host"}) {
      answer.put(header, exchange.getRequestHeaders().getFirst(header));
    }
    if ("/api/me".equals(exchange.getRequestURI().getPath())) {
      String subject = subject(exchange.getRequestHeaders().getFirst("Authorization"));
      answer = Map.of("person", Map.of("id", subject, "status", "ACTIVE", "admin", admins.contains(subject)));
    }
    byte[] body = JSON.writeValueAsBytes(answer);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }

  private static String subject(String authorization) {
    if (authorization == null || !authorization.startsWith("Bearer ")) {
      return "";
    }
    String[] parts = authorization.substring(7).split("\\.");
    String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
    return JSON.readTree(payload).path("sub").asString();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
