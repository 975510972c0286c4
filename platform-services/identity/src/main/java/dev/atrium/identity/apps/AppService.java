package dev.atrium.identity.apps;

import dev.atrium.identity.audit.AuditLog;
import dev.atrium.identity.directory.DirectoryStore;
import dev.atrium.service.web.ApiException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Registers apps as OAuth clients and decides who may use them. */
@Service
public class AppService {

  /** What an app does with identity. */
  public enum AppType {
    /** Signs people in (authorization code with PKCE, refresh tokens). */
    WEB,
    /** Calls APIs as itself (client credentials). */
    SERVICE,
    /** Both. */
    WEB_AND_SERVICE
  }

  /** The built-in public client of command-line tools. */
  public static final String CLI = "atrium-cli";
  /** Its redirect URI; the port may be any (RFC 8252 7.3: a native app listens where it can). */
  public static final String CLI_REDIRECT_URI = "http://127.0.0.1/callback";

  private final RegisteredClientRepository clients;
  private final AppStore store;
  private final DirectoryStore directory;
  private final AuditLog audit;
  private final TokenLifetimes lifetimes;
  private final ClientSecrets secrets = new ClientSecrets();

  AppService(RegisteredClientRepository clients, AppStore store, DirectoryStore directory, AuditLog audit,
      TokenLifetimes lifetimes) {
    this.clients = clients;
    this.store = store;
    this.directory = directory;
    this.audit = audit;
    this.lifetimes = lifetimes;
  }

  /** Token lifetimes every client gets. */
  public record TokenLifetimes(Duration accessToken, Duration refreshToken, Duration authorizationCode) {
  }

  /** A registered app and, only right after registering, its client secret. */
  public record Registered(App app, String clientSecret) {
  }

  public List<App> apps() {
    return store.apps();
  }

  public App app(String clientId) {
    return store.app(clientId).orElseThrow(() -> ApiException.notFound("app", clientId));
  }

  /** Registers a tenant app; its secret is returned once and stored only as a hash. */
  @Transactional
  public Registered register(String actor, String clientId, String name, AppType type, List<String> redirectUris,
      List<String> postLogoutRedirectUris, boolean restricted) {
    if (store.app(clientId).isPresent() || clients.findByClientId(clientId) != null) {
      throw ApiException.conflict("app-exists", "An app with client id '" + clientId + "' exists already.");
    }
    checkUris(type, redirectUris, postLogoutRedirectUris);
    String secret = ClientSecrets.generate();
    clients.save(client(UUID.randomUUID().toString(), clientId, name, secrets.encode(secret), type, redirectUris,
        postLogoutRedirectUris));
    store.upsert(clientId, name, App.ManagedBy.TENANT, restricted);
    audit.record(actor, "app.register", clientId, AuditLog.Outcome.SUCCESS, Map.of("type", type.name(),
        "restricted", restricted));
    return new Registered(store.app(clientId).orElseThrow(), secret);
  }

  /**
   * Brings a tenant app's OAuth client in line with what it is now (its name, type and redirect URIs: the webos app
   * market does this when another version of the app goes live); its id, secret, grants and tokens stay. The
   * platform's own clients follow the operator's settings and are not changed here (409).
   */
  @Transactional
  public App update(String actor, String clientId, String name, AppType type, List<String> redirectUris,
      List<String> postLogoutRedirectUris) {
    App app = app(clientId);
    RegisteredClient existing = clients.findByClientId(clientId);
    if (app.managedBy() != App.ManagedBy.TENANT || existing == null) {
      throw ApiException.conflict("platform-app", "App '" + clientId + "' is one of the platform's own: its client"
          + " follows the operator's settings.");
    }
    checkUris(type, redirectUris, postLogoutRedirectUris);
    clients.save(client(existing.getId(), clientId, name, existing.getClientSecret(), type, redirectUris,
        postLogoutRedirectUris));
    store.upsert(clientId, name, App.ManagedBy.TENANT, app.restricted());
    audit.record(actor, "app.update", clientId, AuditLog.Outcome.SUCCESS, Map.of("type", type.name(),
        "redirectUris", redirectUris.size()));
    return app(clientId);
  }

  /**
   * Suspends a tenant app (no tokens for anyone, nor for the app itself) or resumes it; its client, secret and
   * grants stay. The platform's own apps cannot be suspended (409): people would lose the platform itself.
   */
  @Transactional
  public App suspend(String actor, String clientId, boolean suspended) {
    App app = app(clientId);
    if (app.managedBy() != App.ManagedBy.TENANT) {
      throw ApiException.conflict("platform-app", "App '" + clientId + "' is one of the platform's own: it cannot be"
          + " suspended.");
    }
    if (app.suspended() != suspended) {
      store.suspend(clientId, suspended);
      audit.record(actor, suspended ? "app.suspend" : "app.resume", clientId, AuditLog.Outcome.SUCCESS, Map.of());
    }
    return app(clientId);
  }

  private static void checkUris(AppType type, List<String> redirectUris, List<String> postLogoutRedirectUris) {
    if (type != AppType.SERVICE && redirectUris.isEmpty()) {
      throw ApiException.badRequest("redirect-uri-required", "An app that signs people in needs at least one"
          + " redirect URI (redirectUris).");
    }
    redirectUris.forEach(AppService::checkRedirectUri);
    postLogoutRedirectUris.forEach(AppService::checkRedirectUri);
  }

