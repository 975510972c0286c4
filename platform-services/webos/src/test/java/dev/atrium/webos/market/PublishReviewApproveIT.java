package dev.atrium.webos.market;

import static dev.atrium.webos.market.MarketWorld.expect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.atrium.servicetesting.Http;
import dev.atrium.servicetesting.IdentityProcess;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An administrator publishes an app; it waits in the review queue; its submitter may not approve it (two
 * administrators exist), the other one does: identity has its OAuth client, whose secret the approval showed once,
 * its API answers through the gateway, and it is in the catalogue of a person granted it (or in a granted
 * department) and of nobody else.
 */
@ExtendWith(MarketWorld.class)
class PublishReviewApproveIT {

  private final MarketWorld world;

  PublishReviewApproveIT(MarketWorld world) {
    this.world = world;
  }

  @Test
  void publishedReviewedApprovedAppIsRegisteredRoutedAndCataloguedForWhomItIsGranted() {
    String admin = world.token(IdentityProcess.ADMIN);
    String rita = world.token("rita");
    expect(201, Http.post(world.webos("/webos/api/v1/market/apps"), admin, Map.of("app", "crm",
        "submission", world.submission("crm", "v1", "v1"))));
    assertThat(expect(200, Http.get(world.webos("/webos/api/v1/market/reviews"), rita)).body())
        .contains("\"app\":\"crm\"");

    Http.Response own = Http.post(world.webos("/webos/api/v1/market/apps/crm/versions/v1/approve"), admin, "{}");
    assertThat(own.status()).isEqualTo(403);
    assertThat(own.json().path("type").asString()).endsWith(":own-submission");
    assertThat(expect(200, Http.get(world.webos("/webos/api/v1/market/apps/crm"), admin)).json()
        .path("versions").get(0).path("state").asString()).isEqualTo("SUBMITTED");
    assertThat(Http.get(world.identity("/api/admin/apps/crm"), admin).status()).isEqualTo(404);

    Http.Response approved = expect(200, Http.post(
        world.webos("/webos/api/v1/market/apps/crm/versions/v1/approve"), rita, "{}"));
    assertThat(approved.header("Cache-Control")).contains("no-store");
    String secret = approved.json().path("clientSecret").asString();
    assertThat(secret).isNotBlank();
    assertThat(approved.json().path("app").path("rollout").path("status").asString()).isEqualTo("LISTED");
    assertThat(expect(200, Http.get(world.identity("/api/admin/apps/crm"), admin)).json().path("managedBy")
        .asString()).isEqualTo("TENANT");
    assertThat(clientCredentials("crm", secret)).isEqualTo(200);
    assertThat(clientCredentials("crm", "wrong")).isEqualTo(401);

    Http.Response again = Http.post(world.webos("/webos/api/v1/market/apps/crm/versions/v1/approve"), rita, "{}");
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.body()).doesNotContain(secret);
    String audit = expect(200, Http.get(world.webos("/webos/api/v1/market/audit?app=crm"), admin)).body();
    assertThat(audit).contains("app.publish", "version.approve", "\"actor\":\"rita\"").doesNotContain(secret);
    assertThat(expect(200, Http.get(world.webos("/webos/api/v1/market/apps/crm"), admin)).body())
        .doesNotContain(secret);

    assertThat(MarketWorld.answeredBy(Http.get(world.webos("/apps/crm/hello?x=1"), world.token("hana"))))
        .isEqualTo("v1 /hello");

    assertThat(world.catalogue("hana")).doesNotContain("crm").contains("messages", "admin-console");
    expect(200, Http.post(world.webos("/webos/api/v1/market/apps/crm/grants"), admin, Map.of("kind", "PERSON",
        "id", "hana")));
    assertThat(expect(200, Http.get(world.identity("/api/admin/apps/crm/grants"), admin)).body())
        .contains("\"hana\"");
    assertThat(world.catalogue("hana")).contains("crm");
    assertThat(world.catalogue("ivan")).doesNotContain("crm").contains("messages");

    expect(200, Http.post(world.webos("/webos/api/v1/market/apps/crm/grants"), admin, Map.of("kind", "DEPARTMENT",
        "id", "sales")));
    assertThat(world.catalogue("judy")).contains("crm");
    expect(200, Http.delete(world.webos("/webos/api/v1/market/apps/crm/grants/department/sales"), admin));
    assertThat(world.catalogue("judy")).doesNotContain("crm");
    assertThat(world.catalogue("hana")).contains("crm");
    assertThat(Http.delete(world.webos("/webos/api/v1/market/apps/crm/grants/person/ivan"), admin).status())
        .isEqualTo(404);
  }

  @Test
  void anIconIsServedPubliclyWithAnEtag() {
    String admin = world.token(IdentityProcess.ADMIN);
    world.publishAndApprove("notes");
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
    Http.Response set = expect(200, Http.send(Http.builder(world.webos("/webos/api/v1/market/apps/notes/icon"), admin)
        .header("Content-Type", "image/png").PUT(HttpRequest.BodyPublishers.ofByteArray(png))));
    String iconUrl = set.json().path("iconUrl").asString();
    assertThat(iconUrl).startsWith("/webos/api/v1/market/icons/notes");

    var icon = Http.sendBytes(HttpRequest.newBuilder(world.webos(iconUrl)).GET());
    assertThat(icon.statusCode()).isEqualTo(200);
    assertThat(icon.body()).isEqualTo(png);
    assertThat(icon.headers().firstValue("Content-Type")).hasValue("image/png");
    String etag = icon.headers().firstValue("ETag").orElseThrow();
    var cached = Http.sendBytes(HttpRequest.newBuilder(world.webos(iconUrl)).header("If-None-Match", etag).GET());
    assertThat(cached.statusCode()).isEqualTo(304);
    assertThat(expect(200, Http.get(world.webos("/webos/api/v1/market/catalogue"), world.token("hana"))).body())
        .doesNotContain("\"notes\"");
  }

  private int clientCredentials(String clientId, String secret) {
    String basic = Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
    return Http.send(HttpRequest.newBuilder(world.identity("/oauth2/token"))
        .header("Authorization", "Basic " + basic).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope=api"))).status();
  }
}
