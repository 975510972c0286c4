package dev.atrium.operator.model;

import dev.atrium.api.v1alpha1.CollaborationPlatformSpec;
import dev.atrium.api.v1alpha1.ReleaseComponent;
import dev.atrium.api.v1alpha1.ReleaseImage;
import dev.atrium.api.v1alpha1.ReleaseImages;
import dev.atrium.api.v1alpha1.StatelessComponentSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The parts of a tenant's platform and every fact the operator knows about each, in one place:
 * adding a component means adding a constant here (and its model, see docs/adding-a-component.md);
 * {@code ComponentFactsTest} fails while one is incomplete.
 *
 * <p>The declaration order is the order components start in and, unless a release says otherwise,
 * upgrade in: data stores first, then identity (every service authenticates against it), then the
 * services, the web desktop last. A component can only need components declared before it (the
 * compiler refuses a forward reference), so that order always respects the dependencies.
 */
public enum Component {
  DATABASE(new Facts(ReleaseComponent.database, "database", Workload.STATEFUL, 5432, "postgresql",
      CollaborationPlatformSpec::getDatabase, ReleaseImages::getDatabase)),
  CACHE(new Facts(ReleaseComponent.cache, "cache", Workload.STATEFUL, 6379, "redis",
      CollaborationPlatformSpec::getCache, ReleaseImages::getCache)),
  // its filers keep the objects' metadata (names, chunks, buckets) in the platform's PostgreSQL
  OBJECT_STORE(new Facts(ReleaseComponent.objectStore, "object-store", Workload.STATEFUL, 8333, "s3",
      CollaborationPlatformSpec::getObjectStore, ReleaseImages::getObjectStore)
      .database("objectstore")
      .needs(DATABASE)),
  IDENTITY(new Facts(ReleaseComponent.identity, "identity", Workload.STATELESS, 8080, "http",
      CollaborationPlatformSpec::getIdentity, ReleaseImages::getIdentity)
      .database("identity")
      .needs(DATABASE, CACHE)),
  MESSAGE_CENTER(new Facts(ReleaseComponent.messageCenter, "message-center", Workload.STATELESS, 8080, "http",
      CollaborationPlatformSpec::getMessageCenter, ReleaseImages::getMessageCenter)
      .database("messages")
      .needs(DATABASE, CACHE, IDENTITY)),
  NETDISK(new Facts(ReleaseComponent.netdisk, "netdisk", Workload.STATELESS, 8080, "http",
      CollaborationPlatformSpec::getNetdisk, ReleaseImages::getNetdisk)
      .database("netdisk")
      // no cache: it keeps nothing in Redis; it sends file events to the message center when that is on
      .needs(DATABASE, IDENTITY, OBJECT_STORE)
      .uses(MESSAGE_CENTER)),
  WEBOS(new Facts(ReleaseComponent.webos, "webos", Workload.STATELESS, 8080, "http",
      CollaborationPlatformSpec::getWebos, ReleaseImages::getWebos)
      .database("webos")
      .needs(DATABASE, CACHE, IDENTITY)
      .uses(MESSAGE_CENTER, NETDISK));

  /** How a component runs. */
  public enum Workload {
    /** A platform service: a Deployment, switchable off. */
    STATELESS,
    /** A data store: a StatefulSet with a volume per pod; always on, since switching it off would risk its data. */
    STATEFUL
  }

