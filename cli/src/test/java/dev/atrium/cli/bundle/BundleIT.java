package dev.atrium.cli.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atrium.cli.AtriumCommand;
import dev.atrium.cli.registry.OciRegistry;
import dev.atrium.cli.registry.RegistryTarget;
import dev.atrium.testing.kube.LocalRegistry;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bundles pushed to a real registry (distribution's {@code registry} on loopback, {@link LocalRegistry}): digests
 * and tags as in the bundle, a second push uploads nothing, an interrupted push resumes, a tampered bundle pushes
 * nothing, a differential bundle uploads only what its base lacks and is refused where the base never was; and
 * Helm reads the chart the push extracted.
 */
class BundleIT {

  @TempDir
  Path dir;
  BundleFixture fixture;
  LocalRegistry registry;
  HttpClient http;

  @BeforeEach
  void start() throws IOException {
    fixture = new BundleFixture(dir);
    Files.write(dir.resolve("bundle.pub"), pem(fixture));
    registry = LocalRegistry.start();
    http = HttpClient.newHttpClient();
  }

  @AfterEach
  void stop(TestInfo test) {
    http.close();
    registry.close();
  }

  private static byte[] pem(BundleFixture fixture) {
    String base64 = java.util.Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(
        fixture.keys.getPublic().getEncoded());
    return ("-----BEGIN PUBLIC KEY-----\n" + base64 + "\n-----END PUBLIC KEY-----\n").getBytes();
  }

  record Run(int exit, String out, String err) {
  }

  private Run atrium(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = AtriumCommand.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  private Run push(Path bundle, String target) {
    return atrium("bundle", "push", bundle.toString(), "--key", dir.resolve("bundle.pub").toString(), "--registry",
        target, "--plain-http", "--extract", dir.resolve("install").toString());
  }

  private ImagePusher pusher(String target, BundleFile bundle, ImagePusher.BlobSource source) {
    OciRegistry site = new OciRegistry(RegistryTarget.parse(target), OciRegistry.Access.anonymousPlainHttp());
    Progress progress = new Progress(new PrintWriter(System.err, true));
    return source == null ? new ImagePusher(site, bundle, progress) : new ImagePusher(site, source, progress);
  }

  private HttpResponse<byte[]> get(String path, String method) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(registry.url() + path))
        .header("Accept", OciArchive.OCI_MANIFEST).method(method, HttpRequest.BodyPublishers.noBody()).build();
    return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
  }

  private String catalog() throws Exception {
    return new String(get("/v2/_catalog", "GET").body());
  }

  @Test
  void aPushedBundleIsServedByDigestAndTagUnchangedAndASecondPushUploadsNothing() throws Exception {
    Path bundle = fixture.create("atrium-1.0.0.bundle", null, "1.0.0").file();
    Run run = push(bundle, registry.host() + "/site");
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.err()).contains("signature verified", "pushed 3 images to " + registry.host() + "/site");

    try (BundleFile file = BundleFile.open(bundle)) {
      BundleIndex index = file.index();
      for (BundleIndex.Image image : index.images()) {
        String repository = "/v2/site/" + image.repository();
        for (String reference : concat(image.digest(), image.tags())) {
          var response = get(repository + "/manifests/" + reference, "GET");
          assertThat(response.statusCode()).as(repository + " " + reference).isEqualTo(200);
          assertThat(response.headers().firstValue("Docker-Content-Digest")).contains(image.digest());
          assertThat(response.body()).isEqualTo(file.read(BundlePaths.blob(image.digest())));
        }
      }
      String layer = fixture.database.layers().get(1);
      assertThat(get("/v2/site/atrium/postgresql/blobs/" + layer, "GET").body())
          .isEqualTo(file.read(BundlePaths.blob(layer)));

      ImagePusher.Pushed again = pusher(registry.host() + "/site", file, null).push(index);
      assertThat(again.uploaded()).isZero();
      assertThat(again.mounted()).isZero();
      assertThat(again.present()).isEqualTo(9); // 3 images × (config + 2 layers)
    }

    // the install it prints, from the files it extracted
    Path install = dir.resolve("install");
    assertThat(run.out()).contains("kubectl apply --server-side -f " + install.resolve("crds"),
        "--set global.imageRegistry=" + registry.host() + "/site --set image.digest=" + fixture.operator.digest());
    Path chart = install.resolve("chart/atrium-operator-0.1.0.tgz");
    Path helm = Path.of(System.getProperty("atrium.tools.bin", BundleFixture.SOURCE.resolve(".tools/bin").toString()),
        "helm");
    assertThat(run(helm.toString(), "show", "chart", chart.toString())).contains("name: atrium-operator",
        "version: 0.1.0");
    assertThat(run(helm.toString(), "template", "atrium-operator", chart.toString(), "-n", "atrium-system",
        "--include-crds", "--set", "global.imageRegistry=" + registry.host() + "/site", "--set",
        "image.digest=" + fixture.operator.digest()))
        .contains("image: \"" + registry.host() + "/site/atrium/atrium-operator@" + fixture.operator.digest() + "\"")
        .contains("kind: \"CustomResourceDefinition\"", "name: \"platformreleases.atrium.dev\"");
  }

  @Test
  void anInterruptedPushGoesOnWhereItStopped() throws Exception {
    Path bundle = fixture.create("atrium-1.0.0.bundle", null, "1.0.0").file();
    String target = registry.host() + "/site";
    String bigLayer = BundlePaths.blob(fixture.database.layers().get(1));
    try (BundleFile file = BundleFile.open(bundle)) {
      BundleIndex index = file.index();
      // the connection breaks 1 MB into the database's 2 MB layer
      ImagePusher.BlobSource breaking = path -> path.equals(bigLayer) ? failingAfter(file.open(path), 1_000_000)
          : file.open(path);
      assertThatThrownBy(() -> pusher(target, file, breaking).push(index)).hasStackTraceContaining("connection lost");
      assertThat(get("/v2/site/atrium/postgresql/manifests/" + fixture.database.digest(), "HEAD").statusCode())
          .isEqualTo(404);
      assertThat(get("/v2/site/atrium/postgresql/blobs/" + fixture.database.layers().get(1), "HEAD").statusCode())
          .isEqualTo(404);

      ImagePusher.Pushed resumed = pusher(target, file, null).push(index);
      // the operator's image (first) was pushed before the break; identity's base layer mounted from it
      assertThat(resumed.present()).isGreaterThanOrEqualTo(3);
      assertThat(resumed.uploaded() + resumed.present() + resumed.mounted()).isEqualTo(9);
      assertThat(resumed.uploaded()).isLessThan(7); // a first push uploads 7 (the base layer once, mounted twice)
      var manifest = get("/v2/site/atrium/postgresql/manifests/15-1.0.0", "GET");
      assertThat(manifest.headers().firstValue("Docker-Content-Digest")).contains(fixture.database.digest());
      assertThat(get("/v2/site/atrium/postgresql/blobs/" + fixture.database.layers().get(1), "GET").body())
          .isEqualTo(file.read(bigLayer));
    }
  }

  @Test
  void aTamperedBundlePushesNothing() throws Exception {
    Path bundle = fixture.create("atrium-1.0.0.bundle", null, "1.0.0").file();
    String layer = BundlePaths.blob(fixture.identity100.layers().get(1));
    BundleFixture.flipByte(bundle, layer, 4242);
    Run run = push(bundle, registry.host());
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).contains("is refused (1 problem)", layer + ": its content has the digest",
        "nothing was pushed");
    assertThat(catalog()).contains("\"repositories\":[]");
    assertThat(dir.resolve("install")).doesNotExist();
  }

  @Test
  void aBundleSignedWithAnotherKeyPushesNothing() throws Exception {
    Path bundle = fixture.create("atrium-1.0.0.bundle", null, "1.0.0").file();
    BundleKeys.write(BundleKeys.generate(), dir.resolve("other"));
    Run run = atrium("bundle", "push", bundle.toString(), "--key", dir.resolve("other/bundle.pub").toString(),
        "--registry", registry.host(), "--plain-http");
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).contains("the signature does not verify");
    assertThat(catalog()).contains("\"repositories\":[]");
  }

  @Test
  void aDifferentialBundleUploadsOnlyWhatItsBaseLacksAndIsRefusedWhereTheBaseWasNeverPushed() throws Exception {
    var full = fixture.create("atrium-1.0.0.bundle", null, "1.0.0");
    var diff = fixture.create("atrium-1.0.1.bundle", full.file(), "1.0.1");
    String site = registry.host() + "/site";
    assertThat(push(full.file(), site).exit()).isZero();

    // where the base was never pushed: refused before anything is pushed, naming what is missing
    Run elsewhere = push(diff.file(), registry.host() + "/elsewhere");
    assertThat(elsewhere.exit()).isEqualTo(1);
    assertThat(elsewhere.err()).contains("relies on 6 blobs", "push the base bundle first (releases [1.0.0]",
        fixture.database.layers().get(1) + " (");
    assertThat(catalog()).doesNotContain("elsewhere/");

    try (BundleFile file = BundleFile.open(diff.file())) {
      ImagePusher.Pushed pushed = pusher(site, file, null).push(file.index());
      assertThat(pushed.uploaded()).isEqualTo(2); // identity 1.0.1's new layer and config
      long expected = diff.index().artifacts().stream()
          .filter(a -> a.kind() == BundleIndex.Kind.layer || a.kind() == BundleIndex.Kind.config)
          .mapToLong(BundleIndex.Artifact::size).sum();
      assertThat(pushed.uploadedBytes()).isEqualTo(expected);
    }
    var manifest = get("/v2/site/atrium/identity/manifests/1.0.1", "GET");
    assertThat(manifest.headers().firstValue("Docker-Content-Digest")).contains(fixture.identity101.digest());
    assertThat(get("/v2/site/atrium/identity/manifests/1.0.0", "HEAD").statusCode()).isEqualTo(200);
  }

  private static List<String> concat(String first, List<String> rest) {
    List<String> all = new ArrayList<>(List.of(first));
    all.addAll(rest);
    return all;
  }

  private static InputStream failingAfter(InputStream in, long limit) {
    return new FilterInputStream(in) {
      long read;

      @Override
      public int read(byte[] buffer, int offset, int length) throws IOException {
        if (read >= limit) {
          throw new IOException("connection lost (test)");
        }
        int n = super.read(buffer, offset, (int) Math.min(length, limit - read));
        read += Math.max(n, 0);
        return n;
      }
    };
  }

  private static String run(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    return output;
  }
}
