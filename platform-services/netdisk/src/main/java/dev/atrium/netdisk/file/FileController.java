package dev.atrium.netdisk.file;

import dev.atrium.netdisk.audit.Audit;
import dev.atrium.netdisk.space.Role;
import dev.atrium.netdisk.space.Spaces;
import dev.atrium.service.security.Caller;
import dev.atrium.service.web.ApiException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Folders and files: list, make folders, rename and move, the trash, versions and downloads. Anyone with a role
 * in the space reads; editors change.
 */
@RestController
@RequestMapping("/netdisk/api/v1")
public class FileController {

  private final Files files;
  private final Spaces spaces;
  private final Content content;
  private final Audit audit;
  private final TransactionTemplate transactions;

  public FileController(Files files, Spaces spaces, Content content, Audit audit, TransactionTemplate transactions) {
    this.files = files;
    this.spaces = spaces;
    this.content = content;
    this.audit = audit;
    this.transactions = transactions;
  }

  public record NodeView(UUID id, UUID spaceId, UUID parentId, String name, String kind, long size, String sha256,
      int version, String createdBy, OffsetDateTime createdAt, String modifiedBy, OffsetDateTime modifiedAt,
      OffsetDateTime trashedAt, String trashedBy) {
    public static NodeView of(Node node) {
      return new NodeView(node.id(), node.spaceId(), node.parentId(), node.name(), node.folder() ? "FOLDER" : "FILE",
          node.size(), node.sha256(), node.version(), node.createdBy(), node.createdAt(), node.modifiedBy(),
          node.modifiedAt(), node.trashedAt(), node.trashedBy());
    }
  }

  public record NewFolder(UUID parentId, String name, String path) {
  }

  /** A rename ({@code name}) and/or a move ({@code move.parentId}, null for the space's top). */
  public record Change(String name, Move move) {
  }

  public record Move(UUID parentId) {
  }

  @GetMapping("/spaces/{spaceId}/children")
  @Transactional(readOnly = true)
  public List<NodeView> children(@AuthenticationPrincipal Caller caller, @PathVariable UUID spaceId,
      @RequestParam(required = false) UUID parentId) {
    caller.requireUser("Files");
    spaces.require(caller, spaceId, Role.VIEWER);
    files.requireFolder(spaceId, parentId);
    return files.children(spaceId, parentId).stream().map(NodeView::of).toList();
  }

  @PostMapping("/spaces/{spaceId}/folders")
  @Transactional
  public ResponseEntity<NodeView> folder(@AuthenticationPrincipal Caller caller, @PathVariable UUID spaceId,
      @Valid @RequestBody NewFolder request) {
    caller.requireUser("Files");
    spaces.require(caller, spaceId, Role.EDITOR);
    Node folder;
    if (request.path() != null) {
      List<String> names = Names.path(request.path());
      files.requireFolder(spaceId, request.parentId());
      UUID parent = files.folders(spaceId, request.parentId(), names.subList(0, names.size() - 1), caller.id());
      folder = files.createFolder(spaceId, parent, names.getLast(), caller.id());
    } else {
      folder = files.createFolder(spaceId, request.parentId(), request.name(), caller.id());
    }
    audit.record(caller, "folder.create", spaceId, folder.id(), folder.name());
    return ResponseEntity.status(HttpStatus.CREATED).body(NodeView.of(folder));
  }

  @GetMapping("/nodes/{id}")
  @Transactional(readOnly = true)
  public NodeView node(@AuthenticationPrincipal Caller caller, @PathVariable UUID id) {
    return NodeView.of(files.locate(caller, id, Role.VIEWER, false).node());
  }

  @PatchMapping("/nodes/{id}")
  @Transactional
  public NodeView change(@AuthenticationPrincipal Caller caller, @PathVariable UUID id, @RequestBody Change request) {
    Files.Located located = files.locate(caller, id, Role.EDITOR, false);
    if (request.name() == null && request.move() == null) {
      throw ApiException.badRequest("nothing-to-change", "Send a new name, a move (move.parentId), or both.");
    }
    Node changed = files.rename(located.node(), request.name(), request.move() == null ? null : request.move().parentId(),
        request.move() != null, caller.id());
    audit.record(caller, "node.change", changed.spaceId(), id, located.node().name() + " -> " + changed.name()
        + (request.move() == null ? "" : " in " + changed.parentId()));
    return NodeView.of(changed);
  }

