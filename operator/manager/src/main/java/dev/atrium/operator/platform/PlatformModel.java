package dev.atrium.operator.platform;

import dev.atrium.operator.cache.CacheModel;
import dev.atrium.operator.database.DatabaseModel;
import dev.atrium.operator.identity.IdentityModel;
import dev.atrium.operator.messaging.MessageCenterModel;
import dev.atrium.operator.model.DesiredState;
import dev.atrium.operator.model.PlatformContext;
import dev.atrium.operator.netdisk.NetdiskModel;
import dev.atrium.operator.network.NetworkModel;
import dev.atrium.operator.objectstore.ObjectStoreModel;
import dev.atrium.operator.webos.WebosModel;

/** The whole platform's desired state: every component's model plus the network around them. Pure. */
public final class PlatformModel {

  private PlatformModel() {
  }

  public static DesiredState from(PlatformContext ctx) {
    return DatabaseModel.from(ctx)
        .plus(CacheModel.from(ctx))
        .plus(ObjectStoreModel.from(ctx))
        .plus(IdentityModel.from(ctx))
        .plus(MessageCenterModel.from(ctx))
        .plus(NetdiskModel.from(ctx))
        .plus(WebosModel.from(ctx))
        .plus(NetworkModel.from(ctx));
  }
}
