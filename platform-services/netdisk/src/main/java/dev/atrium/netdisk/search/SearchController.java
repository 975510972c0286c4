package dev.atrium.netdisk.search;

import dev.atrium.netdisk.audit.Audit;
import dev.atrium.netdisk.file.FileController.NodeView;
import dev.atrium.netdisk.file.Files;
import dev.atrium.netdisk.space.Role;
import dev.atrium.netdisk.space.Spaces;
import dev.atrium.service.security.Caller;
import dev.atrium.service.web.ApiException;
import java.util.List;
import java.util.UUID;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Finding files again: by name and by who changed them, across every space the person may see; recent files;
 * and the activity of a space or a file (who read, changed, shared and deleted what).
 */
@RestController
@RequestMapping("/netdisk/api/v1")
public class SearchController {

  private final Spaces spaces;
  private final Files files;
  private final Audit audit;

  public SearchController(Spaces spaces, Files files, Audit audit) {
    this.spaces = spaces;
    this.files = files;
    this.audit = audit;
  }

  @GetMapping("/search")
  @Transactional
  public List<NodeView> search(@AuthenticationPrincipal Caller caller, @RequestParam(required = false) String name,
      @RequestParam(required = false) String modifiedBy, @RequestParam(required = false) UUID spaceId,
      @RequestParam(defaultValue = "50") int limit) {
    caller.requireUser("Files");
    if ((name == null || name.isBlank()) && modifiedBy == null) {
      throw ApiException.badRequest("search-empty", "Search by name (part of it), by modifiedBy, or both.");
    }
    if (name != null && name.length() > 255) {
      throw ApiException.badRequest("search-too-long", "name is at most 255 characters.");
    }
    List<UUID> scope = spaceId != null ? List.of(spaces.require(caller, spaceId, Role.VIEWER).space().id())
        : spaces.visibleIds(caller);
    return files.search(scope, name == null || name.isBlank() ? null : name, modifiedBy, bounded(limit)).stream()
        .map(NodeView::of).toList();
  }

  /** The person's most recently changed files and folders, across their spaces. */
  @GetMapping("/recent")
  @Transactional
  public List<NodeView> recent(@AuthenticationPrincipal Caller caller, @RequestParam(defaultValue = "20") int limit) {
    caller.requireUser("Files");
    return files.search(spaces.visibleIds(caller), null, null, bounded(limit)).stream().map(NodeView::of).toList();
  }

  @GetMapping("/spaces/{spaceId}/activity")
  @Transactional(readOnly = true)
  public List<Audit.Event> spaceActivity(@AuthenticationPrincipal Caller caller, @PathVariable UUID spaceId,
      @RequestParam(required = false) String actor, @RequestParam(defaultValue = "100") int limit) {
    caller.requireUser("Files");
    spaces.require(caller, spaceId, Role.VIEWER);
    return audit.ofSpace(spaceId, actor, bounded(limit));
  }

  @GetMapping("/nodes/{id}/activity")
  @Transactional(readOnly = true)
  public List<Audit.Event> nodeActivity(@AuthenticationPrincipal Caller caller, @PathVariable UUID id,
      @RequestParam(defaultValue = "100") int limit) {
    files.locate(caller, id, Role.VIEWER, false);
    return audit.ofNode(id, bounded(limit));
  }

  private static int bounded(int limit) {
    if (limit < 1 || limit > 500) {
      throw ApiException.badRequest("invalid-limit", "limit is between 1 and 500.");
    }
    return limit;
  }
}
