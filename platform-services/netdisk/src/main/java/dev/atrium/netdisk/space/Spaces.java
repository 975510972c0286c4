package dev.atrium.netdisk.space;

import dev.atrium.netdisk.config.NetdiskProperties;
import dev.atrium.service.jdbc.RecordRows;
import dev.atrium.service.security.Caller;
import dev.atrium.service.web.ApiException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Spaces, their grants and their quota accounting. */
@Repository
public class Spaces {

  private static final String COLUMNS = "id, kind, name, owner_id, quota_bytes, used_bytes, reserved_bytes, created_at";

  private final JdbcClient jdbc;
  private final NetdiskProperties properties;

  public Spaces(JdbcClient jdbc, NetdiskProperties properties) {
    this.jdbc = jdbc;
    this.properties = properties;
  }

  public Optional<Space> find(UUID id) {
    return jdbc.sql("select " + COLUMNS + " from space where id = ?").param(id).query(RecordRows.of(Space.class)).optional();
  }

  /** The person's own space, made on first use with the personal quota. */
  public Space personal(Caller caller) {
    jdbc.sql("insert into space (id, kind, name, owner_id, quota_bytes) values (?, 'PERSONAL', ?, ?, ?)"
            + " on conflict do nothing")
        .params(UUID.randomUUID(), "Personal", caller.id(), properties.personalQuota().toBytes()).update();
    return jdbc.sql("select " + COLUMNS + " from space where kind = 'PERSONAL' and owner_id = ?").param(caller.id())
        .query(RecordRows.of(Space.class)).single();
  }

  /** Every space the person has a role in: their own, and those granting them or a department of theirs one. */
  public List<Space> visibleTo(Caller caller) {
    List<Space> spaces = new ArrayList<>();
    spaces.add(personal(caller));
    spaces.addAll(jdbc.sql("select " + COLUMNS + " from space where kind <> 'PERSONAL' and id in ("
            + " select space_id from space_member where principal_type = 'USER' and principal_id = :user"
            + " union select space_id from space_member where principal_type = 'DEPARTMENT'"
            + " and principal_id = any(:departments)) order by kind, name")
        .param("user", caller.id()).param("departments", caller.departments().toArray(String[]::new))
        .query(RecordRows.of(Space.class)).list());
    return spaces;
  }

  /** The ids of the spaces the person may see (for search). */
  public List<UUID> visibleIds(Caller caller) {
    return visibleTo(caller).stream().map(Space::id).toList();
  }

  public List<Access.Grant> grants(UUID spaceId) {
    return jdbc.sql("select principal_type, principal_id, role from space_member where space_id = ?"
        + " order by principal_type, principal_id").param(spaceId).query(RecordRows.of(Access.Grant.class)).list();
  }

  public Optional<Role> roleOf(Caller caller, Space space) {
    return Access.roleOf(caller, space, space.kind() == Space.Kind.PERSONAL ? List.of() : grants(space.id()));
  }

  /** A space and the caller's role in it, at least {@code needed}: else 404 or 403 ({@link Access#require}). */
  public Held require(Caller caller, UUID spaceId, Role needed) {
    Space space = find(spaceId).orElseThrow(() -> ApiException.notFound("space", spaceId));
    return new Held(space, Access.require(roleOf(caller, space), needed, "space", spaceId));
  }

  /** A space with the caller's role in it. */
  public record Held(Space space, Role role) {
  }

  public Space create(Space.Kind kind, String name, String ownerId, long quotaBytes) {
    UUID id = UUID.randomUUID();
    int inserted = jdbc.sql("insert into space (id, kind, name, owner_id, quota_bytes) values (?, ?, ?, ?, ?)"
        + " on conflict do nothing").params(id, kind.name(), name, ownerId, quotaBytes).update();
    if (inserted == 0) {
      throw ApiException.conflict("space-exists", "The department " + ownerId + " has a space already.");
    }
    return find(id).orElseThrow();
  }

  public void grant(UUID spaceId, Access.Grant grant) {
    jdbc.sql("insert into space_member (space_id, principal_type, principal_id, role) values (?, ?, ?, ?)"
            + " on conflict (space_id, principal_type, principal_id) do update set role = excluded.role")
        .params(spaceId, grant.principalType().name(), grant.principalId(), grant.role().name()).update();
  }

  public boolean withdraw(UUID spaceId, Access.PrincipalType type, String principalId) {
    return jdbc.sql("delete from space_member where space_id = ? and principal_type = ? and principal_id = ?")
        .params(spaceId, type.name(), principalId).update() == 1;
  }

  public void update(UUID spaceId, String name, Long quotaBytes) {
    jdbc.sql("update space set name = coalesce(?, name), quota_bytes = coalesce(?, quota_bytes) where id = ?")
        .params(name, quotaBytes, spaceId).update();
  }

  /**
   * Holds {@code bytes} of the space's quota for an upload, before any of its bytes are accepted; refused (507)
   * when the space has not that much free. Concurrent uploads cannot overshoot: the check is the update's.
   */
  public void reserve(UUID spaceId, long bytes) {
    int updated = jdbc.sql("update space set reserved_bytes = reserved_bytes + :bytes where id = :id"
            + " and used_bytes + reserved_bytes + :bytes <= quota_bytes")
        .param("bytes", bytes).param("id", spaceId).update();
    if (updated == 0) {
      Space space = find(spaceId).orElseThrow();
      throw quotaExceeded(space, bytes);
    }
  }

  /** Lets go of a reservation (an upload completed, abandoned or refused). */
  public void unreserve(UUID spaceId, long bytes) {
    jdbc.sql("update space set reserved_bytes = greatest(0, reserved_bytes - ?) where id = ?").params(bytes, spaceId)
        .update();
  }

  /** Counts stored bytes (a new version) against the quota, which must hold them (a restored version). */
  public void use(UUID spaceId, long bytes) {
    int updated = jdbc.sql("update space set used_bytes = used_bytes + :bytes where id = :id"
            + " and used_bytes + reserved_bytes + :bytes <= quota_bytes")
        .param("bytes", bytes).param("id", spaceId).update();
    if (updated == 0) {
      throw quotaExceeded(find(spaceId).orElseThrow(), bytes);
    }
  }

  /** Turns a reservation into stored bytes (an upload completed). */
  public void useReserved(UUID spaceId, long bytes) {
    jdbc.sql("update space set reserved_bytes = greatest(0, reserved_bytes - :bytes), used_bytes = used_bytes + :bytes"
        + " where id = :id").param("bytes", bytes).param("id", spaceId).update();
  }

  /** Bytes that no longer count (a version or file deleted for good). */
  public void free(UUID spaceId, long bytes) {
    jdbc.sql("update space set used_bytes = greatest(0, used_bytes - ?) where id = ?").params(bytes, spaceId).update();
  }

  private static ApiException quotaExceeded(Space space, long bytes) {
    return new ApiException(HttpStatus.INSUFFICIENT_STORAGE, "quota-exceeded", "Quota exceeded",
        "The space '" + space.name() + "' has " + space.freeBytes() + " bytes free of its quota of "
            + space.quotaBytes() + "; " + bytes + " more do not fit. Nothing was stored. Delete files (and empty the"
            + " trash), or ask an administrator for a larger quota.");
  }
}
