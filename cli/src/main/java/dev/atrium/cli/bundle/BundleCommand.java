package dev.atrium.cli.bundle;

import dev.atrium.cli.registry.OciRegistry;
import dev.atrium.cli.registry.RegistryTarget;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code atrium bundle}: an air-gapped site's install and upgrade in one signed, verified file (docs/bundle.md). */
@Command(name = "bundle", mixinStandardHelpOptions = true,
    description = "Create, verify and push offline bundles (docs/bundle.md).",
    subcommands = {BundleCommand.Keygen.class, BundleCommand.Create.class, BundleCommand.Verify.class,
        BundleCommand.Push.class})
public final class BundleCommand implements Runnable {

  /** The checkout the default paths are relative to: -Datrium.home (set by hack/atrium), else the working directory. */
  static Path source() {
    return Path.of(System.getProperty("atrium.home", ".")).toAbsolutePath().normalize();
  }

  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }

  static Progress progress(CommandSpec spec) {
    return new Progress(spec.commandLine().getErr());
  }

  @Command(name = "keygen", mixinStandardHelpOptions = true,
      description = "Write an Ed25519 key pair: DIR/bundle.key (PKCS#8 PEM, mode 0600) and DIR/bundle.pub.")
  static final class Keygen implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "where to write the two files")
    Path out;

    @Override
    public Integer call() throws IOException {
      var pair = BundleKeys.generate();
      BundleKeys.write(pair, out);
      progress(spec).say("wrote %s (keep it secret) and %s (give it to the sites out of band); public key %s",
          out.resolve(BundleKeys.PRIVATE_FILE), out.resolve(BundleKeys.PUBLIC_FILE),
          BundleKeys.fingerprint(pair.getPublic()));
      return 0;
    }
  }

  @Command(name = "create", mixinStandardHelpOptions = true,
      description = "Write one signed bundle with the operator, the releases' images, chart, CRDs, releases and"
          + " policies.")
  static final class Create implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--release", required = true, paramLabel = "VERSION", description = "a PlatformRelease to carry")
    List<String> releases;

    @Option(names = "--images", required = true, paramLabel = "DIR",
        description = "a directory of image archives (hack/images.sh), with atrium-operator.tar in one of them")
    List<Path> imageDirs;

    @Option(names = "--releases-dir", paramLabel = "DIR",
        description = "PlatformRelease files to choose from (default: examples/releases of the checkout)")
    Path releasesDir;

    @Option(names = "--release-file", paramLabel = "FILE", description = "a PlatformRelease file (instead of --releases-dir)")
    List<Path> releaseFiles = new ArrayList<>();

    @Option(names = "--chart", paramLabel = "DIR", description = "the operator's chart (default: charts/atrium-operator)")
    Path chart;

    @Option(names = "--crds", paramLabel = "DIR", description = "the CRDs (default: crds)")
    Path crds;

    @Option(names = "--policies", paramLabel = "DIR", description = "AutoscalingPolicies (default: autoscaling-policies)")
    Path policies;

    @Option(names = "--key", required = true, paramLabel = "FILE", description = "the Ed25519 private key (bundle.key)")
    Path key;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "the bundle to write")
    Path out;

    @Option(names = "--since", paramLabel = "OLD.bundle",
        description = "leave out every blob this earlier bundle carried (a differential bundle)")
    Path since;

    @Override
    public Integer call() throws IOException {
      Path home = source();
      List<Path> files = new ArrayList<>(releaseFiles);
      if (releasesDir != null || releaseFiles.isEmpty()) {
        Path dir = releasesDir != null ? releasesDir : home.resolve("examples/releases");
        try (var list = Files.list(dir)) {
          list.filter(f -> f.getFileName().toString().matches(".*\\.ya?ml$")).sorted().forEach(files::add);
        }
      }
      Progress progress = progress(spec);
      if (BundleKeys.readableByOthers(key)) {
        progress.say("warning: %s may be read by others than its owner (chmod 600 it)", key);
      }
      var inputs = new BundleCreator.Inputs(releases, imageDirs, files,
          chart != null ? chart : home.resolve("charts/atrium-operator"), crds != null ? crds : home.resolve("crds"),
          policies != null ? policies : home.resolve("autoscaling-policies"), BundleKeys.readPrivate(key), since);
      long started = System.nanoTime();
      new BundleCreator(progress).create(inputs, out);
      progress.say("created in %.1f s", (System.nanoTime() - started) / 1e9);
      return 0;
    }
  }

  /** Verifies and prints what is wrong; null when the bundle verified. */
  static BundleVerifier.Result verified(CommandSpec spec, Path file, Path key) throws IOException {
    PublicKey publicKey = BundleKeys.readPublic(key);
    Progress progress = progress(spec);
    long started = System.nanoTime();
    BundleVerifier.Result result = new BundleVerifier(progress).verify(file, publicKey);
    if (!result.ok()) {
      PrintWriter err = spec.commandLine().getErr();
      err.println("atrium: " + file + " is refused (" + result.problems().size() + " problem"
          + (result.problems().size() == 1 ? "" : "s") + "):");
      result.problems().forEach(p -> err.println("  " + p));
      err.flush();
      return null;
    }
    progress.say("verified %s: %d files, %s, in %.1f s", file, result.index().artifacts().size(),
        Progress.bytes(result.bytes()), (System.nanoTime() - started) / 1e9);
    return result;
  }

  @Command(name = "verify", mixinStandardHelpOptions = true,
      description = "Check the signature, every artifact's size and digest, and completeness; exit 1 if refused.")
  static final class Verify implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "the bundle")
    Path file;

    @Option(names = "--key", required = true, paramLabel = "FILE", description = "the Ed25519 public key (bundle.pub)")
    Path key;

    @Override
    public Integer call() throws IOException {
      BundleVerifier.Result result = verified(spec, file, key);
      if (result == null) {
        return 1;
      }
      BundleIndex index = result.index();
      PrintWriter out = spec.commandLine().getOut();
      out.println("releases " + index.releases() + ", operator " + index.operator().version() + ", "
          + index.images().size() + " images" + (index.differential()
              ? ", differential: needs " + index.base().blobs().size() + " blobs of " + index.base().releases()
                  + " (index " + index.base().index() + ") at the site" : ""));
      out.flush();
      return 0;
    }
  }

  @Command(name = "push", mixinStandardHelpOptions = true,
      description = "Verify the bundle, push its images by digest to the site's registry, extract the chart, CRDs,"
          + " releases and policies, and print (or run) the install.")
  static final class Push implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "the bundle")
    Path file;

    @Option(names = "--key", required = true, paramLabel = "FILE", description = "the Ed25519 public key (bundle.pub)")
    Path key;

    @Option(names = "--registry", required = true, paramLabel = "HOST[:PORT][/PATH]",
        description = "the site's registry; images go to PATH/REPOSITORY, e.g. reg.site:5000/atrium/postgresql")
    String registry;

    @Option(names = "--plain-http", description = "HTTP instead of HTTPS")
    boolean plainHttp;

    @Option(names = "--ca-file", paramLabel = "PEM", description = "CA certificates to trust for the registry")
    Path caFile;

    @Option(names = "--username", description = "with --password-stdin; otherwise the Docker/Podman credentials files")
    String username;

    @Option(names = "--password-stdin", description = "read the password from standard input")
    boolean passwordStdin;

    @Option(names = "--extract", paramLabel = "DIR",
        description = "where to write the chart, CRDs, releases and policies (default: atrium-install)")
    Path extract = Path.of("atrium-install");

    @Option(names = "--install", description = "run the printed commands (kubectl and helm from PATH)")
    boolean install;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
        description = "a chart value of the site's for helm (repeatable), e.g. replicaCount=1")
    List<String> values = new ArrayList<>();

    @Override
    public Integer call() throws IOException, InterruptedException {
      RegistryTarget target = RegistryTarget.parse(registry);
      InstallPlan.checkValues(values);
      String password = null;
      if (passwordStdin) {
        if (username == null) {
          throw new IllegalArgumentException("--password-stdin needs --username");
        }
        password = new String(System.in.readAllBytes(), StandardCharsets.UTF_8).strip();
      }
      BundleVerifier.Result result = verified(spec, file, key);
      if (result == null) {
        spec.commandLine().getErr().println("atrium: nothing was pushed");
        return 1;
      }
      Progress progress = progress(spec);
      BundleIndex index = result.index();
      long started = System.nanoTime();
      try (BundleFile bundle = BundleFile.open(file)) {
        if (!Digests.of(bundle.indexBytes()).equals(result.indexDigest())) {
          throw new IOException(file + " changed since it was verified");
        }
        var access = new OciRegistry.Access(plainHttp, caFile, username, password);
        new ImagePusher(new OciRegistry(target, access), bundle, progress).push(index);
        progress.say("pushed in %.1f s", (System.nanoTime() - started) / 1e9);
        InstallPlan.extract(bundle, index, extract);
      }
      List<List<String>> commands = InstallPlan.commands(index, extract, target.imageRegistry(), values);
      PrintWriter out = spec.commandLine().getOut();
      out.println("# install or upgrade from " + extract + " with every image from " + target.imageRegistry() + ":");
      commands.forEach(c -> out.println(InstallPlan.shell(c)));
      out.flush();
      if (install) {
        for (List<String> command : commands) {
          progress.say("running: %s", InstallPlan.shell(command));
          int exit = new ProcessBuilder(command).inheritIO().start().waitFor();
          if (exit != 0) {
            progress.say("atrium: %s exited with %d; the rest was not run", command.getFirst(), exit);
            return 1;
          }
        }
      }
      return 0;
    }
  }

}
