package dev.atrium.netdisk.upload;

import dev.atrium.netdisk.audit.Audit;
import dev.atrium.netdisk.config.NetdiskProperties;
import dev.atrium.netdisk.event.Outbox;
import dev.atrium.netdisk.file.Files;
import dev.atrium.netdisk.file.Names;
import dev.atrium.netdisk.file.Node;
import dev.atrium.netdisk.space.Role;
import dev.atrium.netdisk.space.Space;
import dev.atrium.netdisk.space.Spaces;
import dev.atrium.netdisk.storage.Blobs;
import dev.atrium.netdisk.storage.ObjectDeletions;
import dev.atrium.netdisk.storage.ObjectStore;
import dev.atrium.service.jdbc.RecordRows;
import dev.atrium.service.security.Caller;
import dev.atrium.service.web.ApiException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * Uploads: a file declared first (where, how large, optionally its SHA-256), its quota held before any byte is
 * accepted, then its chunks (S3 parts, each checked against its SHA-256) in any order, on any replica, resumed
 * after any interruption, and completed into a file or a new version. Content already stored (same SHA-256)
 * is not sent again: the client proves it holds it by hashing a range the server picks, and the file appears
 * at once ("instant send"). docs/decisions/0010-netdisk-uploads.md says why it works this way.
 */
@Service
public class Uploads {

  /** S3 allows at most this many parts; larger files get larger chunks. */
  static final int MAX_PARTS = 10_000;
  static final int CHALLENGE_LENGTH = 64 * 1024;
  private static final HexFormat HEX = HexFormat.of();

  private final JdbcClient jdbc;
  private final TransactionTemplate transactions;
  private final Spaces spaces;
  private final Files files;
  private final Blobs blobs;
  private final ObjectStore store;
  private final ObjectDeletions deletions;
  private final RunningDigests digests;
  private final Audit audit;
  private final Outbox outbox;
  private final NetdiskProperties properties;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  public Uploads(JdbcClient jdbc, TransactionTemplate transactions, Spaces spaces, Files files, Blobs blobs,
      ObjectStore store, ObjectDeletions deletions, RunningDigests digests, Audit audit, Outbox outbox,
      NetdiskProperties properties, Clock clock) {
    this.jdbc = jdbc;
    this.transactions = transactions;
    this.spaces = spaces;
    this.files = files;
    this.blobs = blobs;
    this.store = store;
    this.deletions = deletions;
    this.digests = digests;
    this.audit = audit;
    this.outbox = outbox;
    this.properties = properties;
    this.clock = clock;
  }

  /** Where a file goes: a folder (null: the top) and a name, or a path from that folder. */
  public record Target(UUID parentId, String name, String path, OnConflict onConflict) {
  }

  /** What happens when a live file already has the name. */
  public enum OnConflict {
    /** The upload becomes its new version (the previous ones are kept). */
    VERSION,
    /** The upload becomes a new file beside it, "name (1).ext". */
    RENAME,
    /** The upload is refused (409). */
    FAIL
  }

  /** An upload started: either chunks to send, or (content already stored) a challenge to answer. */
  public record Started(Upload upload, Optional<Node> file) {
  }

  /** Starts an upload; the quota is held (or 507) and the size checked (or 413) before any byte is sent. */
  public Started start(Caller caller, UUID spaceId, Target target, long size, String sha256) {
    checkSize(size);
    if (sha256 != null && !sha256.matches("[0-9a-f]{64}")) {
      throw ApiException.badRequest("invalid-hash", "sha256 must be 64 lower-case hex digits.");
    }
    return transactions.execute(status -> {
      Space space = spaces.require(caller, spaceId, Role.EDITOR).space();
      Resolved resolved = resolve(space.id(), target, caller.id());
      spaces.reserve(space.id(), size);
      UUID id = UUID.randomUUID();
      String objectKey = "blobs/" + UUID.randomUUID();
      OffsetDateTime expires = OffsetDateTime.now(clock).plus(properties.uploadExpiry());
      boolean stored = sha256 != null && blobs.find(sha256).filter(b -> b.size() == size).isPresent();
      if (size == 0 || stored) {
        // content already here: no bytes to send, only a proof of holding them (nothing to prove for no bytes)
        long length = Math.min(size, CHALLENGE_LENGTH);
        long offset = size - length == 0 ? 0 : (long) (random.nextDouble() * (size - length + 1));
        insert(id, space.id(), resolved, target.onConflict(), size, 1, sha256 == null ? EMPTY_SHA256 : sha256,
            objectKey, null, offset, (int) length, caller.id(), expires);
        audit.record(caller, "upload.start", space.id(), null, resolved.name() + " " + size + " bytes, instant");
        if (size == 0) {
          // the target was checked a moment ago in this transaction: a refusal here is not expected
          Outcome empty = completeInstant(caller, id, null);
          if (empty.refusal() != null) {
            throw empty.refusal();
          }
          return new Started(find(id).orElseThrow(), Optional.of(empty.file()));
        }
        return new Started(find(id).orElseThrow(), Optional.empty());
      }
      String s3UploadId = store.createMultipart(objectKey);
      insert(id, space.id(), resolved, target.onConflict(), size, chunkSize(size), sha256, objectKey, s3UploadId, null,
          null, caller.id(), expires);
      audit.record(caller, "upload.start", space.id(), null, resolved.name() + " " + size + " bytes");
      return new Started(find(id).orElseThrow(), Optional.empty());
    });
  }

