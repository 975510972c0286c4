package dev.atrium.webos.market;

import dev.atrium.service.web.ApiException;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The market's REST API under {@code /webos/api/v1/market} (README.md of this module lists each endpoint): a
 * person's catalogue; for the tenant's administrators, the apps, the review queue, each transition of an app's
 * lifecycle, its icon, its grants and the audit trail. Everything is {@link Market}'s; this only maps HTTP.
 */
@RestController
@RequestMapping("/webos/api/v1/market")
class MarketController {

  private final Market market;

  MarketController(Market market) {
    this.market = market;
  }

  /** A new app: its id and its first version. */
  record Publish(String app, Submission submission) {
  }

  record Approve(Integer grayPercent) {
  }

  record Reject(String reason) {
  }

  record Gray(Integer percent) {
  }

  @GetMapping("/catalogue")
  List<CatalogueEntry> catalogue(Authentication authentication) {
    return market.catalogue(authentication);
  }

  @GetMapping("/apps")
  List<MarketApp> apps(Authentication authentication) {
    market.requireAdmin(authentication);
    return market.apps();
  }

  @PostMapping("/apps")
  @ResponseStatus(HttpStatus.CREATED)
  Market.AppDetail publish(@RequestBody Publish request, Authentication authentication) {
    Market.Admin admin = market.requireAdmin(authentication);
    if (request.submission() == null) {
      throw ApiException.badRequest("invalid-field", "submission: the app's first version is required.");
    }
    return market.publish(admin, request.app(), request.submission());
  }

  @GetMapping("/apps/{app}")
  Market.AppDetail app(@PathVariable String app, Authentication authentication) {
    market.requireAdmin(authentication);
    return market.app(app);
  }

  @PostMapping("/apps/{app}/versions")
  @ResponseStatus(HttpStatus.CREATED)
  Market.AppDetail submit(@PathVariable String app, @RequestBody Submission submission,
      Authentication authentication) {
    return market.submit(market.requireAdmin(authentication), app, submission);
  }

  @GetMapping("/reviews")
  List<AppVersion> reviews(Authentication authentication) {
    market.requireAdmin(authentication);
    return market.reviewQueue();
  }

  /** The answer may carry the client secret identity shows once: never cached. */
  @PostMapping("/apps/{app}/versions/{version}/approve")
  ResponseEntity<Market.Approval> approve(@PathVariable String app, @PathVariable String version,
      @RequestBody(required = false) Approve request, Authentication authentication) {
    Market.Approval approval = market.approve(market.requireAdmin(authentication), app, version,
        request == null ? null : request.grayPercent());
    return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(approval);
  }

  @PostMapping("/apps/{app}/versions/{version}/reject")
  AppVersion reject(@PathVariable String app, @PathVariable String version, @RequestBody Reject request,
      Authentication authentication) {
    return market.reject(market.requireAdmin(authentication), app, version, request.reason());
  }

  @PutMapping("/apps/{app}/gray")
  MarketApp regray(@PathVariable String app, @RequestBody Gray request, Authentication authentication) {
    Market.Admin admin = market.requireAdmin(authentication);
    if (request.percent() == null) {
      throw ApiException.badRequest("invalid-field", "percent: required, 1-99.");
    }
    return market.regray(admin, app, request.percent());
  }

  @PostMapping("/apps/{app}/promote")
  MarketApp promote(@PathVariable String app, Authentication authentication) {
    return market.promote(market.requireAdmin(authentication), app);
  }

  @PostMapping("/apps/{app}/rollback")
  MarketApp rollBack(@PathVariable String app, Authentication authentication) {
    return market.rollBack(market.requireAdmin(authentication), app);
  }

  @PostMapping("/apps/{app}/withdraw")
  MarketApp withdraw(@PathVariable String app, Authentication authentication) {
    return market.withdraw(market.requireAdmin(authentication), app);
  }

  @PostMapping("/apps/{app}/republish")
  MarketApp republish(@PathVariable String app, Authentication authentication) {
    return market.republish(market.requireAdmin(authentication), app);
  }

  /** The icon as the request's body (image/png or image/svg+xml), read no further than the limit. */
  @PutMapping("/apps/{app}/icon")
  MarketApp setIcon(@PathVariable String app, HttpServletRequest request, Authentication authentication)
      throws IOException {
    Market.Admin admin = market.requireAdmin(authentication);
    byte[] bytes = request.getInputStream().readNBytes(Validation.MAX_ICON_BYTES + 1);
    return market.setIcon(admin, app, request.getContentType(), bytes);
  }

  /** Public (an {@code <img>} sends no token); revalidated by its ETag. */
  @GetMapping("/icons/{app}")
  ResponseEntity<byte[]> icon(@PathVariable String app,
      @RequestHeader(name = "If-None-Match", required = false) String ifNoneMatch) {
    Market.Icon icon = market.icon(app).orElseThrow(() -> ApiException.notFound("icon of app", app));
    String etag = "\"" + icon.etag() + "\"";
    CacheControl cache = CacheControl.maxAge(5, TimeUnit.MINUTES).cachePublic();
    if (ifNoneMatch != null && (ifNoneMatch.contains(etag) || ifNoneMatch.strip().equals("*"))) {
      return ResponseEntity.status(HttpStatus.NOT_MODIFIED).eTag(etag).cacheControl(cache).build();
    }
    return ResponseEntity.ok().eTag(etag).cacheControl(cache)
        .header("Content-Type", icon.contentType())
        .header("X-Content-Type-Options", "nosniff")
        .header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; sandbox")
        .body(icon.bytes());
  }

  @GetMapping("/apps/{app}/grants")
  List<Grantee> grants(@PathVariable String app, Authentication authentication) {
    return market.grants(market.requireAdmin(authentication), app);
  }

  @PostMapping("/apps/{app}/grants")
  List<Grantee> grant(@PathVariable String app, @RequestBody Grantee grantee, Authentication authentication) {
    Market.Admin admin = market.requireAdmin(authentication);
    return market.grant(admin, app, checked(grantee));
  }

  @DeleteMapping("/apps/{app}/grants/{kind}/{id}")
  List<Grantee> revoke(@PathVariable String app, @PathVariable String kind, @PathVariable String id,
      Authentication authentication) {
    Market.Admin admin = market.requireAdmin(authentication);
    Grantee.Kind parsed;
    try {
      parsed = Grantee.Kind.valueOf(kind.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("invalid-field", "kind: person or department, not \"" + kind + "\".");
    }
    return market.revoke(admin, app, checked(new Grantee(parsed, id)));
  }

  @GetMapping("/audit")
  List<AuditEntry> audit(@RequestParam(required = false) String app, @RequestParam(defaultValue = "100") int limit,
      Authentication authentication) {
    market.requireAdmin(authentication);
    return market.audit(app, limit);
  }

  private static Grantee checked(Grantee grantee) {
    if (grantee == null || grantee.kind() == null || grantee.id() == null || grantee.id().isBlank()
        || grantee.id().length() > 200) {
      throw ApiException.badRequest("invalid-field", "A grant names a kind (PERSON or DEPARTMENT) and an id of 1-200"
          + " characters.");
    }
    return grantee;
  }
}
