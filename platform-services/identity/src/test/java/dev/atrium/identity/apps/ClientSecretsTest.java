package dev.atrium.identity.apps;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClientSecretsTest {

  private final ClientSecrets secrets = new ClientSecrets();

  @Test
  void aSecretMatchesItsHashAndNothingElse() {
    String secret = ClientSecrets.generate();
    String stored = secrets.encode(secret);
    assertThat(stored).startsWith("{sha256}").doesNotContain(secret);
    assertThat(secrets.matches(secret, stored)).isTrue();
    assertThat(secrets.matches(secret + "x", stored)).isFalse();
    assertThat(secrets.matches(secret, "{sha256}not-hex")).isFalse();
    assertThat(secrets.matches(secret, "{bcrypt}" + stored)).isFalse();
    assertThat(secrets.matches(null, stored)).isFalse();
  }

  @Test
  void generatedSecretsCarry256RandomBits() {
    assertThat(ClientSecrets.generate()).hasSize(43).isNotEqualTo(ClientSecrets.generate());
  }

  @Test
  void redirectUrisMustBeAbsoluteWithoutFragmentsOrWildcards() {
    AppService.checkRedirectUri("https://app.example.test/cb");
    for (String bad : new String[] {"/relative", "https://*.example.test/cb", "https://app.example.test/cb#x",
        "javascript:alert(1)", "ftp://app.example.test/"}) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> AppService.checkRedirectUri(bad))
          .as(bad).hasMessageContaining("not usable");
    }
  }
}
