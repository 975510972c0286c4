package dev.atrium.netdisk.space;

import dev.atrium.service.security.Caller;
import dev.atrium.service.web.ApiException;
import java.util.Collection;
import java.util.Optional;

/**
 * Who may do what in a space, decided from the caller and the space's grants alone. Someone with no role does
 * not learn that a space or file exists (404, as for one that does not); someone who may see it but not do
 * what they ask gets 403.
 */
public final class Access {

  private Access() {
  }

  /** A grant of a role to a person or a department. */
  public record Grant(PrincipalType principalType, String principalId, Role role) {
  }

  public enum PrincipalType {
    USER, DEPARTMENT
  }

  /** The caller's role: the owner of a personal space, else the highest of the grants that name them. */
  public static Optional<Role> roleOf(Caller caller, Space space, Collection<Grant> grants) {
    if (!caller.isUser()) {
      return Optional.empty();
    }
    if (space.kind() == Space.Kind.PERSONAL) {
      return space.ownerId().equals(caller.id()) ? Optional.of(Role.OWNER) : Optional.empty();
    }
    return grants.stream()
        .filter(grant -> grant.principalType() == PrincipalType.USER && grant.principalId().equals(caller.id())
            || grant.principalType() == PrincipalType.DEPARTMENT && caller.departments().contains(grant.principalId()))
        .map(Grant::role)
        .max(Enum::compareTo);
  }

  /** The role, if it is at least {@code needed}: else 404 (no role) or 403 (a lower one). */
  public static Role require(Optional<Role> role, Role needed, String what, Object id) {
    Role held = role.orElseThrow(() -> ApiException.notFound(what, id));
    if (!held.atLeast(needed)) {
      throw ApiException.forbidden("This needs the role " + needed + " in the space; you are " + held + ".");
    }
    return held;
  }
}
