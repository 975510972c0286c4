package dev.atrium.servicetesting;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A browser-like client for the authorization code flow with PKCE: it keeps cookies, follows identity's
 * redirects by hand, fills the login form (with its CSRF token) and stops when sent to the app's redirect URI.
 * One instance is one browser: its session survives between flows. Identity's ITs and the real-node e2e use it.
 */
public class OidcBrowser {

  public static final String REDIRECT_URI = "http://app.example.test/login/oauth2/code/atrium";
  public static final String POST_LOGOUT_URI = "http://app.example.test/";
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final URI base;
  private final HttpClient http;

  /** A browser for the OpenID Connect provider at {@code base} (e.g. {@code http://10.96.0.20:8080}). */
  public OidcBrowser(URI base) {
    this.base = base;
    this.http = HttpClient.newBuilder().cookieHandler(new CookieManager()).followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(Duration.ofSeconds(5)).build();
  }

  /**
   * {@code path} under the provider's base, which may have a path of its own: behind the front door identity is
   * {@code http://<domain>/auth}.
   */
  private URI endpoint(String path) {
    String root = base.toString();
    return URI.create((root.endsWith("/") ? root.substring(0, root.length() - 1) : root) + path);
  }

  /** Where a flow ended: at the app's redirect URI (with its query), or on a page of identity's. */
  public record Outcome(URI finalUri, int status, String body, Map<String, String> query) {
    public String code() {
      return query.get("code");
    }

    public String error() {
      return query.get("error");
    }
  }

  /** Tokens from the token endpoint, or its error. */
  public record Tokens(int status, JsonNode json) {
    public String accessToken() {
      return json.path("access_token").asString(null);
    }

    public String refreshToken() {
      return json.path("refresh_token").asString(null);
    }

    public String idToken() {
      return json.path("id_token").asString(null);
    }

    public String error() {
      return json.path("error").asString(null);
    }
  }

  /** Signs in and returns the tokens (fails the test when any step does). */
  public Tokens signIn(String clientId, String clientSecret, String username, String password) {
    Pkce pkce = Pkce.create();
    Outcome outcome = authorize(clientId, REDIRECT_URI, pkce, Map.of(), username, password, null);
    if (outcome.code() == null) {
      throw new AssertionError("no code: ended at " + outcome.finalUri() + " (" + outcome.status() + ")");
    }
    return exchange(clientId, clientSecret, outcome.code(), REDIRECT_URI, pkce.verifier());
  }

  /**
   * Starts at the authorization endpoint; when identity sends the browser to the login page, posts the
   * credentials (and the code, if given); follows redirects until the app's redirect URI or a page.
   */
  public Outcome authorize(String clientId, String redirectUri, Pkce pkce, Map<String, String> extra, String username,
      String password, String code) {
    return follow(authorizationUri(clientId, redirectUri, pkce, extra), redirectUri, username, password, code);
  }

