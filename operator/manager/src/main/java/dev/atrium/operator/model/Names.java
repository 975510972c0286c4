package dev.atrium.operator.model;

/**
 * Every object name the operator writes, derived from the platform's name. The CRD limits that
 * name to {@value #MAX_PLATFORM_NAME} characters so that the longest of these stays a valid DNS
 * label with room for StatefulSet pod ordinals and revision hashes.
 */
public final class Names {

  public static final int MAX_PLATFORM_NAME = 36;

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

  /**
   * The Service for reads over all of a data store's servers, primary included (Service selectors
   * cannot leave out one pod), so that read-only clients spread over the replicas too.
   */
  public static String readOnlyService(String platform, Component component) {
    return workload(platform, component) + "-ro";
  }

  /** The first pod of a StatefulSet, the primary of a replicated data store. */
  public static String firstPod(String platform, Component component) {
    return workload(platform, component) + "-0";
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
