package dev.atrium.netdisk.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrium.netdisk.testing.Disk;
import dev.atrium.netdisk.testing.NetdiskInstance;
import dev.atrium.netdisk.testing.TestServers;
import dev.atrium.servicetesting.Http;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/** Versions, the trash, search and activity. */
@ExtendWith(TestServers.class)
class VersionsAndTrashIT {

  @Test
  void everyOverwriteKeepsThePreviousVersionAndAnyRestores(NetdiskInstance netdisk, TestServers.Servers servers) {
    Disk alice = new Disk(netdisk, servers.issuer().userToken("ver-alice"));
    String space = alice.personalSpace();
    String file = alice.file(space, "plan.md", "one".getBytes());
    assertThat(alice.file(space, "plan.md", "two".getBytes())).isEqualTo(file);
    assertThat(alice.file(space, "plan.md", "three".getBytes())).isEqualTo(file);
    JsonNode versions = alice.get(Disk.API + "/files/" + file + "/versions").json();
    assertThat(versions).extracting(v -> v.get("number").asInt()).containsExactly(3, 2, 1);
    assertThat(alice.get(Disk.API + "/files/" + file + "/content?version=1").body()).isEqualTo("one");

    Http.Response restored = alice.post(Disk.API + "/files/" + file + "/versions/1/restore", "{}");
    assertThat(restored.status()).isEqualTo(200);
    assertThat(restored.json().get("version").asInt()).isEqualTo(4);
    assertThat(new String(alice.bytes(file))).isEqualTo("one");
    assertThat(alice.get(Disk.API + "/files/" + file + "/content?version=3").body()).isEqualTo("three");
  }

  @Test
  void onlyTheNumberOfVersionsKeptStays(TestServers.Servers servers) {
    try (NetdiskInstance netdisk = NetdiskInstance.start(servers, servers.database(), servers.bucket(),
        Map.of("ATRIUM_NETDISK_VERSIONS_KEPT", "2"))) {
      Disk alice = new Disk(netdisk, servers.issuer().userToken("ver-bob"));
      String space = alice.personalSpace();
      String file = alice.file(space, "notes.txt", "a".getBytes());
      alice.file(space, "notes.txt", "bb".getBytes());
      alice.file(space, "notes.txt", "ccc".getBytes());
      JsonNode versions = alice.get(Disk.API + "/files/" + file + "/versions").json();
      assertThat(versions).hasSize(2);
      assertThat(versions.get(1).get("number").asInt()).isEqualTo(2);
      // the dropped version's bytes no longer count against the quota
      assertThat(alice.get(Disk.API + "/spaces/" + space).json().get("space").get("usedBytes").asLong()).isEqualTo(5);
    }
  }

  @Test
  void aFolderGoesToTheTrashWithItsFilesAndComesBackWithThem(NetdiskInstance netdisk, TestServers.Servers servers) {
    Disk alice = new Disk(netdisk, servers.issuer().userToken("trash-alice"));
    String space = alice.personalSpace();
    String file = alice.file(space, "project/specs/api.md", "spec".getBytes());
    String folder = alice.get(Disk.API + "/nodes/" + file).json().get("parentId").asString();
    String project = alice.get(Disk.API + "/nodes/" + folder).json().get("parentId").asString();

    assertThat(alice.delete(Disk.API + "/nodes/" + project).status()).isEqualTo(204);
    assertThat(alice.get(Disk.API + "/nodes/" + file).status()).isEqualTo(404);
    assertThat(alice.get(Disk.API + "/spaces/" + space + "/trash").json().findValuesAsString("name"))
        .containsExactly("project");
    // what went with its folder comes back with it, not alone
    assertThat(alice.post(Disk.API + "/trash/" + file + "/restore", "{}").status()).isEqualTo(409);
    assertThat(alice.post(Disk.API + "/trash/" + project + "/restore", "{}").status()).isEqualTo(200);
    assertThat(new String(alice.bytes(file))).isEqualTo("spec");
  }

  @Test
  void filesAreFoundByNameAndByWhoChangedThemAndEveryReadIsInTheActivity(NetdiskInstance netdisk,
      TestServers.Servers servers) {
    Disk owner = new Disk(netdisk, servers.issuer().userToken("search-owner"));
    Disk editor = owner.as(servers.issuer().userToken("search-editor"));
    String team = owner.teamSpace("Marketing");
    owner.put(Disk.API + "/spaces/" + team + "/grants/USER/search-editor", Map.of("role", "EDITOR"));
    String campaign = owner.file(team, "Campaign 2027.pptx", "v1".getBytes());
    editor.file(team, "Campaign 2027.pptx", "v2".getBytes());
    owner.file(team, "budget_100%.xlsx", "b".getBytes());

    assertThat(editor.get(Disk.API + "/search?name=campaign").json().findValuesAsString("id")).containsExactly(campaign);
    assertThat(owner.get(Disk.API + "/search?modifiedBy=search-editor").json().findValuesAsString("name"))
        .containsExactly("Campaign 2027.pptx");
    // % and _ are searched for, not wildcards
    assertThat(owner.get(Disk.API + "/search?name=" + Disk.encode("0%")).json().findValuesAsString("name"))
        .containsExactly("budget_100%.xlsx");
    editor.bytes(campaign);
    List<String> actions = owner.get(Disk.API + "/spaces/" + team + "/activity?actor=search-editor").json()
        .findValuesAsString("action");
    assertThat(actions).contains("file.read", "file.version");
  }
}