  /** The authorization request a client sends the browser to (scope openid profile, a random state). */
  public URI authorizationUri(String clientId, String redirectUri, Pkce pkce, Map<String, String> extra) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("response_type", "code");
    params.put("client_id", clientId);
    params.put("redirect_uri", redirectUri);
    params.put("scope", "openid profile");
    params.put("state", random());
    if (pkce != null) {
      params.put("code_challenge", pkce.challenge());
      params.put("code_challenge_method", "S256");
    }
    params.putAll(extra);
    return endpoint("/oauth2/authorize?" + form(params));
  }

  /**
   * Follows redirects from {@code start}, across hosts (a trusted provider's too); posts the credentials to the
   * first login page it is shown; stops when sent to {@code redirectUri} (or the post-logout URI) or on a page.
   */
  public Outcome follow(URI start, String redirectUri, String username, String password, String code) {
    URI next = start;
    boolean posted = false;
    for (int hop = 0; hop < 15; hop++) {
      HttpResponse<String> response = send(HttpRequest.newBuilder(next).GET());
      String location = response.headers().firstValue("Location").orElse(null);
      if (response.statusCode() / 100 == 3 && location != null) {
        URI target = next.resolve(location);
        if (target.toString().startsWith(redirectUri) || target.toString().startsWith(POST_LOGOUT_URI)) {
          return new Outcome(target, response.statusCode(), "", query(target));
        }
        next = target;
        continue;
      }
      if (next.getPath().equals("/login") && !posted && username != null && response.statusCode() == 200) {
        posted = true;
        next = postLogin(next, response.body(), username, password, code);
        if (next.getPath().equals("/login")) {
          HttpResponse<String> page = send(HttpRequest.newBuilder(next).GET());
          return new Outcome(next, page.statusCode(), page.body(), query(next));
        }
        continue;
      }
      return new Outcome(next, response.statusCode(), response.body(), query(next));
    }
    throw new AssertionError("too many redirects, last " + next);
  }

  /** Posts the login form of the page at {@code page}; returns where its server sends the browser next. */
  public URI postLogin(URI page, String loginPage, String username, String password, String code) {
    Matcher csrf = CSRF.matcher(loginPage);
    if (!csrf.find()) {
      throw new AssertionError("the login page has no CSRF token:\n" + loginPage);
    }
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("username", username);
    fields.put("password", password);
    if (code != null) {
      fields.put("code", code);
    }
    fields.put("_csrf", csrf.group(1));
    URI action = page.resolve("/login");
    HttpResponse<String> response = send(HttpRequest.newBuilder(action)
        .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(
            form(fields))));
    return action.resolve(response.headers().firstValue("Location")
        .orElseThrow(() -> new AssertionError("login POST answered " + response.statusCode())));
  }

  public HttpResponse<String> get(URI uri) {
    return send(HttpRequest.newBuilder(uri).GET());
  }

  public Tokens exchange(String clientId, String clientSecret, String code, String redirectUri, String verifier) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("grant_type", "authorization_code");
    fields.put("code", code);
    fields.put("redirect_uri", redirectUri);
    if (verifier != null) {
      fields.put("code_verifier", verifier);
    }
    return token(clientId, clientSecret, fields);
  }

  /** The code exchange of a public client: no secret, the client id in the form. */
  public Tokens publicExchange(String clientId, String code, String redirectUri, String verifier) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("grant_type", "authorization_code");
    fields.put("client_id", clientId);
    fields.put("code", code);
    fields.put("redirect_uri", redirectUri);
    fields.put("code_verifier", verifier);
    HttpResponse<String> response = send(HttpRequest.newBuilder(endpoint("/oauth2/token"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form(fields))));
    return new Tokens(response.statusCode(), JSON.readTree(response.body().isBlank() ? "{}" : response.body()));
  }

  public Tokens refresh(String clientId, String clientSecret, String refreshToken) {
    return token(clientId, clientSecret, Map.of("grant_type", "refresh_token", "refresh_token", refreshToken));
  }

  public Tokens clientCredentials(String clientId, String clientSecret) {
    return token(clientId, clientSecret, Map.of("grant_type", "client_credentials"));
  }

  public Tokens token(String clientId, String clientSecret, Map<String, String> fields) {
    return post("/oauth2/token", clientId, clientSecret, fields);
  }

  /** A form POST to identity with HTTP Basic client authentication; the JSON answer. */
  public Tokens post(String path, String clientId, String clientSecret, Map<String, String> fields) {
    String basic = Base64.getEncoder().encodeToString((enc(clientId) + ":" + enc(clientSecret))
        .getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> response = send(HttpRequest.newBuilder(endpoint(path))
        .header("Authorization", "Basic " + basic)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form(fields))));
    String body = response.body().isBlank() ? "{}" : response.body();
    return new Tokens(response.statusCode(), JSON.readTree(body));
  }

  private HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A PKCE verifier and its S256 challenge. */
  public record Pkce(String verifier, String challenge) {
    public static Pkce create() {
      String verifier = random() + random();
      try {
        byte[] hash = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
        return new Pkce(verifier, Base64.getUrlEncoder().withoutPadding().encodeToString(hash));
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  static Map<String, String> query(URI uri) {
    Map<String, String> query = new LinkedHashMap<>();
    if (uri.getRawQuery() != null) {
      for (String pair : uri.getRawQuery().split("&")) {
        int eq = pair.indexOf('=');
        query.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
            eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return query;
  }

  public static String form(Map<String, String> fields) {
    return fields.entrySet().stream().map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
        .collect(Collectors.joining("&"));
  }

  private static String enc(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  static String random() {
    byte[] bytes = new byte[24];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
