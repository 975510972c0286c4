package dev.atrium.netdisk.share;

import dev.atrium.netdisk.audit.Audit;
import dev.atrium.netdisk.config.NetdiskProperties;
import dev.atrium.netdisk.event.Outbox;
import dev.atrium.netdisk.file.Content;
import dev.atrium.netdisk.file.Files;
import dev.atrium.netdisk.file.Node;
import dev.atrium.netdisk.space.Role;
import dev.atrium.service.security.Caller;
import dev.atrium.service.web.ApiException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.crypto.password.Pbkdf2PasswordEncoder;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * Share links. An editor makes one for a file (optionally expiring, with a password, a download limit, and
 * people to tell: each gets a to-do in the message center); anyone with the link reads the file at
 * {@code /netdisk/s/<token>} without signing in. A revoked, expired or used-up link stops at once (410); ten
 * wrong passwords in a row lock a link for 15 minutes (429).
 */
@RestController
public class ShareController {

  static final int LOCK_AFTER = 10;
  static final Duration LOCK_FOR = Duration.ofMinutes(15);

  private final Shares shares;
  private final Files files;
  private final Content content;
  private final Audit audit;
  private final Outbox outbox;
  private final NetdiskProperties properties;
  private final TransactionTemplate transactions;
  private final TransactionTemplate separately;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final PasswordEncoder passwords = Pbkdf2PasswordEncoder.defaultsForSpringSecurity_v5_8();

  public ShareController(Shares shares, Files files, Content content, Audit audit, Outbox outbox,
      NetdiskProperties properties, TransactionTemplate transactions, Clock clock) {
    this.shares = shares;
    this.files = files;
    this.content = content;
    this.audit = audit;
    this.outbox = outbox;
    this.properties = properties;
    this.transactions = transactions;
    this.separately = new TransactionTemplate(transactions.getTransactionManager());
    this.separately.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    this.clock = clock;
  }

  public record NewShare(@Min(1) @Max(31_536_000) Long expiresInSeconds,
      @Size(min = 4, max = 128) String password, @Min(1) @Max(1_000_000) Integer downloadLimit,
      @Size(max = 100) List<@NotBlank @Size(max = 255) String> tell) {
  }

  public record ShareView(UUID id, UUID fileId, String url, String createdBy, OffsetDateTime createdAt,
      OffsetDateTime expiresAt, boolean passwordProtected, Integer downloadLimit, int downloads,
      OffsetDateTime revokedAt) {
  }

  /** What anyone with the link sees before downloading. */
  public record PublicView(String name, long size, String sharedBy, OffsetDateTime expiresAt,
      boolean passwordRequired, Integer downloadsLeft) {
  }

  @PostMapping("/netdisk/api/v1/files/{id}/shares")
  @Transactional
  public ResponseEntity<ShareView> create(@AuthenticationPrincipal Caller caller, @PathVariable UUID id,
      @Valid @RequestBody NewShare request) {
    Files.Located located = files.locate(caller, id, Role.EDITOR, false);
    if (located.node().folder()) {
      throw ApiException.badRequest("not-a-file", "Share links are for files; share a folder by granting a role in"
          + " a team space.");
    }
    byte[] secret = new byte[24];
    random.nextBytes(secret);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    OffsetDateTime expires = request.expiresInSeconds() == null ? null
        : OffsetDateTime.now(clock).plusSeconds(request.expiresInSeconds());
    Shares.Share share = shares.create(id, token, caller.id(), expires,
        request.password() == null ? null : passwords.encode(request.password()), request.downloadLimit());
    List<String> notify = request.tell() == null ? List.of() : request.tell().stream().distinct()
        .filter(person -> !person.equals(caller.id())).toList();
    ShareView view = view(share);
    outbox.todo("netdisk-share-" + share.id(), notify, caller.id() + " shared " + located.node().name() + " with you",
        view.url());
    audit.record(caller, "share.create", located.space().id(), id, "share " + share.id()
        + (expires == null ? "" : " until " + expires) + (request.password() == null ? "" : ", password")
        + (request.downloadLimit() == null ? "" : ", " + request.downloadLimit() + " downloads")
        + (notify.isEmpty() ? "" : ", told " + notify));
    return ResponseEntity.status(HttpStatus.CREATED).body(view);
  }

  @GetMapping("/netdisk/api/v1/files/{id}/shares")
  @Transactional(readOnly = true)
  public List<ShareView> list(@AuthenticationPrincipal Caller caller, @PathVariable UUID id) {
    files.locate(caller, id, Role.EDITOR, false);
    return shares.ofNode(id).stream().map(this::view).toList();
  }

