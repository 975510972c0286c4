package dev.atrium.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrium.testing.kube.Crds;
import dev.atrium.testing.kube.TestNamespace;
import dev.atrium.testing.kube.WithKubeCluster;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The committed CRD on a real API server: its CEL rules compile, defaults are filled in by the
 * server, and bad manifests are refused at apply time with a message that names the field.
 */
@WithKubeCluster
class CollaborationPlatformCrdIT {

  private static final String PUBLIC_KEY = "MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=";
  private static final String MINIMAL = """
      apiVersion: atrium.dev/v1alpha1
      kind: CollaborationPlatform
      metadata:
        name: %s
      spec:
        version: 1.0.0
        domain: collab.example.com
      """;

  @BeforeAll
  static void installCrd(KubernetesClient client) {
    Crds.install(client, CrdDriftTest.crdsDir().resolve(CrdDriftTest.CRD_FILE));
  }


  @Test
  void serverFillsInTheSchemaDefaults(KubernetesClient client, TestNamespace ns) {
    CollaborationPlatform created = client.resources(CollaborationPlatform.class).inNamespace(ns.name())
        .resource(Serialization.unmarshal(MINIMAL.formatted("defaults"), CollaborationPlatform.class)).create();

    CollaborationPlatformSpec spec = created.getSpec();
    assertThat(spec.getMode()).isEqualTo(PlatformMode.Private);
    // counts are not defaulted: the operator takes them from spec.size (the 1000users numbers without one)
    assertThat(spec.getSize()).isNull();
    assertThat(spec.getWebos().getReplicas()).isNull();
    assertThat(spec.getIdentity().getReplicas()).isNull();
    assertThat(spec.getDatabase().getReplicas()).isNull();
    assertThat(spec.getDatabase().getStorage().getSize()).isEqualTo("20Gi");
    assertThat(spec.getDatabase().getStorage().getReclaimPolicy()).isEqualTo(VolumeReclaimPolicy.Retain);
    assertThat(spec.getCache().getReplicas()).isNull();
    assertThat(spec.getObjectStore().getReplicas()).isNull();
    assertThat(spec.getObjectStore().getStorage().getSize()).isEqualTo("100Gi");
    assertThat(spec.getMessageCenter().getFederation().getEnabled()).isFalse();
    assertThat(spec.getIdentity().getAccessTokenTtl()).isEqualTo("5m");
    assertThat(spec.getIdentity().getLdap()).isNull();
    assertThat(spec.getNetdisk().getPersonalQuota()).isEqualTo("10Gi");
    assertThat(spec.getNetdisk().getSpaceQuota()).isEqualTo("100Gi");
    assertThat(spec.getNetdisk().getMaxFileSize()).isEqualTo("20Gi");
    assertThat(spec.getNetdisk().getVersionsKept()).isEqualTo(50);
    assertThat(spec.getNetdisk().getTrashRetentionDays()).isEqualTo(30);
  }

  @Test
  void netdiskTakesQuantitiesWithAnySuffixOrNone(KubernetesClient client, TestNamespace ns) {
    CollaborationPlatform platform = Serialization.unmarshal(MINIMAL.formatted("quotas"), CollaborationPlatform.class);
    NetdiskSpec netdisk = new NetdiskSpec();
    netdisk.setPersonalQuota("1.5Ti");
    netdisk.setSpaceQuota("0.5E");
    netdisk.setMaxFileSize("4096");
    netdisk.setVersionsKept(1);
    netdisk.setTrashRetentionDays(3650);
    platform.getSpec().setNetdisk(netdisk);

    NetdiskSpec created = client.resources(CollaborationPlatform.class).inNamespace(ns.name()).resource(platform)
        .create().getSpec().getNetdisk();

    assertThat(created.getPersonalQuota()).isEqualTo("1.5Ti");
    assertThat(created.getSpaceQuota()).isEqualTo("0.5E");
    assertThat(created.getMaxFileSize()).isEqualTo("4096");
    assertThat(created.getVersionsKept()).isEqualTo(1);
    assertThat(created.getTrashRetentionDays()).isEqualTo(3650);
    assertThat(created.getEnabled()).isTrue();
  }