  @DeleteMapping("/nodes/{id}")
  @Transactional
  public ResponseEntity<Void> trash(@AuthenticationPrincipal Caller caller, @PathVariable UUID id) {
    Files.Located located = files.locate(caller, id, Role.EDITOR, false);
    files.trash(located.node(), caller.id());
    audit.record(caller, "node.trash", located.space().id(), id, located.node().name());
    return ResponseEntity.noContent().build();
  }

  @GetMapping("/spaces/{spaceId}/trash")
  @Transactional(readOnly = true)
  public List<NodeView> trashOf(@AuthenticationPrincipal Caller caller, @PathVariable UUID spaceId) {
    caller.requireUser("Files");
    spaces.require(caller, spaceId, Role.VIEWER);
    return files.trashOf(spaceId).stream().map(NodeView::of).toList();
  }

  @PostMapping("/trash/{id}/restore")
  @Transactional
  public NodeView restore(@AuthenticationPrincipal Caller caller, @PathVariable UUID id) {
    Files.Located located = files.locate(caller, id, Role.EDITOR, true);
    Node restored = files.restore(located.node(), caller.id());
    audit.record(caller, "node.restore", located.space().id(), id, restored.name());
    return NodeView.of(restored);
  }

  @DeleteMapping("/trash/{id}")
  @Transactional
  public ResponseEntity<Void> purge(@AuthenticationPrincipal Caller caller, @PathVariable UUID id) {
    Files.Located located = files.locate(caller, id, Role.EDITOR, true);
    if (!located.node().trashRoot()) {
      throw ApiException.conflict("restore-folder", "'" + located.node().name() + "' went to the trash with its"
          + " folder; delete the folder.");
    }
    int deleted = files.purge(located.node());
    audit.record(caller, "node.purge", located.space().id(), id, located.node().name() + " (" + deleted + " files)");
    return ResponseEntity.noContent().build();
  }

  @GetMapping("/files/{id}/versions")
  @Transactional(readOnly = true)
  public List<Version> versions(@AuthenticationPrincipal Caller caller, @PathVariable UUID id) {
    Files.Located located = files.locate(caller, id, Role.VIEWER, false);
    requireFile(located.node());
    return files.versions(id);
  }

  @PostMapping("/files/{id}/versions/{number}/restore")
  @Transactional
  public NodeView restoreVersion(@AuthenticationPrincipal Caller caller, @PathVariable UUID id,
      @PathVariable int number) {
    Files.Located located = files.locate(caller, id, Role.EDITOR, false);
    requireFile(located.node());
    Node restored = files.restoreVersion(located.node(), number, caller.id());
    audit.record(caller, "version.restore", located.space().id(), id, "v" + number + " as v" + restored.version());
    return NodeView.of(restored);
  }

  /** The content of the current version (or of {@code version}), whole or one range. */
  @GetMapping("/files/{id}/content")
  public void download(@AuthenticationPrincipal Caller caller, @PathVariable UUID id,
      @RequestParam(required = false) Integer version, HttpServletRequest request, HttpServletResponse response) {
    // decided and audited in a short transaction; the bytes are streamed after it, holding no connection
    Content.Plan plan = transactions.execute(status -> {
      Files.Located located = files.locate(caller, id, Role.VIEWER, false);
      Node node = located.node();
      requireFile(node);
      String sha256 = node.sha256();
      long size = node.size();
      if (version != null) {
        Version v = files.version(id, version).orElseThrow(() -> ApiException.notFound("version", node.name() + " v"
            + version));
        sha256 = v.sha256();
        size = v.size();
      }
      Content.Plan planned = content.plan(node.name(), sha256, size, request.getHeader(HttpHeaders.RANGE));
      audit.record(caller, "file.read", located.space().id(), id, planned.range().map(r -> r.contentRange(planned.size()))
          .orElse("whole") + (version == null ? "" : " v" + version));
      return planned;
    });
    content.send(plan, response);
  }

  static void requireFile(Node node) {
    if (node.folder()) {
      throw ApiException.badRequest("not-a-file", "'" + node.name() + "' is a folder.");
    }
  }
}
