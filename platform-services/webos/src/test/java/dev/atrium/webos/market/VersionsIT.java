package dev.atrium.webos.market;

import static dev.atrium.webos.market.MarketWorld.expect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.atrium.servicetesting.Http;
import dev.atrium.servicetesting.IdentityProcess;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A second version goes out as a gray release at 10 % (about a tenth of the requests reach its backend, and the
 * app's client in identity takes its redirect URI too), is promoted to everyone, rolled back to the first (its
 * redirect URI gone with it); the app is withdrawn (gone from the catalogue and the gateway) and
 * published again, its grant in identity intact.
 */
@ExtendWith(MarketWorld.class)
class VersionsIT {

  private static final int REQUESTS = 400;

  private final MarketWorld world;

  VersionsIT(MarketWorld world) {
    this.world = world;
  }

  @Test
  void grayReleasePromoteRollBackWithdrawAndPublishAgain() {
    String admin = world.token(IdentityProcess.ADMIN);
    String rita = world.token("rita");
    String hana = world.token("hana");
    world.publishAndApprove("wiki");
    expect(200, Http.post(world.webos("/webos/api/v1/market/apps/wiki/grants"), admin, Map.of("kind", "PERSON",
        "id", "hana")));
    assertThat(v2Share(hana)).isZero();

    expect(201, Http.post(world.webos("/webos/api/v1/market/apps/wiki/versions"), admin,
        world.submission("wiki", "v2", "v2")));
    Http.Response gray = expect(200, Http.post(world.webos("/webos/api/v1/market/apps/wiki/versions/v2/approve"),
        rita, Map.of("grayPercent", 10)));
    assertThat(gray.json().path("clientSecret").isNull()).as("no second secret: the client exists").isTrue();
    assertThat(gray.json().path("app").path("rollout").path("gray").asString()).isEqualTo("v2");
    assertThat(expect(200, Http.get(world.webos("/webos/api/v1/admin/routes/wiki"), admin)).body())
        .contains("\"weight\":90", "\"weight\":10");
    assertThat(world.signsInAt("wiki", MarketWorld.redirectUri("wiki", "v2"), "hana"))
        .as("identity's client of wiki now serves v2's redirect URI too").isTrue();
    assertThat(world.signsInAt("wiki", MarketWorld.redirectUri("wiki", "v1"), "hana")).isTrue();
    int share = v2Share(hana);
    assertThat(share).as("requests of %d on v2 at 10 %%", REQUESTS).isBetween(REQUESTS / 20, REQUESTS / 5);

    Http.Response regray = expect(200, Http.put(world.webos("/webos/api/v1/market/apps/wiki/gray"), admin,
        Map.of("percent", 30)));
    assertThat(regray.json().path("rollout").path("grayPercent").asInt()).isEqualTo(30);
    assertThat(expect(200, Http.get(world.webos("/webos/api/v1/admin/routes/wiki"), admin)).body())
        .contains("\"weight\":70", "\"weight\":30");

    expect(200, Http.post(world.webos("/webos/api/v1/market/apps/wiki/promote"), admin, "{}"));
    assertThat(v2Share(hana)).isEqualTo(REQUESTS);
    assertThat(catalogueVersion(hana)).isEqualTo("v2");

    Http.Response back = expect(200, Http.post(world.webos("/webos/api/v1/market/apps/wiki/rollback"), admin,
        "{}"));
    assertThat(back.json().path("rollout").path("live").asString()).isEqualTo("v1");
    assertThat(v2Share(hana)).isZero();
    assertThat(world.signsInAt("wiki", MarketWorld.redirectUri("wiki", "v2"), "hana"))
        .as("v2's redirect URI went with v2").isFalse();
    assertThat(expect(200, Http.get(world.webos("/webos/api/v1/market/apps/wiki"), admin)).json().path("versions")
        .get(0).path("state").asString()).isEqualTo("ROLLED_BACK");
    assertThat(Http.post(world.webos("/webos/api/v1/market/apps/wiki/rollback"), admin, "{}").status())
        .as("nothing was live before v1").isEqualTo(409);

    expect(200, Http.post(world.webos("/webos/api/v1/market/apps/wiki/withdraw"), admin, "{}"));
    assertThat(world.catalogue("hana")).doesNotContain("wiki");
    assertThat(Http.get(world.webos("/apps/wiki/page"), hana).status()).isEqualTo(404);
    assertThat(Http.post(world.webos("/webos/api/v1/market/apps/wiki/withdraw"), admin, "{}").status())
        .isEqualTo(409);
    assertThat(expect(200, Http.get(world.identity("/api/admin/apps/wiki/grants"), admin)).body())
        .contains("\"hana\"");
    // withdrawn means unusable, not only unlisted: identity gives nobody a token for it any more
    assertThat(expect(200, Http.get(world.identity("/api/admin/apps/wiki"), admin)).json().path("suspended")
        .asBoolean()).isTrue();
    assertThat(world.signsInAt("wiki", MarketWorld.redirectUri("wiki", "v1"), "hana")).isFalse();

    expect(200, Http.post(world.webos("/webos/api/v1/market/apps/wiki/republish"), admin, "{}"));
    assertThat(world.catalogue("hana")).contains("wiki");
    assertThat(catalogueVersion(hana)).isEqualTo("v1");
    assertThat(MarketWorld.answeredBy(Http.get(world.webos("/apps/wiki/page"), hana))).isEqualTo("v1 /page");
    assertThat(world.signsInAt("wiki", MarketWorld.redirectUri("wiki", "v1"), "hana")).isTrue();
    assertThat(expect(200, Http.get(world.webos("/webos/api/v1/market/audit?app=wiki"), admin)).body())
        .contains("version.submit", "version.regray", "version.promote", "version.rollback", "app.withdraw", "app.republish");
  }

  /** How many of {@value #REQUESTS} requests through the gateway reached the backend of v2. */
  private int v2Share(String token) {
    int v2 = 0;
    for (int i = 0; i < REQUESTS; i++) {
      if (MarketWorld.answeredBy(Http.get(world.webos("/apps/wiki/page"), token)).startsWith("v2 ")) {
        v2++;
      }
    }
    return v2;
  }

  private String catalogueVersion(String token) {
    for (var app : expect(200, Http.get(world.webos("/webos/api/v1/market/catalogue"), token)).json()) {
      if (app.path("app").asString().equals("wiki")) {
        return app.path("version").asString();
      }
    }
    return null;
  }
}
