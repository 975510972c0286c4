package dev.atrium.webos.market;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atrium.service.web.ApiException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The lifecycle's state machine: each transition from each state, and what it puts on the gateway. */
class RolloutTest {

  private static final Rollout LIVE_V1 = Rollout.unlisted().approve("v1", null);

  @Test
  void theFirstApprovalListsTheAppWithItsVersionWhole() {
    assertThat(Rollout.unlisted().weights()).isEmpty();
    assertThat(LIVE_V1).isEqualTo(new Rollout(AppStatus.LISTED, "v1", null, null));
    assertThat(LIVE_V1.weights()).isEqualTo(Map.of("v1", 100));
    assertConflict(() -> Rollout.unlisted().approve("v1", 10), "first version goes live whole");
  }

  @Test
  void aGrayReleaseSharesTheWeightsUntilPromoted() {
    Rollout gray = LIVE_V1.approve("v2", 10);
    assertThat(gray.weights()).containsExactly(Map.entry("v1", 90), Map.entry("v2", 10));
    assertThat(gray.regray(30).weights()).containsExactly(Map.entry("v1", 70), Map.entry("v2", 30));
    assertConflict(() -> gray.approve("v3", null), "v2 is on a gray release");
    Rollout promoted = gray.promote();
    assertThat(promoted.weights()).isEqualTo(Map.of("v2", 100));
    assertConflict(promoted::promote, "no version is on a gray release");
    assertConflict(() -> promoted.regray(20), "no version is on a gray release");
  }

  @Test
  void rollingBackEndsAGrayReleaseOrReturnsToThePreviousVersion() {
    Rollout gray = LIVE_V1.approve("v2", 10);
    assertThat(gray.rolledBackVersion()).isEqualTo("v2");
    assertThat(gray.rollBack(null)).isEqualTo(LIVE_V1);
    Rollout v2 = LIVE_V1.approve("v2", null);
    assertThat(v2.rolledBackVersion()).isEqualTo("v2");
    assertThat(v2.rollBack("v1")).isEqualTo(LIVE_V1);
    assertConflict(() -> LIVE_V1.rollBack(null), "no version was live before v1");
    assertConflict(() -> Rollout.unlisted().rollBack("v0"), "only a listed app");
  }

  @Test
  void aWithdrawnAppLeavesTheGatewayAndComesBackWithItsLiveVersion() {
    Rollout withdrawn = LIVE_V1.approve("v2", 10).withdraw();
    assertThat(withdrawn).isEqualTo(new Rollout(AppStatus.WITHDRAWN, "v1", null, null));
    assertThat(withdrawn.weights()).isEmpty();
    assertConflict(withdrawn::withdraw, "only a listed app");
    assertConflict(() -> withdrawn.approve("v3", null), "withdrawn");
    assertConflict(withdrawn::promote, "only a listed app");
    assertThat(withdrawn.republish()).isEqualTo(LIVE_V1);
    assertConflict(LIVE_V1::republish, "only a withdrawn app");
    assertConflict(Rollout.unlisted()::withdraw, "only a listed app");
  }

  @Test
  void aGrayShareIsAlwaysBetweenOneAndNinetyNine() {
    assertThatThrownBy(() -> new Rollout(AppStatus.LISTED, "v1", "v2", 100))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Rollout(AppStatus.LISTED, "v1", "v2", null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static void assertConflict(Runnable transition, String why) {
    assertThatThrownBy(transition::run).isInstanceOfSatisfying(ApiException.class, e -> {
      assertThat(e.problem().getStatus()).isEqualTo(409);
      assertThat(e.problem().getType().toString()).endsWith("wrong-state");
      assertThat(e.problem().getDetail()).contains(why);
    });
  }
}
