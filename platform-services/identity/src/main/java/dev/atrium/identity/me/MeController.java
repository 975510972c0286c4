package dev.atrium.identity.me;

import dev.atrium.identity.apps.App;
import dev.atrium.identity.apps.AppService;
import dev.atrium.identity.audit.AuditLog;
import dev.atrium.identity.config.IdentityProperties;
import dev.atrium.identity.directory.DirectoryService;
import dev.atrium.identity.directory.DirectoryStore;
import dev.atrium.identity.directory.Person;
import dev.atrium.identity.keys.SecretBox;
import dev.atrium.identity.login.Totp;
import dev.atrium.identity.security.Caller;
import dev.atrium.service.web.ApiException;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** What a signed-in person sees and changes of themselves: profile, usable apps, password, second factor. */
@RestController
class MeController {

  private final DirectoryService directory;
  private final DirectoryStore store;
  private final AppService apps;
  private final SecretBox box;
  private final AuditLog audit;
  private final Clock clock;
  private final String issuerHost;

  MeController(DirectoryService directory, DirectoryStore store, AppService apps, SecretBox box, AuditLog audit,
      Clock clock, IdentityProperties properties) {
    this.directory = directory;
    this.store = store;
    this.apps = apps;
    this.box = box;
    this.audit = audit;
    this.clock = clock;
    String host = URI.create(properties.issuer()).getHost();
    this.issuerHost = host == null ? "atrium" : host;
  }

  record Me(Person person, List<String> departmentsWithAncestors) {
  }

  record PasswordChange(@NotNull @Size(max = 256) String current, @NotNull @Size(max = 256) String replacement) {
  }

  record Code(@NotNull @Size(min = 6, max = 6) String code) {
  }

  @GetMapping("/api/me")
  Me me(@AuthenticationPrincipal Caller caller) {
    Person person = person(caller);
    return new Me(person, store.departmentsWithAncestors(person.id()));
  }

  @GetMapping("/api/me/apps")
  List<App> myApps(@AuthenticationPrincipal Caller caller) {
    Person person = person(caller);
    return apps.usableBy(person.id(), store.departmentsWithAncestors(person.id()));
  }

  @PutMapping("/api/me/password")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  void changePassword(@AuthenticationPrincipal Caller caller, @Valid @RequestBody PasswordChange request) {
    directory.changeOwnPassword(person(caller).id(), request.current(), request.replacement());
  }

  /** Starts setting up TOTP: a new secret, shown once as an otpauth URI; it counts once confirmed. */
  @PostMapping("/api/me/totp")
  Map<String, String> startTotp(@AuthenticationPrincipal Caller caller) {
    Person person = person(caller);
    byte[] secret = Totp.newSecret();
    store.setTotp(person.id(), box.seal(Base64.getEncoder().encodeToString(secret)), false);
    return Map.of("otpauthUri", Totp.uri(issuerHost, person.id(), secret));
  }

  @PostMapping("/api/me/totp/confirm")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  void confirmTotp(@AuthenticationPrincipal Caller caller, @Valid @RequestBody Code request) {
    Person person = person(caller);
    DirectoryStore.LoginRecord record = store.loginRecord(person.id()).orElseThrow();
    if (record.totpSecret() == null) {
      throw ApiException.conflict("totp-not-started", "Start with POST /api/me/totp first.");
    }
    byte[] secret = Base64.getDecoder().decode(box.open(record.totpSecret()));
    if (!Totp.verify(secret, request.code(), clock.instant())) {
      throw ApiException.badRequest("wrong-code", "The code does not match: check the authenticator app's clock.");
    }
    store.setTotp(person.id(), record.totpSecret(), true);
    audit.record(person.id(), "totp.enable", person.id(), AuditLog.Outcome.SUCCESS);
  }

  @DeleteMapping("/api/me/totp")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  void removeTotp(@AuthenticationPrincipal Caller caller) {
    Person person = person(caller);
    store.setTotp(person.id(), null, false);
    audit.record(person.id(), "totp.disable", person.id(), AuditLog.Outcome.SUCCESS);
  }

  private Person person(Caller caller) {
    if (!caller.person()) {
      throw ApiException.forbidden("This is for people; an app has no profile.");
    }
    return directory.person(caller.id());
  }
}
