package dev.atrium.messagecenter.push;

import dev.atrium.service.security.Caller;
import dev.atrium.service.security.CallerTokens;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.TextWebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;
import org.springframework.web.util.UriComponentsBuilder;
import tools.jackson.databind.json.JsonMapper;

/**
 * The push endpoint, {@code GET /api/v1/stream} upgraded to a WebSocket. The client passes the last stream
 * number it saw as {@code ?after=N} and is sent everything after it, then each new entry as it commits, each
 * once and in order, as {@code {"type":"event","seq":N,"kind":"message","data":{...}}}. Without {@code after}
 * it gets what commits after the handshake is answered. The first frame is {@code {"type":"hello","after":N}}; a
 * {@code {"type":"reconnect","after":N}} frame before a close says from where to resume; a
 * {@code {"type":"reauthenticate","after":N}} frame (close code 1008) says the token expired: get a fresh one,
 * then resume from {@code N}.
 */
@Component
public class PushWebSocketHandler extends TextWebSocketHandler implements HandshakeInterceptor {

  public static final String PATH = "/api/v1/stream";

  /**
   * The same socket where the tenant's front door routes it: webos's gateway serves the message center's API under
   * {@code /messages} but does not carry WebSockets, so the Ingress sends this path straight here.
   */
  public static final String FRONT_DOOR_PATH = "/messages" + PATH;
  private static final String AFTER = "after";
  private static final String SESSION = "pushSession";

  private final SessionRegistry registry;
  private final UserStreams streams;
  private final Payloads payloads;
  private final JsonMapper json;
  private final PushMetrics metrics;

  public PushWebSocketHandler(SessionRegistry registry, UserStreams streams, Payloads payloads, JsonMapper json,
      PushMetrics metrics) {
    this.registry = registry;
    this.streams = streams;
    this.payloads = payloads;
    this.json = json;
    this.metrics = metrics;
  }

  @Override
  public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
      Map<String, Object> attributes) {
    if (!(request.getPrincipal() instanceof CallerTokens.CallerAuthentication auth) || !auth.getPrincipal().isUser()) {
      response.setStatusCode(HttpStatus.FORBIDDEN);
      return false;
    }
    String after = UriComponentsBuilder.fromUri(request.getURI()).build().getQueryParams().getFirst(AFTER);
    if (after != null) {
      try {
        long value = Long.parseLong(after);
        if (value < 0) {
          throw new NumberFormatException();
        }
        attributes.put(AFTER, value);
      } catch (NumberFormatException e) {
        response.setStatusCode(HttpStatus.BAD_REQUEST);
        return false;
      }
    } else {
      // "from now on" is now, before the answer: the client may send, or be sent, something the moment it sees the
      // socket open, which can be before this replica runs afterConnectionEstablished (a busy node showed it)
      attributes.put(AFTER, streams.head(auth.getPrincipal().id()));
    }
    return true;
  }

  @Override
  public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
      Exception exception) {
    // nothing to do
  }

  @Override
  public void afterConnectionEstablished(WebSocketSession socket) throws Exception {
    CallerTokens.CallerAuthentication auth = (CallerTokens.CallerAuthentication) socket.getPrincipal();
    Caller caller = auth.getPrincipal();
    long from = (Long) socket.getAttributes().get(AFTER); // the client's cursor, or the head at the handshake
    PushSession session = new PushSession(socket, caller.id(), from, streams, payloads, json, metrics);
    socket.getAttributes().put(SESSION, session);
    registry.add(session); // before reading the backlog: whatever commits from now on also comes live
    if (auth.getCredentials() instanceof Jwt jwt && jwt.getExpiresAt() != null) {
      registry.expireAt(session, jwt.getExpiresAt()); // the socket lives no longer than its token
    }
    session.sendHello();
    session.catchUp();
  }

  @Override
  public void afterConnectionClosed(WebSocketSession socket, CloseStatus status) {
    if (socket.getAttributes().get(SESSION) instanceof PushSession session) {
      session.markClosed();
      registry.remove(session);
    }
  }

  @Override
  public void handleTransportError(WebSocketSession socket, Throwable exception) throws Exception {
    socket.close(CloseStatus.SERVER_ERROR);
  }
}