  static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

  /** The upload, if the caller started it: others get 404. */
  public Upload owned(Caller caller, UUID id) {
    caller.requireUser("Uploads");
    return find(id).filter(u -> u.createdBy().equals(caller.id())).orElseThrow(() -> ApiException.notFound("upload", id));
  }

  public List<Chunk> chunks(UUID id) {
    return jdbc.sql("select number, size, sha256 from upload_chunk where upload_id = ? order by number").param(id)
        .query(RecordRows.of(Chunk.class)).list();
  }

  /** A chunk received. */
  public record Chunk(int number, long size, String sha256) {
  }

  /**
   * Receives chunk {@code number}: streamed to the store as its part while hashed, and recorded only when its
   * SHA-256 is the one declared; a chunk sent again replaces the earlier one.
   */
  public Chunk receiveChunk(Caller caller, UUID id, int number, String declaredSha256, long contentLength,
      InputStream body) {
    Upload upload = owned(caller, id);
    requireOpen(upload);
    if (upload.instant()) {
      throw ApiException.conflict("instant-upload", "This upload's content is stored already: answer its challenge"
          + " (POST .../complete with proof), no chunks are needed.");
    }
    if (number < 0 || number >= upload.chunks()) {
      throw ApiException.badRequest("chunk-out-of-range", "This upload has chunks 0 to " + (upload.chunks() - 1) + ".");
    }
    if (declaredSha256 == null || !declaredSha256.matches("[0-9a-f]{64}")) {
      throw ApiException.badRequest("chunk-hash-missing", "Send the chunk's SHA-256 as 64 lower-case hex digits in"
          + " the header X-Chunk-SHA256.");
    }
    long expected = upload.chunkLength(number);
    if (contentLength != expected) {
      throw ApiException.badRequest("chunk-size", "Chunk " + number + " is " + expected + " bytes (chunks of "
          + upload.chunkSize() + " bytes, the last one the rest); this request says " + contentLength
          + " (Content-Length is required).");
    }
    MessageDigest chunkDigest = RunningDigests.sha256();
    Optional<MessageDigest> running = digests.before(id, number);
    Hashing hashed = new Hashing(body, chunkDigest, running.orElse(null));
    String etag;
    try {
      etag = store.uploadPart(upload.objectKey(), upload.s3UploadId(), number + 1, hashed, expected);
    } catch (RuntimeException e) {
      if (hashed.count() < expected) {
        // the body ended early (a dropped connection): the part is not recorded, and is replaced when sent again
        throw ApiException.badRequest("chunk-incomplete", "Chunk " + number + " ended after " + hashed.count()
            + " of " + expected + " bytes; send it again.");
      }
      throw new ApiException(HttpStatus.BAD_GATEWAY, "store-failed", "The object store did not take the chunk",
          "Chunk " + number + " was not stored (" + e.getMessage() + "); send it again.");
    }
    String actual = HEX.formatHex(chunkDigest.digest());
    if (!actual.equals(declaredSha256)) {
      throw ApiException.badRequest("chunk-hash-mismatch", "Chunk " + number + " has the SHA-256 " + actual + ", not "
          + declaredSha256 + " as declared: it was not kept; send it again.");
    }
    int recorded = jdbc.sql("insert into upload_chunk (upload_id, number, size, sha256, etag)"
            + " select ?, ?, ?, ?, ? where exists (select 1 from upload where id = ? and state = 'OPEN')"
            + " on conflict (upload_id, number) do update set size = excluded.size, sha256 = excluded.sha256,"
            + " etag = excluded.etag")
        .params(id, number, expected, actual, etag, id).update();
    if (recorded == 0) {
      throw ApiException.conflict("upload-closed", "The upload was completed or abandoned meanwhile.");
    }
    running.ifPresent(digest -> digests.after(id, number, actual, digest));
    return new Chunk(number, expected, actual);
  }

