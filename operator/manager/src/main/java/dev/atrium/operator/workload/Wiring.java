package dev.atrium.operator.workload;

import dev.atrium.api.v1alpha1.CollaborationPlatformSpec;
import dev.atrium.api.v1alpha1.ExternalIdentitySpec;
import dev.atrium.api.v1alpha1.IdentitySpec;
import dev.atrium.operator.model.Component;
import dev.atrium.operator.model.Names;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How the platform services find each other and the data stores: the environment every Spring
 * Boot service gets. Secrets are referenced, never copied into a ConfigMap.
 */
public final class Wiring {

  /** Sentinel's name for the cache's primary. */
  public static final String CACHE_MASTER = "atrium";
  public static final int SENTINEL_PORT = 26379;
  /** The name of Sentinel's port on the cache's pods and Service. */
  public static final String SENTINEL_PORT_NAME = "sentinel";
  public static final String DATABASE_APP_USER = "atrium";
  /** How long a service keeps trying to reach the database when it starts. */
  static final java.time.Duration DATABASE_WAIT = java.time.Duration.ofSeconds(90);
  public static final String APP_PASSWORD_KEY = "app-password";
  public static final String CACHE_PASSWORD_KEY = "password";
  public static final String S3_ACCESS_KEY = "access-key";
  public static final String S3_SECRET_KEY = "secret-key";

  private Wiring() {
  }

  /**
   * Settings every service shares: who it is, where its database and identity are, and where the cache is when it
   * needs the cache.
   */
  public static Map<String, String> common(PlatformContext ctx, Component self) {
    String database = self.database().orElseThrow(() -> new IllegalArgumentException(self + " owns no database"));
    String ns = ctx.namespace();
    Map<String, String> env = new LinkedHashMap<>();
    env.put("ATRIUM_PLATFORM", ctx.name());
    env.put("ATRIUM_DOMAIN", ctx.platform().getSpec().getDomain());
    env.put("ATRIUM_MODE", String.valueOf(ctx.platform().getSpec().getMode()));
    env.put("ATRIUM_VERSION", ctx.version(self));
    env.put("SERVER_PORT", Integer.toString(self.port()));
    env.put("SERVER_SHUTDOWN", "graceful");
    env.put("SPRING_DATASOURCE_URL", "jdbc:postgresql://" + Names.serviceHost(ctx.name(), Component.DATABASE, ns)
        + ":" + Component.DATABASE.port() + "/" + database);
    env.put("SPRING_DATASOURCE_USERNAME", DATABASE_APP_USER);
    // at a platform's first start the database's pod starts beside the services: keep trying to connect for
    // 90 s (within the startup probe's 120 s) instead of exiting into the kubelet's growing restart back-off
    env.put("SPRING_DATASOURCE_HIKARI_INITIALIZATIONFAILTIMEOUT", Long.toString(DATABASE_WAIT.toMillis()));
    if (usesCache(self)) {
      env.put("SPRING_DATA_REDIS_SENTINEL_MASTER", CACHE_MASTER);
      env.put("SPRING_DATA_REDIS_SENTINEL_NODES", Names.serviceHost(ctx.name(), Component.CACHE, ns) + ":"
          + SENTINEL_PORT);
    }
    ExternalIdentitySpec external = externalIdentity(ctx.platform().getSpec());
    env.put("ATRIUM_IDENTITY_ISSUER", external != null ? external.getIssuer() : issuer(ctx));
    env.put("ATRIUM_IDENTITY_JWKS_URI", external != null ? external.getJwksUri() : identityEndpoint(ctx, "/oauth2/jwks"));
    return env;
  }

  /** Whether a service connects to the cache: only one that needs it gets its address and password. */
  private static boolean usesCache(Component self) {
    return self.needs().contains(Component.CACHE);
  }

  /** A platform service's address inside the cluster, e.g. http://acme-message-center.acme.svc:8080. */
  public static String serviceUrl(PlatformContext ctx, Component component) {
    return "http://" + Names.serviceHost(ctx.name(), component, ctx.namespace()) + ":" + component.port();
  }

  /** One of identity's endpoints inside the cluster, e.g. its JWKS at /oauth2/jwks or its token endpoint. */
  public static String identityEndpoint(PlatformContext ctx, String path) {
    return serviceUrl(ctx, Component.IDENTITY) + path;
  }

  /** The provider the services trust instead of identity: only while identity is switched off (the schema says so). */
  static ExternalIdentitySpec externalIdentity(CollaborationPlatformSpec spec) {
    IdentitySpec identity = spec.getIdentity();
    return identity == null || Component.IDENTITY.enabledIn(spec) ? null : identity.getExternal();
  }

  /** The passwords every service needs, from the generated Secrets: the database's, and the cache's if it needs it. */
  public static List<EnvVar> commonSecrets(PlatformContext ctx, Component self) {
    EnvVar database = secretEnv("SPRING_DATASOURCE_PASSWORD", Names.credentials(ctx.name(), Component.DATABASE),
        APP_PASSWORD_KEY);
    if (!usesCache(self)) {
      return List.of(database);
    }
    return List.of(database,
        secretEnv("SPRING_DATA_REDIS_PASSWORD", Names.credentials(ctx.name(), Component.CACHE), CACHE_PASSWORD_KEY),
        secretEnv("SPRING_DATA_REDIS_SENTINEL_PASSWORD", Names.credentials(ctx.name(), Component.CACHE),
            CACHE_PASSWORD_KEY));
  }

  /** The OIDC issuer every token is checked against: the tenant's domain, through the gateway. */
  public static String issuer(PlatformContext ctx) {
    return portalScheme(ctx.platform().getSpec()) + "://" + ctx.platform().getSpec().getDomain() + "/auth";
  }

  /** https when the front door has a certificate. */
  public static String portalScheme(CollaborationPlatformSpec spec) {
    var ingress = spec.getIngress();
    return ingress != null && ingress.getTlsSecretName() != null && !ingress.getTlsSecretName().isBlank()
        ? "https" : "http";
  }

  public static EnvVar secretEnv(String name, String secret, String key) {
    return new EnvVarBuilder().withName(name)
        .withNewValueFrom().withNewSecretKeyRef().withName(secret).withKey(key).endSecretKeyRef().endValueFrom()
        .build();
  }
}
