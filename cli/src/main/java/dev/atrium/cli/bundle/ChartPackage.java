package dev.atrium.cli.bundle;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * A Helm chart directory packaged as {@code helm package} would ({@code NAME-VERSION.tgz}, every file under
 * {@code NAME/}, {@code Chart.yaml} first), but deterministically: sorted entries, fixed times and owners, no
 * time in the gzip header. Helm reads it ({@code helm show chart}, {@code helm template}, {@code helm install}).
 *
 * @param name the chart's name
 * @param version the chart's version
 * @param appVersion the chart's appVersion (the operator's release)
 * @param bytes the .tgz
 */
public record ChartPackage(String name, String version, String appVersion, byte[] bytes) {

  public String fileName() {
    return name + "-" + version + ".tgz";
  }

  public static ChartPackage of(Path chartDir) throws IOException {
    Path chartYaml = chartDir.resolve("Chart.yaml");
    if (!Files.isRegularFile(chartYaml)) {
      throw new IOException(chartDir + " is not a Helm chart (no Chart.yaml)");
    }
    JsonNode chart = YAMLMapper.builder().build().readTree(Files.readString(chartYaml));
    String name = chart.path("name").asString("");
    String version = chart.path("version").asString("");
    String appVersion = chart.path("appVersion").asString(version);
    if (name.isEmpty() || version.isEmpty()) {
      throw new IOException(chartYaml + " has no name or version");
    }
    List<PathMatcher> ignored = helmignore(chartDir);
    List<Path> files = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(chartDir)) {
      walk.filter(Files::isRegularFile)
          .filter(f -> ignored.stream().noneMatch(m -> matches(m, chartDir.relativize(f))))
          .forEach(files::add);
    }
    files.sort(Comparator.comparing((Path f) -> !f.equals(chartYaml))
        .thenComparing(f -> chartDir.relativize(f).toString()));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    GzipParameters gzip = new GzipParameters();
    gzip.setModificationTime(0);
    try (TarArchiveOutputStream tar = DeterministicTar.open(new GzipCompressorOutputStream(out, gzip))) {
      for (Path file : files) {
        String entry = name + "/" + chartDir.relativize(file).toString().replace('\\', '/');
        DeterministicTar.put(tar, entry, Files.readAllBytes(file));
      }
    }
    return new ChartPackage(name, version, appVersion, out.toByteArray());
  }

  /**
   * The simple patterns of {@code .helmignore} that this chart uses: a glob matched against each file's name and
   * each directory it is in ({@code *.bak}), or a directory ({@code ci/}). Helm's negations and paths with a
   * slash inside are not supported and refused.
   */
  private static List<PathMatcher> helmignore(Path chartDir) throws IOException {
    Path file = chartDir.resolve(".helmignore");
    List<PathMatcher> matchers = new ArrayList<>();
    if (!Files.isRegularFile(file)) {
      return matchers;
    }
    for (String line : Files.readAllLines(file)) {
      String pattern = line.strip();
      if (pattern.isEmpty() || pattern.startsWith("#")) {
        continue;
      }
      String glob = pattern.endsWith("/") ? pattern.substring(0, pattern.length() - 1) : pattern;
      if (glob.startsWith("!") || glob.contains("/")) {
        throw new IOException(file + ": the pattern '" + pattern + "' is not supported (a name or name/ only)");
      }
      matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + glob));
    }
    return matchers;
  }

  private static boolean matches(PathMatcher matcher, Path relative) {
    for (Path part : relative) {
      if (matcher.matches(part)) {
        return true;
      }
    }
    return false;
  }
}
