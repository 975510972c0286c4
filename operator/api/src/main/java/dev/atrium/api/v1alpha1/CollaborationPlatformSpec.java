package dev.atrium.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** The desired platform: which release, where it is reached, and one block per component. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
// a component on with one it cannot work without switched off is refused; the operator's Component lists who
// needs whom, and ComponentFactsTest checks each such need has its rule here
@ValidationRule(value = "!(!has(self.webos) || !has(self.webos.enabled) || self.webos.enabled) || (!has(self.identity) || !has(self.identity.enabled) || self.identity.enabled)",
    message = "webos.enabled is true but identity.enabled is false: people sign in to the web desktop through identity; switch identity on, or webos off")
// a token consumer may instead trust identity.external (a company's own SSO) while identity is off
@ValidationRule(value = "!(!has(self.messageCenter) || !has(self.messageCenter.enabled) || self.messageCenter.enabled) || (!has(self.identity) || !has(self.identity.enabled) || self.identity.enabled) || has(self.identity.external)",
    message = "messageCenter.enabled is true but identity.enabled is false: the message center accepts only tokens of identity or of identity.external; switch identity on, name the provider it trusts instead (identity.external), or switch messageCenter off")
@ValidationRule(value = "!(!has(self.netdisk) || !has(self.netdisk.enabled) || self.netdisk.enabled) || (!has(self.identity) || !has(self.identity.enabled) || self.identity.enabled) || has(self.identity.external)",
    message = "netdisk.enabled is true but identity.enabled is false: netdisk accepts only tokens of identity or of identity.external; switch identity on, name the provider it trusts instead (identity.external), or switch netdisk off")
// the size's name; the preset's numbers are the operator's (SizePreset)
@ValidationRule(value = "!has(self.size) || self.size in " + PlatformSizes.NAMES_CEL,
    message = "size must be one of 100users, 1000users, 5000users or 25000users", fieldPath = ".size")
// the object store can only grow, also when its count comes from the size: objectStore.replicas' own rule judges
// a change between two explicit counts (and the schema's minimum a count that is no count), this one every change
// that involves a preset
@ValidationRule(value = "!has(self.objectStore) || !has(oldSelf.objectStore)"
    + " || (has(self.objectStore.replicas) && (has(oldSelf.objectStore.replicas) || self.objectStore.replicas < 1))"
    + " || " + PlatformSizes.EFFECTIVE_OBJECT_STORE_SELF + " >= " + PlatformSizes.EFFECTIVE_OBJECT_STORE_OLD,
    message = "the object store can only grow: with this size (and objectStore.replicas as given) it would have fewer "
        + "servers than it has now, and a server's volumes have to be moved to the others before it goes, which the "
        + "operator does not do yet; keep the size, or set objectStore.replicas to at least its current count",
    fieldPath = ".objectStore.replicas")
// a restore is where the database came from: changing it later would describe a database that is not there
@ValidationRule(value = "has(self.restore) == has(oldSelf.restore) && (!has(self.restore) || self.restore == oldSelf.restore)",
    message = "restore is read once, when the platform is created: it cannot be added, changed or removed afterwards",
    fieldPath = ".restore")
public class CollaborationPlatformSpec {

  @Required
  @Pattern("^[0-9]+\\.[0-9]+\\.[0-9]+$")
  @JsonPropertyDescription("The platform release to run, e.g. 1.0.0. Every component's image comes from this release.")
  private String version;

  @Default("Private")
  @JsonPropertyDescription("Deployment mode: Private (everything on site, also air-gapped), Hybrid (platform in the "
      + "provider's cloud, company apps on site) or Public (SaaS, many tenants on one cluster).")
  private PlatformMode mode;

  @Size(max = 16)
  @JsonPropertyDescription("How many people the platform is sized for: 100users (a trial on one 2-core, 8 GiB node: "
      + "one pod per component, no redundancy), 1000users, 5000users or 25000users. Each is a set of replicas and "
      + "CPU/memory per component (docs/operator.md, Sizes). A component's own replicas or resources win over its "
      + "size's. Without a size every component gets the 1000users numbers, which were the defaults before sizes "
      + "existed. A size that would shrink the object store is refused.")
  private String size;

  @Required
  @Size(max = 253)
  @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
  @JsonPropertyDescription("The tenant's host name (a DNS-1123 subdomain such as collab.example.com); the front door "
      + "routes it to the web desktop.")
  private String domain;

  @JsonPropertyDescription("The registry every image is pulled from. When set, no object the operator writes names "
      + "any other registry.")
  private RegistrySpec registry;

  @JsonPropertyDescription("The front door: the Ingress that routes the domain to the web desktop.")
  private IngressSpec ingress;

