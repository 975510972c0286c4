package dev.atrium.identity.devices;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import dev.atrium.identity.testing.Directory;
import dev.atrium.identity.testing.IdentityInstance;
import dev.atrium.identity.testing.OidcClient;
import dev.atrium.servicetesting.OidcBrowser.Outcome;
import dev.atrium.servicetesting.OidcBrowser.Pkce;
import dev.atrium.servicetesting.OidcBrowser.Tokens;
import dev.atrium.identity.testing.TestServers;
import dev.atrium.servicetesting.Http;
import java.net.http.HttpRequest;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** A device's life, and tokens bound to it ending the moment it is revoked. */
@ExtendWith(TestServers.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DevicesIT {

  private final IdentityInstance identity;
  private Directory directory;

  DevicesIT(IdentityInstance identity) {
    this.identity = identity;
  }

  @BeforeAll
  void people() {
    directory = new Directory(identity);
    directory.person("kim");
    directory.person("leo");
  }

  @Test
  void aRevokedDeviceEndsItsLiveTokenAtOnceAndStillLearnsToWipe() throws Exception {
    OidcClient phone = new OidcClient(identity);
    String personal = phone.signIn("webos", "webos-secret", "kim", Directory.PASSWORD).accessToken();
    Http.Response registered = Directory.expect(201, Http.post(identity.uri("/api/devices"), personal,
        Map.of("name", "Kim's phone", "platform", "android")));
    String deviceId = registered.json().path("device").path("id").asString();
    String code = registered.json().path("activationCode").asString();
    assertThat(registered.json().path("device").path("status").asString()).isEqualTo("PENDING");

    Http.Response activated = Directory.expect(200, Http.post(identity.uri("/api/devices/" + deviceId + "/activate"),
        null, Map.of("activationCode", code)));
    String secret = activated.json().path("deviceSecret").asString();
    assertThat(Http.post(identity.uri("/api/devices/" + deviceId + "/activate"), null,
        Map.of("activationCode", code)).status()).as("a code works once").isEqualTo(400);

    // the device signs in bound to itself
    Pkce pkce = Pkce.create();
    Outcome outcome = phone.authorize("webos", OidcClient.REDIRECT_URI, pkce, Map.of("device_id", deviceId), "kim",
        Directory.PASSWORD, null);
    Tokens bound = phone.exchange("webos", "webos-secret", outcome.code(), OidcClient.REDIRECT_URI, pkce.verifier());
    assertThat(SignedJWT.parse(bound.accessToken()).getJWTClaimsSet().getStringClaim("device_id"))
        .isEqualTo(deviceId);
    assertThat(Http.get(identity.uri("/api/me"), bound.accessToken()).status()).isEqualTo(200);
    assertThat(verify(deviceId, secret).json().path("status").asString()).isEqualTo("active");

    Directory.expect(200, directory.admin("POST", "/api/admin/devices/" + deviceId + "/wipe", null));
    Directory.expect(200, directory.admin("POST", "/api/devices/" + deviceId + "/revoke", null));

    assertThat(Http.get(identity.uri("/api/me"), bound.accessToken()).status()).isEqualTo(401);
    assertThat(phone.post("/oauth2/introspect", "webos", "webos-secret", Map.of("token", bound.accessToken()))
        .json().path("active").asBoolean()).isFalse();
    assertThat(phone.refresh("webos", "webos-secret", bound.refreshToken()).error()).isEqualTo("invalid_grant");
    // the person's own (unbound) token and history stay
    assertThat(Http.get(identity.uri("/api/me"), personal).status()).isEqualTo(200);
    Http.Response state = verify(deviceId, secret);
    assertThat(state.json().path("status").asString()).isEqualTo("revoked");
    assertThat(state.json().path("wipe").asBoolean()).isTrue();
    assertThat(verify(deviceId, "wrong-secret").status()).isEqualTo(401);
    // and a new sign-in from it is refused
    Outcome again = new OidcClient(identity).authorize("webos", OidcClient.REDIRECT_URI, Pkce.create(),
        Map.of("device_id", deviceId), "kim", Directory.PASSWORD, null);
    assertThat(again.error()).isEqualTo("access_denied");
    assertThat(directory.admin("GET", "/api/admin/audit?target=" + deviceId + "&action=device.revoke", null).json()
        .size()).isEqualTo(1);
  }

  @Test
  void someoneElsesDeviceIsNotFound() {
    String kim = new OidcClient(identity).signIn("webos", "webos-secret", "kim", Directory.PASSWORD).accessToken();
    String leo = new OidcClient(identity).signIn("webos", "webos-secret", "leo", Directory.PASSWORD).accessToken();
    String deviceId = Http.post(identity.uri("/api/devices"), kim, Map.of("name", "laptop", "platform", "linux"))
        .json().path("device").path("id").asString();
    assertThat(Http.post(identity.uri("/api/devices/" + deviceId + "/revoke"), leo, "{}").status()).isEqualTo(404);
    assertThat(Http.post(identity.uri("/api/devices/not-a-uuid/lost"), kim, "{}").status()).isEqualTo(404);
  }

  private Http.Response verify(String deviceId, String secret) {
    return Http.send(HttpRequest.newBuilder(identity.uri("/api/devices/" + deviceId + "/verify"))
        .header("X-Device-Secret", secret).POST(HttpRequest.BodyPublishers.noBody()));
  }
}