  @DeleteMapping("/netdisk/api/v1/shares/{shareId}")
  @Transactional
  public ResponseEntity<Void> revoke(@AuthenticationPrincipal Caller caller, @PathVariable UUID shareId) {
    Shares.Share share = shares.find(shareId).orElseThrow(() -> ApiException.notFound("share", shareId));
    Files.Located located;
    try {
      located = files.locate(caller, share.nodeId(), Role.EDITOR, files.find(share.nodeId()).orElseThrow().trashed());
    } catch (ApiException e) {
      throw e.problem().getStatus() == 404 ? ApiException.notFound("share", shareId) : e;
    }
    shares.revoke(shareId, caller.id());
    audit.record(caller, "share.revoke", located.space().id(), share.nodeId(), "share " + shareId);
    return ResponseEntity.noContent().build();
  }

  @GetMapping("/netdisk/s/{token}")
  @Transactional(readOnly = true)
  public PublicView show(@PathVariable String token) {
    Shares.Share share = live(token);
    Node node = files.find(share.nodeId()).orElseThrow();
    return new PublicView(node.name(), node.size(), share.createdBy(), share.expiresAt(), share.passwordHash() != null,
        share.downloadLimit() == null ? null : share.downloadLimit() - share.downloads());
  }

  /** The shared file's content; the password, if the link has one, in {@code X-Share-Password}. */
  @GetMapping("/netdisk/s/{token}/content")
  public void download(@PathVariable String token, @RequestHeader(name = "X-Share-Password", required = false)
      String password, HttpServletRequest request, HttpServletResponse response) {
    String range = request.getHeader(HttpHeaders.RANGE);
    Content.Plan plan = transactions.execute(status -> {
      Shares.Share share = live(token);
      checkPassword(share, password);
      Node node = files.find(share.nodeId()).orElseThrow();
      Content.Plan planned = content.plan(node.name(), node.sha256(), node.size(), range);
      // a download counts once: the request for the whole file or for its first bytes
      boolean counts = planned.range().map(r -> r.first() == 0).orElse(true);
      if (counts && !shares.countDownload(share.id())) {
        throw gone("share-exhausted", "This link's downloads are used up.");
      }
      audit.record("share:" + share.id(), "share.read", "ok", node.spaceId(), node.id(),
          planned.range().map(r -> r.contentRange(planned.size())).orElse("whole"));
      return planned;
    });
    content.send(plan, response);
  }

  /** The link if it can be used now: unknown is 404, revoked, expired or trashed 410. */
  private Shares.Share live(String token) {
    Shares.Share share = shares.byToken(token).orElseThrow(() -> new ApiException(HttpStatus.NOT_FOUND,
        "share-not-found", "No such link", "This link does not exist; check it was copied whole."));
    if (share.revokedAt() != null) {
      throw gone("share-revoked", "This link was revoked by the people who shared it.");
    }
    if (share.expiresAt() != null && !share.expiresAt().isAfter(OffsetDateTime.now(clock))) {
      throw gone("share-expired", "This link expired at " + share.expiresAt() + ".");
    }
    if (share.downloadLimit() != null && share.downloads() >= share.downloadLimit()) {
      throw gone("share-exhausted", "This link's downloads are used up.");
    }
    if (files.find(share.nodeId()).map(Node::trashed).orElse(true)) {
      throw gone("share-file-deleted", "The shared file was deleted.");
    }
    return share;
  }

  private void checkPassword(Shares.Share share, String password) {
    if (share.passwordHash() == null) {
      return;
    }
    OffsetDateTime now = OffsetDateTime.now(clock);
    if (share.lockedUntil() != null && share.lockedUntil().isAfter(now)) {
      throw new ApiException(HttpStatus.TOO_MANY_REQUESTS, "share-locked", "Too many wrong passwords",
          "This link is locked after " + LOCK_AFTER + " wrong passwords; try again later.")
          .withHeader(HttpHeaders.RETRY_AFTER, Long.toString(Duration.between(now, share.lockedUntil()).toSeconds() + 1));
    }
    if (password == null || !passwords.matches(password, share.passwordHash())) {
      // recorded in a transaction of its own: the refusal below rolls back the caller's
      separately.executeWithoutResult(status -> shares.failedPassword(share.id(), LOCK_AFTER, now.plus(LOCK_FOR)));
      throw new ApiException(HttpStatus.UNAUTHORIZED, "share-password", "Password required",
          password == null ? "This link has a password: send it in the header X-Share-Password."
              : "The password is not this link's.");
    }
    shares.passwordAccepted(share.id());
  }

  private ShareView view(Shares.Share share) {
    return new ShareView(share.id(), share.nodeId(), properties.publicBase() + "/s/" + share.token(), share.createdBy(),
        share.createdAt(), share.expiresAt(), share.passwordHash() != null, share.downloadLimit(), share.downloads(),
        share.revokedAt());
  }

  private static ApiException gone(String type, String detail) {
    return new ApiException(HttpStatus.GONE, type, "Link no longer works", detail);
  }
}