  @Test
  void ldapGetsTheSchemasDefaultsForWhatItLeavesOut(KubernetesClient client, TestNamespace ns) {
    GenericKubernetesResource platform = platform("ldap", Map.of("identity", Map.of("ldap", Map.of(
        "url", "ldaps://ad.example.com", "baseDN", "dc=example,dc=com", "bindSecretName", "ldap-bind",
        "attributes", Map.of("id", "objectGUID", "username", "sAMAccountName")))));

    LdapSpec ldap = create(client, ns, platform).getSpec().getIdentity().getLdap();
    assertThat(ldap.getSyncInterval()).isEqualTo("15m");
    assertThat(ldap.getUserFilter()).isEqualTo("(objectClass=inetOrgPerson)");
    assertThat(ldap.getDepartmentFilter()).isEqualTo("(objectClass=organizationalUnit)");
    assertThat(ldap.getLogin()).isEqualTo(LdapLogin.bind);
    // the attributes given stand, the others are defaulted around them
    assertThat(ldap.getAttributes().getId()).isEqualTo("objectGUID");
    assertThat(ldap.getAttributes().getUsername()).isEqualTo("sAMAccountName");
    assertThat(ldap.getAttributes().getDisplayName()).isEqualTo("cn");
    assertThat(ldap.getAttributes().getEmail()).isEqualTo("mail");
    assertThat(ldap.getAttributes().getPhone()).isEqualTo("telephoneNumber");
    assertThat(ldap.getAttributes().getDepartmentName()).isEqualTo("ou");
  }

  @Test
  void trustedProvidersAreAcceptedWithTheUsernameClaimDefaulted(KubernetesClient client, TestNamespace ns) {
    Map<String, Object> upn = with(providerMap("partner"), "usernameClaim", "upn");
    GenericKubernetesResource platform = platform("hybrid", providers(providerMap("acme-sso"), upn));

    List<TrustedProviderSpec> providers = create(client, ns, platform).getSpec().getIdentity()
        .getTrustedProviders();
    assertThat(providers).extracting(TrustedProviderSpec::getName).containsExactly("acme-sso", "partner");
    assertThat(providers).extracting(TrustedProviderSpec::getUsernameClaim).containsExactly("preferred_username", "upn");
    assertThat(providers.get(0).getClientSecretRef().getName()).isEqualTo("acme-sso-client");
    assertThat(providers.get(0).getClientSecretRef().getKey()).isEqualTo("client-secret");
  }

  @Test
  void aFederatingPlatformWithItsTrustListIsAccepted(KubernetesClient client, TestNamespace ns) {
    CollaborationPlatform platform = Serialization.unmarshal(MINIMAL.formatted("acme"), CollaborationPlatform.class);
    FederationSpec federation = new FederationSpec();
    federation.setEnabled(true);
    federation.setPeers(List.of(peer("globex"), peer("initech")));
    MessageCenterSpec messageCenter = new MessageCenterSpec();
    messageCenter.setFederation(federation);
    platform.getSpec().setMessageCenter(messageCenter);

    CollaborationPlatform created = client.resources(CollaborationPlatform.class).inNamespace(ns.name())
        .resource(platform).create();

    assertThat(created.getSpec().getMessageCenter().getFederation().getPeers())
        .extracting(FederationPeer::getPlatform).containsExactly("globex", "initech");
    // the block's other defaults are filled in around the given federation; replicas is left to the size
    assertThat(created.getSpec().getMessageCenter().getEnabled()).isTrue();
    assertThat(created.getSpec().getMessageCenter().getReplicas()).isNull();
  }

  private static Map<String, Object> peerMap(String platform) {
    return Map.of("platform", platform, "endpoint", "https://collab." + platform + ".example/federation",
        "keyId", platform + "-1", "publicKey", PUBLIC_KEY);
  }

  private static FederationPeer peer(String platform) {
    return Serialization.unmarshal(Serialization.asJson(peerMap(platform)), FederationPeer.class);
  }

  private static Map<String, Object> federation(Map<String, Object> peer) {
    return Map.of("messageCenter", Map.of("federation", Map.of("enabled", true, "peers", List.of(peer))));
  }

  private static Map<String, Object> providerMap(String name) {
    return Map.of("name", name, "displayName", name + " SSO", "issuer", "https://sso.example.com/realms/" + name,
        "clientId", "atrium", "clientSecretRef", Map.of("name", name + "-client", "key", "client-secret"));
  }

  @SafeVarargs
  private static Map<String, Object> providers(Map<String, Object>... providers) {
    return Map.of("identity", Map.of("trustedProviders", List.of(providers)));
  }

  private static Map<String, Object> providerWith(String field, Object value) {
    return with(providerMap("acme-sso"), field, value);
  }

  /** A copy of the map with one field set to the value (null removes it). */
  private static Map<String, Object> with(Map<String, Object> map, String field, Object value) {
    Map<String, Object> copy = new HashMap<>(map);
    if (value == null) {
      copy.remove(field);
    } else {
      copy.put(field, value);
    }
    return copy;
  }

