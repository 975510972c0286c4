package dev.atrium.messagecenter.serviceaccount;

import dev.atrium.messagecenter.config.MessageCenterProperties;
import dev.atrium.service.security.Caller;
import dev.atrium.messagecenter.serviceaccount.ServiceAccountApi.Announcement;
import dev.atrium.messagecenter.serviceaccount.ServiceAccountApi.CreateServiceAccount;
import dev.atrium.messagecenter.serviceaccount.ServiceAccountApi.Publish;
import dev.atrium.messagecenter.serviceaccount.ServiceAccountApi.ReceivedAnnouncement;
import dev.atrium.messagecenter.serviceaccount.ServiceAccountApi.ServiceAccount;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1")
@Tag(name = "service accounts", description = "Accounts that publish announcements, e.g. the canteen's menu")
class ServiceAccountController {

  private final ServiceAccountService accounts;
  private final MessageCenterProperties properties;

  ServiceAccountController(ServiceAccountService accounts, MessageCenterProperties properties) {
    this.accounts = accounts;
    this.properties = properties;
  }

  @PostMapping("/service-accounts")
  @Operation(summary = "Create a service account; the caller (person or app) owns it")
  ResponseEntity<ServiceAccount> create(@AuthenticationPrincipal Caller caller,
      @Valid @RequestBody CreateServiceAccount request) {
    return ResponseEntity.status(HttpStatus.CREATED).body(accounts.create(caller, request));
  }

  @GetMapping("/service-accounts")
  @Operation(summary = "Every service account, with whether you follow it")
  List<ServiceAccount> list(@AuthenticationPrincipal Caller caller) {
    return accounts.list(caller);
  }

  @GetMapping("/service-accounts/{id}")
  ServiceAccount get(@AuthenticationPrincipal Caller caller, @PathVariable UUID id) {
    return accounts.get(caller, id);
  }

  @PutMapping("/service-accounts/{id}/follow")
  @Operation(summary = "Follow (people only)")
  ResponseEntity<Void> follow(@AuthenticationPrincipal Caller caller, @PathVariable UUID id) {
    accounts.follow(caller, id, true);
    return ResponseEntity.noContent().build();
  }

  @DeleteMapping("/service-accounts/{id}/follow")
  @Operation(summary = "Unfollow")
  ResponseEntity<Void> unfollow(@AuthenticationPrincipal Caller caller, @PathVariable UUID id) {
    accounts.follow(caller, id, false);
    return ResponseEntity.noContent().build();
  }

  @PostMapping("/service-accounts/{id}/announcements")
  @Operation(summary = "Publish (owner only)", description = "201 when published; 200 with the stored one when"
      + " this clientAnnouncementId was published before.")
  ResponseEntity<Announcement> publish(@AuthenticationPrincipal Caller caller, @PathVariable UUID id,
      @Valid @RequestBody Publish request) {
    var published = accounts.publish(caller, id, request);
    return ResponseEntity.status(published.created() ? HttpStatus.CREATED : HttpStatus.OK).body(published.value());
  }

  @GetMapping("/announcements")
  @Operation(summary = "Announcements you received, newest first")
  List<ReceivedAnnouncement> received(@AuthenticationPrincipal Caller caller) {
    return accounts.received(caller, properties.maxPageSize());
  }

  @PostMapping("/announcements/{id}/read")
  @Operation(summary = "Mark an announcement you received as read")
  ResponseEntity<Void> read(@AuthenticationPrincipal Caller caller, @PathVariable UUID id) {
    accounts.markRead(caller, id);
    return ResponseEntity.noContent().build();
  }
}
