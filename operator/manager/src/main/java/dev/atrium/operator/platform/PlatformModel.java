package dev.atrium.operator.platform;

import dev.atrium.operator.cache.CacheModel;
import dev.atrium.operator.database.DatabaseModel;
import dev.atrium.operator.identity.IdentityModel;
import dev.atrium.operator.messaging.MessageCenterModel;
import dev.atrium.operator.model.Component;
import dev.atrium.operator.model.DesiredState;
import dev.atrium.operator.workload.PlatformContext;
import dev.atrium.operator.netdisk.NetdiskModel;
import dev.atrium.operator.network.NetworkModel;
import dev.atrium.operator.objectstore.ObjectStoreModel;
import dev.atrium.operator.webos.WebosModel;

/**
 * The whole platform's desired state: every switched-on component's model plus the network around them. Pure.
 * What a switched-off component had is left out, so the reconciler prunes it.
 */
public final class PlatformModel {

  private PlatformModel() {
  }

  public static DesiredState from(PlatformContext ctx) {
    DesiredState desired = DesiredState.none();
    for (Component component : ctx.enabled()) {
      desired = desired.plus(model(component, ctx));
    }
    return desired.plus(NetworkModel.from(ctx));
  }

  /** A component's model; the switch has no default, so a new component does not compile without one. */
  static DesiredState model(Component component, PlatformContext ctx) {
    return switch (component) {
      case DATABASE -> DatabaseModel.from(ctx);
      case CACHE -> CacheModel.from(ctx);
      case OBJECT_STORE -> ObjectStoreModel.from(ctx);
      case IDENTITY -> IdentityModel.from(ctx);
      case MESSAGE_CENTER -> MessageCenterModel.from(ctx);
      case NETDISK -> NetdiskModel.from(ctx);
      case WEBOS -> WebosModel.from(ctx);
    };
  }
}
