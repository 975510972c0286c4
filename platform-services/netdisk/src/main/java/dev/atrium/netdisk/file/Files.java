package dev.atrium.netdisk.file;

import dev.atrium.netdisk.config.NetdiskProperties;
import dev.atrium.netdisk.space.Role;
import dev.atrium.netdisk.space.Space;
import dev.atrium.netdisk.space.Spaces;
import dev.atrium.netdisk.storage.Blobs;
import dev.atrium.service.jdbc.RecordRows;
import dev.atrium.service.security.Caller;
import dev.atrium.service.web.ApiException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Files and folders of the spaces: the tree, versions, the trash and deleting for good. Every method runs in
 * the caller's transaction; the controllers open them.
 */
@Service
public class Files {

  static final String COLUMNS = "id, space_id, parent_id, name, folder, size, sha256, version, created_by, created_at,"
      + " modified_by, modified_at, trashed_at, trashed_by, trash_root";

  private final JdbcClient jdbc;
  private final Spaces spaces;
  private final Blobs blobs;
  private final NetdiskProperties properties;
  private final Clock clock;

  public Files(JdbcClient jdbc, Spaces spaces, Blobs blobs, NetdiskProperties properties, Clock clock) {
    this.jdbc = jdbc;
    this.spaces = spaces;
    this.blobs = blobs;
    this.properties = properties;
    this.clock = clock;
  }

  /** A node with its space and the caller's role there. */
  public record Located(Node node, Space space, Role role) {
  }

  public Optional<Node> find(UUID id) {
    return jdbc.sql("select " + COLUMNS + " from node where id = ?").param(id).query(RecordRows.of(Node.class)).optional();
  }

  /**
   * The node if the caller holds at least {@code needed} in its space: 404 when they have no role or it does not
   * exist (or is in the trash and {@code inTrash} is false, or the reverse), 403 when their role is too low.
   */
  public Located locate(Caller caller, UUID id, Role needed, boolean inTrash) {
    caller.requireUser("Files");
    Node node = find(id).filter(n -> n.trashed() == inTrash)
        .orElseThrow(() -> ApiException.notFound(inTrash ? "file or folder in the trash" : "file or folder", id));
    Spaces.Held held;
    try {
      held = spaces.require(caller, node.spaceId(), needed);
    } catch (ApiException e) {
      if (e.problem().getStatus() == 404) {
        throw ApiException.notFound("file or folder", id);
      }
      throw e;
    }
    return new Located(node, held.space(), held.role());
  }

  /** A folder's contents (the space's top when {@code parentId} is null), folders first, by name. */
  public List<Node> children(UUID spaceId, UUID parentId) {
    return jdbc.sql("select " + COLUMNS + " from node where space_id = :space and parent_id is not distinct from :parent"
            + " and trashed_at is null order by folder desc, lower(name), name limit 10000")
        .param("space", spaceId).param("parent", parentId).query(RecordRows.of(Node.class)).list();
  }

  /** The live node called {@code name} in a folder (names are unique regardless of case). */
  public Optional<Node> child(UUID spaceId, UUID parentId, String name) {
    return jdbc.sql("select " + COLUMNS + " from node where space_id = :space and parent_id is not distinct from :parent"
            + " and lower(name) = lower(:name) and trashed_at is null")
        .param("space", spaceId).param("parent", parentId).param("name", name).query(RecordRows.of(Node.class)).optional();
  }

  /** Checks that {@code parentId} is a live folder of the space (null: the top). */
  public void requireFolder(UUID spaceId, UUID parentId) {
    if (parentId == null) {
      return;
    }
    Node parent = find(parentId).filter(n -> n.spaceId().equals(spaceId) && !n.trashed())
        .orElseThrow(() -> ApiException.notFound("folder", parentId));
    if (!parent.folder()) {
      throw ApiException.badRequest("not-a-folder", "'" + parent.name() + "' is a file, not a folder.");
    }
  }

