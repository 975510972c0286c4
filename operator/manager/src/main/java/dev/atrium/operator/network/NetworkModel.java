package dev.atrium.operator.network;

import dev.atrium.api.v1alpha1.FederationPeer;
import dev.atrium.api.v1alpha1.IngressSpec;
import dev.atrium.operator.messaging.MessageCenterModel;
import dev.atrium.operator.netdisk.NetdiskModel;
import dev.atrium.operator.database.BackupWiring;
import dev.atrium.operator.model.Component;
import dev.atrium.operator.model.DesiredState;
import dev.atrium.operator.model.Labels;
import dev.atrium.operator.model.Names;
import dev.atrium.operator.workload.PlatformContext;
import dev.atrium.operator.workload.Wiring;
import dev.atrium.operator.workload.Workloads;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPathBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPortBuilder;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The platform's network: deny everything by default, then admit exactly the flows it needs
 * (front door to webos and netdisk, webos to the services, netdisk to the message center, services to the data
 * stores, each store's pods to each other, DNS, identity out to the company's LDAP, the database's pods (Patroni) out
 * to the API server, and with federation the front door to the message center and the message center out to its
 * peers), and the Ingress for the domain.
 */
public final class NetworkModel {

  private NetworkModel() {
  }

  public static DesiredState from(PlatformContext ctx) {
    List<HasMetadata> resources = new ArrayList<>();
    resources.add(defaultDeny(ctx));
    for (Component component : ctx.enabled()) {
      resources.add(admit(ctx, component));
    }
    // no front door when it is switched off or has nowhere to route: an Ingress written before is pruned
    ingress(ctx).ifPresent(resources::add);
    return DesiredState.of(resources);
  }

  /** The switched-on components that connect to {@code component}, from each one's facts. */
  static List<Component> clients(PlatformContext ctx, Component component) {
    return ctx.enabled().stream().filter(client -> client.connectsTo().contains(component)).toList();
  }

  /** No pod of the platform takes or makes a connection unless a policy below allows it; DNS is always allowed. */
  static NetworkPolicy defaultDeny(PlatformContext ctx) {
    return new NetworkPolicyBuilder()
        .withMetadata(Workloads.platformMetadata(ctx, Names.defaultDenyPolicy(ctx.name())))
        .withNewSpec()
          .withNewPodSelector().addToMatchLabels(Labels.INSTANCE, ctx.name())
            .addToMatchLabels(Labels.PART_OF, Labels.PART_OF_VALUE).endPodSelector()
          .withPolicyTypes("Ingress", "Egress")
          // egress inside the platform is bounded by the ingress rules of the receivers
          .addNewEgress().addNewTo().withNewPodSelector().addToMatchLabels(Labels.INSTANCE, ctx.name())
            .endPodSelector().endTo().endEgress()
          .addNewEgress()
            .addNewTo().withNewNamespaceSelector().endNamespaceSelector()
              .withNewPodSelector().addToMatchLabels("k8s-app", "kube-dns").endPodSelector().endTo()
            .addNewPort().withProtocol("UDP").withPort(new IntOrString(53)).endPort()
            .addNewPort().withProtocol("TCP").withPort(new IntOrString(53)).endPort()
          .endEgress()
        .endSpec()
        .build();
  }

