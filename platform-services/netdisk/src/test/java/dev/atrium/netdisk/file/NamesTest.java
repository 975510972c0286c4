package dev.atrium.netdisk.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atrium.service.web.ApiException;
import org.junit.jupiter.api.Test;

class NamesTest {

  @Test
  void ordinaryNamesInAnyScriptPass() {
    assertThat(Names.check("季度报告 v2.final.xlsx")).isEqualTo("季度报告 v2.final.xlsx");
    assertThat(Names.check(".hidden")).isEqualTo(".hidden");
    assertThat(Names.path("/设计/2026/logo.psd")).containsExactly("设计", "2026", "logo.psd");
  }

  @Test
  void dotsSlashesControlsAndDisguisesAreRefusedWithTheirReason() {
    assertRefused("..", "invalid-name");
    assertRefused("a/b", "invalid-name");
    assertRefused("a\\b", "invalid-name");
    assertRefused("tab\there", "invalid-name");
    assertRefused("photo\u202Egnp.exe", "invalid-name");
    assertRefused("trailing ", "invalid-name");
    assertRefused("", "invalid-name");
    assertRefused("n".repeat(256), "name-too-long");
    assertRefused("😀".repeat(256), "name-too-long");
    // characters, not UTF-16 units or bytes, are counted
    assertThat(Names.check("😀".repeat(255))).hasSize(510);
  }

  @Test
  void pathsNameFoldersDownwardsOnly() {
    assertPathRefused("a/../b");
    assertPathRefused("./a");
    assertPathRefused("a//b");
    assertPathRefused("a/b/");
    assertPathRefused("a/".repeat(64) + "b");
  }

  private static void assertRefused(String name, String type) {
    assertThatThrownBy(() -> Names.check(name)).isInstanceOfSatisfying(ApiException.class,
        e -> assertThat(e.problem().getType().toString()).isEqualTo("urn:atrium:problem:" + type));
  }

  private static void assertPathRefused(String path) {
    assertThatThrownBy(() -> Names.path(path)).isInstanceOfSatisfying(ApiException.class,
        e -> assertThat(e.problem().getType().toString()).isEqualTo("urn:atrium:problem:invalid-path"));
  }
}
