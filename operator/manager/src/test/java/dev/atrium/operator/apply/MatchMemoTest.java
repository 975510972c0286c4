package dev.atrium.operator.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import org.junit.jupiter.api.Test;

class MatchMemoTest {

  private static ConfigMap live(String uid, String resourceVersion) {
    return new ConfigMapBuilder().withNewMetadata().withName("c").withUid(uid).withResourceVersion(resourceVersion)
        .endMetadata().build();
  }

  @Test
  void aMatchHoldsOnlyWhileNeitherTheLiveObjectNorTheDesiredOneChanges() {
    MatchMemo memo = new MatchMemo(10);
    memo.remember(live("u1", "100"), "hash-a");

    assertThat(memo.matched(live("u1", "100"), "hash-a")).isTrue();
    assertThat(memo.matched(live("u1", "101"), "hash-a")).as("edited since (a hand edit, a status update)").isFalse();
    assertThat(memo.matched(live("u1", "100"), "hash-b")).as("the operator wants something else now").isFalse();
    assertThat(memo.matched(live("u2", "100"), "hash-a")).as("another object").isFalse();
  }

  @Test
  void objectsWithoutUidOrVersionAreNeverRemembered() {
    MatchMemo memo = new MatchMemo(10);
    memo.remember(live(null, "100"), "h");
    memo.remember(live("u1", null), "h");

    assertThat(memo.size()).isZero();
    assertThat(memo.matched(live(null, "100"), "h")).isFalse();
  }

  @Test
  void theLeastRecentlyUsedAreForgottenBeyondTheCapacity() {
    MatchMemo memo = new MatchMemo(2);
    memo.remember(live("u1", "1"), "h");
    memo.remember(live("u2", "1"), "h");
    assertThat(memo.matched(live("u1", "1"), "h")).isTrue(); // u1 used, u2 is now the eldest
    memo.remember(live("u3", "1"), "h");

    assertThat(memo.size()).isEqualTo(2);
    assertThat(memo.matched(live("u2", "1"), "h")).isFalse();
    assertThat(memo.matched(live("u1", "1"), "h")).isTrue();
    assertThat(memo.matched(live("u3", "1"), "h")).isTrue();
  }

  @Test
  void aZeroCapacityMemoRemembersNothing() {
    MatchMemo memo = new MatchMemo(0);
    memo.remember(live("u1", "1"), "h");

    assertThat(memo.matched(live("u1", "1"), "h")).isFalse();
  }
}