  static NetworkPolicy admit(PlatformContext ctx, Component component) {
    List<NetworkPolicyIngressRule> rules = new ArrayList<>();
    boolean federation = component == Component.MESSAGE_CENTER && federation(ctx);
    if (routes(ctx).stream().anyMatch(route -> route.component() == component)) {
      // the front door routes here (webos: /, the message center: /federation, netdisk: /netdisk): the ingress
      // controller runs wherever the site put it; admitted also while the Ingress is switched off, for a site that
      // routes to the Services itself
      rules.add(new NetworkPolicyIngressRuleBuilder()
          .addNewFrom().withNewNamespaceSelector().endNamespaceSelector().endFrom()
          .addNewPort().withProtocol("TCP").withPort(new IntOrString(Workloads.portName(component))).endPort()
          .build());
    }
    List<NetworkPolicyPeer> peers = new ArrayList<>(clients(ctx, component).stream()
        .map(client -> peer(ctx, client)).toList());
    if (component == Component.OBJECT_STORE && BackupWiring.enabled(ctx.platform().getSpec())) {
      // a site may keep the database's backups in the tenant's own store: its S3 port takes the database's pods
      peers.add(peer(ctx, Component.DATABASE));
    }
    if (component == Component.OBJECT_STORE && (BackupWiring.sealsPlatformData(ctx.platform().getSpec())
        || BackupWiring.restoresPlatformData(ctx.platform().getSpec()))) {
      // the operator copies the buckets into a backup and back (decision 0017)
      peers.add(operatorPeer());
    }
    if (!peers.isEmpty()) {
      // clients reach only the ports they are served on: the object store's master, volume and filer ports, for
      // one, take anyone who reaches them, and only S3 checks credentials
      rules.add(new NetworkPolicyIngressRuleBuilder().withFrom(peers)
          .withPorts(clientPorts(component).stream().map(port -> new NetworkPolicyPortBuilder().withProtocol("TCP")
              .withPort(new IntOrString(port)).build()).toList())
          .build());
    }
    if (component.stateful()) {
      // replication and membership between the store's own pods, on every port
      rules.add(new NetworkPolicyIngressRuleBuilder().withFrom(peer(ctx, component)).build());
    }
    SortedSet<Integer> peerPorts = federation ? peerPorts(ctx) : new TreeSet<>();
    boolean egress = component == Component.IDENTITY || component == Component.DATABASE || !peerPorts.isEmpty();
    NetworkPolicyBuilder builder = new NetworkPolicyBuilder()
        .withMetadata(Workloads.metadata(ctx, component, Names.networkPolicy(ctx.name(), component)))
        .withNewSpec()
          .withNewPodSelector().withMatchLabels(Labels.selector(ctx.name(), component)).endPodSelector()
          .withPolicyTypes(egress ? List.of("Ingress", "Egress") : List.of("Ingress"))
          .withIngress(rules)
        .endSpec();
    if (!peerPorts.isEmpty()) {
      // peers are other tenants' front doors, anywhere (their addresses are names, resolved at send time);
      // only the ports of their HTTPS endpoints are opened
      builder.editSpec().addNewEgress().withPorts(peerPorts.stream().map(port -> new NetworkPolicyPortBuilder()
          .withProtocol("TCP").withPort(new IntOrString(port)).build()).toList()).endEgress().endSpec();
    }
    if (component == Component.IDENTITY && ctx.platform().getSpec().getIdentity().getLdap() != null) {
      // the company's directory lives outside the cluster; only its LDAP ports are opened
      builder.editSpec().addNewEgress()
          .addNewPort().withProtocol("TCP").withPort(new IntOrString(389)).endPort()
          .addNewPort().withProtocol("TCP").withPort(new IntOrString(636)).endPort()
          .endEgress().endSpec();
    }
    if (component == Component.DATABASE) {
      // Patroni keeps its leader lock in the API server, which is no pod: its address is the cluster's, so only its
      // ports are opened, the Service's (443) and the usual one of the server itself (6443), which a policy sees
      // after the Service's translation
      builder.editSpec().addNewEgress()
          .withPorts(API_SERVER_PORTS.stream().map(port -> new NetworkPolicyPortBuilder().withProtocol("TCP")
              .withPort(new IntOrString(port)).build()).toList())
          .endEgress().endSpec();
    }
    SortedSet<Integer> backupPorts = component == Component.DATABASE ? backupPorts(ctx) : new TreeSet<>();
    if (!backupPorts.isEmpty()) {
      // the backups' bucket (and the one a restore reads) is wherever the site keeps it: only its ports are opened
      builder.editSpec().addNewEgress().withPorts(backupPorts.stream().map(port -> new NetworkPolicyPortBuilder()
          .withProtocol("TCP").withPort(new IntOrString(port)).build()).toList()).endEgress().endSpec();
    }
    return builder.build();
  }

  /** The ports of the S3 endpoints the database writes backups to and restores from (80 or 443 unless named). */
  static SortedSet<Integer> backupPorts(PlatformContext ctx) {
    var spec = ctx.platform().getSpec();
    List<String> endpoints = new ArrayList<>();
    if (BackupWiring.enabled(spec) && !BackupWiring.toOwnStore(spec)) {
      endpoints.add(spec.getBackup().getDestination().getEndpoint()); // the own store is inside the platform
    }
    if (spec.getRestore() != null && spec.getRestore().getSource() != null) {
      endpoints.add(spec.getRestore().getSource().getEndpoint());
    }
    SortedSet<Integer> ports = new TreeSet<>();
    for (String endpoint : endpoints) {
      URI uri = URI.create(endpoint);
      ports.add(uri.getPort() != -1 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80);
    }
    return ports;
  }

  /** The ports the database's pods reach the API server on: the kubernetes Service's, and the server's usual own. */
  static final List<Integer> API_SERVER_PORTS = List.of(443, 6443);

  /** The named ports a component's clients connect to: its own, and the cache's Sentinel too. */
  static List<String> clientPorts(Component component) {
    return component == Component.CACHE ? List.of(Workloads.portName(component), Wiring.SENTINEL_PORT_NAME)
        : List.of(Workloads.portName(component));
  }

