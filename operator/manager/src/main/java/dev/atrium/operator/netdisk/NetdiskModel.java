package dev.atrium.operator.netdisk;

import dev.atrium.operator.model.Component;
import dev.atrium.operator.model.DesiredState;
import dev.atrium.operator.model.Names;
import dev.atrium.operator.workload.OAuthClients;
import dev.atrium.operator.workload.PlatformContext;
import dev.atrium.operator.workload.StatelessService;
import dev.atrium.operator.workload.Wiring;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Netdisk: files, resumable upload, sharing and versions, kept in the platform's object store. */
public final class NetdiskModel {

  public static final String BUCKET = "netdisk";

  private NetdiskModel() {
  }

  public static DesiredState from(PlatformContext ctx) {
    Map<String, String> config = Wiring.common(ctx, Component.NETDISK);
    config.put("ATRIUM_S3_ENDPOINT", "http://" + Names.serviceHost(ctx.name(), Component.OBJECT_STORE, ctx.namespace())
        + ":" + Component.OBJECT_STORE.port());
    config.put("ATRIUM_S3_BUCKET", BUCKET);
    List<EnvVar> secrets = new ArrayList<>(Wiring.commonSecrets(ctx, Component.NETDISK));
    String objectStoreSecret = Names.credentials(ctx.name(), Component.OBJECT_STORE);
    secrets.add(Wiring.secretEnv("ATRIUM_S3_ACCESS_KEY", objectStoreSecret, Wiring.S3_ACCESS_KEY));
    secrets.add(Wiring.secretEnv("ATRIUM_S3_SECRET_KEY", objectStoreSecret, Wiring.S3_SECRET_KEY));
    // it calls the message center's app API as itself: identity's client netdisk (client credentials)
    OAuthClients.wire(ctx, Component.NETDISK, config, secrets);
    return new StatelessService(ctx, Component.NETDISK, ctx.platform().getSpec().getNetdisk(), config, secrets)
        .desired();
  }
}
