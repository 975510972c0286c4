package dev.atrium.operator.webos;

import dev.atrium.operator.model.Component;
import dev.atrium.operator.model.DesiredState;
import dev.atrium.operator.model.Labels;
import dev.atrium.operator.model.Names;
import dev.atrium.operator.workload.OAuthClients;
import dev.atrium.operator.workload.PlatformContext;
import dev.atrium.operator.workload.StatelessService;
import dev.atrium.operator.workload.Wiring;
import dev.atrium.operator.workload.Workloads;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The web desktop: portal, private app market and the API gateway in front of every service.
 *
 * <p>The gateway balances each request over the ready pods of the services it routes to, not over connections to
 * their Service (which kube-proxy spreads once per connection, and the gateway keeps connections alive). It finds
 * those pods through a headless Service per upstream, which only lists ready pods; this model writes them, so they go
 * when webos is switched off.
 */
public final class WebosModel {

  private WebosModel() {
  }

  public static DesiredState from(PlatformContext ctx) {
    Map<String, String> config = Wiring.common(ctx, Component.WEBOS);
    config.put("ATRIUM_WEBOS_PUBLIC_URL", Wiring.portalScheme(ctx.platform().getSpec()) + "://"
        + ctx.platform().getSpec().getDomain());
    List<HasMetadata> upstreamPods = new ArrayList<>();
    for (Component upstream : upstreams(ctx)) {
      String key = upstream.name().toUpperCase(Locale.ROOT);
      config.put("ATRIUM_GATEWAY_ROUTES_" + key, Wiring.serviceUrl(ctx, upstream));
      config.put("ATRIUM_GATEWAY_PODS_" + key, Names.podsService(ctx.name(), upstream) + "." + ctx.namespace()
          + ".svc:" + upstream.port());
      upstreamPods.add(podsService(ctx, upstream));
    }
    List<EnvVar> secrets = new ArrayList<>(Wiring.commonSecrets(ctx, Component.WEBOS));
    // people sign in to the desktop through identity, as its client webos
    OAuthClients.wire(ctx, Component.WEBOS, config, secrets);
    return new StatelessService(ctx, Component.WEBOS, ctx.platform().getSpec().getWebos(), config, secrets)
        .desired().plus(DesiredState.of(upstreamPods));
  }

  /** The switched-on platform services the gateway routes to. */
  static List<Component> upstreams(PlatformContext ctx) {
    return Component.WEBOS.connectsTo().stream().filter(c -> !c.stateful() && ctx.enabled().contains(c)).toList();
  }

  /** A headless Service over an upstream's ready pods: DNS answers with their addresses, one per ready pod. */
  static Service podsService(PlatformContext ctx, Component upstream) {
    return new ServiceBuilder()
        .withMetadata(Workloads.metadata(ctx, upstream, Names.podsService(ctx.name(), upstream)))
        .withNewSpec()
          .withClusterIP("None")
          .withSelector(Labels.selector(ctx.name(), upstream))
          .addNewPort().withName(Workloads.portName(upstream)).withPort(upstream.port())
            .withTargetPort(new IntOrString(Workloads.portName(upstream))).withProtocol("TCP").endPort()
        .endSpec()
        .build();
  }
}
