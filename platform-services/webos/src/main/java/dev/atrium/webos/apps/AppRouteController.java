package dev.atrium.webos.apps;

import dev.atrium.service.security.Caller;
import dev.atrium.service.web.ApiException;
import dev.atrium.webos.security.Admins;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The app routes' admin API, for the tenant's administrators ({@link Admins}): list, read, put (create or
 * replace: the versions and their weights, stickiness, rate limit) and delete. A change takes effect on this
 * replica at once and on the others within the route-reload interval.
 */
@RestController
@RequestMapping("/webos/api/v1/admin/routes")
public class AppRouteController {

  static final String APP = "^[a-z0-9][a-z0-9-]{0,62}$";

  private final AppRouteStore store;
  private final AppRouteTable table;
  private final Admins admins;

  public AppRouteController(AppRouteStore store, AppRouteTable table, Admins admins) {
    this.store = store;
    this.table = table;
    this.admins = admins;
  }

  /** A backend version as the API takes it. */
  record BackendInput(@NotNull @Pattern(regexp = "^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$") String version,
      @NotNull @Size(max = 2000) String url, @NotNull @Min(0) @Max(1_000_000) Integer weight) {
  }

  /** A rate limit as the API takes it: requests per periodSeconds, perCaller optional. */
  record RateLimitInput(@NotNull @Positive Long requests, @NotNull @Min(1) @Max(86_400) Integer periodSeconds,
      @Positive Long perCaller) {
  }

  record RouteInput(@NotEmpty @Size(max = 20) List<@Valid @NotNull BackendInput> backends, Boolean sticky,
      @Valid RateLimitInput rateLimit) {
  }

  @GetMapping
  List<AppRoute> list(Authentication authentication) {
    admins.require(authentication);
    return List.copyOf(store.all().values());
  }

  @GetMapping("/{app}")
  AppRoute get(@PathVariable String app, Authentication authentication) {
    admins.require(authentication);
    return store.find(app).orElseThrow(() -> ApiException.notFound("app route", app));
  }

  @PutMapping("/{app}")
  ResponseEntity<AppRoute> put(@PathVariable String app, @Valid @RequestBody RouteInput input,
      Authentication authentication) {
    Caller admin = admins.require(authentication);
    if (!app.matches(APP)) {
      throw ApiException.badRequest("invalid-app", "An app's id is 1-63 lower-case letters, digits and '-',"
          + " starting with a letter or digit; \"" + app + "\" is not.");
    }
    Set<String> versions = new HashSet<>();
    List<AppRoute.Backend> backends = input.backends().stream().map(b -> {
      if (!versions.add(b.version())) {
        throw ApiException.badRequest("invalid-field", "backends: version " + b.version() + " appears twice");
      }
      return new AppRoute.Backend(b.version(), origin(b.url()), b.weight());
    }).toList();
    if (backends.stream().mapToInt(AppRoute.Backend::weight).sum() == 0) {
      throw ApiException.badRequest("invalid-field", "backends: at least one weight must be above 0");
    }
    RateLimitInput limit = input.rateLimit();
    boolean existed = store.find(app).isPresent();
    AppRoute route = new AppRoute(app, backends, Boolean.TRUE.equals(input.sticky()), limit == null ? null
        : new AppRoute.RateLimit(limit.requests(), Duration.ofSeconds(limit.periodSeconds()), limit.perCaller()),
        null, admin.id());
    store.put(route);
    table.reload();
    AppRoute stored = store.find(app).orElseThrow();
    return ResponseEntity.status(existed ? HttpStatus.OK : HttpStatus.CREATED).body(stored);
  }

  @DeleteMapping("/{app}")
  ResponseEntity<Void> delete(@PathVariable String app, Authentication authentication) {
    admins.require(authentication);
    if (!store.delete(app)) {
      throw ApiException.notFound("app route", app);
    }
    table.reload();
    return ResponseEntity.noContent().build();
  }

  /** The backend's origin: http(s)://host[:port], nothing else (the request's own path follows it). */
  static URI origin(String url) {
    return AppRoute.Backend.origin(url).orElseThrow(() -> ApiException.badRequest("invalid-field",
        "backends: url must be http(s)://host[:port] without a path, but is \"" + url + "\""));
  }
}
