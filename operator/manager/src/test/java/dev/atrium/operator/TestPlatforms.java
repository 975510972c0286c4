package dev.atrium.operator;

import dev.atrium.api.v1alpha1.AutoscalingSpec;
import dev.atrium.api.v1alpha1.CacheSpec;
import dev.atrium.api.v1alpha1.CollaborationPlatform;
import dev.atrium.api.v1alpha1.CollaborationPlatformSpec;
import dev.atrium.api.v1alpha1.DatabaseSpec;
import dev.atrium.api.v1alpha1.ExternalIdentitySpec;
import dev.atrium.api.v1alpha1.FederationPeer;
import dev.atrium.api.v1alpha1.FederationSpec;
import dev.atrium.api.v1alpha1.IdentitySpec;
import dev.atrium.api.v1alpha1.IngressSpec;
import dev.atrium.api.v1alpha1.LdapAttributes;
import dev.atrium.api.v1alpha1.LdapLogin;
import dev.atrium.api.v1alpha1.LdapSpec;
import dev.atrium.api.v1alpha1.MessageCenterSpec;
import dev.atrium.api.v1alpha1.NetdiskSpec;
import dev.atrium.api.v1alpha1.ObjectStoreSpec;
import dev.atrium.api.v1alpha1.PlatformMode;
import dev.atrium.api.v1alpha1.PlatformRelease;
import dev.atrium.api.v1alpha1.RegistrySpec;
import dev.atrium.api.v1alpha1.StatelessComponentSpec;
import dev.atrium.api.v1alpha1.StorageSpec;
import dev.atrium.api.v1alpha1.VolumeReclaimPolicy;
import dev.atrium.operator.model.Component;
import dev.atrium.operator.workload.PlatformContext;
import dev.atrium.operator.release.ReleaseCatalog;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Platforms for unit tests. The schema's defaults are applied by the API server, not by the Java
 * classes, so these set every field the server would default: what the operator reads back.
 */
public final class TestPlatforms {

  public static final String NAME = "acme";
  public static final String NAMESPACE = "acme";
  public static final String UID = "5b1f7c2e-9d3a-4e8b-a6f0-1c2d3e4f5a6b";
  public static final String VERSION = "1.0.0";
  public static final String DOMAIN = "collab.acme.example";

  private TestPlatforms() {
  }

  /** examples/platform.yaml as the API server stores it: with metadata and every schema default filled in. */
  public static CollaborationPlatform example() {
    CollaborationPlatform platform = new CollaborationPlatform();
    platform.setMetadata(new ObjectMetaBuilder().withName(NAME).withNamespace(NAMESPACE).withUid(UID)
        .withGeneration(1L).build());
    CollaborationPlatformSpec spec = new CollaborationPlatformSpec();
    spec.setVersion(VERSION);
    spec.setMode(PlatformMode.Private);
    spec.setDomain(DOMAIN);

    IngressSpec ingress = new IngressSpec();
    ingress.setClassName("nginx");
    ingress.setEnabled(true);
    spec.setIngress(ingress);

    IdentitySpec identity = new IdentitySpec();
    identity.setEnabled(true);
    identity.setReplicas(2);
    identity.setAccessTokenTtl("5m");
    identity.setResources(new ResourceRequirementsBuilder()
        .addToRequests("cpu", new Quantity("250m"))
        .addToRequests("memory", new Quantity("512Mi"))
        .addToLimits("memory", new Quantity("1Gi"))
        .build());
    spec.setIdentity(identity);

    spec.setWebos(stateless(2));

    MessageCenterSpec messageCenter = new MessageCenterSpec();
    messageCenter.setEnabled(true);
    FederationSpec federation = new FederationSpec();
    federation.setEnabled(false);
    messageCenter.setFederation(federation);
    AutoscalingSpec autoscaling = new AutoscalingSpec();
    autoscaling.setMinReplicas(2);
    autoscaling.setMaxReplicas(6);
    autoscaling.setTargetCPUUtilizationPercentage(70);
    messageCenter.setAutoscaling(autoscaling);
    spec.setMessageCenter(messageCenter);

    NetdiskSpec netdisk = new NetdiskSpec();
    netdisk.setEnabled(true);
    netdisk.setReplicas(2);
    netdisk.setPersonalQuota("10Gi");
    netdisk.setSpaceQuota("100Gi");
    netdisk.setMaxFileSize("20Gi");
    netdisk.setVersionsKept(50);
    netdisk.setTrashRetentionDays(30);
    spec.setNetdisk(netdisk);

    DatabaseSpec database = new DatabaseSpec();
    database.setReplicas(2);
    database.setStorage(storage("20Gi", VolumeReclaimPolicy.Retain));
    spec.setDatabase(database);

    CacheSpec cache = new CacheSpec();
    cache.setReplicas(3);
    cache.setStorage(storage("2Gi", VolumeReclaimPolicy.Retain));
    spec.setCache(cache);

    ObjectStoreSpec objectStore = new ObjectStoreSpec();
    objectStore.setReplicas(4);
    objectStore.setStorage(storage("100Gi", VolumeReclaimPolicy.Retain));
    spec.setObjectStore(objectStore);

    platform.setSpec(spec);
    return platform;
  }

