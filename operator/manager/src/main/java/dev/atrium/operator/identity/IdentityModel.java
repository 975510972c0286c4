package dev.atrium.operator.identity;

import dev.atrium.api.v1alpha1.IdentitySpec;
import dev.atrium.api.v1alpha1.LdapSpec;
import dev.atrium.operator.model.Component;
import dev.atrium.operator.model.DesiredState;
import dev.atrium.operator.workload.PlatformContext;
import dev.atrium.operator.workload.StatelessService;
import dev.atrium.operator.workload.Wiring;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Identity: SSO (OIDC) for every app, users and departments, LDAP/AD sync, devices. */
public final class IdentityModel {

  /** Keys the LDAP bind Secret (spec.identity.ldap.bindSecretName) must have. */
  public static final String BIND_DN_KEY = "bindDN";
  public static final String BIND_PASSWORD_KEY = "password";

  private IdentityModel() {
  }

  public static DesiredState from(PlatformContext ctx) {
    IdentitySpec spec = ctx.platform().getSpec().getIdentity();
    Map<String, String> config = Wiring.common(ctx, Component.IDENTITY);
    List<EnvVar> secrets = new ArrayList<>(Wiring.commonSecrets(ctx));
    LdapSpec ldap = spec.getLdap();
    config.put("ATRIUM_LDAP_ENABLED", Boolean.toString(ldap != null));
    if (ldap != null) {
      config.put("ATRIUM_LDAP_URL", ldap.getUrl());
      config.put("ATRIUM_LDAP_BASE_DN", ldap.getBaseDN());
      config.put("ATRIUM_LDAP_SYNC_INTERVAL", ldap.getSyncInterval() == null ? "15m" : ldap.getSyncInterval());
      secrets.add(Wiring.secretEnv("ATRIUM_LDAP_BIND_DN", ldap.getBindSecretName(), BIND_DN_KEY));
      secrets.add(Wiring.secretEnv("ATRIUM_LDAP_BIND_PASSWORD", ldap.getBindSecretName(), BIND_PASSWORD_KEY));
    }
    return new StatelessService(ctx, Component.IDENTITY, spec, config, secrets).desired();
  }
}
