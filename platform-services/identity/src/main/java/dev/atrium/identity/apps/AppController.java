package dev.atrium.identity.apps;

import dev.atrium.identity.security.Caller;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Apps and their grants, for the tenant's administrators (the webos app market uses this API). */
@RestController
class AppController {

  private final AppService apps;

  AppController(AppService apps) {
    this.apps = apps;
  }

  record RegisterApp(
      @NotNull @Pattern(regexp = "^[a-z0-9][a-z0-9-]{1,62}$", message = "must be 2-63 lower-case letters, digits"
          + " or '-', starting with a letter or digit") String clientId,
      @NotNull @Size(min = 1, max = 200) String name,
      @NotNull AppService.AppType type,
      @Size(max = 20) List<@Size(max = 500) String> redirectUris,
      @Size(max = 20) List<@Size(max = 500) String> postLogoutRedirectUris,
      Boolean restricted) {
  }

  record UpdateApp(
      @NotNull @Size(min = 1, max = 200) String name,
      @NotNull AppService.AppType type,
      @Size(max = 20) List<@Size(max = 500) String> redirectUris,
      @Size(max = 20) List<@Size(max = 500) String> postLogoutRedirectUris) {
  }

  record Suspension(@NotNull Boolean suspended) {
  }

  record ReplaceGrants(@Size(max = 10_000) List<@NotNull @Size(max = 64) String> people,
      @Size(max = 10_000) List<@NotNull @Size(max = 200) String> departments) {
  }

  @GetMapping("/api/admin/apps")
  List<App> list() {
    return apps.apps();
  }

  @PostMapping("/api/admin/apps")
  @ResponseStatus(HttpStatus.CREATED)
  AppService.Registered register(@AuthenticationPrincipal Caller caller, @Valid @RequestBody RegisterApp request) {
    return apps.register(caller.id(), request.clientId(), request.name(), request.type(),
        orEmpty(request.redirectUris()), orEmpty(request.postLogoutRedirectUris()),
        request.restricted() == null || request.restricted());
  }

  @GetMapping("/api/admin/apps/{clientId}")
  App app(@PathVariable String clientId) {
    return apps.app(clientId);
  }

  /** A tenant app's client brought in line (name, type, redirect URIs); its secret and grants stay. */
  @PutMapping("/api/admin/apps/{clientId}")
  App update(@AuthenticationPrincipal Caller caller, @PathVariable String clientId,
      @Valid @RequestBody UpdateApp request) {
    return apps.update(caller.id(), clientId, request.name(), request.type(), orEmpty(request.redirectUris()),
        orEmpty(request.postLogoutRedirectUris()));
  }

  /** Suspends a tenant app (no tokens at all) or resumes it; its client, secret and grants stay. */
  @PutMapping("/api/admin/apps/{clientId}/suspended")
  App suspend(@AuthenticationPrincipal Caller caller, @PathVariable String clientId,
      @Valid @RequestBody Suspension request) {
    return apps.suspend(caller.id(), clientId, request.suspended());
  }

  @GetMapping("/api/admin/apps/{clientId}/grants")
  List<Grant> grants(@PathVariable String clientId) {
    return apps.grants(clientId);
  }

  @PutMapping("/api/admin/apps/{clientId}/grants")
  List<Grant> replaceGrants(@AuthenticationPrincipal Caller caller, @PathVariable String clientId,
      @Valid @RequestBody ReplaceGrants request) {
    return apps.replaceGrants(caller.id(), clientId, orEmpty(request.people()), orEmpty(request.departments()));
  }

  private static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }
}