  /** The example with these platform services switched off. */
  public static CollaborationPlatform without(Component... components) {
    CollaborationPlatform platform = example();
    for (Component component : components) {
      component.statelessSpec(platform.getSpec()).orElseThrow().setEnabled(false);
    }
    return platform;
  }

  /**
   * The example with identity off (and webos, which needs it) and the company's own SSO trusted instead, at
   * https://sso.acme.example/realms/staff.
   */
  public static CollaborationPlatform withExternalIdentity() {
    CollaborationPlatform platform = without(Component.IDENTITY, Component.WEBOS);
    ExternalIdentitySpec external = new ExternalIdentitySpec();
    external.setIssuer("https://sso.acme.example/realms/staff");
    external.setJwksUri("https://sso.acme.example/realms/staff/certs");
    platform.getSpec().getIdentity().setExternal(external);
    return platform;
  }

  /** The example, pulling every image from a private registry with a pull secret. */
  public static CollaborationPlatform withRegistry(String host, String pathPrefix, String... pullSecrets) {
    CollaborationPlatform platform = example();
    RegistrySpec registry = new RegistrySpec();
    registry.setHost(host);
    registry.setPathPrefix(pathPrefix);
    registry.setPullSecrets(List.of(pullSecrets));
    platform.getSpec().setRegistry(registry);
    return platform;
  }

  /**
   * The example, syncing people from an LDAP directory whose bind credentials are in the named Secret, with the
   * schema's defaults for everything else.
   */
  public static CollaborationPlatform withLdap(String bindSecretName) {
    CollaborationPlatform platform = example();
    LdapSpec ldap = new LdapSpec();
    ldap.setUrl("ldaps://ldap.acme.example:636");
    ldap.setBaseDN("dc=acme,dc=example");
    ldap.setBindSecretName(bindSecretName);
    ldap.setSyncInterval("15m");
    ldap.setUserFilter("(objectClass=inetOrgPerson)");
    ldap.setDepartmentFilter("(objectClass=organizationalUnit)");
    ldap.setLogin(LdapLogin.bind);
    LdapAttributes attributes = new LdapAttributes();
    attributes.setId("entryUUID");
    attributes.setUsername("uid");
    attributes.setDisplayName("cn");
    attributes.setEmail("mail");
    attributes.setPhone("telephoneNumber");
    attributes.setDepartmentName("ou");
    ldap.setAttributes(attributes);
    platform.getSpec().getIdentity().setLdap(ldap);
    return platform;
  }

  /** The example, federating with the given peers. */
  public static CollaborationPlatform withFederation(FederationPeer... peers) {
    CollaborationPlatform platform = example();
    platform.getSpec().getMessageCenter().getFederation().setEnabled(true);
    platform.getSpec().getMessageCenter().getFederation().setPeers(List.of(peers));
    return platform;
  }

  /** A peer platform of that name at https://collab.<name>.example[:port]/federation. */
  public static FederationPeer peer(String name, Integer port) {
    FederationPeer peer = new FederationPeer();
    peer.setPlatform(name);
    peer.setEndpoint("https://collab." + name + ".example" + (port == null ? "" : ":" + port) + "/federation");
    peer.setKeyId(name + "-1");
    peer.setPublicKey("MCowBQYDK2VwAyEA" + "A".repeat(43) + "=");
    return peer;
  }

  /** The context the reconciler builds: the example release of the platform's version, the default registry. */
  public static PlatformContext context(CollaborationPlatform platform) {
    return PlatformContext.of(platform, releases().find(platform.getSpec().getVersion()).orElseThrow(),
        OperatorConfig.DEFAULT_REGISTRY);
  }

  /** The simulated PlatformRelease manifests of the KWOK tier, e2e/kwok-releases/ (every component has an image). */
  public static List<PlatformRelease> releaseManifests() {
    Path dir = Path.of(System.getProperty("atrium.examples.dir", "../../examples")).resolveSibling("e2e")
        .resolve("kwok-releases");
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().map(f -> {
        try {
          return Serialization.unmarshal(Files.readString(f), PlatformRelease.class);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The example releases as the operator reads them from the cluster. */
  public static ReleaseCatalog releases() {
    return ReleaseCatalog.of(releaseManifests());
  }

  /** examples/platform.yaml as written (no defaults); surefire runs in the module's directory. */
  public static String exampleYaml() {
    Path file = Path.of(System.getProperty("atrium.examples.dir", "../../examples")).resolve("platform.yaml");
    try {
      String yaml = Files.readString(file);
      return yaml.substring(yaml.indexOf("apiVersion: atrium.dev/"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static StatelessComponentSpec stateless(int replicas) {
    StatelessComponentSpec spec = new StatelessComponentSpec();
    spec.setEnabled(true);
    spec.setReplicas(replicas);
    return spec;
  }

  private static StorageSpec storage(String size, VolumeReclaimPolicy reclaimPolicy) {
    StorageSpec storage = new StorageSpec();
    storage.setSize(size);
    storage.setReclaimPolicy(reclaimPolicy);
    return storage;
  }
}
