package dev.atrium.netdisk.space;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atrium.service.security.Caller;
import dev.atrium.service.web.ApiException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class AccessTest {

  static final Caller ALICE = new Caller("alice", Caller.Kind.USER, Set.of("sales-east", "sales", "company"));
  static final Caller APP = new Caller("webos", Caller.Kind.APP, Set.of());

  @Test
  void aPersonalSpaceIsItsOwnersAlone() {
    Space own = space(Space.Kind.PERSONAL, "alice");
    assertThat(Access.roleOf(ALICE, own, List.of())).contains(Role.OWNER);
    assertThat(Access.roleOf(ALICE, space(Space.Kind.PERSONAL, "bob"), List.of())).isEmpty();
    assertThat(Access.roleOf(APP, own, List.of())).isEmpty();
  }

  @Test
  void theHighestGrantNamingThePersonOrADepartmentAboveThemCounts() {
    Space team = space(Space.Kind.TEAM, "bob");
    List<Access.Grant> grants = List.of(
        new Access.Grant(Access.PrincipalType.DEPARTMENT, "company", Role.VIEWER),
        new Access.Grant(Access.PrincipalType.DEPARTMENT, "sales", Role.EDITOR),
        new Access.Grant(Access.PrincipalType.USER, "carol", Role.OWNER));
    assertThat(Access.roleOf(ALICE, team, grants)).contains(Role.EDITOR);
    assertThat(Access.roleOf(ALICE, team, grants.subList(0, 1))).contains(Role.VIEWER);
    assertThat(Access.roleOf(ALICE, team, grants.subList(2, 3))).isEmpty();
  }

  @Test
  void noRoleIsNotFoundAndTooLowARoleIsForbidden() {
    assertThatThrownBy(() -> Access.require(Optional.empty(), Role.VIEWER, "space", "x"))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.problem().getStatus()).isEqualTo(404));
    assertThatThrownBy(() -> Access.require(Optional.of(Role.VIEWER), Role.EDITOR, "space", "x"))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.problem().getStatus()).isEqualTo(403));
    assertThat(Access.require(Optional.of(Role.OWNER), Role.EDITOR, "space", "x")).isEqualTo(Role.OWNER);
  }

  private static Space space(Space.Kind kind, String owner) {
    return new Space(UUID.randomUUID(), kind, "s", owner, 100, 0, 0, OffsetDateTime.now());
  }
}
