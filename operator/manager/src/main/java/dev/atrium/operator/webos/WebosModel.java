package dev.atrium.operator.webos;

import dev.atrium.operator.model.Component;
import dev.atrium.operator.model.DesiredState;
import dev.atrium.operator.workload.OAuthClients;
import dev.atrium.operator.workload.PlatformContext;
import dev.atrium.operator.workload.StatelessService;
import dev.atrium.operator.workload.Wiring;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The web desktop: portal, private app market and the API gateway in front of every service. */
public final class WebosModel {

  private WebosModel() {
  }

  public static DesiredState from(PlatformContext ctx) {
    Map<String, String> config = Wiring.common(ctx, Component.WEBOS);
    // the gateway's upstreams: one route per switched-on service it connects to
    for (Component upstream : Component.WEBOS.connectsTo().stream()
        .filter(c -> !c.stateful() && ctx.enabled().contains(c)).toList()) {
      config.put("ATRIUM_GATEWAY_ROUTES_" + upstream.name().toUpperCase(Locale.ROOT), Wiring.serviceUrl(ctx, upstream));
    }
    List<EnvVar> secrets = new ArrayList<>(Wiring.commonSecrets(ctx, Component.WEBOS));
    // people sign in to the desktop through identity, as its client webos
    OAuthClients.wire(ctx, Component.WEBOS, config, secrets);
    return new StatelessService(ctx, Component.WEBOS, ctx.platform().getSpec().getWebos(), config, secrets)
        .desired();
  }
}
