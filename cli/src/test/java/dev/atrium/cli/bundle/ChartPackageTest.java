package dev.atrium.cli.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartPackageTest {

  @TempDir
  Path dir;

  @Test
  void theChartIsPackagedUnderItsNameWithChartYamlFirstTheSameEveryTimeAndWithoutIgnoredFiles() throws Exception {
    Path chart = dir.resolve("demo");
    Files.createDirectories(chart.resolve("templates"));
    Files.createDirectories(chart.resolve("ci"));
    Files.writeString(chart.resolve("Chart.yaml"), "apiVersion: v2\nname: demo\nversion: 1.2.3\nappVersion: \"4.5\"\n");
    Files.writeString(chart.resolve("values.yaml"), "a: 1\n");
    Files.writeString(chart.resolve("templates/cm.yaml"), "kind: ConfigMap\n");
    Files.writeString(chart.resolve("templates/cm.yaml.bak"), "old\n");
    Files.writeString(chart.resolve("ci/values.yaml"), "b: 2\n");
    Files.writeString(chart.resolve(".helmignore"), "# comment\n*.bak\nci/\n");

    ChartPackage first = ChartPackage.of(chart);
    assertThat(first.fileName()).isEqualTo("demo-1.2.3.tgz");
    assertThat(first.appVersion()).isEqualTo("4.5");
    Files.setLastModifiedTime(chart.resolve("values.yaml"), java.nio.file.attribute.FileTime.fromMillis(0));
    assertThat(ChartPackage.of(chart).bytes()).isEqualTo(first.bytes());

    List<String> names = new ArrayList<>();
    try (var tar = new TarArchiveInputStream(new GzipCompressorInputStream(new ByteArrayInputStream(first.bytes())))) {
      for (var entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
        names.add(entry.getName());
      }
    }
    assertThat(names).containsExactly("demo/Chart.yaml", "demo/.helmignore", "demo/templates/cm.yaml",
        "demo/values.yaml");
  }
}
