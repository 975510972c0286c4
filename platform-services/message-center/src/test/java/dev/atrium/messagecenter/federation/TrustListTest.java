package dev.atrium.messagecenter.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atrium.service.web.ApiException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class TrustListTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final TrustList acme = trustList("acme", true);

  @Test
  void anIdWithoutAnAtIsLocal() {
    assertThat(acme.remote("alice")).isEmpty();
  }

  @Test
  void userAtATrustedPeerIsRemote() {
    TrustList.RemoteUser bob = acme.remote("bob@globex").orElseThrow();
    assertThat(bob.localId()).isEqualTo("bob");
    assertThat(bob.peer().platform()).isEqualTo("globex");
    assertThat(bob.peer().endpoint()).hasToString("https://globex.example/federation");
    assertThat(bob.address()).isEqualTo("bob@globex");
  }

  @Test
  void untrustedOwnAndMalformedAddressesAreRefused() {
    assertThatThrownBy(() -> acme.remote("bob@initech")).isInstanceOfSatisfying(ApiException.class,
        e -> assertThat(e.problem().getType()).hasToString("urn:atrium:problem:unknown-peer"));
    assertThatThrownBy(() -> acme.remote("alice@acme")).isInstanceOfSatisfying(ApiException.class,
        e -> assertThat(e.problem().getDetail()).contains("name them 'alice'"));
    assertThatThrownBy(() -> acme.remote("@globex")).isInstanceOf(ApiException.class);
    assertThatThrownBy(() -> acme.remote("a@b@globex")).isInstanceOf(ApiException.class);
  }

  @Test
  void withoutAKeyNoPeerIsAddressable() {
    TrustList off = trustList("acme", false);
    assertThat(off.enabled()).isFalse();
    assertThatThrownBy(() -> off.remote("bob@globex")).isInstanceOfSatisfying(ApiException.class,
        e -> assertThat(e.problem().getDetail()).contains("federation is not configured"));
  }

  @Test
  void aPeerListThatIsNotAJsonArrayOfCompleteEntriesStopsStartUp() {
    assertThatThrownBy(() -> new TrustList("acme", properties(null, "{}"), JSON))
        .hasMessageContaining("JSON array");
    assertThatThrownBy(() -> new TrustList("acme", properties(null, "[{\"platform\":\"globex\"}]"), JSON))
        .hasMessageContaining("'endpoint'");
  }

  private static TrustList trustList(String platform, boolean withKey) {
    KeyPair own = keys();
    String peers = "[{\"platform\":\"globex\",\"endpoint\":\"https://globex.example/federation/\",\"keyId\":\"g1\","
        + "\"publicKey\":\"" + Base64.getEncoder().encodeToString(keys().getPublic().getEncoded()) + "\"}]";
    return new TrustList(platform, properties(withKey ? Base64.getEncoder().encodeToString(own.getPrivate()
        .getEncoded()) : null, peers), JSON);
  }

  private static FederationProperties properties(String privateKey, String peers) {
    return new FederationProperties(null, "k1", privateKey, null, peers, Duration.ofSeconds(60),
        Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1),
        Duration.ofSeconds(1), 1);
  }

  private static KeyPair keys() {
    try {
      return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
