package dev.atrium.operator.model;

/**
 * The parts of a tenant's platform, in the order they start and upgrade: data stores first, then
 * identity (every service authenticates against it), then the services, the web desktop last.
 */
public enum Component {
  DATABASE("database", "database", Workload.STATEFUL, 5432),
  CACHE("cache", "cache", Workload.STATEFUL, 6379),
  OBJECT_STORE("object-store", "objectStore", Workload.STATEFUL, 8333),
  IDENTITY("identity", "identity", Workload.STATELESS, 8080),
  MESSAGE_CENTER("message-center", "messageCenter", Workload.STATELESS, 8080),
  NETDISK("netdisk", "netdisk", Workload.STATELESS, 8080),
  WEBOS("webos", "webos", Workload.STATELESS, 8080);

  /** How a component runs. */
  public enum Workload { STATELESS, STATEFUL }

  private final String id;
  private final String specField;
  private final Workload workload;
  private final int port;

  Component(String id, String specField, Workload workload, int port) {
    this.id = id;
    this.specField = specField;
    this.workload = workload;
    this.port = port;
  }

  /** Used in object names and as app.kubernetes.io/name, e.g. message-center. */
  public String id() {
    return id;
  }

  /** The field of the platform spec that configures it, e.g. messageCenter. */
  public String specField() {
    return specField;
  }

  public Workload workload() {
    return workload;
  }

  /** The port clients connect to. */
  public int port() {
    return port;
  }

  public boolean stateful() {
    return workload == Workload.STATEFUL;
  }
}
