package dev.atrium.netdisk.space;

import dev.atrium.netdisk.audit.Audit;
import dev.atrium.netdisk.config.NetdiskProperties;
import dev.atrium.service.security.Caller;
import dev.atrium.service.web.ApiException;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Spaces and who may do what in them. People see their own space and the ones granting them a role; anyone
 * makes a team space (and owns it). Department spaces and quotas are the administrators' (the web desktop's
 * admin area calls as an app, with a client-credentials token), who may also grant roles in any shared space.
 */
@RestController
@RequestMapping("/netdisk/api/v1/spaces")
public class SpaceController {

  private final Spaces spaces;
  private final Audit audit;
  private final NetdiskProperties properties;

  public SpaceController(Spaces spaces, Audit audit, NetdiskProperties properties) {
    this.spaces = spaces;
    this.audit = audit;
    this.properties = properties;
  }

  public record SpaceView(UUID id, Space.Kind kind, String name, String ownerId, long quotaBytes, long usedBytes,
      long reservedBytes, long freeBytes, Role role) {
    static SpaceView of(Space space, Role role) {
      return new SpaceView(space.id(), space.kind(), space.name(), space.ownerId(), space.quotaBytes(),
          space.usedBytes(), space.reservedBytes(), space.freeBytes(), role);
    }
  }

  public record SpaceDetail(SpaceView space, List<Access.Grant> grants) {
  }

  public record CreateSpace(@NotNull Space.Kind kind, @NotBlank @Size(max = 255) String name,
      @Size(max = 255) String departmentId, @Min(0) Long quotaBytes) {
  }

  public record UpdateSpace(@Size(min = 1, max = 255) String name, @Min(0) Long quotaBytes) {
  }

  public record GrantRole(@NotNull Role role) {
  }

  @GetMapping
  @Transactional
  public List<SpaceView> list(@AuthenticationPrincipal Caller caller) {
    caller.requireUser("Spaces of your own");
    return spaces.visibleTo(caller).stream()
        .map(space -> SpaceView.of(space, spaces.roleOf(caller, space).orElseThrow())).toList();
  }

  @PostMapping
  @Transactional
  public ResponseEntity<SpaceView> create(@AuthenticationPrincipal Caller caller, @Valid @RequestBody CreateSpace request) {
    long quota = Optional.ofNullable(request.quotaBytes()).orElse(properties.spaceQuota().toBytes());
    Space space = switch (request.kind()) {
      case PERSONAL -> throw ApiException.badRequest("personal-space",
          "Everyone has a personal space already (GET /netdisk/api/v1/spaces); make a TEAM space to share.");
      case DEPARTMENT -> {
        caller.requireApp("Making a department's space (an administrator's, from the admin area)");
        if (request.departmentId() == null || request.departmentId().isBlank()) {
          throw ApiException.badRequest("department-missing", "A DEPARTMENT space needs departmentId.");
        }
        Space made = spaces.create(Space.Kind.DEPARTMENT, request.name(), request.departmentId(), quota);
        // everyone in the department (and below it) may work in it
        spaces.grant(made.id(), new Access.Grant(Access.PrincipalType.DEPARTMENT, request.departmentId(), Role.EDITOR));
        yield made;
      }
      case TEAM -> {
        if (request.quotaBytes() != null && !caller.isApp()) {
          throw ApiException.forbidden("Quotas are set by administrators; leave quotaBytes out.");
        }
        Space made = spaces.create(Space.Kind.TEAM, request.name(), caller.id(), quota);
        if (caller.isUser()) {
          spaces.grant(made.id(), new Access.Grant(Access.PrincipalType.USER, caller.id(), Role.OWNER));
        }
        yield made;
      }
    };
    audit.record(caller, "space.create", space.id(), null, space.kind() + " " + space.name());
    return ResponseEntity.status(HttpStatus.CREATED)
        .body(SpaceView.of(space, caller.isUser() ? Role.OWNER : null));
  }

  @GetMapping("/{id}")
  @Transactional(readOnly = true)
  public SpaceDetail get(@AuthenticationPrincipal Caller caller, @PathVariable UUID id) {
    Spaces.Held held = manageable(caller, id, Role.VIEWER);
    return new SpaceDetail(SpaceView.of(held.space(), held.role()), spaces.grants(id));
  }

  @PatchMapping("/{id}")
  @Transactional
  public SpaceView update(@AuthenticationPrincipal Caller caller, @PathVariable UUID id,
      @Valid @RequestBody UpdateSpace request) {
    Spaces.Held held = manageable(caller, id, Role.OWNER);
    if (request.quotaBytes() != null) {
      caller.requireApp("Setting a quota (an administrator's, from the admin area)");
    }
    spaces.update(id, request.name(), request.quotaBytes());
    audit.record(caller, "space.update", id, null, (request.name() == null ? "" : "name ")
        + (request.quotaBytes() == null ? "" : "quota " + request.quotaBytes()));
    return SpaceView.of(spaces.find(id).orElseThrow(), held.role());
  }

  @PutMapping("/{id}/grants/{type}/{principalId}")
  @Transactional
  public SpaceDetail grant(@AuthenticationPrincipal Caller caller, @PathVariable UUID id,
      @PathVariable Access.PrincipalType type, @PathVariable String principalId, @Valid @RequestBody GrantRole request) {
    Spaces.Held held = manageable(caller, id, Role.OWNER);
    if (held.space().kind() == Space.Kind.PERSONAL) {
      throw ApiException.badRequest("personal-space", "A personal space is its owner's alone; share files with"
          + " links, or work together in a TEAM space.");
    }
    spaces.grant(id, new Access.Grant(type, principalId, request.role()));
    audit.record(caller, "space.grant", id, null, type + " " + principalId + " " + request.role());
    return new SpaceDetail(SpaceView.of(spaces.find(id).orElseThrow(), held.role()), spaces.grants(id));
  }

  @DeleteMapping("/{id}/grants/{type}/{principalId}")
  @Transactional
  public ResponseEntity<Void> withdraw(@AuthenticationPrincipal Caller caller, @PathVariable UUID id,
      @PathVariable Access.PrincipalType type, @PathVariable String principalId) {
    manageable(caller, id, Role.OWNER);
    spaces.withdraw(id, type, principalId);
    long owners = spaces.grants(id).stream().filter(g -> g.role() == Role.OWNER).count();
    if (owners == 0 && spaces.find(id).orElseThrow().kind() == Space.Kind.TEAM) {
      throw ApiException.conflict("last-owner", "A team space keeps at least one owner; make someone else owner"
          + " first.");
    }
    audit.record(caller, "space.withdraw", id, null, type + " " + principalId);
    return ResponseEntity.noContent().build();
  }

  /** The space with the caller's role (at least {@code needed}); an administrator's app manages every shared space. */
  private Spaces.Held manageable(Caller caller, UUID id, Role needed) {
    if (caller.isApp()) {
      Space space = spaces.find(id).filter(s -> s.kind() != Space.Kind.PERSONAL)
          .orElseThrow(() -> ApiException.notFound("space", id));
      return new Spaces.Held(space, Role.OWNER);
    }
    return spaces.require(caller, id, needed);
  }
}
