package dev.atrium.install;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The offline bundle as a vendor and a site use it (docs/bundle.md): {@code hack/atrium bundle ...} run as a
 * process, the vendor's key pair made once, the site holding only its public half. Install commands the CLI runs
 * find helm and kubectl of hack/tools.sh and the cluster's kubeconfig.
 */
final class SiteBundle {

  /** What one command printed, how it ended and how long it took. */
  record Result(int exitCode, String stdout, String stderr, Duration took) {

    Result orFail(String what) {
      if (exitCode != 0) {
        throw new AssertionError(what + " failed (exit " + exitCode + "):\n" + stderr + stdout);
      }
      return this;
    }
  }

  private final Path dir;
  private final Path kubeconfig;
  private final Path privateKey;
  private final Path publicKey;

  private SiteBundle(Path dir, Path kubeconfig) {
    this.dir = dir;
    this.kubeconfig = kubeconfig;
    this.privateKey = dir.resolve("vendor/bundle.key");
    this.publicKey = dir.resolve("vendor/bundle.pub");
  }

  /** A fresh directory under target/ with a new vendor key pair. */
  static SiteBundle withNewKeys(String name, Path kubeconfig) throws IOException {
    Path dir = Path.of("target", name).toAbsolutePath();
    deleteRecursively(dir);
    Files.createDirectories(dir);
    SiteBundle bundles = new SiteBundle(dir, kubeconfig);
    bundles.run("keygen", "--out", dir.resolve("vendor").toString()).orFail("atrium bundle keygen");
    return bundles;
  }

  Path dir() {
    return dir;
  }

  Path publicKey() {
    return publicKey;
  }

  /** {@code bundle create} of one release from its file; {@code since} (or null) makes it differential. */
  Result create(Path out, Path releaseFile, String version, Path since, Path... images) {
    List<String> args = new ArrayList<>(List.of("create", "--release", version, "--release-file",
        releaseFile.toString(), "--key", privateKey.toString(), "--out", out.toString()));
    for (Path d : images) {
      args.addAll(List.of("--images", d.toString()));
    }
    if (since != null) {
      args.addAll(List.of("--since", since.toString()));
    }
    return run(args);
  }

  Result verify(Path bundle, Path key) {
    return run("verify", bundle.toString(), "--key", key.toString());
  }

  /** {@code bundle push} to a plain-HTTP registry, with more arguments (e.g. --install, --set). */
  Result push(Path bundle, Path key, String registry, Path extract, String... more) {
    List<String> args = new ArrayList<>(List.of("push", bundle.toString(), "--key", key.toString(), "--registry",
        registry, "--plain-http", "--extract", extract.toString()));
    args.addAll(List.of(more));
    return run(args);
  }

  Result run(String... args) {
    return run(List.of(args));
  }

  Result run(List<String> args) {
    List<String> command = new ArrayList<>(List.of(Repo.root().resolve("hack/atrium").toString(), "bundle"));
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    builder.environment().put("PATH", Repo.toolsBin() + ":" + System.getenv("PATH"));
    builder.environment().put("KUBECONFIG", kubeconfig.toString());
    Path helmHome = dir.resolve("helm-home");
    builder.environment().put("HELM_CACHE_HOME", helmHome.resolve("cache").toString());
    builder.environment().put("HELM_CONFIG_HOME", helmHome.resolve("config").toString());
    builder.environment().put("HELM_DATA_HOME", helmHome.resolve("data").toString());
    Instant started = Instant.now();
    try {
      Process process = builder.start();
      process.getOutputStream().close();
      CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process));
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(15, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new AssertionError("atrium bundle " + args + " did not finish within 15 minutes");
      }
      return new Result(process.exitValue(), out, err.join(), Duration.between(started, Instant.now()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String read(Process process) {
    try {
      return new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var files = Files.walk(dir)) {
      for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