  public Node createFolder(UUID spaceId, UUID parentId, String name, String by) {
    requireFolder(spaceId, parentId);
    Names.check(name);
    child(spaceId, parentId, name).ifPresent(existing -> {
      throw nameTaken(existing);
    });
    UUID id = UUID.randomUUID();
    jdbc.sql("insert into node (id, space_id, parent_id, name, folder, created_by, modified_by)"
        + " values (?, ?, ?, ?, true, ?, ?)").params(id, spaceId, parentId, name, by, by).update();
    return find(id).orElseThrow();
  }

  /**
   * The folder a path's names lead to from {@code parentId}, making the missing ones. Uploads at the same time
   * into the same new folder all land in the one folder: the insert yields to a concurrent one (the unique
   * index on live names decides) and the folder is then read.
   */
  public UUID folders(UUID spaceId, UUID parentId, List<String> names, String by) {
    UUID current = parentId;
    for (String name : names) {
      jdbc.sql("insert into node (id, space_id, parent_id, name, folder, created_by, modified_by)"
              + " values (?, ?, ?, ?, true, ?, ?) on conflict (space_id,"
              + " coalesce(parent_id, '00000000-0000-0000-0000-000000000000'::uuid), lower(name))"
              + " where trashed_at is null do nothing")
          .params(UUID.randomUUID(), spaceId, current, name, by, by).update();
      Node folder = child(spaceId, current, name).orElseThrow(() -> ApiException.conflict("name-taken",
          "The folder '" + name + "' was moved or deleted while it was being made; try again."));
      if (!folder.folder()) {
        throw ApiException.conflict("not-a-folder", "'" + name + "' in the path is a file, not a folder.");
      }
      current = folder.id();
    }
    return current;
  }

  /**
   * A new file with its first version; the caller holds a reference to the content's blob for it. Empty, with
   * nothing written, when a live node of that name was made meanwhile.
   */
  public Optional<Node> newFile(UUID spaceId, UUID parentId, String name, String sha256, long size, String by) {
    UUID id = UUID.randomUUID();
    int inserted = jdbc.sql("insert into node (id, space_id, parent_id, name, folder, size, sha256, version,"
            + " created_by, modified_by) values (?, ?, ?, ?, false, ?, ?, 1, ?, ?) on conflict (space_id,"
            + " coalesce(parent_id, '00000000-0000-0000-0000-000000000000'::uuid), lower(name))"
            + " where trashed_at is null do nothing")
        .params(id, spaceId, parentId, name, size, sha256, by, by).update();
    if (inserted == 0) {
      return Optional.empty();
    }
    jdbc.sql("insert into version (node_id, number, sha256, size, created_by) values (?, 1, ?, ?, ?)")
        .params(id, sha256, size, by).update();
    return find(id);
  }

  /**
   * A new current version of a file; the caller holds a reference to the content's blob for it and counted its
   * bytes. Versions beyond the number kept go, the oldest first, and their bytes stop counting.
   */
  public Node newVersion(Node file, String sha256, long size, String by) {
    Node locked = jdbc.sql("select " + COLUMNS + " from node where id = ? for update").param(file.id())
        .query(RecordRows.of(Node.class)).single();
    int number = locked.version() + 1;
    jdbc.sql("insert into version (node_id, number, sha256, size, created_by) values (?, ?, ?, ?, ?)")
        .params(file.id(), number, sha256, size, by).update();
    jdbc.sql("update node set size = ?, sha256 = ?, version = ?, modified_by = ?, modified_at = now() where id = ?")
        .params(size, sha256, number, by, file.id()).update();
    List<Version> dropped = jdbc.sql("delete from version where node_id = ? and number <= ?"
            + " returning node_id, number, sha256, size, created_by, created_at")
        .params(file.id(), number - properties.versionsKept()).query(RecordRows.of(Version.class)).list();
    for (Version version : dropped) {
      blobs.release(version.sha256());
      spaces.free(file.spaceId(), version.size());
    }
    return find(file.id()).orElseThrow();
  }