  private static HTTPIngressPath path(String path, PlatformContext ctx, Component component) {
    return new HTTPIngressPathBuilder().withPath(path).withPathType("Prefix")
        .withNewBackend().withNewService().withName(Names.workload(ctx.name(), component))
          .withNewPort().withName(Workloads.portName(component)).endPort().endService().endBackend()
        .build();
  }

  /** The ports of the peers' endpoints, 443 unless a URL names another. */
  static SortedSet<Integer> peerPorts(PlatformContext ctx) {
    SortedSet<Integer> ports = new TreeSet<>();
    for (FederationPeer peer : federation(ctx) ? MessageCenterModel.peers(ctx.platform().getSpec())
        : List.<FederationPeer>of()) {
      int port = URI.create(peer.getEndpoint()).getPort();
      ports.add(port == -1 ? 443 : port);
    }
    return ports;
  }

  private static NetworkPolicyPeer peer(PlatformContext ctx, Component component) {
    return new NetworkPolicyPeerBuilder()
        .withNewPodSelector().withMatchLabels(Labels.selector(ctx.name(), component)).endPodSelector()
        .build();
  }

  /**
   * The operator's pods, in whatever namespace the chart put them (the model does not know it): by the chart's name
   * and component labels. Someone who may create pods with those labels elsewhere reaches the object store's S3 port
   * and no further, since S3 takes only the store's credentials.
   */
  private static NetworkPolicyPeer operatorPeer() {
    return new NetworkPolicyPeerBuilder()
        .withNewNamespaceSelector().endNamespaceSelector()
        .withNewPodSelector().addToMatchLabels(Labels.NAME, Labels.OPERATOR_NAME)
          .addToMatchLabels(Labels.COMPONENT, Labels.OPERATOR_COMPONENT).endPodSelector()
        .build();
  }

  /** Whether the message center is on and federates, so peers reach it through the front door. */
  private static boolean federation(PlatformContext ctx) {
    return ctx.enabled().contains(Component.MESSAGE_CENTER)
        && MessageCenterModel.federationEnabled(ctx.platform().getSpec());
  }

  /** One path of the front door and the component it routes to, path unchanged. */
  record Route(String path, Component component) {
  }

  /**
   * What the front door routes where, from the switched-on components: the domain to the web desktop, whose gateway
   * routes every service's API on from there; the message center's push socket straight to it (the gateway does not
   * carry WebSockets); with federation, /federation to the message center (peers post to it); with webos off, /netdisk
   * to netdisk (its API and share links). Prefixes, so the longest one wins.
   */
  static List<Route> routes(PlatformContext ctx) {
    List<Route> routes = new ArrayList<>();
    boolean webos = ctx.enabled().contains(Component.WEBOS);
    if (webos) {
      routes.add(new Route("/", Component.WEBOS));
      if (ctx.enabled().contains(Component.MESSAGE_CENTER)) {
        routes.add(new Route(MessageCenterModel.PUSH_PATH, Component.MESSAGE_CENTER));
      }
    }
    if (federation(ctx)) {
      routes.add(new Route("/federation", Component.MESSAGE_CENTER));
    }
    if (!webos && ctx.enabled().contains(Component.NETDISK)) {
      routes.add(new Route(NetdiskModel.PATH, Component.NETDISK));
    }
    return routes;
  }

  /**
   * The front door: the tenant's domain and its {@link #routes}, with TLS when a certificate is given; none when
   * spec.ingress.enabled is false or no switched-on component is behind it.
   */
  static Optional<Ingress> ingress(PlatformContext ctx) {
    IngressSpec spec = ctx.platform().getSpec().getIngress();
    if (spec != null && !spec.enabled()) {
      return Optional.empty();
    }
    String domain = ctx.platform().getSpec().getDomain();
    List<HTTPIngressPath> paths = routes(ctx).stream().map(route -> path(route.path(), ctx, route.component()))
        .toList();
    if (paths.isEmpty()) {
      return Optional.empty();
    }
    IngressBuilder builder = new IngressBuilder()
        .withMetadata(Workloads.platformMetadata(ctx, Names.ingress(ctx.name())))
        .withNewSpec()
          .addNewRule().withHost(domain).withNewHttp().withPaths(paths).endHttp().endRule()
        .endSpec();
    if (spec != null) {
      if (spec.getAnnotations() != null && !spec.getAnnotations().isEmpty()) {
        builder.editMetadata().addToAnnotations(spec.getAnnotations()).endMetadata();
      }
      if (spec.getClassName() != null && !spec.getClassName().isBlank()) {
        builder.editSpec().withIngressClassName(spec.getClassName()).endSpec();
      }
      if (spec.getTlsSecretName() != null && !spec.getTlsSecretName().isBlank()) {
        builder.editSpec().addNewTl().withHosts(domain).withSecretName(spec.getTlsSecretName()).endTl().endSpec();
      }
    }
    return Optional.of(builder.build());
  }
}
