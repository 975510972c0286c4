package dev.atrium.cli.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstallPlanTest {

  @TempDir
  Path dir;

  @Test
  void theCommandsApplyTheCrdsThenInstallTheChartFromTheSiteRegistryThenTheReleasesAndPolicies() throws Exception {
    BundleFixture fixture = new BundleFixture(dir);
    BundleIndex index = fixture.create("a.bundle", null, "1.0.0").index();
    var commands = InstallPlan.commands(index, Path.of("install"), "reg.site:5000/mirror");
    assertThat(commands).extracting(InstallPlan::shell).containsExactly(
        "kubectl apply --server-side -f install/crds",
        "helm upgrade --install atrium-operator install/chart/atrium-operator-0.1.0.tgz -n atrium-system"
            + " --create-namespace --set global.imageRegistry=reg.site:5000/mirror --set image.digest="
            + fixture.operator.digest() + " --wait",
        "kubectl apply -f install/releases -f install/autoscaling-policies");
  }

  @Test
  void theSitesOwnValuesGoToHelmButNeverTheImageOrRegistry() throws Exception {
    BundleFixture fixture = new BundleFixture(dir);
    BundleIndex index = fixture.create("a.bundle", null, "1.0.0").index();
    var commands = InstallPlan.commands(index, Path.of("install"), "reg.site:5000", java.util.List.of("replicaCount=1"));
    assertThat(InstallPlan.shell(commands.get(1))).endsWith("--set image.digest=" + fixture.operator.digest()
        + " --set replicaCount=1 --wait");
    for (String value : java.util.List.of("global.imageRegistry=elsewhere", "image.digest=sha256:00", "noValue")) {
      org.assertj.core.api.Assertions.assertThatThrownBy(
          () -> InstallPlan.commands(index, Path.of("install"), "reg.site:5000", java.util.List.of(value)))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(value);
    }
  }

  @Test
  void extractWritesTheInstallFilesOnly() throws Exception {
    BundleFixture fixture = new BundleFixture(dir);
    var created = fixture.create("a.bundle", null, "1.0.0");
    try (BundleFile bundle = BundleFile.open(created.file())) {
      InstallPlan.extract(bundle, created.index(), dir.resolve("out"));
    }
    assertThat(dir.resolve("out/chart/atrium-operator-0.1.0.tgz")).isRegularFile();
    assertThat(dir.resolve("out/releases/1.0.0.yaml")).hasSameTextualContentAs(fixture.releases.resolve("1.0.0.yaml"));
    assertThat(dir.resolve("out/crds/platformreleases.atrium.dev-v1.yml"))
        .hasSameTextualContentAs(BundleFixture.SOURCE.resolve("crds/platformreleases.atrium.dev-v1.yml"));
    assertThat(dir.resolve("out/images")).doesNotExist();
  }

  @Test
  void argumentsThatNeedQuotingAreQuoted() {
    assertThat(InstallPlan.shell(java.util.List.of("helm", "a b", "it's"))).isEqualTo("helm 'a b' 'it'\\''s'");
  }
}