  /** Makes an earlier version's content the current one, as a new version (the ones in between stay). */
  public Node restoreVersion(Node file, int number, String by) {
    Version version = version(file.id(), number)
        .orElseThrow(() -> ApiException.notFound("version", file.name() + " v" + number));
    spaces.use(file.spaceId(), version.size());
    if (!blobs.reference(version.sha256())) {
      throw new IllegalStateException("the content of version " + number + " of " + file.id() + " is not stored");
    }
    return newVersion(file, version.sha256(), version.size(), by);
  }

  public List<Version> versions(UUID nodeId) {
    return jdbc.sql("select node_id, number, sha256, size, created_by, created_at from version where node_id = ?"
        + " order by number desc").param(nodeId).query(RecordRows.of(Version.class)).list();
  }

  public Optional<Version> version(UUID nodeId, int number) {
    return jdbc.sql("select node_id, number, sha256, size, created_by, created_at from version"
        + " where node_id = ? and number = ?").params(nodeId, number).query(RecordRows.of(Version.class)).optional();
  }

  /** Renames and/or moves a node within its space. */
  public Node rename(Node node, String name, UUID newParentId, boolean move, String by) {
    String newName = name == null ? node.name() : Names.check(name);
    UUID parent = move ? newParentId : node.parentId();
    requireFolder(node.spaceId(), parent);
    if (move && node.folder() && parent != null && isInside(parent, node.id())) {
      throw ApiException.badRequest("invalid-move", "A folder cannot move into itself or a folder inside it.");
    }
    child(node.spaceId(), parent, newName).filter(other -> !other.id().equals(node.id())).ifPresent(existing -> {
      throw nameTaken(existing);
    });
    jdbc.sql("update node set name = ?, parent_id = ?, modified_by = ?, modified_at = now() where id = ?")
        .params(newName, parent, by, node.id()).update();
    return find(node.id()).orElseThrow();
  }

  private boolean isInside(UUID folder, UUID ancestor) {
    return Boolean.TRUE.equals(jdbc.sql("""
        with recursive up(id, parent_id) as (
          select id, parent_id from node where id = :folder
          union all select n.id, n.parent_id from node n join up on n.id = up.parent_id)
        select exists (select 1 from up where id = :ancestor)""")
        .param("folder", folder).param("ancestor", ancestor).query(Boolean.class).single());
  }

  /** Moves a node and everything in it to the trash; shares of what is in the trash stop working. */
  public void trash(Node node, String by) {
    OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    jdbc.sql("""
        with recursive tree(id) as (
          select id from node where id = :root
          union all select n.id from node n join tree on n.parent_id = tree.id where n.trashed_at is null)
        update node set trashed_at = :now, trashed_by = :by, trash_root = (node.id = :root)
        where id in (select id from tree)""").param("root", node.id()).param("now", now).param("by", by).update();
  }

  /** Brings a trashed node (and what went to the trash with it) back where it was. */
  public Node restore(Node root, String by) {
    if (!root.trashRoot()) {
      throw ApiException.conflict("restore-folder", "'" + root.name() + "' went to the trash with its folder;"
          + " restore the folder.");
    }
    if (root.parentId() != null && find(root.parentId()).map(Node::trashed).orElse(true)) {
      throw ApiException.conflict("parent-in-trash", "The folder '" + root.name() + "' was in is in the trash;"
          + " restore it first.");
    }
    child(root.spaceId(), root.parentId(), root.name()).ifPresent(existing -> {
      throw ApiException.conflict("name-taken", "Something called '" + existing.name() + "' is there now; rename or"
          + " move it, then restore.");
    });
    jdbc.sql("""
        with recursive tree(id) as (
          select id from node where id = :root
          union all select n.id from node n join tree on n.parent_id = tree.id
            where n.trashed_at = :at and not n.trash_root)
        update node set trashed_at = null, trashed_by = null, trash_root = false, modified_by = :by,
          modified_at = case when node.id = :root then now() else node.modified_at end
        where id in (select id from tree)""")
        .param("root", root.id()).param("at", root.trashedAt()).param("by", by).update();
    return find(root.id()).orElseThrow();
  }