  /** What completing gave: the file, or a refusal to raise after the upload's end was committed. */
  private record Outcome(Node file, ApiException refusal) {
  }

  /**
   * Completes an upload: every chunk must be there; the parts become one object, the content's SHA-256 (from
   * the running digest, or read back) is checked against the declared one, and the file (or its new version)
   * appears. Content stored meanwhile by another upload is kept once.
   */
  public Node complete(Caller caller, UUID id, String proof) {
    Upload upload = owned(caller, id);
    if (upload.instant()) {
      Outcome outcome = transactions.execute(status -> completeInstant(caller, id, proof));
      if (outcome.refusal() != null) {
        throw outcome.refusal();
      }
      return outcome.file();
    }
    Outcome outcome = transactions.execute(status -> {
      Upload locked = lock(id);
      requireOpen(locked);
      List<Chunk> chunks = chunks(id);
      if (chunks.size() != locked.chunks()) {
        List<Integer> missing = new java.util.ArrayList<>();
        for (int n = 0, i = 0; n < locked.chunks() && missing.size() < 20; n++) {
          if (i < chunks.size() && chunks.get(i).number() == n) {
            i++;
          } else {
            missing.add(n);
          }
        }
        throw ApiException.conflict("upload-incomplete", "Chunks " + missing + (missing.size() == 20 ? " and more" : "")
            + " have not arrived; send them, then complete.");
      }
      List<CompletedPart> parts = jdbc.sql("select number, etag from upload_chunk where upload_id = ? order by number")
          .param(id).query((rs, row) -> CompletedPart.builder().partNumber(rs.getInt(1) + 1).eTag(rs.getString(2))
              .build()).list();
      store.completeMultipart(locked.objectKey(), locked.s3UploadId(), parts);
      String sha256 = digests.finish(id, chunks.stream().map(Chunk::sha256).toList()).map(HEX::formatHex)
          .orElseGet(() -> readBack(locked));
      if (locked.sha256() != null && !locked.sha256().equals(sha256)) {
        end(locked, "ABORTED");
        deletions.request(locked.objectKey(), null);
        audit.record(caller.id(), "upload.complete", "refused", locked.spaceId(), null, locked.name() + ": content "
            + sha256 + " declared " + locked.sha256());
        return new Outcome(null, new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "content-hash-mismatch",
            "Content does not match its hash", "The chunks put together have the SHA-256 " + sha256 + ", not "
                + locked.sha256() + " as declared. Nothing was kept; upload the file again."));
      }
      blobs.adopt(sha256, locked.size(), locked.objectKey());
      return placeOrRefuse(caller, locked, sha256);
    });
    if (outcome.refusal() != null) {
      throw outcome.refusal();
    }
    return outcome.file();
  }

  /** Content already stored: the proof must be the SHA-256 of the challenge range of it. */
  private Outcome completeInstant(Caller caller, UUID id, String proof) {
    Upload locked = lock(id);
    requireOpen(locked);
    if (locked.size() > 0) {
      String objectKey = blobs.find(locked.sha256()).map(Blobs.Blob::objectKey).orElseThrow(() -> contentGone(locked));
      String expected;
      try (InputStream range = store.get(objectKey, locked.challengeOffset(),
          locked.challengeOffset() + locked.challengeLength() - 1)) {
        MessageDigest digest = RunningDigests.sha256();
        digest.update(range.readAllBytes());
        expected = HEX.formatHex(digest.digest());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      if (proof == null || !MessageDigest.isEqual(expected.getBytes(), proof.getBytes())) {
        audit.record(caller.id(), "upload.proof", "refused", locked.spaceId(), null, locked.name());
        throw ApiException.forbidden("The proof is not the SHA-256 of bytes " + locked.challengeOffset() + " to "
            + (locked.challengeOffset() + locked.challengeLength() - 1) + " of the content: send those bytes' hash,"
            + " or upload the file with chunks.");
      }
      if (!blobs.reference(locked.sha256())) {
        throw contentGone(locked);
      }
    } else if (!blobs.reference(EMPTY_SHA256)) {
      store.put(locked.objectKey(), InputStream.nullInputStream(), 0);
      blobs.adopt(EMPTY_SHA256, 0, locked.objectKey());
    }
    return placeOrRefuse(caller, locked, locked.sha256());
  }

  private static ApiException contentGone(Upload upload) {
    return ApiException.conflict("content-gone", "The content with SHA-256 " + upload.sha256() + " was deleted since"
        + " the upload started; start it again without the hash and send the chunks.");
  }

  /** The file (or new version) for completed content; the blob reference is taken, the reservation becomes use. */
  private Node place(Caller caller, Upload upload, String sha256) {
    Optional<Node> existing = Optional.ofNullable(upload.replaces()).flatMap(files::find).filter(n -> !n.trashed())
        .or(() -> files.child(upload.spaceId(), upload.parentId(), upload.name()));
    // every refusal before the first write (newFile's own too): the caller then drops the content's reference and
    // ends the upload
    boolean newVersion = existing.isPresent() && !existing.get().folder()
        && OnConflict.valueOf(upload.onConflict()) == OnConflict.VERSION;
    String name = upload.name();
    if (!newVersion) {
      if (existing.isPresent()) {
        if (OnConflict.valueOf(upload.onConflict()) == OnConflict.FAIL || existing.get().folder()) {
          throw ApiException.conflict("name-taken", "Something called '" + name + "' arrived here meanwhile;"
              + " nothing was kept.");
        }
        name = freeName(upload.spaceId(), upload.parentId(), name);
      }
      files.requireFolder(upload.spaceId(), upload.parentId());
    }
    Node file = newVersion ? files.newVersion(existing.get(), sha256, upload.size(), caller.id())
        : files.newFile(upload.spaceId(), upload.parentId(), name, sha256, upload.size(), caller.id()).orElse(null);
    if (file == null) {
      // the same name made at the same moment by another upload: its next version, or refused
      String taken = name;
      Node other = files.child(upload.spaceId(), upload.parentId(), name).filter(n -> !n.folder())
          .filter(n -> OnConflict.valueOf(upload.onConflict()) == OnConflict.VERSION)
          .orElseThrow(() -> ApiException.conflict("name-taken", "Something called '" + taken + "' arrived here at"
              + " the same moment; nothing was kept."));
      file = files.newVersion(other, sha256, upload.size(), caller.id());
      newVersion = true;
    }
    spaces.useReserved(upload.spaceId(), upload.size());
    String action = newVersion ? "file.version" : "file.create";
    end(upload, "COMPLETED");
    jdbc.sql("update upload set node_id = ? where id = ?").params(file.id(), upload.id()).update();
    digests.forget(upload.id());
    audit.record(caller, action, upload.spaceId(), file.id(), file.name() + " v" + file.version() + " "
        + file.size() + " bytes sha256 " + sha256);
    announce(caller, file);
    return file;
  }

  /**
   * {@link #place}, or the refusal it raised with the content's reference dropped (its object deleted when it
   * was the last) and the upload ended, so that committing keeps nothing of it.
   */
  private Outcome placeOrRefuse(Caller caller, Upload upload, String sha256) {
    try {
      return new Outcome(place(caller, upload, sha256), null);
    } catch (ApiException refused) {
      blobs.release(sha256);
      end(upload, "ABORTED");
      audit.record(caller.id(), "upload.complete", "refused", upload.spaceId(), null, upload.name() + ": "
          + refused.getMessage());
      return new Outcome(null, refused);
    }
  }

  /** A file arriving in a department's space is announced to the department. */
  private void announce(Caller caller, Node file) {
    Space space = spaces.find(file.spaceId()).orElseThrow();
    if (space.kind() == Space.Kind.DEPARTMENT) {
      outbox.announcement("netdisk:" + file.id() + ":v" + file.version(), space.ownerId(),
          file.name() + (file.version() > 1 ? " (version " + file.version() + ")" : "") + " in " + space.name(),
          caller.id() + " put " + file.name() + " in the space " + space.name() + ": " + properties.publicBase()
              + "/files/" + file.id());
    }
  }

  /** Abandons an upload: its chunks go, its quota is released. */
  public void abort(Caller caller, UUID id) {
    owned(caller, id);
    transactions.executeWithoutResult(status -> {
      Upload locked = lock(id);
      requireOpen(locked);
      end(locked, "ABORTED");
      if (!locked.instant()) {
        deletions.request(locked.objectKey(), locked.s3UploadId());
      }
      audit.record(caller, "upload.abort", locked.spaceId(), null, locked.name());
    });
  }

  /** Uploads not completed in time are abandoned (any replica; each claimed by one). */
  @Scheduled(fixedDelayString = "${ATRIUM_NETDISK_EXPIRY_INTERVAL:5m}", initialDelayString = "30s")
  public void expire() {
    transactions.executeWithoutResult(status -> {
      List<Upload> expired = jdbc.sql("select " + Upload.COLUMNS + " from upload where state = 'OPEN'"
          + " and expires_at < ? order by expires_at limit 100 for update skip locked")
          .param(OffsetDateTime.now(clock)).query(RecordRows.of(Upload.class)).list();
      for (Upload upload : expired) {
        end(upload, "ABORTED");
        if (!upload.instant()) {
          deletions.request(upload.objectKey(), upload.s3UploadId());
        }
        audit.record("netdisk", "upload.expire", "ok", upload.spaceId(), null, upload.name());
      }
    });
  }

  /**
   * A file of at most 5 GiB in one request (S3's limit for one object): the quota is held first, the bytes
   * streamed to the store while hashed, then the file appears. {@code declaredSha256}, when given, must match.
   */
  public Node putWhole(Caller caller, UUID spaceId, Target target, long size, String declaredSha256, InputStream body) {
    checkSize(size);
    if (size > 5L * 1024 * 1024 * 1024) {
      throw new ApiException(HttpStatus.CONTENT_TOO_LARGE, "use-chunks", "Too large for one request",
          "One request carries at most 5 GiB; upload larger files in chunks (POST .../uploads).");
    }
    UUID id = UUID.randomUUID();
    String objectKey = "blobs/" + UUID.randomUUID();
    Upload upload = transactions.execute(status -> {
      Space space = spaces.require(caller, spaceId, Role.EDITOR).space();
      Resolved resolved = resolve(space.id(), target, caller.id());
      spaces.reserve(space.id(), size);
      insert(id, space.id(), resolved, target.onConflict(), size, (int) Math.max(1, Math.min(size, Integer.MAX_VALUE)),
          declaredSha256, objectKey, "", null, null, caller.id(), OffsetDateTime.now(clock).plus(properties.uploadExpiry()));
      return find(id).orElseThrow();
    });
    MessageDigest digest = RunningDigests.sha256();
    try {
      store.put(objectKey, new Hashing(body, digest, null), size);
    } catch (RuntimeException e) {
      transactions.executeWithoutResult(status -> {
        end(lock(id), "ABORTED");
        deletions.request(objectKey, null);
      });
      if (e instanceof ApiException refused) {
        throw refused;
      }
      // the store refused or failed (the SDK cannot retry a streamed body), or the body ended early
      throw new ApiException(HttpStatus.BAD_GATEWAY, "store-failed", "The file was not stored",
          "Nothing was kept (" + e.getMessage() + "); send it again.");
    }
    String sha256 = HEX.formatHex(digest.digest());
    Outcome outcome = transactions.execute(status -> {
      Upload locked = lock(upload.id());
      if (declaredSha256 != null && !declaredSha256.equals(sha256)) {
        end(locked, "ABORTED");
        deletions.request(objectKey, null);
        return new Outcome(null, new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "content-hash-mismatch",
            "Content does not match its hash", "The content has the SHA-256 " + sha256 + ", not " + declaredSha256
                + " as declared. Nothing was kept."));
      }
      blobs.adopt(sha256, size, objectKey);
      return placeOrRefuse(caller, locked, sha256);
    });
    if (outcome.refusal() != null) {
      throw outcome.refusal();
    }
    return outcome.file();
  }

  private void checkSize(long size) {
    if (size < 0) {
      throw ApiException.badRequest("invalid-size", "size must be 0 or more.");
    }
    if (size > properties.maxFileSize().toBytes()) {
      throw new ApiException(HttpStatus.CONTENT_TOO_LARGE, "file-too-large", "File too large", "The file is " + size
          + " bytes; files of at most " + properties.maxFileSize().toBytes() + " bytes are accepted"
          + " (ATRIUM_NETDISK_MAX_FILE_SIZE). Nothing was stored.");
    }
  }

  private int chunkSize(long size) {
    long configured = properties.chunkSize().toBytes();
    long needed = (size + MAX_PARTS - 1) / MAX_PARTS;
    long mib = 1024 * 1024;
    return (int) Math.max(configured, (needed + mib - 1) / mib * mib);
  }

  private record Resolved(UUID parentId, String name, UUID replaces) {
  }

  /** The folder (made when a path names missing ones) and name, and the live file of that name, if any. */
  private Resolved resolve(UUID spaceId, Target target, String by) {
    UUID parent = target.parentId();
    files.requireFolder(spaceId, parent);
    String name;
    if (target.path() != null) {
      List<String> names = Names.path(target.path());
      parent = files.folders(spaceId, parent, names.subList(0, names.size() - 1), by);
      name = names.getLast();
    } else {
      name = Names.check(target.name());
    }
    Optional<Node> existing = files.child(spaceId, parent, name);
    if (existing.isPresent()) {
      if (existing.get().folder()) {
        throw ApiException.conflict("name-taken", "There is a folder called '" + name + "' here.");
      }
      if (target.onConflict() == OnConflict.FAIL) {
        throw ApiException.conflict("name-taken", "There is a file called '" + name + "' here already (id "
            + existing.get().id() + "); upload with onConflict VERSION or RENAME.");
      }
    }
    return new Resolved(parent, name, existing.filter(n -> target.onConflict() == OnConflict.VERSION).map(Node::id)
        .orElse(null));
  }

  private String freeName(UUID spaceId, UUID parentId, String name) {
    int dot = name.lastIndexOf('.');
    String stem = dot > 0 ? name.substring(0, dot) : name;
    String extension = dot > 0 ? name.substring(dot) : "";
    for (int n = 1; ; n++) {
      String candidate = stem + " (" + n + ")" + extension;
      if (files.child(spaceId, parentId, candidate).isEmpty()) {
        return candidate;
      }
    }
  }

  private void insert(UUID id, UUID spaceId, Resolved resolved, OnConflict onConflict, long size, int chunkSize,
      String sha256, String objectKey, String s3UploadId, Long challengeOffset, Integer challengeLength, String by,
      OffsetDateTime expires) {
    jdbc.sql("insert into upload (id, space_id, parent_id, name, replaces, on_conflict, size, chunk_size, sha256,"
            + " object_key, s3_upload_id, state, challenge_offset, challenge_length, created_by, expires_at)"
            + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'OPEN', ?, ?, ?, ?)")
        .params(id, spaceId, resolved.parentId(), resolved.name(), resolved.replaces(), onConflict.name(), size,
            chunkSize, sha256, objectKey, s3UploadId, challengeOffset, challengeLength, by, expires).update();
  }

  public Optional<Upload> find(UUID id) {
    return jdbc.sql("select " + Upload.COLUMNS + " from upload where id = ?").param(id).query(RecordRows.of(Upload.class)).optional();
  }

  private Upload lock(UUID id) {
    return jdbc.sql("select " + Upload.COLUMNS + " from upload where id = ? for update").param(id).query(RecordRows.of(Upload.class))
        .single();
  }

  private void end(Upload upload, String state) {
    jdbc.sql("update upload set state = ? where id = ?").params(state, upload.id()).update();
    if (!"COMPLETED".equals(state)) {
      spaces.unreserve(upload.spaceId(), upload.size()); // a completed one's reservation became use (place)
    }
    digests.forget(upload.id());
  }

  private static void requireOpen(Upload upload) {
    if (!"OPEN".equals(upload.state())) {
      throw ApiException.conflict("upload-closed", "This upload is " + upload.state().toLowerCase()
          + (upload.nodeId() != null ? " (file " + upload.nodeId() + ")" : "") + ".");
    }
  }

  /** The content read back from the store and hashed: when this replica did not see every chunk in order. */
  private String readBack(Upload upload) {
    MessageDigest digest = RunningDigests.sha256();
    try (InputStream in = store.get(upload.objectKey(), null, null)) {
      byte[] buffer = new byte[256 * 1024];
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + upload.objectKey() + " back", e);
    }
    return HEX.formatHex(digest.digest());
  }

  /** Feeds what is read into the chunk's digest and, when given, the file's running digest. */
  private static final class Hashing extends FilterInputStream {
    private final MessageDigest first;
    private final MessageDigest second;
    private long count;

    Hashing(InputStream in, MessageDigest first, MessageDigest second) {
      super(in);
      this.first = first;
      this.second = second;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
        first.update((byte) b);
        if (second != null) {
          second.update((byte) b);
        }
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      if (n > 0) {
        count += n;
        first.update(buffer, offset, n);
        if (second != null) {
          second.update(buffer, offset, n);
        }
      }
      return n;
    }

    @Override
    public boolean markSupported() {
      return false;
    }

    /** The bytes read so far. */
    long count() {
      return count;
    }
  }
}
