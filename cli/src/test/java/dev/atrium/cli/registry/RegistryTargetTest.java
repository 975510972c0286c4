package dev.atrium.cli.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RegistryTargetTest {

  @Test
  void aHostWithAPathPrefixesEveryRepository() {
    RegistryTarget target = RegistryTarget.parse("reg.site:5000/mirror/atrium-1/");
    assertThat(target.host()).isEqualTo("reg.site:5000");
    assertThat(target.repository("atrium/postgresql")).isEqualTo("mirror/atrium-1/atrium/postgresql");
    assertThat(target.imageRegistry()).isEqualTo("reg.site:5000/mirror/atrium-1");
  }

  @Test
  void aHostAloneKeepsTheRepository() {
    RegistryTarget target = RegistryTarget.parse("127.0.0.1:5000");
    assertThat(target.repository("atrium/redis")).isEqualTo("atrium/redis");
    assertThat(target.imageRegistry()).isEqualTo("127.0.0.1:5000");
  }

  @Test
  void urlsAndMalformedNamesAreRefused() {
    assertThatThrownBy(() -> RegistryTarget.parse("https://reg.site")).hasMessageContaining("not a URL");
    assertThatThrownBy(() -> RegistryTarget.parse("reg.site/Upper")).hasMessageContaining("not a registry");
    assertThatThrownBy(() -> RegistryTarget.parse("reg site")).hasMessageContaining("not a registry");
  }
}