  /** What is in a space's trash: the nodes deleted (not what went with them). */
  public List<Node> trashOf(UUID spaceId) {
    return jdbc.sql("select " + COLUMNS + " from node where space_id = ? and trash_root order by trashed_at desc")
        .param(spaceId).query(RecordRows.of(Node.class)).list();
  }

  /**
   * Deletes a trashed node and everything in it for good: every version's reference to its content goes (and
   * the content with its last reference), their bytes stop counting, comments and share links go.
   *
   * @return the files deleted
   */
  public int purge(Node root) {
    List<UUID> tree = jdbc.sql("""
        with recursive tree(id) as (
          select id from node where id = :root
          union all select n.id from node n join tree on n.parent_id = tree.id)
        select id from tree""").param("root", root.id()).query(UUID.class).list();
    UUID[] ids = tree.toArray(UUID[]::new);
    List<Version> versions = jdbc.sql("delete from version where node_id = any(?)"
        + " returning node_id, number, sha256, size, created_by, created_at").param(ids).query(RecordRows.of(Version.class)).list();
    for (Version version : versions) {
      blobs.release(version.sha256());
      spaces.free(root.spaceId(), version.size());
    }
    jdbc.sql("delete from comment where node_id = any(?)").param(ids).update();
    jdbc.sql("delete from share where node_id = any(?)").param(ids).update();
    jdbc.sql("update upload set node_id = null where node_id = any(?)").param(ids).update();
    jdbc.sql("update upload set replaces = null where replaces = any(?)").param(ids).update();
    jdbc.sql("update upload set parent_id = null where parent_id = any(?)").param(ids).update();
    int files = jdbc.sql("select count(*) from node where id = any(?) and not folder").param(ids).query(Integer.class)
        .single();
    // one statement: a folder and what is in it go together (the parent reference is checked at its end)
    jdbc.sql("delete from node where id = any(?)").param(ids).update();
    return files;
  }

  /** Trash roots deleted longer ago than the retention, claimed for deleting (SKIP LOCKED: one replica each). */
  public List<Node> expiredTrash(int limit) {
    OffsetDateTime before = OffsetDateTime.now(clock).minus(properties.trashRetention());
    return jdbc.sql("select " + COLUMNS + " from node where trash_root and trashed_at < ? order by trashed_at limit ?"
        + " for update skip locked").params(before, limit).query(RecordRows.of(Node.class)).list();
  }

  /** The live files of the spaces whose name contains {@code text} and/or last changed by someone, newest first. */
  public List<Node> search(List<UUID> spaceIds, String text, String modifiedBy, int limit) {
    String pattern = text == null ? null : "%" + text.toLowerCase().replace("\\", "\\\\").replace("%", "\\%")
        .replace("_", "\\_") + "%";
    return jdbc.sql("select " + COLUMNS + " from node where space_id = any(:spaces) and trashed_at is null"
            + " and (cast(:pattern as text) is null or lower(name) like :pattern)"
            + " and (cast(:by as text) is null or modified_by = :by)"
            + " order by modified_at desc limit :limit")
        .param("spaces", spaceIds.toArray(UUID[]::new)).param("pattern", pattern).param("by", modifiedBy)
        .param("limit", limit).query(RecordRows.of(Node.class)).list();
  }

  static ApiException nameTaken(Node existing) {
    return ApiException.conflict("name-taken", "There is a " + (existing.folder() ? "folder" : "file") + " called '"
        + existing.name() + "' here already (id " + existing.id() + ").");
  }
}
