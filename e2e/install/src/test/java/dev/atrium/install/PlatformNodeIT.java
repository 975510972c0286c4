package dev.atrium.install;

import static dev.atrium.servicetesting.Chromium.fresh;
import static org.assertj.core.api.Assertions.assertThat;

import dev.atrium.testing.kube.ImageArchives;
import dev.atrium.servicetesting.Chromium;
import dev.atrium.servicetesting.Http;
import dev.atrium.servicetesting.OidcApp;
import dev.atrium.servicetesting.OidcBrowser;
import dev.atrium.servicetesting.SlapdServer;
import dev.atrium.testing.kube.NodeCluster;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trial-size platform on the real node: the operator installed with its chart from the site's registry,
 * the release hack/release.sh wrote from the images hack/images.sh built, and a platform with the components
 * that have images (database, cache, object store, identity syncing people from the company's directory (a
 * slapd on the host end of the node's veth), message center, netdisk, webos) converging to Ready with real
 * containers. Then each component does its job, every token from identity's sign-in, the front door (the node's
 * ingress controller) serves the platform's Ingress (to webos, whose gateway routes the services' APIs) over HTTP
 * and a test's over HTTPS, a person works at the desktop through it in a real browser (signs in, sees the
 * apps granted to them, gets a message live, uploads a file; opens an app the market published, approved and granted,
 * signed in without a second login), and last the platform upgrades to 1.0.1
 * (every component's image rebuilt for that release) in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PlatformNodeIT {

  private static final Logger LOG = LoggerFactory.getLogger(PlatformNodeIT.class);
  private static final String NS = "acme";
  private static final String PLATFORM = "acme";
  private static final String VERSION = "1.0.0";
  private static final String NEXT = "1.0.1";
  /** A release whose message center fails its migrations, after one of them ran (hack/test-node.sh builds it). */
  private static final String BROKEN = "1.0.2";
  private static final String DOMAIN = "collab.acme.example";
  /** The platform restored from acme's backups, and its namespace. */
  private static final String RESTORED = "copy";
  private static final String RESTORED_NS = "acme-restored";
  /** The tenant's key pair: its public half in acme's spec.backup, its private half given only to a restore. */
  private static final com.nimbusds.jose.jwk.JWK TENANT_KEY = tenantKey();

  private static com.nimbusds.jose.jwk.JWK tenantKey() {
    try {
      return new com.nimbusds.jose.jwk.gen.ECKeyGenerator(com.nimbusds.jose.jwk.Curve.P_256).generate();
    } catch (com.nimbusds.jose.JOSEException e) {
      throw new IllegalStateException(e);
    }
  }
  /** Runs after the others: it replaces every pod. */
  private static final int LAST = Integer.MAX_VALUE;

  private static NodeCluster cluster;
  /** The vendor's keys and the bundles made with them (target/bundles). */
  private static SiteBundle bundles;
  private static KubernetesClient client;
  private static SlapdServer directory;
  /** The people of the company's directory and their passwords there. */
  private static final Map<String, String> PEOPLE = Map.of("alice", "alice-ldap-password", "bob", "bob-ldap-password");

  @BeforeAll
  static void installAndConverge() throws Exception {
    // the site's registry holds only what its Kubernetes runs; Atrium arrives in one signed bundle
    cluster = NodeCluster.start(NodeCluster.Settings.fromSystemProperties().withClusterImagesOnly());
    client = cluster.client();
    directory = companyDirectory(cluster.node().network().hostIp());
    installFromTheBundle();
    apply("""
        apiVersion: v1
        kind: Namespace
        metadata: {name: %1$s}
        ---
        apiVersion: atrium.dev/v1alpha1
        kind: CollaborationPlatform
        metadata: {name: %2$s, namespace: %1$s}
        spec:
          version: %3$s
          mode: Private
          domain: %8$s
          size: 100users
          identity:
            ldap: {url: "%4$s", baseDN: "%5$s", bindSecretName: company-directory, syncInterval: 1m}
          webos: {replicas: 1}
          netdisk: {replicas: 1}
          messageCenter: {replicas: 2}
          database: {replicas: 2}
          cache: {replicas: 3}
          objectStore: {replicas: 2}
          # into the tenant's own object store (no destination): WAL archived, a base backup at once; with
          # the platform's own data sealed to the tenant's key
          backup: {enabled: true, encryptionKey: '%9$s'}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: company-directory, namespace: %1$s}
        stringData: {bindDN: "%6$s", password: "%7$s"}
        """.formatted(NS, PLATFORM, VERSION, directory.url(), directory.suffix(), directory.rootDn(),
        directory.rootPassword(), DOMAIN, TENANT_KEY.toPublicJWK().toJSONString()));
    Instant applied = Instant.now();
    await(Duration.ofMinutes(10), "the platform Ready", () -> "True".equals(readyStatus()),
        PlatformNodeIT::platformState);
    LOG.info("Platform {} Ready on the real node {}s after it was applied", PLATFORM,
        Duration.between(applied, Instant.now()).toSeconds());
  }

  /**
   * What a site does with the vendor's bundle (docs/bundle.md): verify it with the public key it received out of band,
   * push it to its registry, and let the CLI run the install it printed (CRDs, the chart with every image from the
   * site's registry, the release and the policies).
   */
  private static void installFromTheBundle() throws IOException {
    bundles = SiteBundle.withNewKeys("bundles", cluster.kubeconfig());
    Path bundle = bundles.dir().resolve("atrium-" + VERSION + ".bundle");
    SiteBundle.Result created = bundles.create(bundle, releaseFile(VERSION, imagesDir(VERSION)), VERSION, null,
        imagesDir(VERSION)).orFail("atrium bundle create");
    SiteBundle.Result verified = bundles.verify(bundle, bundles.publicKey()).orFail("atrium bundle verify");
    SiteBundle.Result pushed = bundles.push(bundle, bundles.publicKey(), cluster.registry().host(),
        bundles.dir().resolve("install-" + VERSION), "--install", "--set", "replicaCount=1")
        .orFail("atrium bundle push --install");
    LOG.info("The {} bundle: {} bytes, created in {} ms, verified in {} ms, pushed and installed in {} ms; {}", VERSION,
        Files.size(bundle), created.took().toMillis(), verified.took().toMillis(), pushed.took().toMillis(),
        pushed.stderr().lines().filter(l -> l.contains("pushed ")).toList());
  }

  @AfterAll
  static void stop() {
    if (directory != null) {
      directory.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void everyContainerRunsAnImageOfTheReleaseFromTheSiteRegistryByDigest() {
    List<String> digests = cluster.images().all().values().stream().map(ImageArchives.Image::digest).toList();
    List<Pod> pods = new ArrayList<>(client.pods().inNamespace(NS).list().getItems());
    pods.addAll(client.pods().inNamespace("atrium-system").list().getItems());
    assertThat(pods).isNotEmpty();
    for (Pod pod : pods) {
      // asked for by digest, in the site's registry
      pod.getSpec().getContainers().forEach(c -> assertThat(c.getImage()).as(pod.getMetadata().getName())
          .startsWith(cluster.registry().host() + "/atrium/").contains("@sha256:"));
      // and what runs is that image (the repository digest the kubelet reports)
      for (ContainerStatus status : pod.getStatus().getContainerStatuses()) {
        assertThat(digests).as("%s runs %s", pod.getMetadata().getName(), status.getImageID())
            .anyMatch(d -> status.getImageID().endsWith("@" + d));
      }
    }
  }

  @Test
  void everyPullWentToTheSiteRegistryWhereTheBundlePutEveryAtriumImage() throws IOException {
    // what the node pulled, as containerd logged it (msg="PullImage \"name\""), names only the site's registry
    String registry = cluster.registry().host();
    List<String> pulls = Files.readAllLines(cluster.node().containerdLog()).stream()
        .filter(l -> l.contains("msg=\"PullImage ")).toList();
    assertThat(pulls).isNotEmpty().allMatch(l -> l.contains("PullImage \\\"" + NodeCluster.SITE_REGISTRY + "/")
        || l.contains("PullImage \\\"" + registry + "/"));
    // the cluster started with its own images only: the operator's and the release's came from the bundle's push,
    // and the node pulled each from there by digest
    String log = Files.readString(cluster.registry().logFile());
    for (String name : List.of("atrium-operator", "postgresql", "redis", "object-store", "identity", "message-center",
        "netdisk", "webos")) {
      ImageArchives.Image image = cluster.images().get(name);
      String manifest = "/v2/" + image.repository() + "/manifests/" + image.digest();
      assertThat(log).as(name).contains("PUT " + manifest).contains("GET " + manifest);
    }
  }

  @Test
  void aBundleWithOneByteOfALayerChangedAnEntryRemovedOrAnotherKeyIsRefusedAndPushesNothing() throws Exception {
    Path bundle = bundles.dir().resolve("atrium-" + VERSION + ".bundle");
    TarEntries.Entry layer = TarEntries.largest(bundle, "images/blobs/");
    Path changed = bundles.dir().resolve("one-byte-changed.bundle");
    TarEntries.copyWithOneByteChanged(bundle, layer, changed);
    Path cut = bundles.dir().resolve("entry-removed.bundle");
    TarEntries.copyWithout(bundle, layer, cut);
    SiteBundle otherVendor = SiteBundle.withNewKeys("bundles-other-vendor", cluster.kubeconfig());
    String digest = "sha256:" + layer.name().substring(layer.name().lastIndexOf('/') + 1);

    Map<String, SiteBundle.Result> refused = new LinkedHashMap<>();
    refused.put("changed", bundles.push(changed, bundles.publicKey(), cluster.registry().host() + "/changed",
        bundles.dir().resolve("install-changed")));
    refused.put("removed", bundles.push(cut, bundles.publicKey(), cluster.registry().host() + "/removed",
        bundles.dir().resolve("install-removed")));
    refused.put("another-key", bundles.push(bundle, otherVendor.publicKey(), cluster.registry().host() + "/another-key",
        bundles.dir().resolve("install-another-key")));
    refused.forEach((what, result) -> assertThat(result.exitCode()).as(what + ": " + result.stderr()).isNotZero());
    assertThat(refused.get("changed").stderr()).contains(layer.name()).contains("the index says " + digest);
    assertThat(refused.get("removed").stderr()).contains("missing " + layer.name());
    assertThat(refused.get("another-key").stderr()).contains("the signature does not verify");
    // verify says the same without a registry
    assertThat(bundles.verify(changed, bundles.publicKey()).exitCode()).isNotZero();
    // nothing of theirs reached the registry
    String catalog = httpGet("http://" + cluster.registry().host() + "/v2/_catalog");
    assertThat(catalog).startsWith("200 ").doesNotContain("changed/").doesNotContain("removed/")
        .doesNotContain("another-key/");
    assertThat(bundle).exists();
  }

  @Test
  void aRowWrittenThroughTheClientServiceIsReadFromAReplica() throws Exception {
    Secret credentials = client.secrets().inNamespace(NS).withName(PLATFORM + "-database-credentials").require();
    String password = decode(credentials, "app-password");
    String primary = serviceIp(PLATFORM + "-database");
    try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + primary + ":5432/messages", "atrium", password);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS node_e2e (id text PRIMARY KEY)");
      s.execute("INSERT INTO node_e2e VALUES ('written-on-the-primary') ON CONFLICT DO NOTHING");
    }
    // a replica (Patroni's, whichever pod that is): in recovery (a hot standby), with the row streamed to it
    String primaryPod = databasePrimary();
    String replica = client.pods().inNamespace(NS).withLabel("app.kubernetes.io/name", "database").list().getItems()
        .stream().filter(p -> !p.getMetadata().getName().equals(primaryPod)).findFirst().orElseThrow().getStatus()
        .getPodIP();
    await(Duration.ofSeconds(30), "the row on the replica", () -> {
      try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + replica + ":5432/messages", "atrium",
          password); Statement s = c.createStatement()) {
        ResultSet recovery = s.executeQuery("SELECT pg_is_in_recovery()");
        recovery.next();
        assertThat(recovery.getBoolean(1)).as("the other pod is a standby").isTrue();
        return s.executeQuery("SELECT 1 FROM node_e2e WHERE id = 'written-on-the-primary'").next();
      } catch (java.sql.SQLException e) {
        return false;
      }
    });
    // and the read-only Service reaches a server that has it
    try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + serviceIp(PLATFORM + "-database-ro")
        + ":5432/messages", "atrium", password); Statement s = c.createStatement()) {
      assertThat(s.executeQuery("SELECT 1 FROM node_e2e WHERE id = 'written-on-the-primary'").next()).isTrue();
    }
  }

  @Test
  void theMessageCenterMigratedItsDatabase() throws Exception {
    Secret credentials = client.secrets().inNamespace(NS).withName(PLATFORM + "-database-credentials").require();
    try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + serviceIp(PLATFORM + "-database")
        + ":5432/messages", "atrium", decode(credentials, "app-password")); Statement s = c.createStatement()) {
      ResultSet migrations = s.executeQuery("SELECT count(*) FROM flyway_schema_history WHERE success");
      migrations.next();
      assertThat(migrations.getInt(1)).isPositive();
    }
  }

  @Test
  void sentinelAnswersThePrimaryOfTheCache() throws Exception {
    String password = decode(client.secrets().inNamespace(NS).withName(PLATFORM + "-cache-credentials").require(),
        "password");
    List<String> primary = redis(serviceIp(PLATFORM + "-cache"), 26379, password,
        "SENTINEL", "get-master-addr-by-name", "atrium");
    assertThat(primary).hasSize(2);
    assertThat(primary.get(0)).startsWith(PLATFORM + "-cache-0");
    assertThat(primary.get(1)).isEqualTo("6379");
  }

  @Test
  void anObjectPutThroughTheS3ServiceSurvivesTheLossOfAnObjectStorePod() throws Exception {
    String user = s3User();
    String s3 = s3Endpoint();
    putObject(user, s3 + "/node-e2e", "proof.txt", "kept on two servers");
    assertThat(curlS3(user, s3 + "/node-e2e/proof.txt")).isEqualTo("kept on two servers");

    client.pods().inNamespace(NS).withName(PLATFORM + "-object-store-1").withGracePeriod(0).delete();
    await(Duration.ofMinutes(2), "the object read back with a server gone", () -> {
      try {
        return curlS3(user, s3 + "/node-e2e/proof.txt").equals("kept on two servers");
      } catch (AssertionError e) {
        return false;
      }
    });
  }

  @Test
  void aMessageSentThroughTheServiceReachesAWebSocketOnTheOtherReplica() throws Exception {
    LOG.info("A message reached a WebSocket on the other replica {} ms after it was sent",
        deliveredLive("hello from the real node").toMillis());
  }

  /**
   * bob listens on one message center replica, alice writes to him through the other: how long the message took to
   * reach his socket (30 s at most, or the test fails with both replicas' last log lines).
   */
  private static Duration deliveredLive(String text) throws Exception {
    List<Pod> replicas = client.pods().inNamespace(NS).withLabel("app.kubernetes.io/name", "message-center")
        .list().getItems().stream().filter(p -> p.getStatus().getPodIP() != null).toList();
    assertThat(replicas).hasSizeGreaterThanOrEqualTo(2);
    String bob = signIn("bob");
    String alice = signIn("alice");
    var received = new LinkedBlockingQueue<String>();
    HttpClient http = HttpClient.newHttpClient();
    // bob listens on one replica
    WebSocket socket = http.newWebSocketBuilder()
        .buildAsync(URI.create("ws://" + replicas.get(0).getStatus().getPodIP() + ":8080/api/v1/stream?access_token="
            + bob), new WebSocket.Listener() {
              private final StringBuilder text = new StringBuilder();

              @Override
              public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                text.append(data);
                if (last) {
                  received.add(text.toString());
                  text.setLength(0);
                }
                ws.request(1);
                return CompletableFuture.completedFuture(null);
              }
            }).get(30, TimeUnit.SECONDS);
    try {
      // alice writes through the other replica (its pod address: the Service could pick either)
      String other = "http://" + replicas.get(1).getStatus().getPodIP() + ":8080";
      HttpResponse<String> conversation = http.send(HttpRequest.newBuilder(URI.create(other + "/api/v1/conversations"))
          .header("Authorization", "Bearer " + alice).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"kind\":\"DIRECT\",\"members\":[\"bob\"]}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(conversation.statusCode()).as(conversation.body()).isBetween(200, 201);
      String id = conversation.body().replaceAll("(?s).*\"id\"\\s*:\\s*\"([^\"]+)\".*", "$1");
      Instant sentAt = Instant.now();
      HttpResponse<String> sent = http.send(HttpRequest.newBuilder(URI.create(other + "/api/v1/conversations/" + id
          + "/messages")).header("Authorization", "Bearer " + alice).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"clientMessageId\":\"" + java.util.UUID.randomUUID()
              + "\",\"body\":\"" + text + "\"}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(sent.statusCode()).as(sent.body()).isEqualTo(201);
      String event = null;
      Instant deadline = Instant.now().plusSeconds(30);
      while (Instant.now().isBefore(deadline)) {
        event = received.poll(1, TimeUnit.SECONDS);
        if (event != null && event.contains(text)) {
          break;
        }
      }
      // the replicas' logs say which side lost it (a publish that failed, a subscription that dropped)
      assertThat(event).as(() -> logsOf(replicas)).contains(text);
      return Duration.between(sentAt, Instant.now());
    } finally {
      socket.abort();
    }
  }

  private static String logsOf(List<Pod> pods) {
    StringBuilder logs = new StringBuilder();
    pods.forEach(pod -> logs.append(tail(NS, pod.getMetadata().getName(), null, 40)));
    return logs.toString();
  }

  @Test
  void aPersonFromTheCompanyDirectorySignsInAtIdentityAndMessagesAnotherThroughTheServices() throws Exception {
    String alice = signIn("alice");
    var claims = com.nimbusds.jwt.SignedJWT.parse(alice).getJWTClaimsSet();
    assertThat(claims.getIssuer()).isEqualTo("http://collab.acme.example/auth");
    assertThat(claims.getStringClaim("principal_type")).isEqualTo("user");
    assertThat(claims.getStringListClaim("departments")).containsExactly("rnd");
    // a wrong password is refused at the login page: the directory decides
    var refused = new OidcBrowser(identityUri()).authorize("atrium-cli", CLI_REDIRECT, OidcBrowser.Pkce.create(),
        Map.of(), "alice", "not-her-password", null);
    assertThat(refused.finalUri().toString()).endsWith("/login?error=bad");

    HttpClient http = HttpClient.newHttpClient();
    String messages = "http://" + serviceIp(PLATFORM + "-message-center") + ":8080/api/v1/conversations";
    HttpResponse<String> conversation = http.send(HttpRequest.newBuilder(URI.create(messages))
        .header("Authorization", "Bearer " + alice).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"kind\":\"DIRECT\",\"members\":[\"bob\"]}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(conversation.statusCode()).as(conversation.body()).isBetween(200, 201);
    String id = conversation.body().replaceAll("(?s).*\"id\"\\s*:\\s*\"([^\"]+)\".*", "$1");
    HttpResponse<String> sent = http.send(HttpRequest.newBuilder(URI.create(messages + "/" + id + "/messages"))
        .header("Authorization", "Bearer " + alice).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"clientMessageId\":\"from-ldap-1\",\"body\":\"signed in"
            + " through identity\"}")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(sent.statusCode()).as(sent.body()).isBetween(200, 201);
    HttpResponse<String> read = http.send(HttpRequest.newBuilder(URI.create(messages + "/" + id + "/messages"))
        .header("Authorization", "Bearer " + signIn("bob")).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
    assertThat(read.body()).contains("signed in through identity").contains("\"senderId\":\"alice\"");
  }

  @Test
  void aFileUploadedThroughNetdisksServiceIsReadBackAndItsShareReachesTheMessageCenter() throws Exception {
    String alice = signIn("alice");
    String bob = signIn("bob");
    String api = "http://" + serviceIp(PLATFORM + "-netdisk") + ":8080/netdisk/api/v1";
    HttpClient http = HttpClient.newHttpClient();
    // netdisk is Ready once its bucket answers (it makes the bucket at its first start)
    HttpResponse<String> spaces = http.send(HttpRequest.newBuilder(URI.create(api + "/spaces"))
        .header("Authorization", "Bearer " + alice).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(spaces.statusCode()).as(spaces.body()).isEqualTo(200);
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    String space = json.readTree(spaces.body()).get(0).get("id").asText();
    byte[] report = new byte[3 * 1024 * 1024 + 11];
    new java.util.Random(2026).nextBytes(report);
    HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(api + "/spaces/" + space
            + "/content?path=reports/q4.pdf")).header("Authorization", "Bearer " + alice)
        .PUT(HttpRequest.BodyPublishers.ofByteArray(report)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
    String file = json.readTree(put.body()).get("id").asText();
    HttpResponse<byte[]> read = http.send(HttpRequest.newBuilder(URI.create(api + "/files/" + file + "/content"))
        .header("Authorization", "Bearer " + alice).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(read.body()).as("the bytes read back from the object store").isEqualTo(report);

    // shared with bob: netdisk, as identity's client, gives him a to-do in the message center
    HttpResponse<String> share = http.send(HttpRequest.newBuilder(URI.create(api + "/files/" + file + "/shares"))
        .header("Authorization", "Bearer " + alice).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"tell\":[\"bob\"]}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(share.statusCode()).as(share.body()).isEqualTo(201);
    URI todos = URI.create("http://" + serviceIp(PLATFORM + "-message-center") + ":8080/api/v1/todos?status=OPEN");
    await(Duration.ofMinutes(1), "bob's to-do from netdisk", () -> {
      try {
        String body = http.send(HttpRequest.newBuilder(todos).header("Authorization", "Bearer " + bob).GET().build(),
            HttpResponse.BodyHandlers.ofString()).body();
        return body.contains("alice shared q4.pdf with you") && body.contains("http://collab.acme.example/netdisk/s/");
      } catch (IOException e) {
        return false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    });
  }

  @Test
  void theFrontDoorServesThePlatformsIngressAndATlsIngressWithItsCertificate() throws Exception {
    String node = cluster.node().network().nodeIp();
    // the operator's Ingress names no class: the API server gave it the default one, whose controller took it
    var ingress = client.network().v1().ingresses().inNamespace(NS).withName(PLATFORM);
    await(Duration.ofMinutes(1), "the platform's Ingress published at the node's address " + node, () -> {
      var current = ingress.get();
      return current != null && current.getStatus() != null && current.getStatus().getLoadBalancer() != null
          && current.getStatus().getLoadBalancer().getIngress() != null
          && current.getStatus().getLoadBalancer().getIngress().stream().anyMatch(i -> node.equals(i.getIp()));
    });
    assertThat(ingress.get().getSpec().getIngressClassName()).isEqualTo("atrium");

    // (a) the platform's domain on the node's port 80 is webos, whose gateway checks the token once and routes
    // /netdisk to netdisk (over its ready pods) and /auth to identity (the prefix stripped)
    FrontDoorAnswer spaces = front("http", DOMAIN, node, "/netdisk/api/v1/spaces");
    assertThat(spaces.status()).as(spaces.body()).isEqualTo("401");
    assertThat(spaces.contentType()).startsWith("application/problem+json");
    assertThat(spaces.body()).contains("\"status\":401");
    FrontDoorAnswer alicesSpaces = front("http", DOMAIN, node, "/netdisk/api/v1/spaces", "-H",
        "Authorization: Bearer " + signIn("alice"));
    assertThat(alicesSpaces.status()).as(alicesSpaces.body()).isEqualTo("200");
    assertThat(alicesSpaces.body()).contains("\"kind\":\"PERSONAL\"");
    FrontDoorAnswer discovery = front("http", DOMAIN, node, "/auth/.well-known/openid-configuration");
    assertThat(discovery.status()).as(discovery.body()).isEqualTo("200");
    assertThat(discovery.body()).contains("\"issuer\":\"http://" + DOMAIN + "/auth\"")
        .contains("\"authorization_endpoint\":\"http://" + DOMAIN + "/auth/oauth2/authorize\"");
    // another host is none of the controller's routes (its own 404), and nothing of netdisk's
    FrontDoorAnswer other = front("http", "other.acme.example", node, "/netdisk/api/v1/spaces");
    assertThat(other.status()).isEqualTo("404");
    assertThat(other.contentType()).doesNotStartWith("application/problem+json");

    // (b) a second host with its own certificate (self-signed here), in a kubernetes.io/tls Secret its Ingress names
    String host = "files." + DOMAIN;
    Path dir = Files.createTempDirectory("front-door");
    Path crt = dir.resolve("tls.crt");
    Path key = dir.resolve("tls.key");
    try {
      run(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=" + host,
          "-addext", "subjectAltName=DNS:" + host, "-keyout", key.toString(), "-out", crt.toString()));
      client.resource(new SecretBuilder().withNewMetadata().withName("front-door-tls").withNamespace(NS).endMetadata()
          .withType("kubernetes.io/tls").addToStringData("tls.crt", Files.readString(crt))
          .addToStringData("tls.key", Files.readString(key)).build())
          .forceConflicts().fieldManager("platform-node-it").serverSideApply();
      apply("""
          apiVersion: networking.k8s.io/v1
          kind: Ingress
          metadata: {name: front-door-tls, namespace: %1$s}
          spec:
            tls: [{hosts: ["%2$s"], secretName: front-door-tls}]
            rules:
              - host: "%2$s"
                http:
                  paths:
                    - path: /netdisk
                      pathType: Prefix
                      backend: {service: {name: %3$s-webos, port: {number: 8080}}}
          """.formatted(NS, host, PLATFORM));
      FrontDoorAnswer[] https = new FrontDoorAnswer[1];
      await(Duration.ofMinutes(1), "netdisk through HTTPS at " + host + ", trusting exactly its certificate", () -> {
        https[0] = front("https", host, node, "/netdisk/api/v1/spaces", "--cacert", crt.toString());
        return "401".equals(https[0].status());
      });
      assertThat(https[0].contentType()).startsWith("application/problem+json");
      // the same host over plain HTTP still answers
      assertThat(front("http", host, node, "/netdisk/api/v1/spaces").status()).isEqualTo("401");
    } finally {
      client.network().v1().ingresses().inNamespace(NS).withName("front-door-tls").delete();
      client.secrets().inNamespace(NS).withName("front-door-tls").delete();
      Files.deleteIfExists(crt);
      Files.deleteIfExists(key);
      Files.delete(dir);
    }
  }

  @Test
  void aPersonWorksAtTheDesktopThroughTheFrontDoorInARealBrowser() throws Exception {
    String node = cluster.node().network().nodeIp();
    String portal = "http://" + DOMAIN;
    // two of the tenant's apps, the handbook granted to alice and payroll to nobody, by the first administrator
    String admin = firstAdministrator();
    for (String[] app : List.of(new String[] {"handbook", "Handbook"}, new String[] {"payroll", "Payroll"})) {
      Http.Response made = Http.post(identityUri().resolve("/api/admin/apps"), admin, Map.of("clientId", app[0],
          "name", app[1], "type", "WEB", "redirectUris", List.of("https://" + app[0] + ".acme.example/callback")));
      assertThat(made.status()).as("%s", made).isEqualTo(201);
    }
    Http.Response granted = Http.put(identityUri().resolve("/api/admin/apps/handbook/grants"), admin,
        Map.of("people", List.of("alice")));
    assertThat(granted.status()).as("%s", granted).isEqualTo(200);

    // the site's DNS, for this browser: the platform's domain is the node's address, where the front door listens
    try (Chromium browser = Chromium.start("platform-desktop", "en-US,en",
        List.of("--host-resolver-rules=MAP " + DOMAIN + " " + node))) {
      WebDriver page = browser.driver();
      page.get(portal + "/");
      browser.await(Duration.ofSeconds(30), d -> d.findElements(By.id("username")).size() == 1);
      // the desktop sent the browser to identity's login page through the front door and webos's gateway, and its
      // form posts back there
      assertThat(page.getCurrentUrl()).isEqualTo(portal + "/auth/login");
      assertThat(page.findElement(By.tagName("form")).getAttribute("action")).isEqualTo(portal + "/auth/login");
      browser.screenshot("login-page-at-the-front-door");
      typePassword(page, "alice");
      browser.await(Duration.ofSeconds(30), d -> d.getTitle().equals("Desktop"));
      // back at the desktop (Spring Security marks the saved request it resumes with ?continue)
      assertThat(page.getCurrentUrl()).startsWith(portal + "/");
      browser.screenshot("desktop");
      String apps = page.findElement(By.id("apps")).getText();
      // with Atrium's own apps from webos's market, but not the admin console: alice is no administrator
      assertThat(apps).contains("Handbook", "Netdisk", "Messages").doesNotContain("Payroll", "Admin console");

      // live: the page's push socket goes through the front door straight to the message center
      browser.await(Duration.ofSeconds(30), d -> "on".equals(browser.script(
          "return document.body.getAttribute('data-live');")));
      browser.script("window.notReloaded = true;");
      String bob = signIn("bob");
      URI messages = URI.create("http://" + serviceIp(PLATFORM + "-message-center") + ":8080/api/v1/conversations");
      String conversation = Http.post(messages, bob, Map.of("kind", "DIRECT", "members", List.of("alice")))
          .json().path("id").asString();
      Http.Response sent = Http.post(URI.create(messages + "/" + conversation + "/messages"), bob, Map.of(
          "clientMessageId", java.util.UUID.randomUUID().toString(), "body", "the desk by the window is free"));
      assertThat(sent.status()).as("%s", sent).isEqualTo(201);
      browser.await(Duration.ofSeconds(30), fresh(d -> d.findElements(By.cssSelector("[data-conversation='"
          + conversation + "']")).size() == 1));
      assertThat(browser.script("return window.notReloaded === true;")).isEqualTo(true);
      browser.screenshot("message-arrived-live");

      // a file uploaded from the desktop goes through webos to netdisk, onto the tenant's object store
      Path file = Files.createTempFile("minutes-", ".txt");
      try {
        Files.writeString(file, "minutes of the Monday meeting\n".repeat(50_000));
        page.findElement(By.id("upload-file")).sendKeys(file.toString());
        page.findElement(By.cssSelector("#upload button[type=submit]")).click();
        browser.await(Duration.ofSeconds(60), fresh(d -> d.findElement(By.id("files")).getText()
            .contains(file.getFileName().toString()) && d.findElement(By.id("upload-status")).getText()
            .contains("Uploaded")));
        browser.screenshot("file-uploaded");
        Http.Response recent = Http.get(URI.create("http://" + serviceIp(PLATFORM + "-netdisk")
            + ":8080/netdisk/api/v1/recent"), signIn("alice"));
        assertThat(recent.json().get(0).path("name").asString()).isEqualTo(file.getFileName().toString());
        assertThat(recent.json().get(0).path("size").asLong()).isEqualTo(Files.size(file));
      } finally {
        Files.delete(file);
      }
    }
  }

  @Test
  void anAppPublishedApprovedAndGrantedInTheMarketOpensFromTheDesktopWithoutASecondLogin() throws Exception {
    String node = cluster.node().network().nodeIp();
    String portal = "http://" + DOMAIN;
    String admin = firstAdministrator();
    // a second administrator, a local account beside the directory's people: the market's four eyes need two
    String reviewerPassword = "a-long-reviewer-password-7";
    Http.Response reviewer = Http.post(identityUri().resolve("/api/admin/people"), admin, Map.of("id", "reviewer",
        "displayName", "Rui Reviewer", "password", reviewerPassword, "admin", true));
    assertThat(reviewer.status()).as("%s", reviewer).isEqualTo(201);
    String market = "http://" + serviceIp(PLATFORM + "-webos") + ":8080/webos/api/v1/market/apps";
    // the tenant's app: a real OpenID Connect client on this machine, which the browser reaches directly and which
    // reaches identity at its Service (as an app in the cluster would)
    try (OidcApp app = OidcApp.start("board", portal + "/auth", identityUri().toString(), "127.0.0.2");
        Chromium browser = Chromium.start("platform-market-app", "en-US,en",
            List.of("--host-resolver-rules=MAP " + DOMAIN + " " + node))) {
      Map<String, Object> submission = new java.util.LinkedHashMap<>();
      submission.put("version", "1.0");
      submission.put("nameZh", "看板");
      submission.put("nameEn", "Board");
      submission.put("descriptionEn", "The team's board");
      submission.put("openUrl", app.uri("/").toString());
      submission.put("clientType", "WEB");
      submission.put("redirectUris", List.of(app.redirectUri().toString()));
      Http.Response published = Http.post(URI.create(market), admin, Map.of("app", "board", "submission",
          submission));
      assertThat(published.status()).as("%s", published).isEqualTo(201);
      Http.Response own = Http.post(URI.create(market + "/board/versions/1.0/approve"), admin, Map.of());
      assertThat(own.status()).as("the publisher may not approve it: %s", own).isEqualTo(403);
      Http.Response approved = Http.post(URI.create(market + "/board/versions/1.0/approve"),
          signIn("reviewer", reviewerPassword), Map.of());
      assertThat(approved.status()).as("%s", approved).isEqualTo(200);
      app.clientSecret(approved.json().path("clientSecret").asString());
      Http.Response granted = Http.post(URI.create(market + "/board/grants"), admin, Map.of("kind", "PERSON",
          "id", "alice"));
      assertThat(granted.status()).as("%s", granted).isEqualTo(200);

      // alice signs in at the desktop through the front door: the board is among her apps
      WebDriver page = browser.driver();
      signInAtTheDesktop(browser, portal, "alice");
      WebElement tile = browser.await(Duration.ofSeconds(30), d -> d.findElements(By.cssSelector(
          "[data-app=board] a")).stream().findFirst().orElse(null));
      assertThat(tile.getAttribute("href")).isEqualTo(app.uri("/").toString());
      browser.screenshot("desktop-with-the-board");

      // opened from the desktop, the app signs her in through identity's session: no login page, one sign-in
      String desktop = page.getWindowHandle();
      tile.click();
      browser.await(Duration.ofSeconds(10), d -> d.getWindowHandles().size() == 2);
      page.switchTo().window(page.getWindowHandles().stream().filter(h -> !h.equals(desktop)).findFirst()
          .orElseThrow());
      browser.await(Duration.ofSeconds(30), d -> d.getTitle().equals("Board"));
      assertThat(page.findElement(By.tagName("h1")).getText()).isEqualTo("Hello alice of Acme");
      assertThat(app.signIns()).isEqualTo(1);
      browser.screenshot("board-signed-in-without-a-second-login");
    }
  }

  /** The first administrator's token (the generated password in the Secret the operator wrote for identity). */
  private static String firstAdministrator() {
    return signIn("admin", decode(client.secrets().inNamespace(NS).withName(PLATFORM + "-identity-admin").get(),
        "password"));
  }

  /** A person of the directory signs in at the desktop: identity's login page, their name and password typed. */
  private static void signInAtTheDesktop(Chromium browser, String portal, String person) {
    browser.driver().get(portal + "/");
    browser.await(Duration.ofSeconds(30), d -> d.findElements(By.id("username")).size() == 1);
    typePassword(browser.driver(), person);
    browser.await(Duration.ofSeconds(30), d -> d.getTitle().equals("Desktop"));
  }

  private static void typePassword(WebDriver page, String person) {
    page.findElement(By.id("username")).sendKeys(person, Keys.TAB);
    page.switchTo().activeElement().sendKeys(PEOPLE.get(person), Keys.ENTER);
  }

  /** What the front door answered: the HTTP status ("000" when none came), the content type and the body. */
  private record FrontDoorAnswer(String status, String contentType, String body) {
  }

  /**
   * A request to the front door as a client of the site makes it: HOST resolved to the node's address (curl's
   * --resolve, so that TLS names HOST in its SNI), 10 s at most.
   */
  private static FrontDoorAnswer front(String scheme, String host, String node, String path, String... curlArgs) {
    int port = "https".equals(scheme) ? 443 : 80;
    List<String> command = new ArrayList<>(List.of("curl", "-sS", "--max-time", "10", "--resolve",
        host + ":" + port + ":" + node, "-w", "\n%{http_code} %{content_type}"));
    command.addAll(List.of(curlArgs));
    command.add(scheme + "://" + host + path);
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor(20, TimeUnit.SECONDS);
      int last = out.lastIndexOf('\n');
      String[] tail = out.substring(last + 1).split(" ", 2);
      LOG.info("{}://{}{} at {}: {}", scheme, host, path, node, out.substring(last + 1));
      return new FrontDoorAnswer(tail[0], tail.length > 1 ? tail[1] : "", last < 0 ? "" : out.substring(0, last));
    } catch (IOException e) {
      throw new AssertionError("cannot run curl", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /**
   * Backups on the real node: the first scheduled base backup verified; a backup taken while alice writes; then,
   * between two writers with a pause around a point in time, the database restored into a new platform at that
   * point. The new platform's services start on it (its message center migrated and Ready), and it holds exactly
   * the messages written before the point: every one the first writer had acknowledged, none of the second's, and
   * the same set the source platform's database dates before it.
   */
  @Test
  @Order(LAST - 4)
  void aBackupTakenWhileWritingRestoresIntoANewPlatformAtAPointInTimeWithExactlyTheWritesBeforeIt() throws Exception {
    PlatformBackupView first = awaitBackup(Duration.ofMinutes(10), b -> "Scheduled".equals(b.trigger()) && b.finished());
    LOG.info("The first scheduled backup {}: {} ({} bytes, {} tables counted by its verification)", first.name(),
        first.phase(), first.sizeBytes(), first.verifiedTables());
    assertThat(first.verified()).as(first.toString()).isTrue();

    // an object in the tenant's store, which the next backup seals with the platform's keys
    putObject(s3User(), s3Endpoint() + "/contracts", "2027.txt", "signed by both");
    List<String> before;
    try (MessageWriter writer = MessageWriter.start()) {
      writer.awaitAcknowledged(20);
      Instant asked = Instant.now();
      apply("""
          apiVersion: atrium.dev/v1alpha1
          kind: PlatformBackup
          metadata: {name: while-writing, namespace: %s}
          spec: {platform: %s}
          """.formatted(NS, PLATFORM));
      PlatformBackupView during = awaitBackup(Duration.ofMinutes(10), b -> "while-writing".equals(b.name())
          && b.finished());
      assertThat(during.verified()).as(during.toString()).isTrue();
      LOG.info("Its platform data: {}", backupStatus("while-writing").get("platformData"));
      LOG.info("A base backup taken while alice wrote completed and verified {} s after it was asked for ({} "
          + "messages acknowledged meanwhile)", Duration.between(asked, Instant.now()).toSeconds(),
          writer.acknowledged());
      writer.awaitAcknowledged(writer.acknowledged() + 20);
      writer.stop();
      before = List.copyOf(writer.acknowledgedIds);
    }
    // no transaction spans the point: the first writer stopped, the second has not started
    Thread.sleep(1500);
    Instant point = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    Thread.sleep(1500);
    java.util.Set<String> after;
    try (MessageWriter writer = MessageWriter.start()) {
      writer.awaitAcknowledged(20);
      writer.stop();
      after = java.util.Set.copyOf(writer.sentIds);
    }
    // every WAL record up to here archived, so that recovery reaches past the point
    String primary = databasePrimary();
    Instant switched = Instant.now();
    psql(primary, "SELECT pg_switch_wal()");
    await(Duration.ofMinutes(2), "the WAL after the point archived", () -> {
      String archived = psql(primary, "SELECT coalesce(extract(epoch FROM last_archived_time), 0) FROM pg_stat_archiver");
      return Double.parseDouble(archived.strip()) * 1000 > switched.toEpochMilli();
    });
    java.util.Set<String> datedBefore = messageIds(NS, podIp(primary), PLATFORM,
        "WHERE created_at < '" + point + "'::timestamptz");

    // the new platform, in its own namespace, from acme's bucket in acme's store
    Instant applied = Instant.now();
    applyRestoredPlatform(VERSION, "targetTime: \"" + point + "\"\n    decryptionKey: {name: tenant-key, key: jwk}");
    try {
      await(Duration.ofMinutes(12), "the restored platform Ready", () -> "True".equals(readyStatus(RESTORED_NS,
          RESTORED)));
      LOG.info("The platform restored to {} was Ready {} s after it was applied; its own data: {}", point,
          Duration.between(applied, Instant.now()).toSeconds(), restoreStatus());
      Map<?, ?> restoredData = restoreStatus();
      assertThat(restoredData.get("phase")).as("the platform's own data restored: " + restoredData)
          .isEqualTo("Restored");
      assertThat(restoredData.get("backup")).as("from the backup before the point").isEqualTo("while-writing");
      for (String secret : List.of("identity-signing-key", "database-credentials", "object-store-credentials")) {
        assertThat(digest(RESTORED_NS, RESTORED + "-" + secret)).as("the old platform's " + secret)
            .isEqualTo(digest(NS, PLATFORM + "-" + secret));
      }
      // acme's own keys open the new store, and the object is back in it
      assertThat(curlS3(s3User(), "http://" + serviceIp(RESTORED_NS, RESTORED + "-object-store") + ":8333"
          + "/contracts/2027.txt")).isEqualTo("signed by both");
      java.util.Set<String> restored = messageIds(RESTORED_NS, client.pods().inNamespace(RESTORED_NS)
          .withName(RESTORED + "-database-0").require().getStatus().getPodIP(), RESTORED, "");
      LOG.info("The restored database holds {} messages; the source dated {} before the point; the first writer "
          + "had {} acknowledged, the second {} sent", restored.size(), datedBefore.size(), before.size(), after.size());
      assertThat(restored).as("every message the first writer had acknowledged").containsAll(before);
      assertThat(restored).as("none of the second writer's").doesNotContainAnyElementsOf(after);
      assertThat(restored).as("exactly what the source dates before the point").isEqualTo(datedBefore);
    } finally {
      deleteRestoredPlatform();
    }
  }

  /** A PlatformBackup of acme as the test reads it. */
  private record PlatformBackupView(String name, String trigger, String phase, Boolean verified, String verifiedAt,
      Long sizeBytes, int verifiedTables, String conditions) {

    boolean finished() {
      return "Failed".equals(phase) || "Completed".equals(phase) && verified != null;
    }
  }

  private static PlatformBackupView awaitBackup(Duration timeout, java.util.function.Predicate<PlatformBackupView> done) {
    PlatformBackupView[] found = new PlatformBackupView[1];
    await(timeout, "a PlatformBackup finished", () -> {
      found[0] = backups().stream().filter(done).findFirst().orElse(null);
      return found[0] != null;
    }, PlatformNodeIT::platformState);
    return found[0];
  }

  /** A PlatformBackup's status, as the API server has it. */
  private static Map<?, ?> backupStatus(String name) {
    GenericKubernetesResource backup = client.genericKubernetesResources("atrium.dev/v1alpha1", "PlatformBackup")
        .inNamespace(NS).withName(name).require();
    return backup.getAdditionalProperties().get("status") instanceof Map<?, ?> status ? status : Map.of();
  }

  /** The platform's PlatformBackups, oldest first. */
  private static List<PlatformBackupView> backups() {
    return client.genericKubernetesResources("atrium.dev/v1alpha1", "PlatformBackup").inNamespace(NS).list()
        .getItems().stream().sorted(java.util.Comparator.comparing(b -> b.getMetadata().getCreationTimestamp()))
        .map(backup -> {
          Map<?, ?> spec = (Map<?, ?>) backup.getAdditionalProperties().get("spec");
          Map<?, ?> status = backup.getAdditionalProperties().get("status") instanceof Map<?, ?> m ? m : Map.of();
          return new PlatformBackupView(backup.getMetadata().getName(), (String) spec.get("trigger"),
              (String) status.get("phase"), (Boolean) status.get("verified"), (String) status.get("verifiedAt"),
              status.get("sizeBytes") instanceof Number n ? n.longValue() : null,
              status.get("verifiedRows") instanceof Map<?, ?> rows ? rows.size() : 0,
              String.valueOf(status.get("conditions")));
        }).toList();
  }

  /** psql as the database's superuser over its socket, in the pod's container, as an operator would. */
  private static String psql(String pod, String sql) {
    var out = new java.io.ByteArrayOutputStream();
    var err = new java.io.ByteArrayOutputStream();
    try (var exec = client.pods().inNamespace(NS).withName(pod).inContainer("postgresql").writingOutput(out)
        .writingError(err).exec("/usr/lib/postgresql/15/bin/psql", "-h", "/var/run/postgresql", "-U", "postgres",
            "-d", "postgres", "-Atc", sql)) {
      Integer code = exec.exitCode().get(1, TimeUnit.MINUTES);
      assertThat(code).as("psql %s: %s", sql, err).isZero();
      return out.toString(StandardCharsets.UTF_8);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new AssertionError("psql in " + pod + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The client_message_id of every message in a platform's database (its own app user and password). */
  /**
   * Platform {@value #RESTORED} in namespace {@value #RESTORED_NS}, on {@code version}, made from acme's backups in
   * acme's own store: {@code restore} is what spec.restore says besides the platform and the source (YAML flow
   * entries).
   */
  private static void applyRestoredPlatform(String version, String restore) {
    Secret store = client.secrets().inNamespace(NS).withName(PLATFORM + "-object-store-credentials").require();
    apply("""
        apiVersion: v1
        kind: Namespace
        metadata: {name: %1$s}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: acme-backups, namespace: %1$s}
        stringData: {access-key: "%2$s", secret-key: "%3$s"}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: tenant-key, namespace: %1$s}
        stringData: {jwk: '%9$s'}
        ---
        apiVersion: atrium.dev/v1alpha1
        kind: CollaborationPlatform
        metadata: {name: %4$s, namespace: %1$s}
        spec:
          version: %5$s
          domain: copy.acme.example
          size: 100users
          identity: {replicas: 1}
          messageCenter: {replicas: 1}
          webos: {enabled: false}
          netdisk: {enabled: false}
          database: {replicas: 1}
          cache: {replicas: 1}
          objectStore: {replicas: 1}
          restore:
            platform: %6$s
            %7$s
            source:
              endpoint: "http://%6$s-object-store.%8$s.svc:8333"
              bucket: backups
              accessKeyId: {name: acme-backups, key: access-key}
              secretAccessKey: {name: acme-backups, key: secret-key}
        """.formatted(RESTORED_NS, decode(store, "access-key"), decode(store, "secret-key"), RESTORED, version,
        PLATFORM, restore, NS, TENANT_KEY.toJSONString()));
  }

  /** The restored platform's status.restore. */
  private static Map<?, ?> restoreStatus() {
    GenericKubernetesResource platform = client.genericKubernetesResources("atrium.dev/v1alpha1",
        "CollaborationPlatform").inNamespace(RESTORED_NS).withName(RESTORED).require();
    return platform.getAdditionalProperties().get("status") instanceof Map<?, ?> status
        && status.get("restore") instanceof Map<?, ?> restore ? restore : Map.of();
  }

  /** A Secret's data by its SHA-256, so that a failed comparison prints no key. */
  private static String digest(String namespace, String name) {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(
          new java.util.TreeMap<>(client.secrets().inNamespace(namespace).withName(name).require().getData())
              .toString().getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void deleteRestoredPlatform() {
    client.namespaces().withName(RESTORED_NS).delete();
    await(Duration.ofMinutes(5), "the restored platform's namespace gone",
        () -> client.namespaces().withName(RESTORED_NS).get() == null);
  }

  /** Every message of a platform's database, by id: its body. */
  private static Map<String, String> messageBodies(String namespace, String podIp, String platform)
      throws java.sql.SQLException {
    String password = decode(client.secrets().inNamespace(namespace).withName(platform + "-database-credentials")
        .require(), "app-password");
    Map<String, String> bodies = new java.util.HashMap<>();
    try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + podIp + ":5432/messages?connectTimeout=5",
        "atrium", password); Statement s = c.createStatement();
        ResultSet rows = s.executeQuery("SELECT id::text, body FROM message")) {
      while (rows.next()) {
        bodies.put(rows.getString(1), rows.getString(2));
      }
    }
    return bodies;
  }

  private static java.util.Set<String> messageIds(String namespace, String podIp, String platform, String where)
      throws java.sql.SQLException {
    String password = decode(client.secrets().inNamespace(namespace).withName(platform + "-database-credentials")
        .require(), "app-password");
    java.util.Set<String> ids = new java.util.HashSet<>();
    try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + podIp + ":5432/messages?connectTimeout=5",
        "atrium", password); Statement s = c.createStatement();
        ResultSet rows = s.executeQuery("SELECT client_message_id FROM message " + where)) {
      while (rows.next()) {
        ids.add(rows.getString(1));
      }
    }
    return ids;
  }

  private static String readyStatus(String namespace, String name) {
    return condition(namespace, name, "Ready", "status");
  }

  /** The reason of acme's Degraded condition. */
  private static String degradedReason() {
    return condition(NS, PLATFORM, "Degraded", "reason");
  }

  /** A field of a platform's condition of that type, or null. */
  private static String condition(String namespace, String name, String type, String field) {
    GenericKubernetesResource platform = client.genericKubernetesResources("atrium.dev/v1alpha1",
        "CollaborationPlatform").inNamespace(namespace).withName(name).get();
    if (platform == null || !(platform.getAdditionalProperties().get("status") instanceof Map<?, ?> status)
        || !(status.get("conditions") instanceof List<?> conditions)) {
      return null;
    }
    return conditions.stream().filter(c -> c instanceof Map<?, ?> m && type.equals(m.get("type")))
        .map(c -> (String) ((Map<?, ?>) c).get(field)).findFirst().orElse(null);
  }

  @Test
  @Order(LAST - 3)
  void underAWritersLoadLosingTheDatabasePrimaryTheCachePrimaryAndAnObjectStoreServerLosesNoAcknowledgedMessage()
      throws Exception {
    try (MessageWriter writer = MessageWriter.start()) {
      writer.awaitAcknowledged(20);

      // the database: the server that is not in recovery
      String database = databasePrimary();
      Duration databaseOutage = writer.outageAround(() ->
          client.pods().inNamespace(NS).withName(database).withGracePeriod(0).delete());
      LOG.info("Database primary {} killed under load: the longest wait for an acknowledgement was {} ms; the primary "
          + "is now {}", database, databaseOutage.toMillis(), databasePrimary());
      // its pod, started again by the StatefulSet, serves again: as a replica of the new primary (rewound when it
      // must be), or as the primary when it took the lock back first; either way one primary and a standby
      await(Duration.ofMinutes(3), "one database primary and every other pod a standby again", () -> {
        String now = databasePrimary();
        return client.pods().inNamespace(NS).withLabel("app.kubernetes.io/name", "database").list().getItems().stream()
            .map(p -> p.getMetadata().getName()).filter(p -> !p.equals(now)).allMatch(PlatformNodeIT::inRecovery);
      });

      // the cache: Sentinel's primary, after a key both replicas acknowledged
      String password = decode(client.secrets().inNamespace(NS).withName(PLATFORM + "-cache-credentials").require(),
          "password");
      String lost = podOf(redis(serviceIp(PLATFORM + "-cache"), 26379, password, "SENTINEL", "get-master-addr-by-name",
          "atrium").get(0));
      redis(podIp(lost), 6379, password, "SET", "before-the-loss", "kept");
      // replication is asynchronous: WAIT until both replicas have it, as a client that must not lose it would
      assertThat(redis(podIp(lost), 6379, password, "WAIT", "2", "5000")).containsExactly(":2");
      Instant killed = Instant.now();
      Duration cacheOutage = writer.outageAround(() ->
          client.pods().inNamespace(NS).withName(lost).withGracePeriod(0).delete());
      // Either Sentinel promotes a replica (down-after 10 s), or the pod is back first and Sentinel keeps it: both
      // are right. What must hold is one primary that every Sentinel names and every other server follows.
      String[] settled = new String[1];
      await(Duration.ofMinutes(3), "every Sentinel naming one primary that every other cache server follows",
          () -> (settled[0] = settledCachePrimary(password)) != null);
      LOG.info("Cache primary {} killed under load: {} is the primary {} s later; the longest wait for an "
          + "acknowledgement was {} ms", lost, settled[0], Duration.between(killed, Instant.now()).toSeconds(),
          cacheOutage.toMillis());
      assertThat(redis(podIp(settled[0]), 6379, password, "GET", "before-the-loss")).as("what both replicas had")
          .containsExactly("kept");
      // the message center found the primary again through Sentinel: its push works live
      LOG.info("After the cache's loss a message reached a WebSocket on the other replica in {} ms",
          deliveredLive("after the cache's loss").toMillis());

      // an object store server
      Duration objectStoreOutage = writer.outageAround(() ->
          client.pods().inNamespace(NS).withName(PLATFORM + "-object-store-0").withGracePeriod(0).delete());
      LOG.info("Object store server killed under load: the longest wait for an acknowledgement was {} ms",
          objectStoreOutage.toMillis());

      writer.awaitAcknowledged(writer.acknowledged() + 20);
      writer.stop();
      writer.assertEveryAcknowledgedMessageStoredOnce();
    }
    await(Duration.ofMinutes(5), "the platform Ready again", () -> "True".equals(readyStatus()),
        PlatformNodeIT::platformState);
    // Ready is the S3 gateway's health; a write needs both copies' volume servers known to the master again (a CI
    // run's next test had its first write refused with 500 InternalError right after Ready)
    Instant ready = Instant.now();
    List<String> refusals = new ArrayList<>();
    await(Duration.ofMinutes(3), "the object store taking writes again", () -> {
      try {
        putObject(s3User(), s3Endpoint() + "/after-losses", "probe.txt", "written");
        return true;
      } catch (AssertionError e) {
        refusals.add(e.getMessage().lines().findFirst().orElse(""));
        return false;
      }
    }, () -> "; refused " + refusals.size() + " times: " + refusals.stream().distinct().toList()
        + PlatformNodeIT.objectStoreState());
    LOG.info("The object store took a write {} ms after the platform was Ready again ({} refused before: {})",
        Duration.between(ready, Instant.now()).toMillis(), refusals.size(), refusals.stream().distinct().toList());
  }

  /** Whether the database server of {@code pod} answers and is in recovery (a standby); false while it does not. */
  private static boolean inRecovery(String pod) {
    String password = decode(client.secrets().inNamespace(NS).withName(PLATFORM + "-database-credentials").require(),
        "app-password");
    try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + podIp(pod) + ":5432/messages?connectTimeout=3",
        "atrium", password); Statement s = c.createStatement()) {
      ResultSet recovery = s.executeQuery("SELECT pg_is_in_recovery()");
      return recovery.next() && recovery.getBoolean(1);
    } catch (java.sql.SQLException | RuntimeException e) {
      return false; // not started yet
    }
  }

  /** The database server that is not in recovery, asked at each pod's address. */
  private static String databasePrimary() {
    String password = decode(client.secrets().inNamespace(NS).withName(PLATFORM + "-database-credentials").require(),
        "app-password");
    String[] primary = new String[1];
    await(Duration.ofMinutes(2), "one database server not in recovery", () -> {
      for (Pod pod : client.pods().inNamespace(NS).withLabel("app.kubernetes.io/name", "database").list().getItems()) {
        if (pod.getStatus().getPodIP() == null) {
          continue;
        }
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + pod.getStatus().getPodIP()
            + ":5432/messages?connectTimeout=3", "atrium", password); Statement s = c.createStatement()) {
          ResultSet recovery = s.executeQuery("SELECT pg_is_in_recovery()");
          if (recovery.next() && !recovery.getBoolean(1)) {
            primary[0] = pod.getMetadata().getName();
            return true;
          }
        } catch (java.sql.SQLException e) {
          // down or starting: ask the next
        }
      }
      return false;
    });
    return primary[0];
  }

  /**
   * alice writes to bob through the message center's Service, one message at a time and as fast as it answers: each
   * with its own clientMessageId, sent again (the same id) until it is acknowledged, as a client that must not lose
   * a message does. The message center stores a message once per clientMessageId, so none may appear twice.
   */
  private static final class MessageWriter implements AutoCloseable {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final String service = "http://" + serviceIp(PLATFORM + "-message-center") + ":8080";
    private final String conversation;
    private final List<String> acknowledgedIds = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Every id the writer sent: the direct conversation also holds the other tests' messages to bob. */
    private final java.util.Set<String> sentIds = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final List<Instant> acknowledgedAt = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicReference<Throwable> failure =
        new java.util.concurrent.atomic.AtomicReference<>();
    private volatile String token = signIn("alice");
    private volatile boolean running = true;
    private final Thread thread;

    private MessageWriter() throws Exception {
      HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(service + "/api/v1/conversations"))
          .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"kind\":\"DIRECT\",\"members\":[\"bob\"]}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(created.statusCode()).as(created.body()).isBetween(200, 201);
      conversation = new com.fasterxml.jackson.databind.ObjectMapper().readTree(created.body()).get("id").asText();
      thread = Thread.ofPlatform().name("message-writer").daemon().start(this::write);
    }

    static MessageWriter start() throws Exception {
      return new MessageWriter();
    }

    private void write() {
      try {
        for (int i = 0; running; i++) {
          String id = java.util.UUID.randomUUID().toString();
          sentIds.add(id);
          while (running && !send(id, "load " + i)) {
            Thread.sleep(200);
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (RuntimeException | Error e) {
        failure.set(e);
      }
    }

    /** One attempt; true when acknowledged (201, or 200: stored by an attempt whose answer was lost). */
    private boolean send(String id, String body) throws InterruptedException {
      try {
        HttpResponse<String> sent = http.send(HttpRequest.newBuilder(URI.create(service + "/api/v1/conversations/"
            + conversation + "/messages")).timeout(Duration.ofSeconds(5))
            .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"clientMessageId\":\"" + id + "\",\"body\":\"" + body
                + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
        if (sent.statusCode() == 401) {
          token = signIn("alice"); // the token expired during a long run
          return false;
        }
        if (sent.statusCode() == 201 || sent.statusCode() == 200) {
          acknowledgedIds.add(id);
          acknowledgedAt.add(Instant.now());
          return true;
        }
        return false; // 5xx while a data store is away: the same id again
      } catch (IOException e) {
        return false;
      }
    }

    int acknowledged() {
      return acknowledgedIds.size();
    }

    void awaitAcknowledged(int count) {
      await(Duration.ofMinutes(3), count + " messages acknowledged", () -> {
        assertThat(failure.get()).as("the writer failed").isNull();
        return acknowledgedIds.size() >= count;
      });
    }

    /** Runs {@code disruption}, waits for 20 more acknowledgements, and returns the longest gap between two. */
    Duration outageAround(ThrowingRunnable disruption) throws Exception {
      int from = acknowledgedAt.size();
      disruption.run();
      awaitAcknowledged(acknowledgedIds.size() + 20);
      Duration longest = Duration.ZERO;
      List<Instant> times = List.copyOf(acknowledgedAt);
      for (int i = Math.max(1, from); i < times.size(); i++) {
        Duration gap = Duration.between(times.get(i - 1), times.get(i));
        longest = gap.compareTo(longest) > 0 ? gap : longest;
      }
      return longest;
    }

    void stop() throws InterruptedException {
      running = false;
      thread.join(30_000);
    }

    /**
     * Every acknowledged clientMessageId is in the conversation's history exactly once, and of the writer's others at
     * most the one in flight when it stopped.
     */
    void assertEveryAcknowledgedMessageStoredOnce() throws Exception {
      var json = new com.fasterxml.jackson.databind.ObjectMapper();
      List<String> stored = new ArrayList<>();
      String before = "";
      do {
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(service + "/api/v1/conversations/"
            + conversation + "/messages?limit=200" + before)).header("Authorization", "Bearer " + token).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        var tree = json.readTree(page.body());
        tree.get("messages").forEach(m -> stored.add(m.get("clientMessageId").asText()));
        before = tree.get("nextBefore").isNull() ? null : "&before=" + tree.get("nextBefore").asText();
      } while (before != null);
      List<String> written = stored.stream().filter(sentIds::contains).toList();
      LOG.info("The writer had {} messages acknowledged; the conversation holds {} of its messages", acknowledgedIds
          .size(), written.size());
      assertThat(stored).as("no message twice").doesNotHaveDuplicates();
      assertThat(written).as("every acknowledged message").containsAll(acknowledgedIds);
      // at most the one in flight when the writer stopped is stored unacknowledged
      assertThat(written.size()).isBetween(acknowledgedIds.size(), acknowledgedIds.size() + 1);
    }

    @Override
    public void close() throws InterruptedException {
      stop();
    }
  }

  @FunctionalInterface
  private interface ThrowingRunnable {
    void run() throws Exception;
  }

  /**
   * The cache's primary when the set has settled: every pod's Sentinel names it, its server says it is the primary,
   * and every other server replicates it with its link up; null until then (or while a pod does not answer).
   */
  private static String settledCachePrimary(String password) {
    try {
      List<Pod> pods = client.pods().inNamespace(NS).withLabel("app.kubernetes.io/name", "cache").list().getItems();
      java.util.Set<String> named = new java.util.HashSet<>();
      for (Pod pod : pods) {
        String ip = pod.getStatus().getPodIP();
        if (ip == null) {
          return null;
        }
        named.add(podOf(redis(ip, 26379, password, "SENTINEL", "get-master-addr-by-name", "atrium").get(0)));
      }
      if (named.size() != 1) {
        return null;
      }
      String primary = named.iterator().next();
      for (Pod pod : pods) {
        String replication = redis(pod.getStatus().getPodIP(), 6379, password, "INFO", "replication").get(0);
        boolean ok = pod.getMetadata().getName().equals(primary) ? replication.contains("role:master")
            : replication.contains("role:slave") && replication.contains("master_host:" + primary + ".")
                && replication.contains("master_link_status:up");
        if (!ok) {
          return null;
        }
      }
      return primary;
    } catch (IOException | RuntimeException e) {
      return null; // a pod starting, or its server loading its data
    }
  }

  /** The pod of a name Sentinel gives, pod.headless-service.namespace.svc. */
  private static String podOf(String host) {
    return host.contains(".") ? host.substring(0, host.indexOf('.')) : host;
  }

  private static String podIp(String pod) {
    String ip = client.pods().inNamespace(NS).withName(pod).require().getStatus().getPodIP();
    if (ip == null) {
      throw new IllegalStateException(pod + " has no address yet");
    }
    return ip;
  }

  @Test
  @Order(LAST - 2)
  void aHibernatedPlatformRunsNoPodAndWakesWithItsDataAndCredentials() throws Exception {
    String password = decode(client.secrets().inNamespace(NS).withName(PLATFORM + "-database-credentials").require(),
        "app-password");
    try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + serviceIp(PLATFORM + "-database")
        + ":5432/messages", "atrium", password); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS before_hibernation (id text PRIMARY KEY)");
      s.execute("INSERT INTO before_hibernation VALUES ('written-awake') ON CONFLICT DO NOTHING");
    }
    String user = s3User();
    String s3 = s3Endpoint();
    putObject(user, s3 + "/hibernation", "proof.txt", "slept well");
    String keyBefore = com.nimbusds.jwt.SignedJWT.parse(signIn("alice")).getHeader().getKeyID();
    Map<String, String> claims = claimUids();

    Instant asked = Instant.now();
    hibernate(true);
    List<String> timeline = new ArrayList<>();
    await(Duration.ofMinutes(5), "the platform Hibernated with no pod left", () -> {
      List<Pod> pods = client.pods().inNamespace(NS).list().getItems();
      String now = phase() + ", " + pods.size() + " pods";
      if (timeline.isEmpty() || !timeline.get(timeline.size() - 1).endsWith(now)) {
        timeline.add(Duration.between(asked, Instant.now()).toMillis() + " ms: " + now);
      }
      return "Hibernated".equals(phase()) && pods.isEmpty();
    });
    Duration toSleep = Duration.between(asked, Instant.now());
    LOG.info("Going to sleep: {}", timeline);
    assertThat(claimUids()).as("every volume kept").isEqualTo(claims);

    Instant woken = Instant.now();
    hibernate(false);
    await(Duration.ofMinutes(10), "the platform Ready again", () -> "True".equals(readyStatus()),
        PlatformNodeIT::platformState);
    Duration toWake = Duration.between(woken, Instant.now());
    LOG.info("Hibernation on the real node: asleep (no pod left) {}s after spec.hibernate=true, Ready {}s after "
        + "spec.hibernate=false", toSleep.toSeconds(), toWake.toSeconds());

    try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + serviceIp(PLATFORM + "-database")
        + ":5432/messages", "atrium", password); Statement s = c.createStatement()) {
      assertThat(s.executeQuery("SELECT 1 FROM before_hibernation WHERE id = 'written-awake'").next())
          .as("the row written before it slept, with the same password").isTrue();
    }
    assertThat(curlS3(user, s3 + "/hibernation/proof.txt")).isEqualTo("slept well");
    assertThat(com.nimbusds.jwt.SignedJWT.parse(signIn("alice")).getHeader().getKeyID())
        .as("identity signs with the platform's key, generated once").isEqualTo(keyBefore);
  }

  /** Every volume claim of the platform's namespace by name, with its uid (one made again would differ). */
  private static Map<String, String> claimUids() {
    Map<String, String> claims = new java.util.TreeMap<>();
    client.persistentVolumeClaims().inNamespace(NS).list().getItems()
        .forEach(c -> claims.put(c.getMetadata().getName(), c.getMetadata().getUid()));
    return claims;
  }

  /** The object store's generated keys as curl's --user. */
  private static String s3User() {
    Secret credentials = client.secrets().inNamespace(NS).withName(PLATFORM + "-object-store-credentials").require();
    return decode(credentials, "access-key") + ":" + decode(credentials, "secret-key");
  }

  private static String s3Endpoint() {
    return "http://" + serviceIp(PLATFORM + "-object-store") + ":8333";
  }

  /** Makes the bucket and puts one object into it through the S3 Service. */
  private static void putObject(String user, String bucket, String key, String text) {
    curlS3(user, "-X", "PUT", bucket);
    // curl signs the headers, not the body: the payload is declared unsigned, as S3 allows over plain HTTP
    curlS3(user, "-X", "PUT", "-H", "x-amz-content-sha256: UNSIGNED-PAYLOAD", "--data-binary", text,
        bucket + "/" + key);
  }

  private static void hibernate(boolean sleep) {
    // a merge patch, as `kubectl patch --type merge` sends: no resourceVersion for the operator's status writes to race
    client.genericKubernetesResources("atrium.dev/v1alpha1", "CollaborationPlatform").inNamespace(NS)
        .withName(PLATFORM).patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"hibernate\":" + sleep + "}}");
  }

  private static String phase() {
    GenericKubernetesResource platform = client.genericKubernetesResources("atrium.dev/v1alpha1", "CollaborationPlatform")
        .inNamespace(NS).withName(PLATFORM).get();
    return platform != null && platform.getAdditionalProperties().get("status") instanceof Map<?, ?> status
        ? (String) status.get("phase") : null;
  }

  @Test
  @Order(LAST - 1)
  void anUpgradeToTheNextReleaseRollsEveryComponentInOrderOnRealReadinessAndKeepsTheData() throws Exception {
    ImageArchives next = ImageArchives.in(imagesDir(NEXT));
    // the site gets 1.0.1 as a bundle of what changed since the 1.0.0 bundle it has (the operator's image is
    // 1.0.0's); a whole 1.0.1 bundle is made only to compare sizes
    Path release = releaseFile(NEXT, imagesDir(NEXT), "--upgrade-from", VERSION);
    Path whole = bundles.dir().resolve("atrium-" + NEXT + "-whole.bundle");
    Path differential = bundles.dir().resolve("atrium-" + NEXT + "-since-" + VERSION + ".bundle");
    bundles.create(whole, release, NEXT, null, imagesDir(NEXT), imagesDir(VERSION)).orFail("atrium bundle create");
    SiteBundle.Result created = bundles.create(differential, release, NEXT,
        bundles.dir().resolve("atrium-" + VERSION + ".bundle"), imagesDir(NEXT), imagesDir(VERSION))
        .orFail("atrium bundle create --since");
    assertThat(Files.size(differential)).as("the differential bundle is smaller than the whole one")
        .isLessThan(Files.size(whole));
    bundles.verify(differential, bundles.publicKey()).orFail("atrium bundle verify");
    SiteBundle.Result pushed = bundles.push(differential, bundles.publicKey(), cluster.registry().host(),
        bundles.dir().resolve("install-" + NEXT), "--install", "--set", "replicaCount=1")
        .orFail("atrium bundle push --install");
    LOG.info("The {} bundle since {}: {} bytes (the whole {} bundle: {}), created in {} ms, pushed and installed in "
        + "{} ms; {}", NEXT, VERSION, Files.size(differential), NEXT, Files.size(whole), created.took().toMillis(),
        pushed.took().toMillis(), pushed.stderr().lines().filter(l -> l.contains("pushed ")).toList());
    List<String> nextDigests = next.all().values().stream().map(ImageArchives.Image::digest).toList();
    assertThat(nextDigests).as("1.0.1's images differ from 1.0.0's")
        .doesNotContainAnyElementsOf(cluster.images().all().values().stream().map(ImageArchives.Image::digest).toList());
    Secret credentials = client.secrets().inNamespace(NS).withName(PLATFORM + "-database-credentials").require();
    String password = decode(credentials, "app-password");
    try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + serviceIp(PLATFORM + "-database")
        + ":5432/messages", "atrium", password); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS before_upgrade (id text PRIMARY KEY)");
      s.execute("INSERT INTO before_upgrade VALUES ('written-on-" + VERSION + "') ON CONFLICT DO NOTHING");
    }

    String keyBefore = com.nimbusds.jwt.SignedJWT.parse(signIn("alice")).getHeader().getKeyID();
    Instant started = Instant.now();
    // a merge patch, as `kubectl patch --type merge` sends: no resourceVersion for the operator's status writes to race
    client.genericKubernetesResources("atrium.dev/v1alpha1", "CollaborationPlatform").inNamespace(NS)
        .withName(PLATFORM).patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"version\":\"" + NEXT + "\"}}");
    await(Duration.ofMinutes(20), "the upgrade to " + NEXT + " Succeeded",
        () -> "Succeeded".equals(upgrade().get("phase")) && NEXT.equals(upgrade().get("toVersion")),
        PlatformNodeIT::platformState);
    LOG.info("Upgrade {} -> {} on the real node took {}s", VERSION, NEXT,
        Duration.between(started, Instant.now()).toSeconds());
    // it waited for a base backup taken for it, which completed and restored in its check first. The gate tries up
    // to three times: a try that failed (each is its own PlatformBackup) is logged with its reason, not a failure
    List<PlatformBackupView> tries = backups().stream().filter(b -> "BeforeUpgrade".equals(b.trigger())).toList();
    tries.stream().filter(b -> !Boolean.TRUE.equals(b.verified()))
        .forEach(b -> LOG.warn("A backup before the upgrade that the gate did not take: {}", b));
    PlatformBackupView taken = tries.stream().filter(b -> Boolean.TRUE.equals(b.verified())).findFirst()
        .orElseThrow(() -> new AssertionError("the upgrade went on without a verified backup: " + tries));
    LOG.info("The backup before the upgrade, {}, was verified {} s after the upgrade was asked for", taken.name(),
        Duration.between(started, Instant.parse(taken.verifiedAt())).toSeconds());

    // data stores first, each only after the one before it was Ready on the new image
    assertThat(upgrade().get("completed")).isEqualTo(List.of("database", "cache", "objectStore", "identity",
        "messageCenter", "netdisk", "webos"));
    await(Duration.ofMinutes(2), "the platform Ready on " + NEXT, () -> "True".equals(readyStatus()),
        PlatformNodeIT::platformState);
    for (Pod pod : client.pods().inNamespace(NS).list().getItems()) {
      for (ContainerStatus status : pod.getStatus().getContainerStatuses()) {
        assertThat(nextDigests).as("%s runs %s", pod.getMetadata().getName(), status.getImageID())
            .anyMatch(d -> status.getImageID().endsWith("@" + d));
      }
    }
    try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + serviceIp(PLATFORM + "-database")
        + ":5432/messages", "atrium", password); Statement s = c.createStatement()) {
      assertThat(s.executeQuery("SELECT 1 FROM before_upgrade WHERE id = 'written-on-" + VERSION + "'").next())
          .as("the row written before the upgrade").isTrue();
    }
    // identity on the next release still knows alice and signs with the platform's key, generated once
    String after = signIn("alice");
    assertThat(com.nimbusds.jwt.SignedJWT.parse(after).getHeader().getKeyID()).isEqualTo(keyBefore);
  }

  @Test
  @Order(LAST)
  void anUpgradeWhoseMessageCenterMigrationFailsHaltsAndItsBackupRestoresTheOldVersionWithEveryMessage()
      throws Exception {
    // release 1.0.2 (hack/test-node.sh built its message center): 1.0.1's images but a message center whose first
    // new migration blanks every message's body and commits, and whose second fails (e2e/install/src/test/
    // broken-release). Only the message center changes, so it goes first, and its step's deadline is short:
    // the test's time, not the point
    ImageArchives.Image broken = ImageArchives.in(imagesDir(BROKEN)).get("message-center");
    ImageArchives.push(broken, cluster.registry().host());
    Path images = Files.createDirectories(Path.of("target", "images-" + BROKEN + "-release").toAbsolutePath());
    List<String> lines = new ArrayList<>(Files.readAllLines(imagesDir(NEXT).resolve("images.txt")).stream()
        .filter(line -> !line.startsWith("message-center ")).toList());
    lines.add("message-center " + broken.reference() + " " + broken.digest() + " -");
    Files.write(images.resolve("images.txt"), lines);
    String release = release(BROKEN, images, "--upgrade-from", NEXT);
    for (String[] change : List.of(new String[] {"order: [database, cache, objectStore, identity, messageCenter,",
        "order: [messageCenter, database, cache, objectStore, identity,"},
        new String[] {"stepTimeoutSeconds: 600", "stepTimeoutSeconds: 120"})) {
      assertThat(release).contains(change[0]);
      release = release.replace(change[0], change[1]);
    }
    apply(release);

    // messages of its own (run alone, the platform has none), and any the other tests sent
    try (MessageWriter writer = MessageWriter.start()) {
      writer.awaitAcknowledged(20);
      writer.stop();
    }
    String primary = databasePrimary();
    Map<String, String> before = messageBodies(NS, podIp(primary), PLATFORM);
    assertThat(before).as("the messages written").hasSizeGreaterThanOrEqualTo(20).doesNotContainValue("");
    Instant asked = Instant.now();
    client.genericKubernetesResources("atrium.dev/v1alpha1", "CollaborationPlatform").inNamespace(NS)
        .withName(PLATFORM).patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"version\":\"" + BROKEN
            + "\"}}");
    await(Duration.ofMinutes(10), "the upgrade to " + BROKEN + " halted",
        () -> "Halted".equals(upgrade().get("phase")) && BROKEN.equals(upgrade().get("toVersion")),
        PlatformNodeIT::platformState);
    LOG.info("The upgrade to {} halted {} s after it was asked for: {}", BROKEN,
        Duration.between(asked, Instant.now()).toSeconds(), upgrade().get("message"));
    assertThat(upgrade().get("component")).isEqualTo("messageCenter");
    assertThat(degradedReason()).isEqualTo("UpgradeHalted");
    // its first migration ran: the platform, still on 1.0.1 but for the halted step, lost every message's text
    Map<String, String> halted = messageBodies(NS, podIp(databasePrimary()), PLATFORM);
    assertThat(halted.keySet()).isEqualTo(before.keySet());
    assertThat(halted.values()).as("the bodies after 1.0.2's first migration").containsOnly("");

    // the backup the operator took before it, verified; restored into a new platform on 1.0.1 to the moment the
    // message center's step began, before any of 1.0.2's pods ran a migration
    String prefix = PLATFORM + "-before-" + BROKEN.replace('.', '-') + "-";
    PlatformBackupView taken = backups().stream().filter(b -> b.name().startsWith(prefix))
        .filter(b -> Boolean.TRUE.equals(b.verified())).findFirst()
        .orElseThrow(() -> new AssertionError("no verified backup before " + BROKEN + ": " + backups()));
    // to the millisecond: the schema takes at most six digits of a second, the operator writes nine
    Instant stepStarted = Instant.parse((String) upgrade().get("stepStartedAt"))
        .truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    Instant completed = Instant.parse((String) backupStatus(taken.name()).get("completedAt"));
    assertThat(completed).as("the backup ended before the step began").isBefore(stepStarted);
    String walPrimary = databasePrimary();
    Instant switched = Instant.now();
    psql(walPrimary, "SELECT pg_switch_wal()");
    await(Duration.ofMinutes(2), "the WAL past the step's start archived", () -> {
      String archived = psql(walPrimary, "SELECT coalesce(extract(epoch FROM last_archived_time), 0) FROM "
          + "pg_stat_archiver");
      return Double.parseDouble(archived.strip()) * 1000 > switched.toEpochMilli();
    });
    Instant applied = Instant.now();
    applyRestoredPlatform(NEXT, "backup: " + taken.name() + "\n    targetTime: \"" + stepStarted + "\"");
    try {
      await(Duration.ofMinutes(12), "the restored platform Ready", () -> "True".equals(readyStatus(RESTORED_NS,
          RESTORED)));
      LOG.info("The platform restored from {} to {} was Ready {} s after it was applied", taken.name(), stepStarted,
          Duration.between(applied, Instant.now()).toSeconds());
      Map<String, String> restored = messageBodies(RESTORED_NS, client.pods().inNamespace(RESTORED_NS)
          .withName(RESTORED + "-database-0").require().getStatus().getPodIP(), RESTORED);
      assertThat(restored).as("every message as it was before the upgrade").isEqualTo(before);
      GenericKubernetesResource copy = client.genericKubernetesResources("atrium.dev/v1alpha1",
          "CollaborationPlatform").inNamespace(RESTORED_NS).withName(RESTORED).get();
      assertThat(((Map<?, ?>) copy.getAdditionalProperties().get("status")).get("version")).isEqualTo(NEXT);
    } finally {
      deleteRestoredPlatform();
    }
  }

  // --- helpers --------------------------------------------------------------------------------

  /** The company's directory: alice and bob in the department rnd, on the host end of the node's veth. */
  private static SlapdServer companyDirectory(String hostIp) {
    SlapdServer slapd = SlapdServer.startOn(hostIp, "dc=acme,dc=example");
    StringBuilder ldif = new StringBuilder("""
        dn: ou=rnd,dc=acme,dc=example
        objectClass: organizationalUnit
        ou: rnd
        """);
    PEOPLE.forEach((uid, password) -> ldif.append("""

        dn: uid=%1$s,ou=rnd,dc=acme,dc=example
        objectClass: inetOrgPerson
        uid: %1$s
        cn: %1$s of Acme
        sn: %1$s
        mail: %1$s@acme.example
        userPassword: %2$s
        """.formatted(uid, password)));
    slapd.ldif(ldif.toString());
    return slapd;
  }

  private static final String CLI_REDIRECT = "http://127.0.0.1:47001/callback";

  private static URI identityUri() {
    return URI.create("http://" + serviceIp(PLATFORM + "-identity") + ":8080/");
  }

  /**
   * A person's access token, as a command-line tool gets one: the authorization code flow with PKCE through
   * identity's login page (its Service), the built-in public client, the password of the company's directory.
   * Retried while identity's first sync has not brought the person yet.
   */
  private static String signIn(String person) {
    return signIn(person, PEOPLE.get(person));
  }

  private static String signIn(String person, String password) {
    String[] token = new String[1];
    await(Duration.ofMinutes(2), person + " signed in at identity", () -> {
      OidcBrowser browser = new OidcBrowser(identityUri());
      OidcBrowser.Pkce pkce = OidcBrowser.Pkce.create();
      try {
        OidcBrowser.Outcome outcome = browser.authorize("atrium-cli", CLI_REDIRECT, pkce, Map.of(), person,
            password, null);
        if (outcome.code() == null) {
          LOG.info("{} not signed in yet: ended at {}", person, outcome.finalUri());
          return false;
        }
        token[0] = browser.publicExchange("atrium-cli", outcome.code(), CLI_REDIRECT, pkce.verifier()).accessToken();
        return token[0] != null;
      } catch (RuntimeException e) {
        LOG.info("{} not signed in yet: {}", person, e.toString());
        return false;
      }
    });
    return token[0];
  }

  /** hack/images.sh's output for a release: target/images for the first, target/images-VERSION for the next. */
  private static Path imagesDir(String version) {
    Path first = cluster.images().all().values().iterator().next().archive().getParent();
    return VERSION.equals(version) ? first : first.resolveSibling("images-" + version);
  }

  /** The PlatformRelease hack/release.sh writes from those images' digests. */
  private static String release(String version, Path images, String... more) throws IOException {
    return Files.readString(releaseFile(version, images, more));
  }

  /** The release hack/release.sh writes for the images built in {@code images}. */
  private static Path releaseFile(String version, Path images, String... more) {
    Path release = Path.of("target", "release-" + version + ".yaml").toAbsolutePath();
    List<String> command = new ArrayList<>(List.of(Repo.root().resolve("hack/release.sh").toString(), version,
        "--images", images.toString(), "--out", release.toString()));
    command.addAll(List.of(more));
    run(command);
    return release;
  }

  private static Map<?, ?> upgrade() {
    GenericKubernetesResource platform = client.genericKubernetesResources("atrium.dev/v1alpha1", "CollaborationPlatform")
        .inNamespace(NS).withName(PLATFORM).get();
    if (platform != null && platform.getAdditionalProperties().get("status") instanceof Map<?, ?> status
        && status.get("upgrade") instanceof Map<?, ?> upgrade) {
      return upgrade;
    }
    return Map.of();
  }


  private static String readyStatus() {
    return readyStatus(NS, PLATFORM);
  }

  /**
   * What a store that takes no write needs to be understood without the node: each server's pod, the topology
   * its master knows (data nodes, volumes and their copies) and the raft state, and each pod's last log lines.
   */
  private static String objectStoreState() {
    StringBuilder text = new StringBuilder();
    List<Pod> pods = client.pods().inNamespace(NS).withLabel("app.kubernetes.io/name", "object-store").list()
        .getItems();
    for (Pod pod : pods) {
      String ip = pod.getStatus().getPodIP();
      text.append("\n--- ").append(pod.getMetadata().getName()).append(" on ").append(ip).append(", started ")
          .append(pod.getStatus().getStartTime());
      for (String path : List.of(":9333/cluster/status", ":9333/dir/status", ":8080/status")) {
        text.append("\n").append(path).append(": ").append(httpGet("http://" + ip + path));
      }
    }
    for (Pod pod : pods) {
      text.append(tail(NS, pod.getMetadata().getName(), null, 60));
    }
    return text.toString();
  }

  private static String httpGet(String url) {
    try {
      HttpResponse<String> response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build()
          .send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
              HttpResponse.BodyHandlers.ofString());
      return response.statusCode() + " " + response.body();
    } catch (IOException e) {
      return "(" + e + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "(interrupted)";
    }
  }

  /**
   * What a failed wait on the platform needs to be understood without the node, which goes with the run: the
   * platform's status, its PlatformBackups, its pods, the database's and the operator's last log lines.
   */
  private static String platformState() {
    StringBuilder text = new StringBuilder("\n--- the platform's status:\n");
    GenericKubernetesResource platform = client.genericKubernetesResources("atrium.dev/v1alpha1",
        "CollaborationPlatform").inNamespace(NS).withName(PLATFORM).get();
    text.append(platform == null ? "(gone)" : platform.getAdditionalProperties().get("status"));
    text.append("\n--- its PlatformBackups:");
    for (GenericKubernetesResource backup : client.genericKubernetesResources("atrium.dev/v1alpha1",
        "PlatformBackup").inNamespace(NS).list().getItems()) {
      text.append("\n").append(backup.getMetadata().getName()).append(' ')
          .append(backup.getAdditionalProperties().get("spec")).append(' ')
          .append(backup.getAdditionalProperties().get("status"));
    }
    text.append("\n--- its pods:");
    List<Pod> database = new ArrayList<>();
    for (Pod pod : client.pods().inNamespace(NS).list().getItems()) {
      text.append("\n").append(pod.getMetadata().getName()).append(' ').append(pod.getStatus().getPhase());
      pod.getStatus().getContainerStatuses().forEach(c -> text.append(' ').append(c.getName()).append(" ready=")
          .append(c.getReady()).append(" restarts=").append(c.getRestartCount()));
      if (pod.getMetadata().getName().startsWith(PLATFORM + "-database-")) {
        database.add(pod);
      }
    }
    for (Pod pod : database) {
      text.append(tail(NS, pod.getMetadata().getName(), "postgresql", 25));
    }
    for (Pod pod : client.pods().inNamespace("atrium-system").list().getItems()) {
      text.append(tail("atrium-system", pod.getMetadata().getName(), null, 40));
    }
    return text.toString();
  }

  private static String tail(String namespace, String pod, String container, int lines) {
    String log;
    try {
      var logs = client.pods().inNamespace(namespace).withName(pod);
      log = (container == null ? logs.tailingLines(lines) : logs.inContainer(container).tailingLines(lines)).getLog();
    } catch (RuntimeException e) {
      log = "(no log: " + e.getMessage() + ")";
    }
    return "\n--- the last lines of " + pod + ":\n" + log;
  }

  private static void apply(String manifests) {
    for (var item : client.load(new ByteArrayInputStream(manifests.getBytes(StandardCharsets.UTF_8))).items()) {
      client.resource(item).forceConflicts().fieldManager("platform-node-it").serverSideApply();
    }
  }

  private static String serviceIp(String name) {
    return serviceIp(NS, name);
  }

  private static String serviceIp(String namespace, String name) {
    return client.services().inNamespace(namespace).withName(name).require().getSpec().getClusterIP();
  }

  private static String decode(Secret secret, String key) {
    return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
  }

  /** One Redis command over RESP, after AUTH; the reply's bulk strings. */
  private static List<String> redis(String host, int port, String password, String... command) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 5000);
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
      out.write(resp("AUTH", password));
      String auth = in.readLine();
      // a Sentinel without requirepass answers AUTH with an error and serves anyway
      LOG.debug("AUTH: {}", auth);
      out.write(resp(command));
      String head = in.readLine();
      List<String> values = new ArrayList<>();
      if (head.startsWith("*")) {
        int n = Integer.parseInt(head.substring(1));
        for (int i = 0; i < n; i++) {
          in.readLine();
          values.add(in.readLine());
        }
      } else if (head.startsWith("$") && !head.equals("$-1")) {
        // one bulk string (INFO): its bytes, all ASCII here
        char[] bulk = new char[Integer.parseInt(head.substring(1))];
        for (int read = 0; read < bulk.length; ) {
          read += in.read(bulk, read, bulk.length - read);
        }
        values.add(new String(bulk));
      } else {
        values.add(head);
      }
      return values;
    }
  }

  private static byte[] resp(String... parts) {
    StringBuilder b = new StringBuilder("*").append(parts.length).append("\r\n");
    for (String p : parts) {
      b.append('$').append(p.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(p).append("\r\n");
    }
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** curl with AWS Signature V4 (curl's --aws-sigv4), the S3 API as any client signs it. */
  private static String curlS3(String user, String... args) {
    List<String> command = new ArrayList<>(List.of("curl", "-sS", "--fail-with-body", "--max-time", "20",
        "--aws-sigv4", "aws:amz:us-east-1:s3", "--user", user));
    command.addAll(List.of(args));
    return run(command);
  }

  private static String run(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
        throw new AssertionError(command.get(0) + " failed: " + out);
      }
      return out;
    } catch (IOException e) {
      throw new AssertionError("cannot run " + command.get(0), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static void await(Duration timeout, String what, BooleanSupplier condition) {
    await(timeout, what, condition, () -> "");
  }

  /** As above; a timeout's message ends with what {@code state} tells then (CI keeps the message, not the node). */
  private static void await(Duration timeout, String what, BooleanSupplier condition,
      java.util.function.Supplier<String> state) {
    Instant deadline = Instant.now().plus(timeout);
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(deadline)) {
        String seen;
        try {
          seen = state.get();
        } catch (RuntimeException e) {
          seen = "(the state could not be read: " + e + ")";
        }
        throw new AssertionError("not within " + timeout.toSeconds() + " s: " + what + seen);
      }
      try {
        Thread.sleep(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
