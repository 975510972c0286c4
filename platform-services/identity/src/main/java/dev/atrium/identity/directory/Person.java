package dev.atrium.identity.directory;

import java.time.Instant;
import java.util.List;

/**
 * A person of the tenant. The id is the login name and every token's subject.
 *
 * @param departmentIds the departments the person is a member of (not their ancestors)
 */
public record Person(String id, String displayName, String email, String phone, Status status, boolean admin,
    Source source, String externalId, List<String> departmentIds, Instant createdAt, Instant updatedAt) {

  /** Whether a person may sign in. Nobody is ever deleted: a person who leaves is disabled. */
  public enum Status {
    ACTIVE, DISABLED;

    public String column() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Status of(String column) {
      return valueOf(column.toUpperCase(java.util.Locale.ROOT));
    }
  }

  public boolean active() {
    return status == Status.ACTIVE;
  }
}
