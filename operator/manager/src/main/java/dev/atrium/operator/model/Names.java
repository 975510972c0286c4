package dev.atrium.operator.model;

import dev.atrium.api.v1alpha1.CollaborationPlatform;
import java.util.List;

/**
 * Every object name the operator writes, derived from the platform's name. The CRD refuses names
 * longer than {@value #MAX_PLATFORM_NAME} characters, or that are not DNS-1035 labels, so that
 * every one of these is valid for its kind, and the labels Kubernetes derives from them (a
 * StatefulSet pod's controller-revision-hash, {@code <StatefulSet name>-<hash of up to 10>}, and
 * its pod-name) stay within 63 characters. NamesTest checks each function at that length.
 */
public final class Names {

  /** The longest platform name the CRD accepts; the API owns the number. */
  public static final int MAX_PLATFORM_NAME = CollaborationPlatform.MAX_NAME_LENGTH;

  private Names() {
  }

  /** Deployment, StatefulSet, client Service, PodDisruptionBudget and HPA of a component. */
  public static String workload(String platform, Component component) {
    return platform + "-" + component.id();
  }

  /** The headless Service that gives a StatefulSet's pods stable DNS names. */
  public static String headlessService(String platform, Component component) {
    return workload(platform, component) + "-hl";
  }

  /** A headless Service over a platform service's ready pods, for a client that balances per request (webos). */
  public static String podsService(String platform, Component component) {
    return workload(platform, component) + "-pods";
  }

  /**
   * The Service for reads over all of a data store's servers, primary included (Service selectors
   * cannot leave out one pod), so that read-only clients spread over the replicas too.
   */
  public static String readOnlyService(String platform, Component component) {
    return workload(platform, component) + "-ro";
  }

  /**
   * The ServiceAccount a component's pods run as, and the Role and RoleBinding that give it what it calls: only
   * the database's pods have one (Patroni keeps its leader lock and state in the API server).
   */
  public static String account(String platform, Component component) {
    return workload(platform, component);
  }

  /**
   * The config maps Patroni itself creates for the database (its scope is the StatefulSet's name): the cluster's
   * configuration, the leader lock, a requested switchover and the synchronous standby. The operator neither
   * writes nor prunes them, and no object it writes may take one of these names.
   */
  public static List<String> patroniConfigMaps(String platform) {
    String scope = workload(platform, Component.DATABASE);
    return List.of(scope + "-config", scope + "-leader", scope + "-failover", scope + "-sync");
  }

  /** The stable DNS name of a StatefulSet pod, through the headless Service. */
  public static String podHost(String platform, Component component, int ordinal, String namespace) {
    return workload(platform, component) + "-" + ordinal + "." + headlessService(platform, component) + "."
        + namespace + ".svc";
  }

  /** The ConfigMap with a component's wiring to the others. */
  public static String config(String platform, Component component) {
    return workload(platform, component) + "-config";
  }

  /** The Secret with a data store's generated credentials. */
  public static String credentials(String platform, Component component) {
    return workload(platform, component) + "-credentials";
  }

  /** The Secret with the message center's generated federation signing key. */
  public static String federationKey(String platform) {
    return workload(platform, Component.MESSAGE_CENTER) + "-federation";
  }

  /** The Secret with identity's generated RSA key its tokens are signed with (the first; it rotates its own later). */
  public static String identitySigningKey(String platform) {
    return workload(platform, Component.IDENTITY) + "-signing-key";
  }

  /** The Secret with identity's generated key that encrypts what it keeps secret at rest (later signing keys, TOTP). */
  public static String identityKeys(String platform) {
    return workload(platform, Component.IDENTITY) + "-keys";
  }

  /**
   * The Secret with the generated key the platform's objects are sealed under in its backups (spec.backup.encryptionKey;
   * decision 0017).
   */
  public static String backupDataKey(String platform) {
    return workload(platform, Component.DATABASE) + "-backup-data-key";
  }

  /** The Secret with the generated password of identity's first administrator, person id admin. */
  public static String identityAdmin(String platform) {
    return workload(platform, Component.IDENTITY) + "-admin";
  }

  /** The Secret with the generated secret of a component's OAuth client at identity, read by both. */
  public static String oauthClient(String platform, Component component) {
    return workload(platform, component) + "-oauth-client";
  }

  /** The NetworkPolicy that admits a component's clients. */
  public static String networkPolicy(String platform, Component component) {
    return workload(platform, component);
  }

  /** The NetworkPolicy that denies all traffic the others do not allow. */
  public static String defaultDenyPolicy(String platform) {
    return platform + "-default-deny";
  }

  /** The front door. */
  public static String ingress(String platform) {
    return platform;
  }

  /** In-cluster DNS name of a component's client Service. */
  public static String serviceHost(String platform, Component component, String namespace) {
    return workload(platform, component) + "." + namespace + ".svc";
  }
}
