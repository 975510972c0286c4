package dev.atrium.messagecenter.testing;

import dev.atrium.servicetesting.Http;
import org.awaitility.Awaitility;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;

/** A push client as an app would write one: a WebSocket to /api/v1/stream that keeps every frame it gets. */
public final class PushClient implements AutoCloseable {

  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  private final List<JsonNode> frames = new CopyOnWriteArrayList<>();
  private final CompletableFuture<Integer> closed = new CompletableFuture<>();
  private final java.util.concurrent.atomic.AtomicInteger pings = new java.util.concurrent.atomic.AtomicInteger();
  private WebSocket socket;

  private PushClient() {
  }

  /** Connects with the token in the Authorization header, resuming after {@code after} when not null. */
  public static PushClient connect(MessageCenterInstance mc, String token, Long after) {
    PushClient client = new PushClient();
    client.socket = CLIENT.newWebSocketBuilder().header("Authorization", "Bearer " + token)
        .buildAsync(mc.wsUri("/api/v1/stream" + (after == null ? "" : "?after=" + after)), client.listener())
        .orTimeout(30, TimeUnit.SECONDS).join();
    return client;
  }

  /** The HTTP status a handshake to {@code uri} is refused with (101 when it is accepted). */
  public static int handshakeStatus(URI uri, String token) {
    var builder = CLIENT.newWebSocketBuilder();
    if (token != null) {
      builder.header("Authorization", "Bearer " + token);
    }
    try {
      builder.buildAsync(uri, new PushClient().listener()).orTimeout(30, TimeUnit.SECONDS).join()
          .sendClose(WebSocket.NORMAL_CLOSURE, "");
      return 101;
    } catch (CompletionException e) {
      if (e.getCause() instanceof WebSocketHandshakeException refused) {
        return refused.getResponse().statusCode();
      }
      throw e;
    }
  }

  public List<JsonNode> frames() {
    return List.copyOf(frames);
  }

  /** The event frames, in the order they came. */
  public List<JsonNode> events() {
    return frames.stream().filter(f -> "event".equals(f.path("type").asString())).toList();
  }

  public List<Long> seqs() {
    return events().stream().map(f -> f.path("seq").asLong()).toList();
  }

  public long lastSeq(long otherwise) {
    List<Long> seqs = seqs();
    return seqs.isEmpty() ? otherwise : seqs.getLast();
  }

  public List<String> bodies() {
    return events().stream().map(f -> f.path("data").path("body").asString()).toList();
  }

  /** Waits for a frame matching {@code condition} and returns it. */
  public JsonNode await(String what, Predicate<JsonNode> condition) {
    Awaitility.await(what).atMost(Duration.ofSeconds(30)).until(() -> frames.stream().anyMatch(condition));
    return frames.stream().filter(condition).findFirst().orElseThrow();
  }

  public void awaitEvents(int count) {
    Awaitility.await(count + " events").atMost(Duration.ofSeconds(30)).until(() -> events().size() >= count);
  }

  /** Waits until the server has pinged this socket {@code count} times. */
  public void awaitPings(int count) {
    Awaitility.await(count + " pings").atMost(Duration.ofSeconds(30)).until(() -> pings.get() >= count);
  }

  /** The close code the server sent; waits for the close. */
  public int awaitClose() {
    return closed.orTimeout(30, TimeUnit.SECONDS).join();
  }

  @Override
  public void close() {
    if (!socket.isOutputClosed()) {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> null).join();
    }
    socket.abort();
  }

  private WebSocket.Listener listener() {
    return new WebSocket.Listener() {
      private final List<CharSequence> parts = new ArrayList<>();

      @Override
      public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        parts.add(data.toString());
        if (last) {
          frames.add(Http.JSON.readTree(String.join("", parts)));
          parts.clear();
        }
        webSocket.request(1);
        return null;
      }

      @Override
      public CompletionStage<?> onPing(WebSocket webSocket, java.nio.ByteBuffer message) {
        pings.incrementAndGet(); // the client answers with a pong by itself
        webSocket.request(1);
        return null;
      }

      @Override
      public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(statusCode);
        return null;
      }

      @Override
      public void onError(WebSocket webSocket, Throwable error) {
        closed.complete(-1);
      }
    };
  }
}
