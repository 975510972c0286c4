package dev.atrium.webos.apps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WeightedChoiceTest {

  record Item(String name, int weight) {
  }

  private static final WeightedChoice<Item> NINETY_TEN = WeightedChoice.of(
      List.of(new Item("v1", 90), new Item("v2", 10)), Item::weight);

  @Test
  void eachPointFallsInItsItemsShare() {
    assertThat(NINETY_TEN.at(0).name()).isEqualTo("v1");
    assertThat(NINETY_TEN.at(89).name()).isEqualTo("v1");
    assertThat(NINETY_TEN.at(90).name()).isEqualTo("v2");
    assertThat(NINETY_TEN.at(99).name()).isEqualTo("v2");
    assertThatThrownBy(() -> NINETY_TEN.at(100)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aZeroWeightIsNeverChosen() {
    WeightedChoice<Item> choice = WeightedChoice.of(List.of(new Item("a", 0), new Item("b", 5), new Item("c", 0)),
        Item::weight);
    for (int i = 0; i < 5; i++) {
      assertThat(choice.at(i).name()).isEqualTo("b");
    }
    for (int i = 0; i < 1000; i++) {
      assertThat(choice.random().name()).isEqualTo("b");
    }
    assertThat(WeightedChoice.of(List.of(new Item("a", 0)), Item::weight).isEmpty()).isTrue();
    assertThatThrownBy(() -> WeightedChoice.of(List.of(new Item("a", -1)), Item::weight))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void randomFollowsTheWeights() {
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < 100_000; i++) {
      counts.merge(NINETY_TEN.random().name(), 1, Integer::sum);
    }
    assertThat(counts.get("v2")).isBetween(9_000, 11_000);
  }

  @Test
  void stickyIsStableAndStillFollowsTheWeightsOverManyPeople() {
    assertThat(NINETY_TEN.sticky("alice", "crm")).isEqualTo(NINETY_TEN.sticky("alice", "crm"));
    assertThat(WeightedChoice.hash("alice", "crm")).isEqualTo(WeightedChoice.hash("alice", "crm"))
        .isNotEqualTo(WeightedChoice.hash("alice", "erp"));
    int v2 = 0;
    for (int i = 0; i < 20_000; i++) {
      if (NINETY_TEN.sticky("person-" + i, "crm").name().equals("v2")) {
        v2++;
      }
    }
    assertThat(v2).isBetween(1_600, 2_400);
  }

  @Test
  void movingTheWeightsMovesOnlyThePeopleNearTheBoundary() {
    WeightedChoice<Item> fifty = WeightedChoice.of(List.of(new Item("v1", 50), new Item("v2", 50)), Item::weight);
    for (int i = 0; i < 5_000; i++) {
      String person = "person-" + i;
      if (NINETY_TEN.sticky(person, "crm").name().equals("v2")) {
        assertThat(fifty.sticky(person, "crm").name()).as(person).isEqualTo("v2");
      }
    }
  }
}
