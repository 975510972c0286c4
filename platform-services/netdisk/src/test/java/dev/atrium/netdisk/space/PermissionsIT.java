package dev.atrium.netdisk.space;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrium.netdisk.testing.Disk;
import dev.atrium.netdisk.testing.NetdiskInstance;
import dev.atrium.netdisk.testing.TestServers;
import dev.atrium.servicetesting.Http;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Who may see and change what: 404 for what you may not see, 403 for what you may see but not change. */
@ExtendWith(TestServers.class)
class PermissionsIT {

  @Test
  void someoneWithoutARoleCannotTellThatASpaceOrFileExists(NetdiskInstance netdisk, TestServers.Servers servers) {
    Disk owner = new Disk(netdisk, servers.issuer().userToken("perm-owner"));
    Disk stranger = owner.as(servers.issuer().userToken("perm-stranger"));
    String space = owner.personalSpace();
    String file = owner.file(space, "private.txt", "mine".getBytes());

    for (Http.Response response : new Http.Response[] {
        stranger.get(Disk.API + "/spaces/" + space),
        stranger.get(Disk.API + "/spaces/" + space + "/children"),
        stranger.get(Disk.API + "/nodes/" + file),
        stranger.download(file, null),
        stranger.delete(Disk.API + "/nodes/" + file),
        stranger.putFile(space, "planted.txt", "x".getBytes()),
        stranger.post(Disk.API + "/files/" + file + "/shares", Map.of())}) {
      assertThat(response.status()).as(response.toString()).isEqualTo(404);
    }
    assertThat(stranger.get(Disk.API + "/search?name=private").json()).isEmpty();
  }

  @Test
  void aViewerReadsAndCommentsButCannotChange(NetdiskInstance netdisk, TestServers.Servers servers) {
    Disk owner = new Disk(netdisk, servers.issuer().userToken("team-owner"));
    Disk viewer = owner.as(servers.issuer().userToken("team-viewer"));
    String team = owner.teamSpace("Design");
    String file = owner.file(team, "logo.svg", "<svg/>".getBytes());
    assertThat(owner.put(Disk.API + "/spaces/" + team + "/grants/USER/team-viewer", Map.of("role", "VIEWER")).status())
        .isEqualTo(200);

    assertThat(viewer.bytes(file)).isEqualTo("<svg/>".getBytes());
    assertThat(viewer.post(Disk.API + "/files/" + file + "/comments", Map.of("body", "nice")).status()).isEqualTo(201);
    for (Http.Response response : new Http.Response[] {
        viewer.putFile(team, "mine.txt", "x".getBytes()),
        viewer.delete(Disk.API + "/nodes/" + file),
        viewer.patch(Disk.API + "/nodes/" + file, Map.of("name", "renamed.svg")),
        viewer.post(Disk.API + "/files/" + file + "/shares", Map.of()),
        viewer.put(Disk.API + "/spaces/" + team + "/grants/USER/someone", Map.of("role", "EDITOR"))}) {
      assertThat(response.status()).as(response.toString()).isEqualTo(403);
      assertThat(response.json().get("type").asString()).isEqualTo("urn:atrium:problem:forbidden");
    }
    assertThat(owner.bytes(file)).isEqualTo("<svg/>".getBytes());
  }

  @Test
  void aDepartmentsSpaceIsEveryonesInTheDepartmentAndBelowIt(NetdiskInstance netdisk, TestServers.Servers servers) {
    Disk admin = new Disk(netdisk, servers.issuer().appToken("webos"));
    Http.Response made = admin.post(Disk.API + "/spaces", Map.of("kind", "DEPARTMENT", "name", "Sales",
        "departmentId", "sales"));
    assertThat(made.status()).as(made.toString()).isEqualTo(201);
    String space = made.json().get("id").asString();
    // identity's departments claim lists a person's departments and every one above
    Disk seller = admin.as(servers.issuer().userToken("seller", "sales-east", "sales", "company"));
    Disk engineer = admin.as(servers.issuer().userToken("engineer", "engineering", "company"));
    String file = seller.file(space, "pipeline.xlsx", "q4".getBytes());
    assertThat(seller.get(Disk.API + "/spaces").json().findValuesAsString("id")).contains(space);
    assertThat(engineer.download(file, null).status()).isEqualTo(404);

    // people cannot make department spaces, and apps cannot read files
    assertThat(seller.post(Disk.API + "/spaces", Map.of("kind", "DEPARTMENT", "name", "Mine", "departmentId",
        "sales-east")).status()).isEqualTo(403);
    assertThat(admin.download(file, null).status()).isEqualTo(403);
    assertThat(admin.post(Disk.API + "/spaces", Map.of("kind", "DEPARTMENT", "name", "Sales again",
        "departmentId", "sales")).status()).isEqualTo(409);
  }
}