  @Default("{}")
  @JsonPropertyDescription("How a change of version is rolled out: paused between components, and whether a failed "
      + "step rolls back by itself.")
  private UpgradeSpec upgrade;

  @Default("false")
  @JsonPropertyDescription("Hibernate the platform: every component is scaled to zero (services first, then the "
      + "data stores), every volume and credential is kept, and nothing is upgraded; set back to false to wake it "
      + "(data stores first, then services) as it was.")
  private Boolean hibernate;

  @Default("{}")
  @JsonPropertyDescription("Identity: SSO (OIDC) for every app, users and departments, LDAP/AD sync, devices.")
  private IdentitySpec identity;

  @Default("{}")
  @JsonPropertyDescription("The web desktop: portal, private app market and the API gateway in front of every service.")
  private StatelessComponentSpec webos;

  @Default("{}")
  @JsonPropertyDescription("The message center: IM, announcements, business to-dos, real-time push, cross-tenant messages.")
  private MessageCenterSpec messageCenter;

  @Default("{}")
  @JsonPropertyDescription("Netdisk: files, resumable upload, sharing and versions, stored in the object store's "
      + "bucket netdisk; the front door routes /netdisk to it.")
  private NetdiskSpec netdisk;

  @Default("{}")
  @JsonPropertyDescription("The S3-compatible object store behind netdisk (SeaweedFS; its metadata is in the database).")
  private ObjectStoreSpec objectStore;

  @Default("{}")
  @JsonPropertyDescription("PostgreSQL: one primary and streaming replicas (replicas counts all of them).")
  private DatabaseSpec database;

  @Default("{}")
  @JsonPropertyDescription("The Redis-compatible cache with Sentinel failover.")
  private CacheSpec cache;

  @Default("{}")
  @JsonPropertyDescription("Continuous backups of the database into a bucket: WAL archived as it is written, base "
      + "backups on a schedule and before upgrades, with retention. Off unless enabled.")
  private BackupSpec backup;

  @JsonPropertyDescription("Make this new platform's database from another platform's backups (to their latest point "
      + "or a point in time) instead of an empty one. Read when the database is first made; it cannot be added, "
      + "changed or removed afterwards.")
  private RestoreSpec restore;

  public String getVersion() {
    return version;
  }

  public void setVersion(String version) {
    this.version = version;
  }

  public String getSize() {
    return size;
  }

  public void setSize(String size) {
    this.size = size;
  }

  public PlatformMode getMode() {
    return mode;
  }

  public void setMode(PlatformMode mode) {
    this.mode = mode;
  }

  public String getDomain() {
    return domain;
  }

  public void setDomain(String domain) {
    this.domain = domain;
  }

  public RegistrySpec getRegistry() {
    return registry;
  }

  public void setRegistry(RegistrySpec registry) {
    this.registry = registry;
  }

  public IngressSpec getIngress() {
    return ingress;
  }

  public void setIngress(IngressSpec ingress) {
    this.ingress = ingress;
  }

  public IdentitySpec getIdentity() {
    return identity;
  }

  public void setIdentity(IdentitySpec identity) {
    this.identity = identity;
  }

  public StatelessComponentSpec getWebos() {
    return webos;
  }

  public void setWebos(StatelessComponentSpec webos) {
    this.webos = webos;
  }

  public MessageCenterSpec getMessageCenter() {
    return messageCenter;
  }

  public void setMessageCenter(MessageCenterSpec messageCenter) {
    this.messageCenter = messageCenter;
  }

  public NetdiskSpec getNetdisk() {
    return netdisk;
  }

  public void setNetdisk(NetdiskSpec netdisk) {
    this.netdisk = netdisk;
  }

  public ObjectStoreSpec getObjectStore() {
    return objectStore;
  }

  public void setObjectStore(ObjectStoreSpec objectStore) {
    this.objectStore = objectStore;
  }

  public DatabaseSpec getDatabase() {
    return database;
  }

  public void setDatabase(DatabaseSpec database) {
    this.database = database;
  }

  public BackupSpec getBackup() {
    return backup;
  }

  public void setBackup(BackupSpec backup) {
    this.backup = backup;
  }

  public RestoreSpec getRestore() {
    return restore;
  }

  public void setRestore(RestoreSpec restore) {
    this.restore = restore;
  }

  public CacheSpec getCache() {
    return cache;
  }

  public void setCache(CacheSpec cache) {
    this.cache = cache;
  }

  public Boolean getHibernate() {
    return hibernate;
  }

  public void setHibernate(Boolean hibernate) {
    this.hibernate = hibernate;
  }

  public UpgradeSpec getUpgrade() {
    return upgrade;
  }

  public void setUpgrade(UpgradeSpec upgrade) {
    this.upgrade = upgrade;
  }
}
