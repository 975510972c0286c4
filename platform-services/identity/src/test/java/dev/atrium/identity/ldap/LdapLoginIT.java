package dev.atrium.identity.ldap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrium.identity.testing.Directory;
import dev.atrium.identity.testing.IdentityInstance;
import dev.atrium.identity.testing.OidcClient;
import dev.atrium.identity.testing.TestServers;
import dev.atrium.servicetesting.Http;
import dev.atrium.servicetesting.PostgresServer;
import dev.atrium.servicetesting.SlapdServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * The whole service with the sync on, against a real slapd: the schedule's first run brings the directory in,
 * a synced person signs in through the login page with the directory's password, an admin runs the sync through
 * the API, and a person removed from the directory loses access at the next sync.
 */
@ExtendWith(TestServers.class)
class LdapLoginIT {

  private static final String BASE = "ou=corp," + SlapdServer.DEFAULT_SUFFIX;
  private static final String SYNC_DN = "cn=sync," + SlapdServer.DEFAULT_SUFFIX;
  private static final String SYNC_PASSWORD = "sync-Secret-2";

  private static SlapdServer slapd;
  private static IdentityInstance identity;
  private static Directory admin;

  @BeforeAll
  static void start(PostgresServer postgres) {
    slapd = SlapdServer.start();
    slapd.ldif("""
        dn: %s
        objectClass: organizationalRole
        objectClass: simpleSecurityObject
        cn: sync
        userPassword: %s

        dn: %s
        objectClass: organizationalUnit
        ou: corp

        dn: ou=engineering,%4$s
        objectClass: organizationalUnit
        ou: engineering

        dn: uid=alice,ou=engineering,%4$s
        objectClass: inetOrgPerson
        uid: alice
        cn: Alice Liddell
        sn: Liddell
        mail: alice@example.com
        userPassword: alice-Directory-pw

        dn: uid=bob,%4$s
        objectClass: inetOrgPerson
        uid: bob
        cn: Bob Builder
        sn: Builder
        userPassword: bob-Directory-pw
        """.formatted(SYNC_DN, SYNC_PASSWORD, BASE, BASE));
    identity = IdentityInstance.start(postgres, TestServers.newDatabase(postgres), Map.of(
        "atrium.ldap.enabled", "true",
        "atrium.ldap.url", slapd.url(),
        "atrium.ldap.base-dn", BASE,
        "atrium.ldap.bind-dn", SYNC_DN,
        "atrium.ldap.bind-password", SYNC_PASSWORD,
        "atrium.ldap.sync-interval", "1h"));
    admin = new Directory(identity);
  }

  @AfterAll
  static void stop() {
    if (identity != null) {
      identity.close();
    }
    if (slapd != null) {
      slapd.close();
    }
  }

  @Test
  void syncedPeopleSignInWithTheDirectorysPasswordUntilTheyLeaveIt() {
    // the schedule's first run, shortly after the start
    Awaitility.await("the scheduled first sync").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
        .until(() -> runs().size() > 0 && !runs().get(0).path("outcome").asString().equals("running"));
    JsonNode scheduled = runs().get(0);
    assertThat(scheduled.path("outcome").asString()).isEqualTo("succeeded");
    assertThat(scheduled.path("requestedBy").asString()).isEqualTo(LdapSync.ACTOR);
    assertThat(scheduled.path("counts").path("peopleCreated").asInt()).isEqualTo(2);
    JsonNode status = Directory.expect(200, admin.admin("GET", "/api/admin/ldap/sync", null)).json();
    assertThat(status.path("enabled").asBoolean()).isTrue();
    assertThat(status.path("interval").asString()).isEqualTo("1h");
    assertThat(status.path("login").asString()).isEqualTo("bind");

    // an admin runs it now: nothing changed
    JsonNode run = Directory.expect(200, admin.admin("POST", "/api/admin/ldap/sync", null)).json();
    assertThat(run.path("outcome").asString()).isEqualTo("succeeded");
    assertThat(run.path("requestedBy").asString()).isEqualTo("admin");
    assertThat(run.path("counts").path("peopleCreated").asInt()).isZero();
    assertThat(run.path("counts").path("peopleUpdated").asInt()).isZero();

    // alice signs in with the directory's password; her token carries her department
    OidcClient client = new OidcClient(identity);
    OidcClient.Tokens tokens = client.signIn(Directory.WEBOS, Directory.WEBOS_SECRET, "alice", "alice-Directory-pw");
    JsonNode claims = claims(tokens.accessToken());
    assertThat(claims.path("sub").asString()).isEqualTo("alice");
    assertThat(claims.path("departments").toString()).contains("engineering", "corp");
    // (a browser of its own for each sign-in: the client keeps the session cookie)
    assertThat(new OidcClient(identity).authorize(Directory.WEBOS, OidcClient.REDIRECT_URI, OidcClient.Pkce.create(),
        Map.of(), "bob", "wrong-password", null).code()).isNull();
    // the sync is the administrators'
    assertThat(Http.post(identity.uri("/api/admin/ldap/sync"), tokens.accessToken(), "{}").status()).isEqualTo(403);

    // alice leaves the directory: at the next sync she is disabled, signs in no more, her refresh token is dead
    slapd.delete("uid=alice,ou=engineering," + BASE);
    JsonNode after = Directory.expect(200, admin.admin("POST", "/api/admin/ldap/sync", null)).json();
    assertThat(after.path("counts").path("peopleDisabled").asInt()).isEqualTo(1);
    JsonNode alice = Directory.expect(200, admin.admin("GET", "/api/admin/people/alice", null)).json();
    assertThat(alice.path("status").asString()).isEqualToIgnoringCase("disabled");
    assertThat(new OidcClient(identity).authorize(Directory.WEBOS, OidcClient.REDIRECT_URI, OidcClient.Pkce.create(),
        Map.of(), "alice", "alice-Directory-pw", null).code()).isNull();
    assertThat(new OidcClient(identity).refresh(Directory.WEBOS, Directory.WEBOS_SECRET, tokens.refreshToken())
        .status()).isEqualTo(400);
    // bob still can
    assertThat(new OidcClient(identity).signIn(Directory.WEBOS, Directory.WEBOS_SECRET, "bob", "bob-Directory-pw")
        .accessToken())
        .isNotBlank();

    assertThat(runs()).hasSize(3);
    assertThat(runs().get(0).path("counts").path("peopleDisabled").asInt()).isEqualTo(1);
  }

  private static java.util.List<JsonNode> runs() {
    JsonNode runs = Directory.expect(200, admin.admin("GET", "/api/admin/ldap/sync", null)).json().path("runs");
    java.util.List<JsonNode> list = new java.util.ArrayList<>();
    runs.forEach(list::add);
    return list;
  }

  private static JsonNode claims(String jwt) {
    String payload = jwt.split("\\.")[1];
    return Http.JSON.readTree(new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8));
  }
}
