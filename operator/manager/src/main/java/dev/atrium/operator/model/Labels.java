package dev.atrium.operator.model;

import java.util.LinkedHashMap;
import java.util.Map;

/** Every label the operator writes: the standard app.kubernetes.io set, from one place. */
public final class Labels {

  public static final String NAME = "app.kubernetes.io/name";
  public static final String INSTANCE = "app.kubernetes.io/instance";
  public static final String VERSION = "app.kubernetes.io/version";
  public static final String COMPONENT = "app.kubernetes.io/component";
  public static final String PART_OF = "app.kubernetes.io/part-of";
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";

  /**
   * On the database's pods: the name of the Patroni cluster (its scope, the StatefulSet's name), which Patroni
   * selects its members by.
   */
  public static final String PATRONI_CLUSTER = "atrium.dev/patroni-cluster";
  /** On the database's pods, set by Patroni: {@link #PATRONI_LEADER} or {@link #PATRONI_REPLICA}. */
  public static final String PATRONI_ROLE = "atrium.dev/patroni-role";
  /** On a PlatformBackup taken before an upgrade: the version the upgrade goes to. */
  public static final String UPGRADE_TO = "atrium.dev/upgrade-to";
  /** Patroni 3.0's value of the role label on the pod that holds the leader lock, the primary. */
  public static final String PATRONI_LEADER = "master";
  /** Patroni's value of the role label on a running replica. */
  public static final String PATRONI_REPLICA = "replica";

  public static final String PART_OF_VALUE = "atrium";
  /** The chart's name, the operator pods' {@link #NAME}. */
  public static final String OPERATOR_NAME = "atrium-operator";
  /** The operator pods' {@link #COMPONENT}. */
  public static final String OPERATOR_COMPONENT = "operator";
  public static final String MANAGED_BY_VALUE = "atrium-operator";
  /** Informers watch only objects with this label, so the operator never caches the rest of the cluster. */
  public static final String MANAGED_SELECTOR = MANAGED_BY + "=" + MANAGED_BY_VALUE;

  private Labels() {
  }

  /** Labels that pick a component's pods; stable for the life of the platform, as selectors are immutable. */
  public static Map<String, String> selector(String platform, Component component) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(NAME, component.id());
    labels.put(INSTANCE, platform);
    return labels;
  }

  /** All labels of a component's objects and pods. */
  public static Map<String, String> of(String platform, Component component, String version) {
    Map<String, String> labels = selector(platform, component);
    labels.put(COMPONENT, component.workload() == Component.Workload.STATEFUL ? "data-store" : "service");
    labels.put(PART_OF, PART_OF_VALUE);
    labels.put(MANAGED_BY, MANAGED_BY_VALUE);
    if (version != null) {
      labels.put(VERSION, version);
    }
    return labels;
  }

  /** Labels of objects that belong to the platform as a whole (front door, default-deny policy). */
  public static Map<String, String> platform(String platform) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(INSTANCE, platform);
    labels.put(PART_OF, PART_OF_VALUE);
    labels.put(MANAGED_BY, MANAGED_BY_VALUE);
    return labels;
  }
}
