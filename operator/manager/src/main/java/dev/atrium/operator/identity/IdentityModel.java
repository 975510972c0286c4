package dev.atrium.operator.identity;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.atrium.api.v1alpha1.IdentitySpec;
import dev.atrium.api.v1alpha1.LdapAttributes;
import dev.atrium.api.v1alpha1.LdapLogin;
import dev.atrium.api.v1alpha1.LdapSpec;
import dev.atrium.api.v1alpha1.TrustedProviderSpec;
import dev.atrium.operator.model.Component;
import dev.atrium.operator.model.DesiredState;
import dev.atrium.operator.model.GeneratedSecret;
import dev.atrium.operator.model.Names;
import dev.atrium.operator.workload.OAuthClients;
import dev.atrium.operator.workload.PlatformContext;
import dev.atrium.operator.workload.StatelessService;
import dev.atrium.operator.workload.Wiring;
import dev.atrium.operator.workload.Workloads;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Identity: SSO (OIDC) for every app, users and departments, LDAP/AD sync, devices. Configured entirely from the
 * spec and kept in line with it: a change to spec.identity changes identity's ConfigMap, whose hash rolls its pods.
 *
 * <p>The environment it gets, besides {@link Wiring#common} and {@link Wiring#commonSecrets} (the issuer it signs
 * tokens as is {@code ATRIUM_IDENTITY_ISSUER}):
 * <ul>
 *   <li>from generated Secrets, by secretKeyRef only: the RSA signing key and its id, the encryption key for what
 *   it keeps secret at rest, the first administrator's password, and each platform client's secret;</li>
 *   <li>in its ConfigMap: the access tokens' lifetime, the platform's own clients
 *   ({@code ATRIUM_IDENTITY_CLIENTS} and per client its grant types and redirect URIs), the LDAP settings, and the
 *   company's own providers it trusts ({@code ATRIUM_IDENTITY_TRUSTED_PROVIDERS}, JSON without secrets);</li>
 *   <li>the LDAP bind DN and password from the Secret spec.identity.ldap.bindSecretName names, and each trusted
 *   provider's client secret from the Secret key its clientSecretRef names.</li>
 * </ul>
 */
public final class IdentityModel {

  /** Keys the LDAP bind Secret (spec.identity.ldap.bindSecretName) must have. */
  public static final String BIND_DN_KEY = "bindDN";
  public static final String BIND_PASSWORD_KEY = "password";
  /** The key of the encryption key in {@link Names#identityKeys}. */
  public static final String ENCRYPTION_KEY = "encryption-key";
  /** The key of the first administrator's password in {@link Names#identityAdmin}. */
  public static final String ADMIN_PASSWORD_KEY = "password";

  private static final ObjectMapper JSON = new ObjectMapper();

  private IdentityModel() {
  }

  public static DesiredState from(PlatformContext ctx) {
    IdentitySpec spec = ctx.platform().getSpec().getIdentity();
    Map<String, String> config = Wiring.common(ctx, Component.IDENTITY);
    List<EnvVar> secretEnv = new ArrayList<>(Wiring.commonSecrets(ctx, Component.IDENTITY));
    List<GeneratedSecret> secrets = new ArrayList<>();
    config.put("ATRIUM_IDENTITY_ACCESS_TOKEN_TTL",
        or(spec.getAccessTokenTtl(), IdentitySpec.DEFAULT_ACCESS_TOKEN_TTL));

    // the keys: generated once, never rewritten; the service rotates signing keys itself from the first
    String signingKey = Names.identitySigningKey(ctx.name());
    secrets.add(GeneratedSecret.rsaKeyPair(Workloads.metadata(ctx, Component.IDENTITY, signingKey)));
    secretEnv.add(Wiring.secretEnv("ATRIUM_IDENTITY_SIGNING_KEY", signingKey, GeneratedSecret.PRIVATE_KEY));
    secretEnv.add(Wiring.secretEnv("ATRIUM_IDENTITY_SIGNING_KEY_ID", signingKey, GeneratedSecret.KEY_ID));
    String keys = Names.identityKeys(ctx.name());
    secrets.add(new GeneratedSecret(Workloads.metadata(ctx, Component.IDENTITY, keys), List.of(ENCRYPTION_KEY)));
    secretEnv.add(Wiring.secretEnv("ATRIUM_IDENTITY_ENCRYPTION_KEY", keys, ENCRYPTION_KEY));
    String admin = Names.identityAdmin(ctx.name());
    secrets.add(new GeneratedSecret(Workloads.metadata(ctx, Component.IDENTITY, admin), List.of(ADMIN_PASSWORD_KEY)));
    secretEnv.add(Wiring.secretEnv("ATRIUM_IDENTITY_ADMIN_PASSWORD", admin, ADMIN_PASSWORD_KEY));

    // the platform's own clients, one per switched-on component that is one
    List<OAuthClients.Client> clients = OAuthClients.of(ctx);
    config.put("ATRIUM_IDENTITY_CLIENTS", String.join(",", clients.stream().map(OAuthClients.Client::id).toList()));
    for (OAuthClients.Client client : clients) {
      String prefix = "ATRIUM_IDENTITY_CLIENT_" + client.envName();
      config.put(prefix + "_GRANT_TYPES", String.join(",", client.grantTypes()));
      config.put(prefix + "_REDIRECT_URIS", String.join(",", client.redirectUris()));
      config.put(prefix + "_POST_LOGOUT_REDIRECT_URIS", String.join(",", client.postLogoutRedirectUris()));
      secrets.add(OAuthClients.secret(ctx, client));
      secretEnv.add(Wiring.secretEnv(prefix + "_SECRET", client.secretName(ctx.name()), OAuthClients.SECRET_KEY));
    }

    LdapSpec ldap = spec.getLdap();
    config.put("ATRIUM_LDAP_ENABLED", Boolean.toString(ldap != null));
    if (ldap != null) {
      ldap(ldap, config);
      secretEnv.add(Wiring.secretEnv("ATRIUM_LDAP_BIND_DN", ldap.getBindSecretName(), BIND_DN_KEY));
      secretEnv.add(Wiring.secretEnv("ATRIUM_LDAP_BIND_PASSWORD", ldap.getBindSecretName(), BIND_PASSWORD_KEY));
    }

    // hybrid mode: always set, so removing the last provider changes the ConfigMap and rolls identity
    List<TrustedProviderSpec> providers = trustedProviders(spec);
    config.put("ATRIUM_IDENTITY_TRUSTED_PROVIDERS", trustedProvidersJson(providers));
    for (TrustedProviderSpec provider : providers) {
      secretEnv.add(Wiring.secretEnv(providerSecretVariable(provider.getName()),
          provider.getClientSecretRef().getName(), provider.getClientSecretRef().getKey()));
    }
    return new StatelessService(ctx, Component.IDENTITY, spec, config, secretEnv).desired()
        .plus(new DesiredState(List.of(), secrets));
  }

