package dev.atrium.operator.messaging;

import dev.atrium.operator.model.Component;
import dev.atrium.operator.model.DesiredState;
import dev.atrium.operator.model.PlatformContext;
import dev.atrium.operator.workload.StatelessService;
import dev.atrium.operator.workload.Wiring;
import java.util.Map;

/** The message center: IM, announcements, business to-dos, real-time push, cross-tenant messages. */
public final class MessageCenterModel {

  private MessageCenterModel() {
  }

  public static DesiredState from(PlatformContext ctx) {
    Map<String, String> config = Wiring.common(ctx, Component.MESSAGE_CENTER, "messages");
    // peers deliver cross-tenant messages to this address, through the front door
    config.put("ATRIUM_FEDERATION_ENDPOINT", Wiring.portalScheme(ctx.platform().getSpec()) + "://"
        + ctx.platform().getSpec().getDomain() + "/federation");
    return DesiredState.of(new StatelessService(ctx, Component.MESSAGE_CENTER,
        ctx.platform().getSpec().getMessageCenter(), config, Wiring.commonSecrets(ctx)).resources());
  }
}
