package dev.atrium.identity.bench;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One browser with an empty cookie jar and no open connection, signing one person in to an app by the
 * authorization code flow with PKCE, as a browser without JavaScript does: GET the authorization endpoint (sent
 * to the login page), GET the login page, POST the form with its CSRF token (sent back to the authorization
 * endpoint), GET it again (sent to the app's redirect URI with the code), and the app's back end exchanging the
 * code at the token endpoint. Each step is timed. The stylesheet the page links is not fetched (a browser has it
 * cached after its first visit).
 */
final class Browser implements AutoCloseable {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String ACCEPT_HTML = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

  /** Latencies of the whole login and of each of its five requests. */
  record Steps(Latencies total, Latencies authorize, Latencies loginPage, Latencies postLogin, Latencies callback,
      Latencies token) {
    static Steps of(int capacity) {
      return new Steps(new Latencies(capacity), new Latencies(capacity), new Latencies(capacity),
          new Latencies(capacity), new Latencies(capacity), new Latencies(capacity));
    }

    Map<String, Object> summary() {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("login", total.summary());
      out.put("getAuthorize", authorize.summary());
      out.put("getLoginPage", loginPage.summary());
      out.put("postLogin", postLogin.summary());
      out.put("getAuthorizeWithSession", callback.summary());
      out.put("postToken", token.summary());
      return out;
    }
  }

  private final HttpClient http;

  Browser(SSLContext ssl) {
    HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .cookieHandler(new CookieManager()).followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(Duration.ofSeconds(5));
    if (ssl != null) {
      builder.sslContext(ssl);
    }
    this.http = builder.build();
  }

  /**
   * Signs {@code username} in to {@code clientId} at {@code base}; returns the token response (with access and ID
   * token) or throws. {@code steps} may be null (not recorded).
   */
  JsonNode signIn(URI base, String clientId, String clientSecret, String redirectUri, String username,
      String password, Steps steps) throws IOException, InterruptedException {
    String verifier = random() + random();
    String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(verifier));
    String state = random();
    Map<String, String> params = new LinkedHashMap<>();
    params.put("response_type", "code");
    params.put("client_id", clientId);
    params.put("redirect_uri", redirectUri);
    params.put("scope", "openid profile");
    params.put("state", state);
    params.put("code_challenge", challenge);
    params.put("code_challenge_method", "S256");
    long start = System.nanoTime();

    long t = System.nanoTime();
    URI authorize = base.resolve("/oauth2/authorize?" + form(params));
    HttpResponse<String> first = get(authorize);
    URI loginPage = redirect(authorize, first, "/login");
    record(steps == null ? null : steps.authorize, t);

    t = System.nanoTime();
    HttpResponse<String> page = get(loginPage);
    if (page.statusCode() != 200) {
      throw new IllegalStateException("login page answered " + page.statusCode());
    }
    Matcher csrf = CSRF.matcher(page.body());
    if (!csrf.find()) {
      throw new IllegalStateException("the login page has no CSRF token");
    }
    record(steps == null ? null : steps.loginPage, t);

    t = System.nanoTime();
    URI loginAction = loginPage.resolve("/login");
    HttpResponse<String> posted = send(HttpRequest.newBuilder(loginAction)
        .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", ACCEPT_HTML)
        .POST(HttpRequest.BodyPublishers.ofString(form(Map.of("username", username, "password", password,
            "_csrf", csrf.group(1))))));
    URI back = redirect(loginAction, posted, "/oauth2/authorize");
    record(steps == null ? null : steps.postLogin, t);

    t = System.nanoTime();
    HttpResponse<String> callback = get(back);
    URI app = redirect(back, callback, null);
    Map<String, String> query = query(app);
    if (!app.toString().startsWith(redirectUri) || query.get("code") == null || !state.equals(query.get("state"))) {
      throw new IllegalStateException("not sent back to the app with a code: " + strip(app));
    }
    record(steps == null ? null : steps.callback, t);

    t = System.nanoTime();
    HttpResponse<String> token = send(HttpRequest.newBuilder(base.resolve("/oauth2/token"))
        .header("Authorization", basic(clientId, clientSecret))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form(Map.of("grant_type", "authorization_code", "code",
            query.get("code"), "redirect_uri", redirectUri, "code_verifier", verifier)))));
    JsonNode tokens = JSON.readTree(token.body());
    if (token.statusCode() != 200 || tokens.path("access_token").asString("").isEmpty()
        || tokens.path("id_token").asString("").isEmpty()) {
      throw new IllegalStateException("token endpoint answered " + token.statusCode() + " "
          + tokens.path("error").asString(""));
    }
    record(steps == null ? null : steps.token, t);
    record(steps == null ? null : steps.total, start);
    return tokens;
  }

  private HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(uri).header("Accept", ACCEPT_HTML).GET());
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
    return http.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The redirect's target, which must be on {@code expectedPath} when given. */
  private static URI redirect(URI from, HttpResponse<String> response, String expectedPath) {
    String location = response.headers().firstValue("Location").orElse(null);
    if (response.statusCode() / 100 != 3 || location == null) {
      throw new IllegalStateException(strip(from) + " answered " + response.statusCode() + " without a redirect");
    }
    URI target = from.resolve(location);
    if (expectedPath != null && !expectedPath.equals(target.getPath())) {
      throw new IllegalStateException(strip(from) + " sent the browser to " + strip(target) + ", not "
          + expectedPath + (target.getQuery() == null ? "" : " (" + target.getQuery() + ")"));
    }
    return target;
  }

  private static void record(Latencies latencies, long startNanos) {
    if (latencies != null) {
      latencies.add(System.nanoTime() - startNanos);
    }
  }

  static String basic(String id, String secret) {
    return "Basic " + Base64.getEncoder().encodeToString((enc(id) + ":" + enc(secret))
        .getBytes(StandardCharsets.UTF_8));
  }

  static String form(Map<String, String> fields) {
    return fields.entrySet().stream().map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
        .collect(Collectors.joining("&"));
  }

  private static String enc(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static Map<String, String> query(URI uri) {
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

  /** The URI without its query (which may carry a code). */
  private static String strip(URI uri) {
    return uri.getScheme() + "://" + uri.getAuthority() + uri.getPath();
  }

  private static String random() {
    byte[] bytes = new byte[24];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static byte[] sha256(String value) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.US_ASCII));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    http.close();
  }
}
