package dev.atrium.netdisk.upload;

import dev.atrium.netdisk.file.FileController.NodeView;
import dev.atrium.netdisk.file.Node;
import dev.atrium.service.security.Caller;
import dev.atrium.service.web.ApiException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Uploads: resumable in chunks, instant when the content is stored already, or whole in one request. */
@RestController
@RequestMapping("/netdisk/api/v1")
public class UploadController {

  private final Uploads uploads;

  public UploadController(Uploads uploads) {
    this.uploads = uploads;
  }

  public record StartUpload(UUID parentId, String name, String path, @NotNull @Min(0) Long size,
      @Pattern(regexp = "[0-9a-f]{64}", message = "must be 64 lower-case hex digits") String sha256,
      Uploads.OnConflict onConflict) {
  }

  public record Challenge(long offset, int length) {
  }

  /**
   * An upload: {@code instant} when the content is stored already (answer {@code challenge}: the SHA-256 of those
   * bytes of the file), else the chunks to send and those received; {@code file} once it is complete.
   */
  public record UploadView(UUID id, String state, String name, long size, int chunkSize, int chunks,
      List<Integer> received, boolean instant, Challenge challenge, OffsetDateTime expiresAt, NodeView file) {
  }

  public record Complete(@Pattern(regexp = "[0-9a-f]{64}", message = "must be 64 lower-case hex digits") String proof) {
  }

  @PostMapping("/spaces/{spaceId}/uploads")
  public ResponseEntity<UploadView> start(@AuthenticationPrincipal Caller caller, @PathVariable UUID spaceId,
      @Valid @RequestBody StartUpload request) {
    caller.requireUser("Uploads");
    Uploads.Started started = uploads.start(caller, spaceId, target(request.parentId(), request.name(), request.path(),
        request.onConflict()), request.size(), request.sha256());
    return ResponseEntity.status(HttpStatus.CREATED).body(view(uploads.find(started.upload().id()).orElseThrow(),
        started.file()));
  }

  @GetMapping("/uploads/{id}")
  public UploadView status(@AuthenticationPrincipal Caller caller, @PathVariable UUID id) {
    return view(uploads.owned(caller, id), Optional.empty());
  }

  @PutMapping("/uploads/{id}/chunks/{number}")
  public Uploads.Chunk chunk(@AuthenticationPrincipal Caller caller, @PathVariable UUID id, @PathVariable int number,
      @RequestHeader(name = "X-Chunk-SHA256", required = false) String sha256, HttpServletRequest request) {
    requireBytes(request);
    try {
      return uploads.receiveChunk(caller, id, number, sha256, request.getContentLengthLong(), request.getInputStream());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @PostMapping("/uploads/{id}/complete")
  public NodeView complete(@AuthenticationPrincipal Caller caller, @PathVariable UUID id,
      @Valid @RequestBody(required = false) Complete request) {
    return NodeView.of(uploads.complete(caller, id, request == null ? null : request.proof()));
  }

  @DeleteMapping("/uploads/{id}")
  public ResponseEntity<Void> abort(@AuthenticationPrincipal Caller caller, @PathVariable UUID id) {
    uploads.abort(caller, id);
    return ResponseEntity.noContent().build();
  }

  /** A whole file in one request body (Content-Length required); X-Content-SHA256, when sent, must match. */
  @PutMapping("/spaces/{spaceId}/content")
  public ResponseEntity<NodeView> put(@AuthenticationPrincipal Caller caller, @PathVariable UUID spaceId,
      @RequestParam(required = false) UUID parentId, @RequestParam(required = false) String name,
      @RequestParam(required = false) String path, @RequestParam(required = false) Uploads.OnConflict onConflict,
      @RequestHeader(name = "X-Content-SHA256", required = false) String sha256, HttpServletRequest request)
      throws IOException {
    caller.requireUser("Uploads");
    requireBytes(request);
    long length = request.getContentLengthLong();
    if (length < 0) {
      throw new ApiException(HttpStatus.LENGTH_REQUIRED, "length-required", "Content-Length required",
          "Send the file's size as Content-Length (not chunked transfer): the quota is checked before the bytes.");
    }
    if (sha256 != null && !sha256.matches("[0-9a-f]{64}")) {
      throw ApiException.badRequest("invalid-hash", "X-Content-SHA256 must be 64 lower-case hex digits.");
    }
    Node file = uploads.putWhole(caller, spaceId, target(parentId, name, path, onConflict), length, sha256,
        request.getInputStream());
    return ResponseEntity.status(HttpStatus.CREATED).body(NodeView.of(file));
  }

  /**
   * The body must be the bytes themselves. A form or multipart body is what a browser form or curl's
   * {@code --data-binary} without a type sends; storing it would store the encoding (or, had the servlet stack
   * parsed it, nothing), so it is refused before a byte is read.
   */
  private static void requireBytes(HttpServletRequest request) {
    String type = request.getContentType();
    if (type == null) {
      return;
    }
    MediaType media;
    try {
      media = MediaType.parseMediaType(type);
    } catch (InvalidMediaTypeException e) {
      throw unsupported("Content-Type '" + type.strip() + "' cannot be parsed.");
    }
    if (MediaType.APPLICATION_FORM_URLENCODED.includes(media) || "multipart".equalsIgnoreCase(media.getType())) {
      throw unsupported("A " + media.getType() + "/" + media.getSubtype() + " body is not a file's content.");
    }
  }

  private static ApiException unsupported(String why) {
    return new ApiException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type", "Send the bytes as they are",
        why + " Send the file's bytes with Content-Type application/octet-stream (or the file's own type), e.g."
            + " curl -T FILE or --data-binary @FILE -H 'Content-Type: application/octet-stream'.");
  }

  private static Uploads.Target target(UUID parentId, String name, String path, Uploads.OnConflict onConflict) {
    if ((name == null) == (path == null)) {
      throw ApiException.badRequest("target", "Name the file with either name (in parentId, or the top) or path.");
    }
    return new Uploads.Target(parentId, name, path, onConflict == null ? Uploads.OnConflict.VERSION : onConflict);
  }

  private UploadView view(Upload upload, Optional<Node> file) {
    List<Integer> received = uploads.chunks(upload.id()).stream().map(Uploads.Chunk::number).toList();
    Challenge challenge = upload.instant() && upload.challengeLength() != null && upload.challengeLength() > 0
        && "OPEN".equals(upload.state()) ? new Challenge(upload.challengeOffset(), upload.challengeLength()) : null;
    NodeView node = file.map(NodeView::of).orElse(null);
    return new UploadView(upload.id(), upload.state(), upload.name(), upload.size(), upload.chunkSize(),
        upload.instant() ? 0 : upload.chunks(), received, upload.instant(), challenge, upload.expiresAt(), node);
  }
}
