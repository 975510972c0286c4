package dev.atrium.testing.kube;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pushes a small OCI image to a {@link LocalRegistry} with the plain OCI distribution API (monolithic
 * blob uploads, a manifest under a tag) and reads it back by digest.
 */
class LocalRegistryIT {

  private static final String REPOSITORY = "atrium/hello";
  private static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  private static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
  private static final String OCI_LAYER = "application/vnd.oci.image.layer.v1.tar";

  private static LocalRegistry registry;
  private static HttpClient http;

  @BeforeAll
  static void start() {
    registry = LocalRegistry.start();
    http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  @AfterAll
  static void stop() {
    if (http != null) {
      http.close();
    }
    if (registry != null) {
      var processes = registry.processes();
      var workdir = registry.workdir();
      registry.close();
      assertThat(processes).noneMatch(LocalControlPlane::isRunning);
      assertThat(workdir).doesNotExist();
    }
  }

  @Test
  void anImagePushedByTagIsServedByDigestAndPushingItAgainChangesNothing() throws Exception {
    byte[] layer = tar("hello.txt", "hello from the local registry\n".getBytes(StandardCharsets.UTF_8));
    String layerDigest = sha256(layer);
    byte[] config = """
        {"architecture":"amd64","os":"linux","config":{},"rootfs":{"type":"layers","diff_ids":["%s"]}}"""
        .formatted(layerDigest).getBytes(StandardCharsets.UTF_8);
    String configDigest = sha256(config);
    byte[] manifest = """
        {"schemaVersion":2,"mediaType":"%s",\
        "config":{"mediaType":"%s","digest":"%s","size":%d},\
        "layers":[{"mediaType":"%s","digest":"%s","size":%d}]}"""
        .formatted(OCI_MANIFEST, OCI_CONFIG, configDigest, config.length, OCI_LAYER, layerDigest, layer.length)
        .getBytes(StandardCharsets.UTF_8);
    String manifestDigest = sha256(manifest);

    assertThat(pushBlob(config)).isEqualTo(configDigest);
    assertThat(pushBlob(layer)).isEqualTo(layerDigest);
    assertThat(pushManifest("v1", manifest)).isEqualTo(manifestDigest);

    HttpResponse<byte[]> byDigest = get("/v2/" + REPOSITORY + "/manifests/" + manifestDigest, OCI_MANIFEST);
    assertThat(byDigest.statusCode()).isEqualTo(200);
    assertThat(byDigest.body()).isEqualTo(manifest);
    assertThat(byDigest.headers().firstValue("Docker-Content-Digest")).hasValue(manifestDigest);
    assertThat(byDigest.headers().firstValue("Content-Type")).hasValue(OCI_MANIFEST);
    HttpResponse<byte[]> byTag = get("/v2/" + REPOSITORY + "/manifests/v1", OCI_MANIFEST);
    assertThat(byTag.body()).isEqualTo(manifest);

    HttpResponse<byte[]> configBlob = get("/v2/" + REPOSITORY + "/blobs/" + configDigest, "*/*");
    assertThat(configBlob.statusCode()).isEqualTo(200);
    assertThat(configBlob.body()).isEqualTo(config);
    HttpResponse<byte[]> layerBlob = get("/v2/" + REPOSITORY + "/blobs/" + layerDigest, "*/*");
    assertThat(layerBlob.statusCode()).isEqualTo(200);
    assertThat(layerBlob.body()).isEqualTo(layer);
    assertThat(sha256(layerBlob.body())).isEqualTo(layerDigest);

    String missing = "sha256:" + "0".repeat(64);
    assertThat(head("/v2/" + REPOSITORY + "/blobs/" + missing)).isEqualTo(404);
    assertThat(head("/v2/" + REPOSITORY + "/manifests/" + missing)).isEqualTo(404);
    assertThat(head("/v2/" + REPOSITORY + "/blobs/" + layerDigest)).isEqualTo(200);

    // the same image again: same digests, and the tag still names the same manifest
    assertThat(pushBlob(config)).isEqualTo(configDigest);
    assertThat(pushBlob(layer)).isEqualTo(layerDigest);
    assertThat(pushManifest("v1", manifest)).isEqualTo(manifestDigest);
    assertThat(get("/v2/" + REPOSITORY + "/manifests/v1", OCI_MANIFEST).headers().firstValue("Docker-Content-Digest"))
        .hasValue(manifestDigest);

    assertThat(Files.readString(registry.logFile())).contains("/v2/" + REPOSITORY + "/manifests/v1");
  }

  @Test
  void itAnswersOnLoopbackOverPlainHttp() {
    assertThat(registry.host()).matches("127\\.0\\.0\\.1:\\d+");
    assertThat(registry.url()).isEqualTo(URI.create("http://" + registry.host()));
  }

  @Test
  void aFailedRunKeepsTheLogAndStillRemovesTheDirectory(@TempDir Path keptLogs) throws Exception {
    var defaults = LocalRegistry.Settings.fromSystemProperties();
    var other = LocalRegistry.start(new LocalRegistry.Settings(defaults.toolsBin(), defaults.startTimeout(), keptLogs));
    var workdir = other.workdir();
    assertThat(other.host()).isNotEqualTo(registry.host());
    assertThat(head(other, "/v2/")).isEqualTo(200);
    other.markFailed();
    other.close();

    assertThat(workdir).doesNotExist();
    Path log = keptLogs.resolve(workdir.getFileName().toString()).resolve(LocalRegistry.LOG_FILE);
    assertThat(Files.readString(log)).contains("GET /v2/");
  }

  /** POST starts an upload, PUT with ?digest= finishes it in one request; returns Docker-Content-Digest. */
  private static String pushBlob(byte[] content) throws Exception {
    HttpResponse<byte[]> started = http.send(request("/v2/" + REPOSITORY + "/blobs/uploads/")
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(started.statusCode()).as("POST blobs/uploads/").isEqualTo(202);
    String location = started.headers().firstValue("Location").orElseThrow();
    URI upload = registry.url().resolve(location);
    URI put = URI.create(upload + (upload.getQuery() == null ? "?" : "&") + "digest=" + sha256(content));
    HttpResponse<byte[]> finished = http.send(HttpRequest.newBuilder(put).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/octet-stream")
        .PUT(HttpRequest.BodyPublishers.ofByteArray(content)).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(finished.statusCode()).as("PUT upload: %s", new String(finished.body(), StandardCharsets.UTF_8))
        .isEqualTo(201);
    return finished.headers().firstValue("Docker-Content-Digest").orElseThrow();
  }

  private static String pushManifest(String tag, byte[] manifest) throws Exception {
    HttpResponse<byte[]> response = http.send(request("/v2/" + REPOSITORY + "/manifests/" + tag)
        .header("Content-Type", OCI_MANIFEST)
        .PUT(HttpRequest.BodyPublishers.ofByteArray(manifest)).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(response.statusCode()).as("PUT manifest: %s", new String(response.body(), StandardCharsets.UTF_8))
        .isEqualTo(201);
    return response.headers().firstValue("Docker-Content-Digest").orElseThrow();
  }

  private static HttpResponse<byte[]> get(String path, String accept) throws Exception {
    return http.send(request(path).header("Accept", accept).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static int head(String path) throws Exception {
    return head(registry, path);
  }

  private static int head(LocalRegistry target, String path) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(target.url().resolve(path)).timeout(Duration.ofSeconds(30))
        .method("HEAD", HttpRequest.BodyPublishers.noBody()).build();
    return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private static HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(registry.url().resolve(path)).timeout(Duration.ofSeconds(30));
  }

  static String sha256(byte[] content) {
    try {
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A POSIX (ustar) tar with one regular file, as an uncompressed OCI layer. */
  static byte[] tar(String name, byte[] content) {
    byte[] header = new byte[512];
    put(header, 0, name);
    put(header, 100, "0000644\0");
    put(header, 108, "0000000\0");
    put(header, 116, "0000000\0");
    put(header, 124, "%011o\0".formatted(content.length));
    put(header, 136, "00000000000\0");
    put(header, 148, "        ");
    header[156] = '0';
    put(header, 257, "ustar\0");
    put(header, 263, "00");
    int sum = 0;
    for (byte b : header) {
      sum += b & 0xff;
    }
    put(header, 148, "%06o\0 ".formatted(sum));
    var out = new ByteArrayOutputStream();
    out.writeBytes(header);
    out.writeBytes(content);
    out.writeBytes(new byte[(512 - content.length % 512) % 512]);
    out.writeBytes(new byte[1024]);
    return out.toByteArray();
  }

  private static void put(byte[] header, int offset, String value) {
    byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(bytes, 0, header, offset, bytes.length);
  }
}
