package dev.atrium.webos.market;

import dev.atrium.service.web.ApiException;
import dev.atrium.webos.gateway.PlatformRoute;
import dev.atrium.webos.gateway.PlatformRoutes;
import dev.atrium.webos.gateway.Upstream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Identity's API for apps and grants (README of platform-services/identity), called on the caller's own bearer token,
 * so identity decides what they may do: {@code /api/admin/apps} (an app's OAuth client; the client secret identity
 * shows once is handed on, never kept or logged here), {@code /api/admin/apps/{id}/grants}, {@code /api/admin/people}
 * and {@code /api/me/apps}. Identity's in-cluster address is {@code ATRIUM_GATEWAY_ROUTES_IDENTITY}. Identity's
 * refusals (4xx) reach the caller as problems with identity's status and detail; its failures as 502/503.
 */
@Component
class IdentityApps {

  private final JsonMapper json;
  private final URI identity;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();

  IdentityApps(JsonMapper json, PlatformRoutes routes) {
    this.json = json;
    this.identity = routes.upstream(PlatformRoute.IDENTITY).map(Upstream::serviceUrl).orElse(null);
  }

  /** An app's OAuth client as identity shows it, if it has one by that id. */
  Optional<JsonNode> app(String token, String clientId) {
    Answer answer = send(token, "GET", "/api/admin/apps/" + clientId, null);
    if (answer.status() == 404) {
      return Optional.empty();
    }
    return Optional.of(answer.expect(200));
  }

  /** Registers the app's OAuth client (restricted to the people and departments granted); its secret, once. */
  String register(String token, String clientId, String name, ClientType type, List<String> redirectUris) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("clientId", clientId);
    body.put("name", name);
    body.put("type", type.name());
    body.put("redirectUris", redirectUris);
    body.put("restricted", true);
    return send(token, "POST", "/api/admin/apps", body).expect(201).path("clientSecret").asString();
  }

  /** Brings the app's OAuth client in line: its name, type and redirect URIs (its secret and grants stay). */
  void update(String token, String clientId, String name, ClientType type, List<String> redirectUris) {
    send(token, "PUT", "/api/admin/apps/" + clientId, Map.of("name", name, "type", type.name(), "redirectUris",
        redirectUris)).expect(200);
  }

  /** Suspends the app's client (no tokens for anyone, nor for the app) or resumes it; client and grants stay. */
  void suspend(String token, String clientId, boolean suspended) {
    send(token, "PUT", "/api/admin/apps/" + clientId + "/suspended", Map.of("suspended", suspended)).expect(200);
  }

  List<Grantee> grants(String token, String clientId) {
    List<Grantee> grants = new ArrayList<>();
    send(token, "GET", "/api/admin/apps/" + clientId + "/grants", null).expect(200).forEach(grant -> grants.add(
        new Grantee(Grantee.Kind.valueOf(grant.path("kind").asString()), grant.path("id").asString())));
    return grants;
  }

  /** Replaces who may use the app, as identity does it: in one decision, or nothing when a grantee is unknown. */
  List<Grantee> replaceGrants(String token, String clientId, List<Grantee> grants) {
    Map<String, Object> body = Map.of(
        "people", grants.stream().filter(g -> g.kind() == Grantee.Kind.PERSON).map(Grantee::id).toList(),
        "departments", grants.stream().filter(g -> g.kind() == Grantee.Kind.DEPARTMENT).map(Grantee::id).toList());
    send(token, "PUT", "/api/admin/apps/" + clientId + "/grants", body).expect(200);
    return grants(token, clientId);
  }

  /** The client ids of the apps identity says the token's person may use. */
  Set<String> usableApps(String token) {
    Set<String> ids = new LinkedHashSet<>();
    send(token, "GET", "/api/me/apps", null).expect(200).forEach(app -> ids.add(app.path("clientId").asString()));
    return ids;
  }

  /** How many active administrators identity's directory has (read page by page). */
  int activeAdministrators(String token) {
    int admins = 0;
    String after = null;
    while (true) {
      String query = "/api/admin/people?limit=500" + (after == null ? ""
          : "&after=" + URLEncoder.encode(after, StandardCharsets.UTF_8));
      JsonNode page = send(token, "GET", query, null).expect(200);
      for (JsonNode person : page) {
        if (person.path("admin").asBoolean(false) && "ACTIVE".equalsIgnoreCase(person.path("status").asString())) {
          admins++;
        }
        after = person.path("id").asString();
      }
      if (page.size() < 500) {
        return admins;
      }
    }
  }

  private record Answer(int status, JsonNode body) {
    JsonNode expect(int expected) {
      if (status == expected) {
        return body;
      }
      if (status >= 400 && status < 500) {
        String detail = body.path("detail").asString(body.path("error").asString("status " + status));
        throw new ApiException(HttpStatus.valueOf(status), "identity-refused", "Identity refused",
            "Identity refused this: " + detail);
      }
      throw failed();
    }
  }

  private Answer send(String token, String method, String path, Object body) {
    if (identity == null) {
      throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "identity-unavailable", "Identity unavailable",
          "Apps and grants are identity's, and no identity is configured (ATRIUM_GATEWAY_ROUTES_IDENTITY).");
    }
    try {
      HttpRequest.Builder request = HttpRequest.newBuilder(identity.resolve(path)).timeout(Duration.ofSeconds(10))
          .header("Authorization", "Bearer " + token).header("Accept", "application/json");
      if (body == null) {
        request.method(method, HttpRequest.BodyPublishers.noBody());
      } else {
        request.header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
      }
      HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      String text = response.body();
      return new Answer(response.statusCode(), text == null || text.isBlank() ? json.createObjectNode()
          : json.readTree(text));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failed();
    } catch (IOException | RuntimeException e) {
      throw failed();
    }
  }

  private static ApiException failed() {
    return (ApiException) new ApiException(HttpStatus.BAD_GATEWAY, "identity-failed", "Identity failed",
        "Identity did not answer as expected; nothing was changed. Try again shortly.")
        .withHeader("Retry-After", "5");
  }
}
