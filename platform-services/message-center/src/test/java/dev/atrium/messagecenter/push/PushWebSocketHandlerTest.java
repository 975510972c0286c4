package dev.atrium.messagecenter.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.atrium.service.security.CallerTokens;
import java.net.URI;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.socket.WebSocketSession;
import tools.jackson.databind.json.JsonMapper;

class PushWebSocketHandlerTest {

  private final UserStreams streams = mock(UserStreams.class);
  private final SessionRegistry registry = mock(SessionRegistry.class);
  private final PushWebSocketHandler handler = new PushWebSocketHandler(registry, streams, mock(Payloads.class),
      JsonMapper.builder().build(), mock(PushMetrics.class));
  private final Authentication bob = new CallerTokens("principal_type", "departments").authentication(
      Jwt.withTokenValue("t").header("alg", "none").subject("bob").claim("principal_type", "user")
          .issuedAt(Instant.now()).expiresAt(Instant.now().plusSeconds(300)).build());

  @Test
  void withoutACursorTheSocketStartsAtTheHeadItsHandshakeSawNotTheOneWhenTheReplicaOpensIt() throws Exception {
    when(streams.head("bob")).thenReturn(41L);
    Map<String, Object> attributes = new HashMap<>();
    assertThat(handler.beforeHandshake(request("ws://mc/api/v1/stream"), mock(ServerHttpResponse.class), handler,
        attributes)).isTrue();
    // alice's message commits as soon as bob's client sees the socket open, before this replica opens it
    when(streams.head("bob")).thenReturn(42L);
    when(streams.after(eq("bob"), anyLong(), anyInt())).thenReturn(List.of());

    handler.afterConnectionEstablished(socket(attributes));

    ArgumentCaptor<PushSession> session = ArgumentCaptor.forClass(PushSession.class);
    verify(registry).add(session.capture());
    assertThat(session.getValue().lastSent()).as("entry 42 is still to be sent").isEqualTo(41L);
    verify(streams).after("bob", 41L, 200);
  }

  @Test
  void aCursorIsTakenAsTheClientGaveIt() throws Exception {
    Map<String, Object> attributes = new HashMap<>();
    assertThat(handler.beforeHandshake(request("ws://mc/api/v1/stream?after=7"), mock(ServerHttpResponse.class),
        handler, attributes)).isTrue();
    when(streams.after(eq("bob"), anyLong(), anyInt())).thenReturn(List.of());

    handler.afterConnectionEstablished(socket(attributes));

    ArgumentCaptor<PushSession> session = ArgumentCaptor.forClass(PushSession.class);
    verify(registry).add(session.capture());
    assertThat(session.getValue().lastSent()).isEqualTo(7L);
  }

  private ServerHttpRequest request(String uri) {
    ServerHttpRequest request = mock(ServerHttpRequest.class);
    when(request.getPrincipal()).thenReturn(bob);
    when(request.getURI()).thenReturn(URI.create(uri));
    return request;
  }

  private WebSocketSession socket(Map<String, Object> attributes) {
    WebSocketSession socket = mock(WebSocketSession.class);
    when(socket.getPrincipal()).thenReturn(bob);
    when(socket.getAttributes()).thenReturn(attributes);
    when(socket.getId()).thenReturn("s1");
    return socket;
  }
}