  /**
   * Makes the platform's own client match the spec: created when missing, its secret, grant types and URIs set
   * again at every start (the operator's Secret is the truth), open to every active person.
   */
  @Transactional
  public void keepPlatformClient(String clientId, String name, String secret, AppType type, List<String> redirectUris,
      List<String> postLogoutRedirectUris) {
    RegisteredClient existing = clients.findByClientId(clientId);
    String id = existing == null ? UUID.randomUUID().toString() : existing.getId();
    clients.save(client(id, clientId, name, secrets.encode(secret), type, redirectUris, postLogoutRedirectUris));
    store.upsert(clientId, name, App.ManagedBy.PLATFORM, false);
  }

  /**
   * Keeps the built-in public client {@link #CLI} in line: a native app's client (RFC 8252) without a secret,
   * PKCE required, redirected to the loopback interface on any port, open to every active person. Command-line
   * tools sign people in with it (and so does the real-node e2e).
   */
  @Transactional
  public void keepCliClient() {
    RegisteredClient existing = clients.findByClientId(CLI);
    RegisteredClient.Builder builder = RegisteredClient.withId(existing == null ? UUID.randomUUID().toString()
            : existing.getId())
        .clientId(CLI).clientName("Atrium command line")
        .clientAuthenticationMethod(ClientAuthenticationMethod.NONE)
        .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
        .redirectUri(CLI_REDIRECT_URI)
        .scope(OidcScopes.OPENID).scope(OidcScopes.PROFILE)
        .clientSettings(ClientSettings.builder().requireProofKey(true).requireAuthorizationConsent(false).build())
        .tokenSettings(TokenSettings.builder().accessTokenTimeToLive(lifetimes.accessToken())
            .authorizationCodeTimeToLive(lifetimes.authorizationCode()).build());
    clients.save(builder.build());
    store.upsert(CLI, "Atrium command line", App.ManagedBy.PLATFORM, false);
  }

  public List<Grant> grants(String clientId) {
    app(clientId);
    return store.grants(clientId);
  }

  /**
   * Replaces who may use the app, as one decision: every named person and department must exist, or nothing
   * changes.
   */
  @Transactional
  public List<Grant> replaceGrants(String actor, String clientId, List<String> people, List<String> departments) {
    App app = app(clientId);
    List<String> unknown = new ArrayList<>();
    people.stream().filter(id -> !directory.personExists(id)).map(id -> "person " + id).forEach(unknown::add);
    departments.stream().filter(id -> directory.department(id).isEmpty()).map(id -> "department " + id)
        .forEach(unknown::add);
    if (!unknown.isEmpty()) {
      throw new ApiException(HttpStatus.BAD_REQUEST, "unknown-grantee", "Unknown people or departments",
          "Nothing was changed: these do not exist in the directory: " + String.join(", ", unknown) + ".");
    }
    List<Grant> grants = new ArrayList<>();
    people.stream().distinct().map(id -> new Grant(Grant.Kind.PERSON, id)).forEach(grants::add);
    departments.stream().distinct().map(id -> new Grant(Grant.Kind.DEPARTMENT, id)).forEach(grants::add);
    List<Grant> before = store.grants(clientId);
    store.replaceGrants(app.clientId(), grants, actor);
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("before", before.size());
    detail.put("after", grants.size());
    detail.put("people", people.stream().distinct().sorted().toList());
    detail.put("departments", departments.stream().distinct().sorted().toList());
    audit.record(actor, "app.grants.replace", clientId, AuditLog.Outcome.SUCCESS, detail);
    return store.grants(clientId);
  }

  public List<App> usableBy(String personId, List<String> departmentsWithAncestors) {
    return store.usableBy(personId, departmentsWithAncestors);
  }

  private RegisteredClient client(String id, String clientId, String name, String encodedSecret, AppType type,
      List<String> redirectUris, List<String> postLogoutRedirectUris) {
    RegisteredClient.Builder builder = RegisteredClient.withId(id).clientId(clientId).clientName(name)
        .clientSecret(encodedSecret)
        .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
        .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST)
        .clientSettings(ClientSettings.builder().requireProofKey(type != AppType.SERVICE)
            .requireAuthorizationConsent(false).build())
        .tokenSettings(TokenSettings.builder().accessTokenTimeToLive(lifetimes.accessToken())
            .refreshTokenTimeToLive(lifetimes.refreshToken())
            .authorizationCodeTimeToLive(lifetimes.authorizationCode()).reuseRefreshTokens(false).build());
    if (type != AppType.SERVICE) {
      builder.authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
          .authorizationGrantType(AuthorizationGrantType.REFRESH_TOKEN)
          .scope(OidcScopes.OPENID).scope(OidcScopes.PROFILE).scope(OidcScopes.EMAIL);
      redirectUris.forEach(builder::redirectUri);
      postLogoutRedirectUris.forEach(builder::postLogoutRedirectUri);
    }
    if (type != AppType.WEB) {
      builder.authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS).scope("api");
    }
    return builder.build();
  }

  static void checkRedirectUri(String value) {
    try {
      URI uri = new URI(value);
      boolean ok = uri.isAbsolute() && ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))
          && uri.getHost() != null && uri.getFragment() == null && !value.contains("*");
      if (!ok) {
        throw new URISyntaxException(value, "not an absolute http(s) URI without fragment or wildcard");
      }
    } catch (URISyntaxException e) {
      throw ApiException.badRequest("invalid-redirect-uri", "Redirect URI '" + value + "' is not usable: it must be"
          + " an absolute http or https URI with a host, no fragment and no wildcard.");
    }
  }
}
