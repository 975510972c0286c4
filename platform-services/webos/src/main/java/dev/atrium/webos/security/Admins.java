package dev.atrium.webos.security;

import dev.atrium.service.security.Caller;
import dev.atrium.service.security.CallerTokens.CallerAuthentication;
import dev.atrium.service.web.ApiException;
import dev.atrium.webos.config.WebosProperties;
import dev.atrium.webos.gateway.PlatformRoute;
import dev.atrium.webos.gateway.PlatformRoutes;
import dev.atrium.webos.gateway.Upstream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Who may change the gateway: the tenant's administrators as identity knows them. Identity does not put the
 * administrator flag in its tokens (it checks its directory on every request), so webos asks it: {@code GET
 * /api/me} with the caller's own token, whose {@code person.admin} says. The answer is kept for a short while
 * per token (never longer than the token lives); apps' tokens are never administrators.
 */
@Component
public class Admins {

  private final JsonMapper json;
  private final Duration cacheFor;
  private final URI identity;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();
  private final Map<String, Answer> answers = new ConcurrentHashMap<>();

  private record Answer(boolean admin, Instant until) {
  }

  public Admins(JsonMapper json, WebosProperties properties, PlatformRoutes routes) {
    this.json = json;
    this.cacheFor = properties.gateway().adminCheckCache();
    this.identity = routes.upstream(PlatformRoute.IDENTITY).map(Upstream::serviceUrl).orElse(null);
  }

  /** The caller, if identity says they are an administrator; otherwise a 403 problem. */
  public Caller require(Authentication authentication) {
    if (!(authentication instanceof CallerAuthentication auth) || !(auth.getCredentials() instanceof Jwt jwt)) {
      throw ApiException.forbidden("The gateway's administration is for the tenant's administrators.");
    }
    Caller caller = auth.getPrincipal().requireUser("The gateway's administration endpoints");
    if (!isAdmin(jwt.getTokenValue(), jwt.getExpiresAt())) {
      throw ApiException.forbidden("Only the tenant's administrators may do this; identity says " + caller.id()
          + " is not one.");
    }
    return caller;
  }

  /**
   * Whether the person whose access token this is (expiring at {@code expiresAt}, or null) is an administrator, as
   * identity says; the portal asks with the signed-in person's token. A 503 problem when identity does not answer.
   */
  public boolean isAdmin(String token, Instant expiresAt) {
    Instant now = Instant.now();
    answers.values().removeIf(answer -> answer.until().isBefore(now));
    String key = digest(token);
    Answer answer = answers.get(key);
    if (answer == null) {
      Instant expires = expiresAt == null ? now.plus(cacheFor) : expiresAt;
      answer = new Answer(askIdentity(token), expires.isBefore(now.plus(cacheFor)) ? expires : now.plus(cacheFor));
      answers.put(key, answer);
    }
    return answer.admin();
  }

  private boolean askIdentity(String token) {
    if (identity == null) {
      throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "identity-unavailable", "Identity unavailable",
          "Whether you are an administrator is identity's to say, and no identity is configured"
              + " (ATRIUM_GATEWAY_ROUTES_IDENTITY).");
    }
    try {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(identity.resolve("/api/me"))
          .timeout(Duration.ofSeconds(5)).header("Authorization", "Bearer " + token)
          .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() == 401 || response.statusCode() == 403 || response.statusCode() == 404) {
        return false;
      }
      if (response.statusCode() != 200) {
        throw new IllegalStateException("identity answered " + response.statusCode());
      }
      JsonNode person = json.readTree(response.body()).path("person");
      return person.path("admin").asBoolean(false) && "active".equalsIgnoreCase(person.path("status").asString("active"));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unavailable();
    } catch (java.io.IOException | RuntimeException e) {
      if (e instanceof ApiException api) {
        throw api;
      }
      throw unavailable();
    }
  }

  private static ApiException unavailable() {
    return (ApiException) new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "identity-unavailable",
        "Identity unavailable", "Identity, which says who is an administrator, did not answer. Try again shortly.")
        .withHeader("Retry-After", "5");
  }

  private static String digest(String token) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(
          java.nio.charset.StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
