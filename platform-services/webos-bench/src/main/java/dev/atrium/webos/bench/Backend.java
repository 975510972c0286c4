package dev.atrium.webos.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The backend both sides call: the JDK's HttpServer on virtual threads on loopback, answering every path with a
 * small JSON body (74 bytes), or with {@value #LARGE_BYTES} bytes of JSON for paths ending in {@code /64k};
 * and, at {@code /api/me}, the stand-in for identity's answer that the caller is an active administrator (webos asks
 * it before its admin API takes a route).
 */
final class Backend implements AutoCloseable {

  static final int LARGE_BYTES = 64 * 1024;

  private static final byte[] SMALL = "{\"id\":42,\"name\":\"bench\",\"ok\":true,\"items\":[1,2,3],\"note\":\"a small answer\"}"
      .getBytes(StandardCharsets.UTF_8);
  private static final byte[] LARGE = large();
  private static final byte[] ADMIN = "{\"person\":{\"id\":\"bench-admin\",\"admin\":true,\"status\":\"active\"}}"
      .getBytes(StandardCharsets.UTF_8);

  private final HttpServer server;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

  Backend() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
    server.setExecutor(executor);
    server.createContext("/", exchange -> answer(exchange, exchange.getRequestURI().getPath().endsWith("/64k")
        ? LARGE : SMALL));
    server.createContext("/api/me", exchange -> answer(exchange, ADMIN));
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  String origin() {
    return "http://127.0.0.1:" + port();
  }

  private static void answer(HttpExchange exchange, byte[] body) throws IOException {
    try (exchange) {
      exchange.getRequestBody().readAllBytes();
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private static byte[] large() {
    byte[] body = new byte[LARGE_BYTES];
    Arrays.fill(body, (byte) 'x');
    byte[] head = "{\"data\":\"".getBytes(StandardCharsets.UTF_8);
    System.arraycopy(head, 0, body, 0, head.length);
    body[LARGE_BYTES - 2] = '"';
    body[LARGE_BYTES - 1] = '}';
    return body;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.close();
  }
}
