package dev.atrium.cli.bundle;

import dev.atrium.cli.bundle.BundleIndex.Artifact;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What a site runs after a push: the bundle's chart, CRDs, releases and policies extracted into a directory,
 * and the commands that install (or upgrade) from them with every image from the site's registry.
 *
 * <p>The chart carries the CRDs in its {@code crds/}, which Helm installs on the first install and never
 * upgrades, so they are applied first with {@code kubectl apply --server-side} (the same for an install and
 * an upgrade); {@code helm upgrade --install} installs or upgrades the operator, its image pinned by digest;
 * then the releases and policies, whose kinds the CRDs define.
 */
public final class InstallPlan {

  public static final String NAMESPACE = "atrium-system";
  public static final String RELEASE_NAME = "atrium-operator";
  /** The chart values that say where the images come from: the bundle's, never the site's to change. */
  private static final java.util.Set<String> BUNDLE_VALUES = java.util.Set.of("global.imageRegistry",
      "platformImageRegistry", "image.registry", "image.repository", "image.tag", "image.digest");

  private InstallPlan() {
  }

  /** Writes every install file of the bundle under {@code dir}, checking each one's digest again. */
  public static void extract(BundleFile bundle, BundleIndex index, Path dir) throws IOException {
    for (Artifact artifact : index.artifacts()) {
      if (!BundlePaths.installFile(artifact.path())) {
        continue;
      }
      Path target = dir.resolve(artifact.path()).normalize();
      if (!target.startsWith(dir.normalize())) {
        throw new IOException("refusing to extract " + artifact.path() + " outside " + dir);
      }
      Files.createDirectories(target.getParent());
      byte[] bytes;
      try (InputStream in = bundle.open(artifact.path())) {
        bytes = in.readAllBytes();
      }
      if (!Digests.of(bytes).equals(artifact.digest())) {
        throw new IOException(artifact.path() + " changed since the bundle was verified");
      }
      Files.write(target, bytes);
    }
  }

  /** The commands, in order, each as its arguments. */
  public static List<List<String>> commands(BundleIndex index, Path dir, String imageRegistry) {
    return commands(index, dir, imageRegistry, List.of());
  }

  /**
   * As above, with the site's own chart values ({@code KEY=VALUE}, as {@code helm --set} takes them) after the
   * registry and the digest; a value that sets either of those two is refused, since the images would no longer be
   * the bundle's.
   */
  public static List<List<String>> commands(BundleIndex index, Path dir, String imageRegistry, List<String> values) {
    checkValues(values);
    List<List<String>> commands = new ArrayList<>();
    commands.add(List.of("kubectl", "apply", "--server-side", "-f", dir.resolve(BundlePaths.CRDS_DIR).toString()));
    List<String> helm = new ArrayList<>(List.of("helm", "upgrade", "--install", RELEASE_NAME,
        dir.resolve(index.operator().chart()).toString(), "-n", NAMESPACE, "--create-namespace",
        "--set", "global.imageRegistry=" + imageRegistry, "--set", "image.digest=" + index.operator().digest()));
    values.forEach(v -> helm.addAll(List.of("--set", v)));
    helm.add("--wait");
    commands.add(helm);
    List<String> apply = new ArrayList<>(List.of("kubectl", "apply", "-f", dir.resolve(BundlePaths.RELEASES_DIR)
        .toString()));
    if (index.artifacts().stream().anyMatch(a -> a.path().startsWith(BundlePaths.POLICIES_DIR))) {
      apply.addAll(List.of("-f", dir.resolve(BundlePaths.POLICIES_DIR).toString()));
    }
    commands.add(apply);
    return commands;
  }

  /** Refuses a value that is no KEY=VALUE, or that would set the operator's image or registry. */
  public static void checkValues(List<String> values) {
    for (String value : values) {
      String key = value.substring(0, Math.max(0, value.indexOf('='))).strip();
      if (key.isEmpty()) {
        throw new IllegalArgumentException("--set " + value + ": KEY=VALUE expected");
      }
      if (BUNDLE_VALUES.contains(key)) {
        throw new IllegalArgumentException("--set " + value + ": the bundle sets the operator's image and registry");
      }
    }
  }

  /** A command as a shell line, each argument quoted when it needs to be. */
  public static String shell(List<String> command) {
    return command.stream().map(InstallPlan::quote).collect(Collectors.joining(" "));
  }

  private static String quote(String argument) {
    if (argument.matches("[A-Za-z0-9_./:=@,+-]+")) {
      return argument;
    }
    return "'" + argument.replace("'", "'\\''") + "'";
  }
}
