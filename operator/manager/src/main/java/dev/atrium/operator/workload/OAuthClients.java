package dev.atrium.operator.workload;

import dev.atrium.api.v1alpha1.CollaborationPlatformSpec;
import dev.atrium.operator.model.Component;
import dev.atrium.operator.model.GeneratedSecret;
import dev.atrium.operator.model.Names;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The platform's own OAuth clients at identity: one per switched-on component that calls other services on a
 * person's behalf or its own. Identity registers each from its environment and keeps it in line with the spec; the
 * component reads the same id and secret. Both sides take them from here, so they cannot drift.
 *
 * <p>A client exists only while identity runs: with identity off the services trust an external provider
 * ({@code spec.identity.external}), which knows none of these clients.
 */
public final class OAuthClients {

  /** The key of the client's secret in its generated Secret ({@link Names#oauthClient}). */
  public static final String SECRET_KEY = "client-secret";
  public static final String AUTHORIZATION_CODE = "authorization_code";
  public static final String REFRESH_TOKEN = "refresh_token";
  public static final String CLIENT_CREDENTIALS = "client_credentials";
  /** Where Spring Security's OAuth client in webos receives the authorization code (registration id atrium). */
  static final String WEBOS_REDIRECT_PATH = "/login/oauth2/code/atrium";

  private OAuthClients() {
  }

  /**
   * One client of identity.
   *
   * @param component the component it is; its id is the client id
   * @param grantTypes the OAuth grant types it may use
   * @param redirectUris where identity may send an authorization code (authorization code clients only)
   * @param postLogoutRedirectUris where identity may send a person after logging out
   */
  public record Client(Component component, List<String> grantTypes, List<String> redirectUris,
      List<String> postLogoutRedirectUris) {

    public Client {
      grantTypes = List.copyOf(grantTypes);
      redirectUris = List.copyOf(redirectUris);
      postLogoutRedirectUris = List.copyOf(postLogoutRedirectUris);
    }

    /** The client id: the component's id, e.g. webos. */
    public String id() {
      return component.id();
    }

    /** The client id as it appears in identity's variables, e.g. WEBOS in ATRIUM_IDENTITY_CLIENT_WEBOS_SECRET. */
    public String envName() {
      return component.id().toUpperCase(Locale.ROOT).replace('-', '_');
    }

    /** The Secret with its client secret. */
    public String secretName(String platform) {
      return Names.oauthClient(platform, component);
    }
  }

  /** The clients identity registers: the switched-on components', in their order; none while identity is off. */
  public static List<Client> of(PlatformContext ctx) {
    if (!ctx.enabled().contains(Component.IDENTITY)) {
      return List.of();
    }
    return ctx.enabled().stream().map(c -> client(ctx.platform().getSpec(), c)).flatMap(Optional::stream).toList();
  }

  /** The component's own client, while identity registers it. */
  public static Optional<Client> of(PlatformContext ctx, Component component) {
    return of(ctx).stream().filter(c -> c.component() == component).findFirst();
  }

  /** The Secret of a client's secret: random, generated once, never rewritten. */
  public static GeneratedSecret secret(PlatformContext ctx, Client client) {
    return new GeneratedSecret(Workloads.metadata(ctx, client.component(), client.secretName(ctx.name())),
        List.of(SECRET_KEY));
  }

  /**
   * What a component needs to be its client: {@code ATRIUM_OAUTH_CLIENT_ID} in its ConfigMap and
   * {@code ATRIUM_OAUTH_CLIENT_SECRET} from the Secret; nothing while identity does not register it.
   *
   * @return the client, while identity registers it, so the caller can add what else it needs as one
   */
  public static Optional<Client> wire(PlatformContext ctx, Component component, Map<String, String> config,
      List<EnvVar> secretEnv) {
    Optional<Client> client = of(ctx, component);
    client.ifPresent(c -> {
      config.put("ATRIUM_OAUTH_CLIENT_ID", c.id());
      secretEnv.add(Wiring.secretEnv("ATRIUM_OAUTH_CLIENT_SECRET", c.secretName(ctx.name()), SECRET_KEY));
    });
    return client;
  }

  /** How each component is a client, if it is one. */
  private static Optional<Client> client(CollaborationPlatformSpec spec, Component component) {
    String portal = Wiring.portalScheme(spec) + "://" + spec.getDomain();
    return switch (component) {
      // people sign in to the web desktop: authorization code with PKCE, refreshed while they work
      case WEBOS -> Optional.of(new Client(component, List.of(AUTHORIZATION_CODE, REFRESH_TOKEN),
          List.of(portal + WEBOS_REDIRECT_PATH), List.of(portal + "/")));
      // netdisk calls the message center's app API as itself
      case NETDISK -> Optional.of(new Client(component, List.of(CLIENT_CREDENTIALS), List.of(), List.of()));
      default -> Optional.empty();
    };
  }
}
