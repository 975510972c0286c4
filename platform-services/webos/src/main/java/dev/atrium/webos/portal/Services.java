package dev.atrium.webos.portal;

import dev.atrium.webos.gateway.PlatformRoute;
import dev.atrium.webos.gateway.PlatformRoutes;
import dev.atrium.webos.gateway.Upstream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The platform's services as the portal calls them: at their in-cluster addresses (the gateway's routes), on the
 * signed-in person's access token. Never throws for a service that is down or switched off: the answer says so,
 * and the page shows a notice on that panel.
 */
@Component
public class Services {

  private static final Logger LOG = LoggerFactory.getLogger(Services.class);

  /** How a call went: answered (with its status), no such service (switched off), or no answer. */
  public enum State {
    OK, OFF, DOWN
  }

  /** A service's answer; {@code body} is JSON or a missing node. */
  public record Answer(State state, int status, JsonNode body) {
    boolean ok() {
      return state == State.OK && status / 100 == 2;
    }
  }

  private final PlatformRoutes routes;
  private final JsonMapper json;
  private final Duration timeout;
  private final HttpClient http;

  public Services(PlatformRoutes routes, JsonMapper json, PortalProperties portal) {
    this.routes = routes;
    this.json = json;
    this.timeout = portal.serviceTimeout();
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(2)).build();
  }

  /** Whether the platform has this service (its route configured). */
  public boolean on(PlatformRoute route) {
    return routes.upstream(route).isPresent();
  }

  public Answer get(PlatformRoute route, String path, String token) {
    return call(route, path, token, "GET", HttpRequest.BodyPublishers.noBody(), "application/json");
  }

  /** A POST or PUT with a JSON body (or none, for {@code body} null). */
  public Answer send(PlatformRoute route, String method, String path, String token, Object body) {
    HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body));
    return call(route, path, token, method, publisher, "application/json");
  }

  /** A PUT whose body is streamed from {@code content} as it is read, never held whole. */
  public Answer stream(PlatformRoute route, String path, String token, InputStream content, long length,
      String contentType) {
    return call(route, path, token, "PUT", HttpRequest.BodyPublishers.fromPublisher(
        HttpRequest.BodyPublishers.ofInputStream(() -> content), length), contentType);
  }

  private Answer call(PlatformRoute route, String path, String token, String method,
      HttpRequest.BodyPublisher body, String contentType) {
    Optional<URI> base = routes.upstream(route).map(Upstream::serviceUrl);
    if (base.isEmpty()) {
      return new Answer(State.OFF, 0, json.missingNode());
    }
    HttpRequest.Builder request = HttpRequest.newBuilder(base.get().resolve(path))
        .header("Authorization", "Bearer " + token)
        .header("Accept", "application/json")
        .method(method, body);
    if (!"GET".equals(method)) {
      request.header("Content-Type", contentType);
    }
    if (!"PUT".equals(method) || "application/json".equals(contentType)) {
      request.timeout(timeout); // an upload takes as long as it takes
    }
    try {
      HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      JsonNode node = json.missingNode();
      if (response.body().length > 0) {
        try {
          node = json.readTree(response.body());
        } catch (RuntimeException notJson) {
          // a proxy's HTML error page: the status says enough
        }
      }
      return new Answer(State.OK, response.statusCode(), node);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Answer(State.DOWN, 0, json.missingNode());
    } catch (IOException | RuntimeException e) {
      LOG.warn("{} {} {}: {}", route, method, path.replaceAll("\\?.*", ""), e.toString());
      return new Answer(State.DOWN, 0, json.missingNode());
    }
  }
}
