package dev.atrium.webos.market;

import dev.atrium.service.security.Caller;
import dev.atrium.service.security.CallerTokens.CallerAuthentication;
import dev.atrium.service.web.ApiException;
import dev.atrium.webos.apps.AppRoute;
import dev.atrium.webos.apps.AppRouteStore;
import dev.atrium.webos.apps.AppRouteTable;
import dev.atrium.webos.security.Admins;
import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The private app market: one catalogue of Atrium's own apps and the tenant's, their versions' review, rollout
 * (live, gray release, promote, roll back, withdraw, publish again) and grants. The REST API
 * ({@code MarketController}) and the portal's pages call this. Every change is checked against the app's state
 * (409 {@code wrong-state}), audited, and made with the app's gateway route in one transaction (the route table
 * is reloaded after the commit; other replicas see it within the route-reload interval).
 *
 * <p>Changes need an {@link Admin}, which only {@link #requireAdmin} gives: the caller is one of the tenant's
 * administrators as identity says, and their bearer token goes on to identity for its clients and grants.
 */
@Service
public class Market {

  /** Where an app's icon is served (public, so an {@code <img>} shows it), with an ETag. */
  public static final String ICONS = "/webos/api/v1/market/icons/";

  private final MarketStore store;
  private final IdentityApps identity;
  private final Admins admins;
  private final AppRouteStore routes;
  private final AppRouteTable table;

  Market(MarketStore store, IdentityApps identity, Admins admins, AppRouteStore routes, AppRouteTable table) {
    this.store = store;
    this.identity = identity;
    this.admins = admins;
    this.routes = routes;
    this.table = table;
  }

  /** An administrator, as identity says, with the bearer token their calls to identity carry. */
  public record Admin(String id, String token) {
    @Override
    public String toString() {
      return "Admin[" + id + "]";
    }
  }

  /**
   * An approval's outcome: the app and version as they are now, and the OAuth client's secret when identity
   * registered the client just now (shown this once, kept nowhere; null otherwise).
   */
  public record Approval(MarketApp app, AppVersion version, String clientSecret) {
    @Override
    public String toString() {
      return "Approval[" + app.app() + " " + version.version() + "]";
    }
  }

  /** An app with all its versions, the latest submitted first. */
  public record AppDetail(MarketApp app, List<AppVersion> versions) {
  }

  /** The caller as an {@link Admin}; 403 problem unless identity says they are an administrator. */
  public Admin requireAdmin(Authentication authentication) {
    Caller caller = admins.require(authentication);
    return new Admin(caller.id(), token(authentication));
  }

  /**
   * As {@link #requireAdmin(Authentication)}, for the portal's pages: the person signed in to their session (their
   * id, the token's subject) and the session's access token, which is not the request's bearer token.
   */
  public Admin requireAdmin(String person, String token, Instant expiresAt) {
    if (!admins.isAdmin(token, expiresAt)) {
      throw ApiException.forbidden("Only the tenant's administrators may do this; identity says " + person
          + " is not one.");
    }
    return new Admin(person, token);
  }

  static String iconPath(String app) {
    return ICONS + app;
  }

  // ---- reading ----

  /** Every app, any status (administrators' view). */
  public List<MarketApp> apps() {
    return store.apps();
  }

  public AppDetail app(String app) {
    return new AppDetail(find(app), store.versions(app));
  }

  /** The versions waiting for review, the longest waiting first. */
  public List<AppVersion> reviewQueue() {
    return store.submitted();
  }

  /** The audit trail of one app (of all when {@code app} is null), the latest first, at most {@code limit}. */
  public List<AuditEntry> audit(String app, int limit) {
    return store.audit(app, Math.max(1, Math.min(limit, 1000)));
  }

  /**
   * A person's catalogue: the listed apps whose OAuth client identity says they may use ({@code /api/me/apps} on
   * their own token), Atrium's first.
   */
  public List<CatalogueEntry> catalogue(Authentication person) {
    return catalogue(identity.usableApps(token(person)));
  }

  /**
   * The catalogue of a person whose usable apps' client ids ({@code /api/me/apps}) the caller has read already: the
   * desktop reads them for its own panel.
   */
  public List<CatalogueEntry> catalogue(Set<String> usableClients) {
    return store.listed().stream().filter(app -> usableClients.contains(app.clientId())).map(CatalogueEntry::of)
        .toList();
  }

  /** The OAuth client ids of every app the market has, whatever its status (the desktop's fallback is for others). */
  public Set<String> clientIds() {
    return store.clientIds();
  }

  /** An app's icon, if it has one. */
  public Optional<Icon> icon(String app) {
    return store.icon(app).map(icon -> new Icon(icon.bytes(), icon.contentType(), icon.etag()));
  }

  /** An icon to serve: its bytes, content type and entity tag (a digest of the bytes). */
  public record Icon(byte[] bytes, String contentType, String etag) {
  }

  // ---- publishing and review ----

  /** A new private app with its first version, submitted for review. 409 {@code app-exists} if the id is taken. */
  @Transactional
  public AppDetail publish(Admin admin, String app, Submission first) {
    Validation.app(app);
    Validation.check(first, true);
    if (!store.insertApp(app, AppKind.PRIVATE, app, admin.id())) {
      throw ApiException.conflict("app-exists", "An app with the id " + app + " exists already.");
    }
    store.insertVersion(app, first, VersionState.SUBMITTED, admin.id());
    store.audit(admin.id(), "app.publish", app, first.version(), "submitted for review");
    return app(app);
  }

  /**
   * A new version of an app, submitted for review. 409 when the app is withdrawn, the version exists, or another
   * version waits for review.
   */
  @Transactional
  public AppDetail submit(Admin admin, String app, Submission next) {
    MarketApp current = lock(app);
    Validation.check(next, current.kind() == AppKind.PRIVATE);
    if (current.rollout().status() == AppStatus.WITHDRAWN) {
      throw Rollout.wrong("it is withdrawn; publish it again first");
    }
    if (store.version(app, next.version()).isPresent()) {
      throw ApiException.conflict("version-exists", "App " + app + " has a version " + next.version() + " already.");
    }
    store.submitted().stream().filter(v -> v.app().equals(app)).findFirst().ifPresent(waiting -> {
      throw Rollout.wrong("version " + waiting.version() + " waits for review; approve or reject it first");
    });
    store.insertVersion(app, next, VersionState.SUBMITTED, admin.id());
    store.audit(admin.id(), "version.submit", app, next.version(), "submitted for review");
    return app(app);
  }

  /**
   * Approves a submitted version: it goes live whole, or with {@code grayPercent} (1-99) as a gray release beside
   * the live one; the gateway's route follows. For a private app, identity registers its OAuth client if it has
   * none yet (its secret is in the answer, once), or brings it in line with the versions now out (name, type,
   * redirect URIs; its secret stays). Someone else than the submitter must approve, unless the submitter is the
   * tenant's only active administrator.
   */
  @Transactional
  public Approval approve(Admin admin, String app, String version, Integer grayPercent) {
    if (grayPercent != null && (grayPercent < 1 || grayPercent > 99)) {
      throw ApiException.badRequest("invalid-field", "grayPercent: must be 1-99 (leave it out to go live whole).");
    }
    MarketApp current = lock(app);
    AppVersion submitted = submitted(app, version);
    if (submitted.submittedBy().equals(admin.id()) && identity.activeAdministrators(admin.token()) > 1) {
      throw new ApiException(HttpStatus.FORBIDDEN, "own-submission", "Not your own submission",
          "You submitted version " + version + " of " + app + "; another administrator must approve it.");
    }
    Rollout next = current.rollout().approve(version, grayPercent);
    if (next.gray() != null) {
      AppVersion live = store.version(app, next.live()).orElseThrow();
      if ((live.backendUrl() == null) != (submitted.backendUrl() == null)) {
        throw Rollout.wrong("a gray release splits the API between two backends, and only one of " + next.live()
            + " and " + version + " has one");
      }
    }
    store.review(app, version, VersionState.APPROVED, admin.id(), null);
    if (version.equals(next.live())) {
      store.markLive(app, version);
    }
    boolean register = current.kind() == AppKind.PRIVATE
        && identity.app(admin.token(), current.clientId()).isEmpty();
    change(admin, current, next, "version.approve", version, (next.gray() == null ? "live" : "gray "
        + grayPercent + "%") + (register ? "; OAuth client registered in identity" : ""));
    // identity last: its refusal or failure rolls back everything above
    String secret = null;
    if (register) {
      secret = identity.register(admin.token(), current.clientId(), submitted.nameEn(), submitted.clientType(),
          submitted.redirectUris());
    } else {
      alignClient(admin, current, next);
    }
    return new Approval(find(app), store.version(app, version).orElseThrow(), secret);
  }

  /** Rejects a submitted version with a reason for its publisher. */
  @Transactional
  public AppVersion reject(Admin admin, String app, String version, String reason) {
    String why = Validation.reason(reason);
    lock(app);
    submitted(app, version);
    store.review(app, version, VersionState.REJECTED, admin.id(), why);
    store.audit(admin.id(), "version.reject", app, version, why);
    return store.version(app, version).orElseThrow();
  }

  // ---- rollout ----

  /** Changes the gray version's share (1-99 %). */
  @Transactional
  public MarketApp regray(Admin admin, String app, int percent) {
    if (percent < 1 || percent > 99) {
      throw ApiException.badRequest("invalid-field", "percent: must be 1-99 (promote to give it everyone).");
    }
    MarketApp current = lock(app);
    Rollout next = current.rollout().regray(percent);
    return change(admin, current, next, "version.regray", next.gray(), percent + "%");
  }

  /** The gray version goes to everyone. */
  @Transactional
  public MarketApp promote(Admin admin, String app) {
    MarketApp current = lock(app);
    Rollout next = current.rollout().promote();
    store.markLive(app, next.live());
    MarketApp changed = change(admin, current, next, "version.promote", next.live(), "live for everyone");
    alignClient(admin, current, next);
    return changed;
  }

  /**
   * Back one step: a gray release ends; without one, the live version gives way to the one live before it. The
   * version taken back is marked rolled back.
   */
  @Transactional
  public MarketApp rollBack(Admin admin, String app) {
    MarketApp current = lock(app);
    Rollout before = current.rollout();
    String previous = before.gray() != null || before.live() == null ? null
        : store.previousLive(app, before.live()).orElse(null);
    Rollout next = before.rollBack(previous);
    store.setState(app, before.rolledBackVersion(), VersionState.ROLLED_BACK);
    MarketApp changed = change(admin, current, next, "version.rollback", before.rolledBackVersion(),
        "now " + next.live());
    alignClient(admin, current, next);
    return changed;
  }

  /**
   * Out of the catalogue and off the gateway, and identity suspends its client: nobody gets a token for it, nor
   * does the app itself, so it cannot be used around the market. Versions, icon, the client and grants stay.
   */
  @Transactional
  public MarketApp withdraw(Admin admin, String app) {
    MarketApp current = lock(app);
    MarketApp changed = change(admin, current, current.rollout().withdraw(), "app.withdraw",
        current.rollout().live(), "");
    suspendClient(admin, current, true);
    return changed;
  }

  /**
   * A withdrawn app back in the catalogue and on the gateway, with the version live when it was withdrawn; identity
   * resumes its client.
   */
  @Transactional
  public MarketApp republish(Admin admin, String app) {
    MarketApp current = lock(app);
    MarketApp changed = change(admin, current, current.rollout().republish(), "app.republish",
        current.rollout().live(), "");
    suspendClient(admin, current, false);
    return changed;
  }

  /**
   * A tenant app's client in identity suspended or resumed with the app (Atrium's own apps share the platform's
   * clients, which stay); an app never approved has no client yet. Called inside the market's transaction: if
   * identity refuses, the withdrawal does not happen either.
   */
  private void suspendClient(Admin admin, MarketApp app, boolean suspended) {
    if (app.kind() == AppKind.PRIVATE && identity.app(admin.token(), app.clientId()).isPresent()) {
      identity.suspend(admin.token(), app.clientId(), suspended);
    }
  }

  /** Sets the app's icon (PNG or SVG, at most {@link Validation#MAX_ICON_BYTES}). */
  @Transactional
  public MarketApp setIcon(Admin admin, String app, String contentType, byte[] bytes) {
    String type = Validation.icon(contentType, bytes);
    lock(app);
    String etag = sha256(bytes);
    store.setIcon(app, new MarketStore.Icon(bytes, type, etag));
    store.audit(admin.id(), "app.icon", app, null, type + ", " + bytes.length + " bytes");
    return find(app);
  }

  // ---- grants (identity's) ----

  public List<Grantee> grants(Admin admin, String app) {
    return identity.grants(admin.token(), grantable(app).clientId());
  }

  /** Grants the app to a person or a department, in identity. */
  public List<Grantee> grant(Admin admin, String app, Grantee grantee) {
    MarketApp target = grantable(app);
    List<Grantee> grants = new ArrayList<>(identity.grants(admin.token(), target.clientId()));
    if (grants.contains(grantee)) {
      return grants;
    }
    grants.add(grantee);
    List<Grantee> after = identity.replaceGrants(admin.token(), target.clientId(), grants);
    store.audit(admin.id(), "app.grant", app, null, grantee.kind().name().toLowerCase() + " " + grantee.id());
    return after;
  }

  /** Withdraws a grant, in identity; 404 when there is no such grant. */
  public List<Grantee> revoke(Admin admin, String app, Grantee grantee) {
    MarketApp target = grantable(app);
    List<Grantee> grants = new ArrayList<>(identity.grants(admin.token(), target.clientId()));
    if (!grants.remove(grantee)) {
      throw ApiException.notFound("grant", grantee.kind().name().toLowerCase() + " " + grantee.id() + " of " + app);
    }
    List<Grantee> after = identity.replaceGrants(admin.token(), target.clientId(), grants);
    store.audit(admin.id(), "app.revoke", app, null, grantee.kind().name().toLowerCase() + " " + grantee.id());
    return after;
  }

  // ---- the seed ----

  /** Adds an app of Atrium's own, listed with its first version, unless it is there already (then nothing). */
  @Transactional
  public boolean seedAtriumApp(String app, String clientId, Submission first) {
    Validation.check(first, false);
    if (!store.insertApp(app, AppKind.ATRIUM, clientId, "atrium")) {
      return false;
    }
    store.insertVersion(app, first, VersionState.APPROVED, "atrium");
    store.markLive(app, first.version());
    store.setRollout(app, Rollout.unlisted().approve(first.version(), null));
    store.audit("atrium", "app.seed", app, first.version(), "Atrium's own app, listed");
    return true;
  }

  // ---- the parts ----

  private MarketApp change(Admin admin, MarketApp current, Rollout next, String action, String version,
      String detail) {
    store.setRollout(current.app(), next);
    syncRoute(current.app(), next, admin.id());
    store.audit(admin.id(), action, current.app(), version, detail);
    return find(current.app());
  }

  /**
   * A private app's OAuth client in identity brought in line with the versions the rollout puts out: the live
   * version's name, and the redirect URIs and type that serve every version out (the live and the gray one). Atrium's
   * own apps' clients are identity's to keep.
   */
  private void alignClient(Admin admin, MarketApp app, Rollout next) {
    if (app.kind() != AppKind.PRIVATE || next.status() != AppStatus.LISTED) {
      return;
    }
    List<AppVersion> out = next.weights().keySet().stream()
        .map(version -> store.version(app.app(), version).orElseThrow()).toList();
    Set<String> redirectUris = new LinkedHashSet<>();
    out.forEach(version -> redirectUris.addAll(version.redirectUris()));
    identity.update(admin.token(), app.clientId(), out.get(0).nameEn(),
        ClientType.covering(out.stream().map(AppVersion::clientType).toList()), List.copyOf(redirectUris));
  }

  /**
   * The app's route on the gateway as the rollout says: the versions with a backend and their weights (the route's
   * stickiness and rate limit, set through the routes API, kept); no route when none has a backend or the app is
   * not listed. Written in the caller's transaction; the route table is reloaded after it commits.
   */
  private void syncRoute(String app, Rollout rollout, String actor) {
    List<AppRoute.Backend> backends = new ArrayList<>();
    for (Map.Entry<String, Integer> weight : rollout.weights().entrySet()) {
      store.version(app, weight.getKey()).map(AppVersion::backendUrl).ifPresent(url -> backends.add(
          new AppRoute.Backend(weight.getKey(), URI.create(url), weight.getValue())));
    }
    Optional<AppRoute> existing = routes.find(app);
    if (backends.isEmpty()) {
      existing.ifPresent(route -> routes.delete(app));
    } else {
      routes.put(new AppRoute(app, backends, existing.map(AppRoute::sticky).orElse(false),
          existing.map(AppRoute::rateLimit).orElse(null), null, "market:" + actor));
    }
    TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
      @Override
      public void afterCommit() {
        table.reload();
      }
    });
  }

  private MarketApp find(String app) {
    return store.app(app).orElseThrow(() -> ApiException.notFound("app", app));
  }

  private MarketApp lock(String app) {
    return store.lock(Validation.app(app)).orElseThrow(() -> ApiException.notFound("app", app));
  }

  private AppVersion submitted(String app, String version) {
    AppVersion found = store.version(app, version).orElseThrow(() -> ApiException.notFound("version",
        version + " of " + app));
    if (found.state() != VersionState.SUBMITTED) {
      throw Rollout.wrong("version " + version + " of " + app + " is " + found.state().name().toLowerCase()
          + ", not waiting for review");
    }
    return found;
  }

  private MarketApp grantable(String app) {
    MarketApp target = find(app);
    if (target.kind() == AppKind.ATRIUM) {
      throw Rollout.wrong("Atrium's own apps are open to every active person; grants are for the tenant's apps");
    }
    if (target.rollout().live() == null) {
      throw Rollout.wrong("app " + app + " has no approved version yet, so identity has no client for it");
    }
    return target;
  }

  private static String token(Authentication authentication) {
    if (authentication instanceof CallerAuthentication auth && auth.getCredentials() instanceof Jwt jwt) {
      return jwt.getTokenValue();
    }
    throw ApiException.forbidden("The market needs a person's bearer token from identity.");
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