  /** The company's own providers identity trusts (hybrid mode), in the spec's order; empty when none. */
  public static List<TrustedProviderSpec> trustedProviders(IdentitySpec spec) {
    return spec == null || spec.getTrustedProviders() == null ? List.of() : spec.getTrustedProviders();
  }

  /** Where identity reads a trusted provider's client secret: ATRIUM_IDENTITY_PROVIDER_<NAME>_CLIENT_SECRET. */
  public static String providerSecretVariable(String providerName) {
    return "ATRIUM_IDENTITY_PROVIDER_" + providerName.toUpperCase(Locale.ROOT).replace('-', '_') + "_CLIENT_SECRET";
  }

  /**
   * ATRIUM_IDENTITY_TRUSTED_PROVIDERS: [{"name","displayName","issuer","clientId","usernameClaim"}], in the spec's
   * order; the client secrets are not in it (they come by secretKeyRef).
   */
  static String trustedProvidersJson(List<TrustedProviderSpec> providers) {
    List<Map<String, String>> list = new ArrayList<>();
    for (TrustedProviderSpec provider : providers) {
      Map<String, String> entry = new LinkedHashMap<>();
      entry.put("name", provider.getName());
      entry.put("displayName", provider.getDisplayName());
      entry.put("issuer", provider.getIssuer());
      entry.put("clientId", provider.getClientId());
      entry.put("usernameClaim", or(provider.getUsernameClaim(), TrustedProviderSpec.DEFAULT_USERNAME_CLAIM));
      list.add(entry);
    }
    try {
      return JSON.writeValueAsString(list);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render the trusted providers", e);
    }
  }

  /** The directory's settings, each the schema's default when the spec lacks it (stored before it existed). */
  private static void ldap(LdapSpec ldap, Map<String, String> config) {
    config.put("ATRIUM_LDAP_URL", ldap.getUrl());
    config.put("ATRIUM_LDAP_BASE_DN", ldap.getBaseDN());
    config.put("ATRIUM_LDAP_SYNC_INTERVAL", or(ldap.getSyncInterval(), LdapSpec.DEFAULT_SYNC_INTERVAL));
    config.put("ATRIUM_LDAP_USER_FILTER", or(ldap.getUserFilter(), LdapSpec.DEFAULT_USER_FILTER));
    config.put("ATRIUM_LDAP_DEPARTMENT_FILTER", or(ldap.getDepartmentFilter(), LdapSpec.DEFAULT_DEPARTMENT_FILTER));
    config.put("ATRIUM_LDAP_LOGIN", Objects.requireNonNullElse(ldap.getLogin(), LdapLogin.bind).name());
    LdapAttributes a = Objects.requireNonNullElseGet(ldap.getAttributes(), LdapAttributes::new);
    config.put("ATRIUM_LDAP_ATTRIBUTE_ID", or(a.getId(), LdapAttributes.DEFAULT_ID));
    config.put("ATRIUM_LDAP_ATTRIBUTE_USERNAME", or(a.getUsername(), LdapAttributes.DEFAULT_USERNAME));
    config.put("ATRIUM_LDAP_ATTRIBUTE_DISPLAY_NAME", or(a.getDisplayName(), LdapAttributes.DEFAULT_DISPLAY_NAME));
    config.put("ATRIUM_LDAP_ATTRIBUTE_EMAIL", or(a.getEmail(), LdapAttributes.DEFAULT_EMAIL));
    config.put("ATRIUM_LDAP_ATTRIBUTE_PHONE", or(a.getPhone(), LdapAttributes.DEFAULT_PHONE));
    config.put("ATRIUM_LDAP_ATTRIBUTE_DEPARTMENT_NAME", or(a.getDepartmentName(),
        LdapAttributes.DEFAULT_DEPARTMENT_NAME));
  }

  private static String or(String value, String otherwise) {
    return value == null || value.isBlank() ? otherwise : value;
  }
}
