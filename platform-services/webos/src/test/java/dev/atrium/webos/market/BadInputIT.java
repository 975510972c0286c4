package dev.atrium.webos.market;

import static dev.atrium.webos.market.MarketWorld.expect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.atrium.servicetesting.Http;
import dev.atrium.servicetesting.IdentityProcess;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Bad input and wrong states get RFC 9457 problems and change nothing: an icon too large or not an image, a URL
 * that is not http(s), an app id with bad characters, approving twice, someone who is not an administrator
 * publishing or reviewing.
 */
@ExtendWith(MarketWorld.class)
class BadInputIT {

  private final MarketWorld world;

  BadInputIT(MarketWorld world) {
    this.world = world;
  }

  @Test
  void badInputAndWrongStatesAreProblemsThatChangeNothing() {
    String admin = world.token(IdentityProcess.ADMIN);
    String hana = world.token("hana");
    world.publishAndApprove("forms");
    String before = state(admin);

    Map<String, Object> ftp = new LinkedHashMap<>(world.submission("bad", "v1", null));
    ftp.put("openUrl", "javascript:alert(1)");
    problem(400, "invalid-field", Http.post(world.webos("/webos/api/v1/market/apps"), admin, Map.of("app", "bad",
        "submission", ftp)));
    Map<String, Object> backend = new LinkedHashMap<>(world.submission("bad", "v1", null));
    backend.put("backendUrl", "ftp://files.example.test");
    problem(400, "invalid-field", Http.post(world.webos("/webos/api/v1/market/apps"), admin, Map.of("app", "bad",
        "submission", backend)));
    problem(400, "invalid-app", Http.post(world.webos("/webos/api/v1/market/apps"), admin, Map.of("app", "Bad_App",
        "submission", world.submission("bad", "v1", null))));
    problem(409, "app-exists", Http.post(world.webos("/webos/api/v1/market/apps"), admin, Map.of("app", "forms",
        "submission", world.submission("forms", "v9", null))));

    problem(409, "wrong-state", Http.post(world.webos("/webos/api/v1/market/apps/forms/versions/v1/approve"),
        world.token("rita"), "{}"));
    problem(409, "wrong-state", Http.post(world.webos("/webos/api/v1/market/apps/forms/promote"), admin, "{}"));
    problem(404, "not-found", Http.post(world.webos("/webos/api/v1/market/apps/nothing/withdraw"), admin, "{}"));

    problem(413, "icon-too-large", icon(admin, "image/png", new byte[300 * 1024]));
    problem(400, "invalid-icon", icon(admin, "image/png", "not an image".getBytes(StandardCharsets.UTF_8)));
    problem(400, "invalid-icon", icon(admin, "image/svg+xml",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>".getBytes(StandardCharsets.UTF_8)));
    problem(415, "unsupported-icon-type", icon(admin, "text/html", "<p>".getBytes(StandardCharsets.UTF_8)));

    problem(403, "forbidden", Http.post(world.webos("/webos/api/v1/market/apps"), hana, Map.of("app", "mine",
        "submission", world.submission("mine", "v1", null))));
    problem(403, "forbidden", Http.post(world.webos("/webos/api/v1/market/apps/forms/versions"), hana,
        world.submission("forms", "v2", null)));
    problem(403, "forbidden", Http.post(world.webos("/webos/api/v1/market/apps/forms/withdraw"), hana, "{}"));
    problem(403, "forbidden", Http.get(world.webos("/webos/api/v1/market/reviews"), hana));
    problem(403, "forbidden", Http.post(world.webos("/webos/api/v1/market/apps/forms/grants"), hana,
        Map.of("kind", "PERSON", "id", "hana")));
    assertThat(Http.get(world.webos("/webos/api/v1/market/catalogue"), null).status()).isEqualTo(401);

    expect(201, Http.post(world.webos("/webos/api/v1/market/apps/forms/versions"), admin,
        world.submission("forms", "v2", null)));
    problem(403, "forbidden", Http.post(world.webos("/webos/api/v1/market/apps/forms/versions/v2/approve"), hana,
        "{}"));
    problem(403, "forbidden", Http.post(world.webos("/webos/api/v1/market/apps/forms/versions/v2/reject"), hana,
        Map.of("reason", "no")));
    problem(400, "invalid-field", Http.post(world.webos("/webos/api/v1/market/apps/forms/versions/v2/reject"),
        admin, Map.of("reason", " ")));
    problem(409, "wrong-state", Http.post(world.webos("/webos/api/v1/market/apps/forms/versions"), admin,
        world.submission("forms", "v3", null)));
    problem(400, "identity-refused", Http.post(world.webos("/webos/api/v1/market/apps/forms/grants"), admin,
        Map.of("kind", "PERSON", "id", "nobody")));
    Http.Response rejected = expect(200, Http.post(world.webos(
        "/webos/api/v1/market/apps/forms/versions/v2/reject"), world.token("rita"), Map.of("reason", "Too early")));
    assertThat(rejected.json().path("state").asString()).isEqualTo("REJECTED");
    assertThat(rejected.json().path("reason").asString()).isEqualTo("Too early");
    problem(409, "wrong-state", Http.post(world.webos("/webos/api/v1/market/apps/forms/versions/v2/approve"),
        world.token("rita"), "{}"));

    assertThat(state(admin)).as("the app's rollout, icon and times after the refusals").isEqualTo(before);
    assertThat(appsList(admin)).doesNotContain("\"app\":\"bad\"", "\"app\":\"Bad_App\"", "\"app\":\"mine\"");
    assertThat(Http.get(world.identity("/api/admin/apps/forms/grants"), admin).body()).doesNotContain("nobody");
    assertThat(expect(200, Http.get(world.webos("/webos/api/v1/market/apps/forms"), admin)).json().path("app")
        .path("iconUrl").isNull()).isTrue();
  }

  private String appsList(String admin) {
    return expect(200, Http.get(world.webos("/webos/api/v1/market/apps"), admin)).body();
  }

  private String state(String admin) {
    return expect(200, Http.get(world.webos("/webos/api/v1/market/apps/forms"), admin)).json().path("app")
        .toString();
  }

  private Http.Response icon(String admin, String type, byte[] bytes) {
    return Http.send(Http.builder(world.webos("/webos/api/v1/market/apps/forms/icon"), admin)
        .header("Content-Type", type).PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)));
  }

  private static void problem(int status, String type, Http.Response response) {
    assertThat(response.status()).as(response.toString()).isEqualTo(status);
    assertThat(response.header("Content-Type")).startsWith("application/problem+json");
    assertThat(response.json().path("type").asString()).isEqualTo("urn:atrium:problem:" + type);
  }
}
