package dev.atrium.netdisk.comment;

import dev.atrium.netdisk.audit.Audit;
import dev.atrium.netdisk.config.NetdiskProperties;
import dev.atrium.netdisk.event.Outbox;
import dev.atrium.netdisk.file.Files;
import dev.atrium.netdisk.space.Role;
import dev.atrium.service.jdbc.RecordRows;
import dev.atrium.service.security.Caller;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Comments on a file: anyone who may read it comments; whoever made the file gets a to-do in the message
 * center for each comment by someone else.
 */
@RestController
@RequestMapping("/netdisk/api/v1/files/{id}/comments")
public class CommentController {

  private final JdbcClient jdbc;
  private final Files files;
  private final Audit audit;
  private final Outbox outbox;
  private final NetdiskProperties properties;

  public CommentController(JdbcClient jdbc, Files files, Audit audit, Outbox outbox, NetdiskProperties properties) {
    this.jdbc = jdbc;
    this.files = files;
    this.audit = audit;
    this.outbox = outbox;
    this.properties = properties;
  }

  public record NewComment(@NotBlank @Size(max = 4000) String body) {
  }

  public record Comment(UUID id, UUID nodeId, String author, String body, OffsetDateTime createdAt) {
  }

  @PostMapping
  @Transactional
  public ResponseEntity<Comment> add(@AuthenticationPrincipal Caller caller, @PathVariable UUID id,
      @Valid @RequestBody NewComment request) {
    Files.Located located = files.locate(caller, id, Role.VIEWER, false);
    UUID commentId = UUID.randomUUID();
    jdbc.sql("insert into comment (id, node_id, author, body) values (?, ?, ?, ?)")
        .params(commentId, id, caller.id(), request.body()).update();
    String owner = located.node().createdBy();
    if (!owner.equals(caller.id())) {
      outbox.todo("netdisk-comment-" + commentId, List.of(owner), caller.id() + " commented on "
          + located.node().name() + ": " + request.body(), properties.publicBase() + "/files/" + id);
    }
    audit.record(caller, "comment.add", located.space().id(), id, "comment " + commentId);
    return ResponseEntity.status(HttpStatus.CREATED).body(jdbc.sql("select id, node_id, author, body, created_at"
        + " from comment where id = ?").param(commentId).query(RecordRows.of(Comment.class)).single());
  }

  @GetMapping
  @Transactional(readOnly = true)
  public List<Comment> list(@AuthenticationPrincipal Caller caller, @PathVariable UUID id) {
    files.locate(caller, id, Role.VIEWER, false);
    return jdbc.sql("select id, node_id, author, body, created_at from comment where node_id = ? order by created_at"
        + " limit 1000").param(id).query(RecordRows.of(Comment.class)).list();
  }
}