  /**
   * What one component is. Built only in the constants above.
   *
   * @param release how releases and the platform spec name it (its spec field, e.g. messageCenter)
   * @param id its name in object names and app.kubernetes.io/name, e.g. message-center
   * @param port the port its clients connect to
   * @param portName the name of that port on its pods and Services
   * @param spec its block of the platform spec
   * @param image its image in a release
   * @param database the PostgreSQL database it owns, or null; kept while the component is switched off (every
   *     service owns one; of the data stores, the object store, for its metadata)
   * @param needs the components it cannot work without: it connects to them, and it cannot be on while one
   *     of them is off (the CRD refuses it); a data store may need only data stores, which are always on
   * @param uses the components it connects to when they are on, and works without
   */
  public record Facts(ReleaseComponent release, String id, Workload workload, int port, String portName,
      Function<CollaborationPlatformSpec, Object> spec, Function<ReleaseImages, ReleaseImage> image, String database,
      List<Component> needs, List<Component> uses) {

    Facts(ReleaseComponent release, String id, Workload workload, int port, String portName,
        Function<CollaborationPlatformSpec, Object> spec, Function<ReleaseImages, ReleaseImage> image) {
      this(release, id, workload, port, portName, spec, image, null, List.of(), List.of());
    }

    Facts database(String name) {
      return new Facts(release, id, workload, port, portName, spec, image, name, needs, uses);
    }

    Facts needs(Component... components) {
      return new Facts(release, id, workload, port, portName, spec, image, database, List.of(components), uses);
    }

    Facts uses(Component... components) {
      return new Facts(release, id, workload, port, portName, spec, image, database, needs, List.of(components));
    }

    /** What is missing or wrong in these facts; empty when they are complete. */
    public List<String> problems() {
      List<String> problems = new ArrayList<>();
      if (release == null) {
        problems.add("no release name (ReleaseComponent)");
      }
      if (id == null || !id.matches("[a-z]([-a-z0-9]{0,18}[a-z0-9])?")) {
        problems.add("id " + id + " is not a DNS label of at most 20 characters");
      }
      if (workload == null) {
        problems.add("no workload kind");
      }
      if (port < 1 || port > 65535) {
        problems.add("port " + port + " is not a TCP port");
      }
      // an IANA service name, as Kubernetes requires of named ports
      if (portName == null || !portName.matches("[a-z0-9]([-a-z0-9]{0,13}[a-z0-9])?") || !portName.matches(".*[a-z].*")) {
        problems.add("port name " + portName + " is not a valid named port");
      }
      if (spec == null) {
        problems.add("no block of the platform spec");
      }
      if (image == null) {
        problems.add("no image in a release");
      }
      if (database != null && !database.matches("[a-z][a-z0-9_]{0,62}")) {
        problems.add("database " + database + " is not a plain PostgreSQL name");
      }
      if (needs == null || uses == null || needs.stream().anyMatch(Objects::isNull)
          || uses.stream().anyMatch(Objects::isNull)) {
        problems.add("needs and uses must list components");
      } else {
        needs.stream().filter(uses::contains).forEach(c -> problems.add(c + " is both needed and used"));
        if (workload == Workload.STATEFUL && (needs.stream().anyMatch(c -> !c.stateful())
            || uses.stream().anyMatch(c -> !c.stateful()))) {
          problems.add("a data store connects to no platform service (it cannot be switched off, they can)");
        }
      }
      return problems;
    }
  }

  static {
    // an incomplete component stops the operator at once, not in the middle of a reconcile
    for (Component component : values()) {
      List<String> problems = component.facts.problems();
      if (!problems.isEmpty()) {
        throw new IllegalStateException("component " + component + " is incomplete: " + problems);
      }
    }
  }

  private final Facts facts;

  Component(Facts facts) {
    this.facts = facts;
  }

  public Facts facts() {
    return facts;
  }

  /** Used in object names and as app.kubernetes.io/name, e.g. message-center. */
  public String id() {
    return facts.id();
  }

  /** The field of the platform spec that configures it, e.g. messageCenter; also its name in releases and status. */
  public String specField() {
    return facts.release().id();
  }

  public Workload workload() {
    return facts.workload();
  }

  /** The port clients connect to. */
  public int port() {
    return facts.port();
  }

  /** The name of that port on the pods and Services. */
  public String portName() {
    return facts.portName();
  }

  public boolean stateful() {
    return facts.workload() == Workload.STATEFUL;
  }

  /** Platform services can be switched off; data stores cannot (their data would be at stake). */
  public boolean switchable() {
    return facts.workload() == Workload.STATELESS;
  }

  /** The PostgreSQL database the component owns, if any. */
  public Optional<String> database() {
    return Optional.ofNullable(facts.database());
  }

  /** The components it cannot work without. */
  public List<Component> needs() {
    return facts.needs();
  }

  /** Every component it connects to: those it needs and those it uses when they are on. */
  public List<Component> connectsTo() {
    List<Component> all = new ArrayList<>(facts.needs());
    all.addAll(facts.uses());
    return all;
  }

  /** Its block of the platform spec (never null once the CRD's defaults are applied). */
  public Object spec(CollaborationPlatformSpec spec) {
    return facts.spec().apply(spec);
  }

  /** Its block of the platform spec if it is a platform service, e.g. for autoscaling. */
  public Optional<StatelessComponentSpec> statelessSpec(CollaborationPlatformSpec spec) {
    return spec(spec) instanceof StatelessComponentSpec stateless ? Optional.of(stateless) : Optional.empty();
  }

  /** Whether the platform runs it: data stores always, services unless switched off. */
  public boolean enabledIn(CollaborationPlatformSpec spec) {
    return statelessSpec(spec).map(StatelessComponentSpec::enabled).orElse(true);
  }

  /** The components a platform runs, in declaration order. */
  public static List<Component> enabled(CollaborationPlatformSpec spec) {
    List<Component> enabled = new ArrayList<>();
    for (Component component : values()) {
      if (component.enabledIn(spec)) {
        enabled.add(component);
      }
    }
    return enabled;
  }

  /** The component a release or the spec calls by this name. */
  public static Component of(ReleaseComponent release) {
    for (Component component : values()) {
      if (component.facts.release() == release) {
        return component;
      }
    }
    throw new IllegalArgumentException("no component is released as " + release);
  }

  /** The databases every component owns, in declaration order: the database cluster creates them all, always. */
  public static List<String> databases() {
    List<String> databases = new ArrayList<>();
    for (Component component : values()) {
      component.database().ifPresent(databases::add);
    }
    return databases;
  }
}
