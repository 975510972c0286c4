package dev.atrium.install;

import java.nio.file.Path;

/** Paths in the repository; failsafe runs in the module's directory, e2e/install. */
final class Repo {

  private Repo() {
  }

  static Path root() {
    return Path.of(System.getProperty("atrium.repo.root", "../..")).toAbsolutePath().normalize();
  }

  static Path chart() {
    return root().resolve("charts/atrium-operator");
  }

  static Path toolsBin() {
    return Path.of(System.getProperty("atrium.tools.bin", root().resolve(".tools/bin").toString()));
  }

  /** The monitoring.coreos.com CRDs hack/tools.sh fetched, beside the binaries. */
  static Path monitoringCrds() {
    return toolsBin().resolveSibling("crds");
  }
}