  /** An LDAP block the schema accepts, with one field set to the value. */
  private static Map<String, Object> ldap(String field, Object value) {
    Map<String, Object> ldap = new HashMap<>(Map.of("url", "ldaps://ldap.example.com", "baseDN", "dc=example,dc=com",
        "bindSecretName", "ldap-bind"));
    ldap.put(field, value);
    return Map.of("identity", Map.of("ldap", ldap));
  }

  private static Map<String, Object> netdisk(String field, Object value) {
    return Map.of("netdisk", Map.of(field, value));
  }

  private static Map<String, Object> peerWith(String field, String value) {
    return with(peerMap("globex"), field, value);
  }

  /**
   * Each a single mistake, the field it is reported at, the message, and whether the API server
   * skips the CEL rules after it (enum errors: it then adds its own notice, which no rule can prevent).
   */
  static Stream<Arguments> invalidSpecs() {
    return Stream.of(
        Arguments.of("domain is not a DNS name", Map.of("domain", "Collab_Example"), "spec.domain", "should match",
            false),
        Arguments.of("version is not a release", Map.of("version", "latest"), "spec.version", "should match", false),
        Arguments.of("unknown mode", Map.of("mode", "Cloud"), "spec.mode",
            "Unsupported value: \"Cloud\": supported values: \"Hybrid\", \"Private\", \"Public\"", true),
        Arguments.of("unknown reclaim policy",
            Map.of("database", Map.of("storage", Map.of("size", "20Gi", "reclaimPolicy", "Nope"))),
            "spec.database.storage.reclaimPolicy",
            "Unsupported value: \"Nope\": supported values: \"Delete\", \"Retain\"", true),
        Arguments.of("unknown size", Map.of("size", "50users"), "spec.size",
            "size must be one of 100users, 1000users, 5000users or 25000users", false),
        Arguments.of("negative replicas", Map.of("webos", Map.of("replicas", -1)), "spec.webos.replicas",
            "should be greater than or equal to 0", false),
        Arguments.of("autoscaling bounds inverted",
            Map.of("messageCenter", Map.of("autoscaling", Map.of("minReplicas", 5, "maxReplicas", 2))),
            "spec.messageCenter.autoscaling.minReplicas",
            "autoscaling.minReplicas must not be greater than autoscaling.maxReplicas", false),
        Arguments.of("autoscaling bound above its maximum (and so above the other bound)",
            Map.of("webos", Map.of("autoscaling", Map.of("minReplicas", 200, "maxReplicas", 5))),
            "spec.webos.autoscaling.minReplicas", "should be less than or equal to 100", false),
        Arguments.of("ldap without a bind secret",
            Map.of("identity", Map.of("ldap", Map.of("url", "ldaps://ldap.example.com", "baseDN", "dc=example,dc=com"))),
            "spec.identity.ldap.bindSecretName", "identity.ldap needs bindSecretName", false),
        Arguments.of("ldap url without scheme",
            Map.of("identity", Map.of("ldap", Map.of("url", "ldap.example.com", "baseDN", "dc=example,dc=com",
                "bindSecretName", "ldap-bind"))),
            "spec.identity.ldap.url", "should match", false),
        Arguments.of("ldap user filter without its parentheses", ldap("userFilter", "objectClass=person"),
            "spec.identity.ldap.userFilter", "should match", false),
        Arguments.of("ldap department filter without its parentheses", ldap("departmentFilter", "(ou=*"),
            "spec.identity.ldap.departmentFilter", "should match", false),
        Arguments.of("ldap login neither bind nor local", ldap("login", "kerberos"), "spec.identity.ldap.login",
            "Unsupported value: \"kerberos\": supported values: \"bind\", \"local\"", true),
        Arguments.of("ldap attribute that is no attribute name",
            ldap("attributes", Map.of("email", "mail;binary")), "spec.identity.ldap.attributes.email",
            "should match", false),
        Arguments.of("access token lifetime above an hour", Map.of("identity", Map.of("accessTokenTtl", "2h")),
            "spec.identity.accessTokenTtl", "identity.accessTokenTtl must be at least 1m and at most 1h", false),
        Arguments.of("access token lifetime below a minute", Map.of("identity", Map.of("accessTokenTtl", "30s")),
            "spec.identity.accessTokenTtl", "identity.accessTokenTtl must be at least 1m and at most 1h", false),
        Arguments.of("access token lifetime that is no duration",
            Map.of("identity", Map.of("accessTokenTtl", "1h30m")), "spec.identity.accessTokenTtl",
            "should match", false),
        Arguments.of("object store of no servers", Map.of("objectStore", Map.of("replicas", 0)),
            "spec.objectStore.replicas", "should be greater than or equal to 1", false),
        Arguments.of("database volume below 1Gi", Map.of("database", Map.of("storage", Map.of("size", "500Mi"))),
            "spec.database.storage.size", "storage.size must be at least 1Gi", false),
        Arguments.of("size that is no quantity", Map.of("cache", Map.of("storage", Map.of("size", "lots"))),
            "spec.cache.storage.size", "Invalid value: \"lots\": spec.cache.storage.size in body should match", false),
        Arguments.of("size in a notation the pattern does not take", Map.of("cache", Map.of("storage",
                Map.of("size", "1e12"))),
            "spec.cache.storage.size", "Invalid value: \"1e12\": spec.cache.storage.size in body should match", false),
        Arguments.of("federation peer named twice",
            Map.of("messageCenter", Map.of("federation", Map.of("peers", List.of(peerMap("globex"), peerMap("globex"))))),
            "spec.messageCenter.federation.peers", "messageCenter.federation.peers must name each platform once", false),
        Arguments.of("federation peer is the platform itself", federation(peerMap("invalid")),
            "spec.messageCenter.federation.peers", "messageCenter.federation.peers must not name this platform itself",
            false),
        Arguments.of("federation peer over plain http", federation(peerWith("endpoint", "http://globex.example/federation")),
            "spec.messageCenter.federation.peers[0].endpoint", "should match", false),
        Arguments.of("federation peer key not base64", federation(peerWith("publicKey", "-----BEGIN PUBLIC KEY-----")),
            "spec.messageCenter.federation.peers[0].publicKey", "should match", false),
        Arguments.of("federation peer name not a DNS label", federation(peerWith("platform", "Globex Inc")),
            "spec.messageCenter.federation.peers[0].platform", "should match", false),
        Arguments.of("trusted provider named twice", providers(providerMap("acme-sso"), providerMap("acme-sso")),
            "spec.identity.trustedProviders", "identity.trustedProviders must name each provider once", false),
        Arguments.of("trusted provider name that is no id", providers(providerWith("name", "Acme_SSO")),
            "spec.identity.trustedProviders[0].name", "should match", false),
        Arguments.of("trusted provider without its client secret", providers(providerWith("clientSecretRef", null)),
            "spec.identity.trustedProviders[0].clientSecretRef", "Required value", true),
        Arguments.of("trusted provider secret without its key",
            providers(providerWith("clientSecretRef", Map.of("name", "acme-sso-client"))),
            "spec.identity.trustedProviders[0].clientSecretRef.key", "Required value", true),
        Arguments.of("trusted provider issuer that is no URL", providers(providerWith("issuer", "sso.example.com")),
            "spec.identity.trustedProviders[0].issuer", "should match", false),
        Arguments.of("netdisk quota in a unit Kubernetes does not write", netdisk("personalQuota", "10GB"),
            "spec.netdisk.personalQuota", "should match", false),
        Arguments.of("netdisk quota of nothing", netdisk("personalQuota", "0Gi"), "spec.netdisk.personalQuota",
            "should match", false),
        Arguments.of("netdisk quota below zero", netdisk("spaceQuota", "-1Gi"), "spec.netdisk.spaceQuota",
            "should match", false),
        Arguments.of("netdisk quota in thousandths", netdisk("spaceQuota", "500m"), "spec.netdisk.spaceQuota",
            "should match", false),
        Arguments.of("netdisk largest file above 1Ei", netdisk("maxFileSize", "2Ei"), "spec.netdisk.maxFileSize",
            "netdisk.maxFileSize must be at most 1Ei", false),
        Arguments.of("netdisk keeping no versions", netdisk("versionsKept", 0), "spec.netdisk.versionsKept",
            "should be greater than or equal to 1", false),
        Arguments.of("netdisk keeping too many versions", netdisk("versionsKept", 1001), "spec.netdisk.versionsKept",
            "should be less than or equal to 1000", false),
        Arguments.of("netdisk emptying the trash at once", netdisk("trashRetentionDays", 0),
            "spec.netdisk.trashRetentionDays", "should be greater than or equal to 1", false),
        Arguments.of("netdisk keeping the trash over ten years", netdisk("trashRetentionDays", 3651),
            "spec.netdisk.trashRetentionDays", "should be less than or equal to 3650", false),
        Arguments.of("registry host with a scheme", Map.of("registry", Map.of("host", "https://registry.example.com")),
            "spec.registry.host", "should match", false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource({"invalidSpecs", "invalidBackupsAndRestores"})
  void invalidManifestIsRefusedNamingTheFieldOnce(String why, Map<String, Object> specOverride, String field,
      String message, boolean rulesSkipped, KubernetesClient client, TestNamespace ns) {
    GenericKubernetesResource platform = platform("invalid", specOverride);

    Refusal.assertRefusedOnce(() -> create(client, ns, platform), field, message, rulesSkipped);
  }

  /** The minimal platform with the given fields of its spec set (replacing what it has). */
  private static GenericKubernetesResource platform(String name, Map<String, Object> specOverride) {
    GenericKubernetesResource platform = Serialization.unmarshal(MINIMAL.formatted(name),
        GenericKubernetesResource.class);
    @SuppressWarnings("unchecked")
    Map<String, Object> spec = (Map<String, Object>) platform.getAdditionalProperties().get("spec");
    spec.putAll(specOverride);
    return platform;
  }

  private static CollaborationPlatform create(KubernetesClient client, TestNamespace ns,
      GenericKubernetesResource platform) {
    client.genericKubernetesResources("atrium.dev/v1alpha1", "CollaborationPlatform").inNamespace(ns.name())
        .resource(platform).create();
    return client.resources(CollaborationPlatform.class).inNamespace(ns.name())
        .withName(platform.getMetadata().getName()).get();
  }

  // --- backups and restore

  /** A bucket the schema accepts, with one field set to the value (null removes it). */
  private static Map<String, Object> bucketWith(String field, Object value) {
    return with(Map.of("endpoint", "https://backup.example.com:9000", "bucket", "platform-backups",
        "path", "tenants/acme", "accessKeyId", Map.of("name", "backup-keys", "key", "access-key-id"),
        "secretAccessKey", Map.of("name", "backup-keys", "key", "secret-access-key")), field, value);
  }

  private static Map<String, Object> backupTo(Map<String, Object> destination) {
    return Map.of("backup", Map.of("enabled", true, "destination", destination));
  }

  /** A restore of acme's backups from {@link #bucketWith}'s bucket, with these fields besides. */
  private static Map<String, Object> restore(Map<String, Object> fields) {
    Map<String, Object> restore = new HashMap<>(Map.of("platform", "acme", "source", bucketWith("path",
        "tenants/acme")));
    restore.putAll(fields);
    return Map.of("restore", restore);
  }

  static Stream<Arguments> invalidBackupsAndRestores() {
    return Stream.of(
        Arguments.of("backup endpoint over ftp", backupTo(bucketWith("endpoint", "ftp://backup.example.com")),
            "spec.backup.destination.endpoint", "should match", false),
        Arguments.of("backup endpoint with a space", backupTo(bucketWith("endpoint", "https://backup example.com")),
            "spec.backup.destination.endpoint", "should match", false),
        Arguments.of("backup bucket that is no bucket name", backupTo(bucketWith("bucket", "Platform_Backups")),
            "spec.backup.destination.bucket", "should match", false),
        Arguments.of("backup path that climbs out with ..", backupTo(bucketWith("path", "tenants/../acme")),
            "spec.backup.destination.path", "should match", false),
        Arguments.of("backup path from the bucket's root", backupTo(bucketWith("path", "/tenants/acme")),
            "spec.backup.destination.path", "should match", false),
        Arguments.of("backup keeping no day", Map.of("backup", Map.of("retentionDays", 0)),
            "spec.backup.retentionDays", "should be greater than or equal to 1", false),
        Arguments.of("backup sealed to a private key", Map.of("backup", Map.of("encryptionKey",
            "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"f83O\",\"y\":\"x_FE\",\"d\": \"jpsQ\"}")),
            "spec.backup.encryptionKey", "encryptionKey must be a public key", false),
        Arguments.of("backup sealed to something that is no JSON object",
            Map.of("backup", Map.of("encryptionKey", "ssh-ed25519 AAAAC3Nza")), "spec.backup.encryptionKey",
            "should match", false),
        Arguments.of("restore with a key of no Secret", restore(Map.of("decryptionKey", Map.of("key", "jwk"))),
            "spec.restore.decryptionKey.name", "Required value", true),
        Arguments.of("restore to a day February does not have", restore(Map.of("targetTime", "2026-02-30T10:00:00Z")),
            "spec.restore.targetTime", "targetTime must be a real date and time (RFC 3339), after 2000", false),
        Arguments.of("restore to a time that is no timestamp", restore(Map.of("targetTime", "yesterday")),
            "spec.restore.targetTime", "should match", false),
        Arguments.of("restore from a bucket without its secret key",
            restore(Map.of("source", bucketWith("secretAccessKey", null))), "spec.restore.source.secretAccessKey",
            "Required value", true));
  }

  @Test
  void backupIsOffWithItsDefaultsOnAPlatformThatSaysNothing(KubernetesClient client, TestNamespace ns) {
    CollaborationPlatform created = create(client, ns, platform("unprotected", Map.of()));

    BackupSpec backup = created.getSpec().getBackup();
    assertThat(backup.getEnabled()).isFalse();
    assertThat(backup.getSchedule()).isEqualTo("0 2 * * *");
    assertThat(backup.getRetentionDays()).isEqualTo(7);
    assertThat(backup.getBeforeUpgrade()).isTrue();
    assertThat(backup.getDestination()).isNull();
    assertThat(created.getSpec().getRestore()).isNull();
  }

  @Test
  void aRestoreToAPointInTimeIsAcceptedAsWritten(KubernetesClient client, TestNamespace ns) {
    CollaborationPlatform created = create(client, ns, platform("point-in-time",
        restore(Map.of("targetTime", "2026-11-29T10:15:00.25+08:00"))));

    RestoreSpec restore = created.getSpec().getRestore();
    assertThat(restore.getPlatform()).isEqualTo("acme");
    assertThat(restore.getTargetTime()).isEqualTo("2026-11-29T10:15:00.25+08:00");
    assertThat(restore.getSource().getPath()).isEqualTo("tenants/acme");
    assertThat(restore.getSource().getSecretAccessKey().getKey()).isEqualTo("secret-access-key");
  }

  @ParameterizedTest
  @ValueSource(strings = {"before-upgrade-1-1-0", "20261129T020000"})
  void aRestoreStartsFromAPlatformBackupOrABarmanBackupId(String backup, KubernetesClient client, TestNamespace ns) {
    CollaborationPlatform created = create(client, ns, platform("from-" + backup.toLowerCase(Locale.ROOT),
        restore(Map.of("backup", backup))));

    assertThat(created.getSpec().getRestore().getBackup()).isEqualTo(backup);
  }

  @Test
  void aPlatformRestoringItsNamesakeMayNotBackUpWhereThoseBackupsAre(KubernetesClient client, TestNamespace ns) {
    String message = "this platform has the name of the platform it restores and backs up to the same bucket and "
        + "path: its backups would mix with the ones it restores";
    // globex restored from globex's backups, as after a lost cluster
    Map<String, Object> source = bucketWith("path", "tenants/globex");
    Map<String, Object> spec = new HashMap<>(backupTo(source));
    spec.put("restore", Map.of("platform", "globex", "source", source));
    Refusal.assertRefusedOnce(() -> create(client, ns, platform("globex", spec)), "spec.backup.destination",
        message, false);

    // no path on either side is the same place too
    Map<String, Object> noPath = bucketWith("path", null);
    spec.putAll(backupTo(noPath));
    spec.put("restore", Map.of("platform", "globex", "source", noPath));
    Refusal.assertRefusedOnce(() -> create(client, ns, platform("globex", spec)), "spec.backup.destination",
        message, false);

    // backing up under another path keeps the two apart
    spec.putAll(backupTo(bucketWith("path", "tenants/globex-restored")));
    CollaborationPlatform created = create(client, ns, platform("globex", spec));
    assertThat(created.getSpec().getBackup().getDestination().getPath()).isEqualTo("tenants/globex-restored");
    assertThat(created.getSpec().getRestore().getSource().getPath()).isNull();
  }

  @Test
  void restoreCannotBeAddedChangedOrRemovedOnceThePlatformExists(KubernetesClient client, TestNamespace ns) {
    var platforms = client.resources(CollaborationPlatform.class).inNamespace(ns.name());
    String message = "restore is read once, when the platform is created: it cannot be added, changed or removed "
        + "afterwards";

    CollaborationPlatform empty = create(client, ns, platform("made-empty", Map.of()));
    CollaborationPlatform added = platforms.withName("made-empty").get();
    added.getSpec().setRestore(Serialization.unmarshal(Serialization.asJson(restore(Map.of()).get("restore")),
        RestoreSpec.class));
    Refusal.assertRefusedOnce(() -> platforms.resource(added).update(), "spec.restore", message, false);
    assertStoredAsCreated(platforms.withName("made-empty").get(), empty);

    CollaborationPlatform restored = create(client, ns, platform("restored",
        restore(Map.of("targetTime", "2026-11-29T10:15:00Z"))));
    CollaborationPlatform changed = platforms.withName("restored").get();
    changed.getSpec().getRestore().setTargetTime("2026-11-29T11:00:00Z");
    Refusal.assertRefusedOnce(() -> platforms.resource(changed).update(), "spec.restore", message, false);
    assertStoredAsCreated(platforms.withName("restored").get(), restored);

    CollaborationPlatform removed = platforms.withName("restored").get();
    removed.getSpec().setRestore(null);
    Refusal.assertRefusedOnce(() -> platforms.resource(removed).update(), "spec.restore", message, false);
    assertStoredAsCreated(platforms.withName("restored").get(), restored);

    // the rest of a restored platform's spec changes as any other's
    CollaborationPlatform resized = platforms.withName("restored").get();
    resized.getSpec().setSize("5000users");
    assertThat(platforms.resource(resized).update().getSpec().getSize()).isEqualTo("5000users");
  }

  private static void assertStoredAsCreated(CollaborationPlatform stored, CollaborationPlatform created) {
    assertThat(stored.getMetadata().getResourceVersion()).isEqualTo(created.getMetadata().getResourceVersion());
    assertThat(Serialization.asJson(stored.getSpec())).isEqualTo(Serialization.asJson(created.getSpec()));
  }

  @Test
  void theLongestNameThatConvergesIsAccepted(KubernetesClient client, TestNamespace ns) {
    String longest = name(CollaborationPlatform.MAX_NAME_LENGTH);

    CollaborationPlatform created = client.resources(CollaborationPlatform.class).inNamespace(ns.name())
        .resource(Serialization.unmarshal(MINIMAL.formatted(longest), CollaborationPlatform.class)).create();

    assertThat(created.getMetadata().getName()).hasSize(CollaborationPlatform.MAX_NAME_LENGTH).isEqualTo(longest);
  }

  static Stream<Arguments> invalidNames() {
    String tooLong = "metadata.name must be at most " + CollaborationPlatform.MAX_NAME_LENGTH + " characters: the "
        + "object store's StatefulSet <name>-object-store gives its pods a controller-revision-hash label of "
        + "<StatefulSet name>-<10-character hash>, and a label value is at most 63";
    String notALabel = "metadata.name must start with a lowercase letter and contain only lowercase letters, digits "
        + "and '-' (it names Services, which are DNS-1035 labels)";
    return Stream.of(
        Arguments.of(name(CollaborationPlatform.MAX_NAME_LENGTH + 1), tooLong),
        Arguments.of("1acme", notALabel),
        Arguments.of("acme.example", notALabel));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidNames")
  void aNameThatCannotConvergeIsRefusedSayingWhy(String name, String message, KubernetesClient client,
      TestNamespace ns) {
    GenericKubernetesResource platform = Serialization.unmarshal(MINIMAL.formatted(name),
        GenericKubernetesResource.class);

    // a rule on the whole object has no field path (fieldPath cannot point into metadata): Kubernetes shows <nil>
    String seen = Refusal.assertRefusedOnce(() -> client.genericKubernetesResources("atrium.dev/v1alpha1",
        "CollaborationPlatform").inNamespace(ns.name()).resource(platform).create(), "<nil>", message, false);
    assertThat(seen).isEqualTo("<nil>: Invalid value: " + message);
  }

  /** A name of that length the CRD's pattern accepts, e.g. tenant-0123456789-tenant-... . */
  private static String name(int length) {
    String name = "tenant-0123456789-".repeat(4).substring(0, length - 1);
    return (name.endsWith("-") ? name.substring(0, length - 2) + "x" : name) + "9";
  }

  @Test
  void volumesMayGrowButNeverShrinkNorChangeClass(KubernetesClient client, TestNamespace ns) {
    var platforms = client.resources(CollaborationPlatform.class).inNamespace(ns.name());
    CollaborationPlatform platform = Serialization.unmarshal(MINIMAL.formatted("volumes"), CollaborationPlatform.class);
    platform = platforms.resource(platform).create();

    platform.getSpec().getDatabase().getStorage().setSize("50Gi");
    platform = platforms.resource(platform).update();
    assertThat(platform.getSpec().getDatabase().getStorage().getSize()).isEqualTo("50Gi");

    platform.getSpec().getDatabase().getStorage().setSize("30Gi");
    CollaborationPlatform shrunk = platform;
    Refusal.assertRefusedOnce(() -> platforms.resource(shrunk).update(), "spec.database.storage.size",
        "storage.size can only grow: shrinking a volume would lose data", false);

    // a size that is no quantity is named once, by the pattern, not also as shrinking
    platform.getSpec().getDatabase().getStorage().setSize("lots");
    CollaborationPlatform garbled = platform;
    Refusal.assertRefusedOnce(() -> platforms.resource(garbled).update(), "spec.database.storage.size",
        "Invalid value: \"lots\": spec.database.storage.size in body should match", false);

    CollaborationPlatform current = platforms.withName("volumes").get();
    current.getSpec().getDatabase().getStorage().setStorageClassName("fast-ssd");
    Refusal.assertRefusedOnce(() -> platforms.resource(current).update(), "spec.database.storage.storageClassName",
        "storage.storageClassName cannot change once volumes exist", false);
  }

  @Test
  void theObjectStoreGrowsButNeverShrinks(KubernetesClient client, TestNamespace ns) {
    var platforms = client.resources(CollaborationPlatform.class).inNamespace(ns.name());
    CollaborationPlatform platform = Serialization.unmarshal(MINIMAL.formatted("objects"), CollaborationPlatform.class);
    ObjectStoreSpec one = new ObjectStoreSpec();
    one.setReplicas(1);
    platform.getSpec().setObjectStore(one);
    platform = platforms.resource(platform).create();

    // every count grows: one server to two (two copies, one master), three (three masters), more
    for (int servers : new int[] {2, 3, 6}) {
      platform.getSpec().getObjectStore().setReplicas(servers);
      platform = platforms.resource(platform).update();
      assertThat(platform.getSpec().getObjectStore().getReplicas()).isEqualTo(servers);
    }

    platform.getSpec().getObjectStore().setReplicas(4);
    CollaborationPlatform shrunk = platform;
    Refusal.assertRefusedOnce(() -> platforms.resource(shrunk).update(), "spec.objectStore.replicas",
        "objectStore.replicas can only grow", false);

    // one mistake, named once: not a count at all
    platform.getSpec().getObjectStore().setReplicas(0);
    CollaborationPlatform none = platform;
    Refusal.assertRefusedOnce(() -> platforms.resource(none).update(), "spec.objectStore.replicas",
        "should be greater than or equal to 1", false);
  }

  @Test
  void aSizeThatWouldShrinkTheObjectStoreIsRefused(KubernetesClient client, TestNamespace ns) {
    var platforms = client.resources(CollaborationPlatform.class).inNamespace(ns.name());
    CollaborationPlatform platform = Serialization.unmarshal(MINIMAL.formatted("sized"), CollaborationPlatform.class);
    platform.getSpec().setSize("100users");
    platform = platforms.resource(platform).create();

    // 1 server (100users) to 8 (25000users): growing is fine
    platform.getSpec().setSize("25000users");
    platform = platforms.resource(platform).update();

    // 8 to 3, by a count of its own below the size's
    platform.getSpec().getObjectStore().setReplicas(3);
    CollaborationPlatform fewer = platform;
    Refusal.assertRefusedOnce(() -> platforms.resource(fewer).update(), "spec.objectStore.replicas",
        "the object store can only grow", false);
    platform.getSpec().getObjectStore().setReplicas(null);

    // 8 to 4, by the size
    platform.getSpec().setSize("5000users");
    CollaborationPlatform smaller = platform;
    Refusal.assertRefusedOnce(() -> platforms.resource(smaller).update(), "spec.objectStore.replicas",
        "the object store can only grow", false);
    // 8 to 4, by removing the size (no size has 4)
    platform.getSpec().setSize(null);
    CollaborationPlatform unsized = platform;
    Refusal.assertRefusedOnce(() -> platforms.resource(unsized).update(), "spec.objectStore.replicas",
        "the object store can only grow", false);
    // a smaller size is fine when objectStore.replicas keeps the servers
    platform.getSpec().setSize("5000users");
    platform.getSpec().getObjectStore().setReplicas(8);
    platform = platforms.resource(platform).update();
    assertThat(platform.getSpec().getSize()).isEqualTo("5000users");
    // and removing that count again would shrink it to the size's 4
    platform.getSpec().getObjectStore().setReplicas(null);
    CollaborationPlatform removed = platform;
    Refusal.assertRefusedOnce(() -> platforms.resource(removed).update(), "spec.objectStore.replicas",
        "the object store can only grow", false);
  }
}
