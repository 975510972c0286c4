package dev.atrium.operator.workload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrium.api.v1alpha1.CollaborationPlatform;
import dev.atrium.api.v1alpha1.ExternalIdentitySpec;
import dev.atrium.operator.TestPlatforms;
import dev.atrium.operator.model.Component;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Where the services look for the tokens' issuer: identity, or the provider trusted while identity is off. */
class WiringTest {

  @Test
  void servicesTrustIdentityThroughTheTenantsDomain() {
    Map<String, String> env = Wiring.common(TestPlatforms.context(TestPlatforms.example()), Component.MESSAGE_CENTER);

    assertThat(env).containsEntry("ATRIUM_IDENTITY_ISSUER", "http://" + TestPlatforms.DOMAIN + "/auth")
        .containsEntry("ATRIUM_IDENTITY_JWKS_URI", "http://acme-identity.acme.svc:8080/oauth2/jwks");
  }

  @Test
  void servicesWaitForTheDatabaseAtStartWithinTheirStartupProbe() {
    Map<String, String> env = Wiring.common(TestPlatforms.context(TestPlatforms.example()), Component.MESSAGE_CENTER);

    // Hikari keeps trying this long before the service gives up; the startup probe allows 2 s x 60
    assertThat(Long.parseLong(env.get("SPRING_DATASOURCE_HIKARI_INITIALIZATIONFAILTIMEOUT"))).isEqualTo(90_000L)
        .isLessThan(120_000L);
  }

  @Test
  void withIdentityOffTheyTrustTheExternalProvider() {
    CollaborationPlatform platform = TestPlatforms.without(Component.IDENTITY, Component.WEBOS);
    platform.getSpec().getIdentity().setExternal(external());

    Map<String, String> env = Wiring.common(TestPlatforms.context(platform), Component.MESSAGE_CENTER);

    assertThat(env).containsEntry("ATRIUM_IDENTITY_ISSUER", "https://sso.acme.example/realms/staff")
        .containsEntry("ATRIUM_IDENTITY_JWKS_URI", "https://sso.acme.example/realms/staff/certs");
  }

  @Test
  void anExternalProviderIsIgnoredWhileIdentityRuns() {
    // the schema refuses this; should one slip through, identity stays the issuer
    CollaborationPlatform platform = TestPlatforms.example();
    platform.getSpec().getIdentity().setExternal(external());

    assertThat(Wiring.common(TestPlatforms.context(platform), Component.NETDISK))
        .containsEntry("ATRIUM_IDENTITY_ISSUER", "http://" + TestPlatforms.DOMAIN + "/auth");
  }

  private static ExternalIdentitySpec external() {
    ExternalIdentitySpec external = new ExternalIdentitySpec();
    external.setIssuer("https://sso.acme.example/realms/staff");
    external.setJwksUri("https://sso.acme.example/realms/staff/certs");
    return external;
  }
}
