package dev.atrium.install;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs the helm binary hack/tools.sh built, with its caches and config kept out of the user's home. */
final class Helm {

  /** What one helm command printed and how it ended. */
  record Result(int exitCode, String stdout, String stderr) {

    Result orFail(String what) {
      if (exitCode != 0) {
        throw new AssertionError(what + " failed (exit " + exitCode + "):\n" + stderr + stdout);
      }
      return this;
    }
  }

  private final Path bin;
  private final Path kubeconfig;
  private final Path home;

  /** @param kubeconfig the cluster for install/uninstall; null for commands that need none */
  Helm(Path kubeconfig) {
    this.bin = Repo.toolsBin().resolve("helm");
    this.kubeconfig = kubeconfig;
    try {
      this.home = Files.createDirectories(Path.of("target", "helm-home")).toAbsolutePath();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (!Files.isExecutable(bin)) {
      throw new IllegalStateException(bin + " is missing: run hack/tools.sh (it builds helm)");
    }
  }

  Result run(String... args) {
    return run(List.of(args));
  }

  Result run(List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(bin.toString());
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("HELM_CACHE_HOME", home.resolve("cache").toString());
    builder.environment().put("HELM_CONFIG_HOME", home.resolve("config").toString());
    builder.environment().put("HELM_DATA_HOME", home.resolve("data").toString());
    if (kubeconfig != null) {
      builder.environment().put("KUBECONFIG", kubeconfig.toString());
    } else {
      builder.environment().remove("KUBECONFIG");
    }
    try {
      Process process = builder.start();
      CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
      String out = read(process.getInputStream());
      if (!process.waitFor(5, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new AssertionError("helm " + args + " did not finish within 5 minutes");
      }
      return new Result(process.exitValue(), out, err.join());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** helm template of the chart as release {@code release} in {@code namespace}, with extra arguments. */
  String template(String release, String namespace, String... extra) {
    List<String> args = new ArrayList<>(List.of("template", release, Repo.chart().toString(), "--namespace", namespace));
    args.addAll(List.of(extra));
    return run(args).orFail("helm template " + String.join(" ", extra)).stdout();
  }

  private static String read(java.io.InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
