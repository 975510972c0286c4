package dev.atrium.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/**
 * The identity service, plus where it syncs people from and the company's own providers it trusts, or the provider
 * trusted instead of it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@ValidationRule(value = "!has(self.external) || (has(self.enabled) && !self.enabled)",
    message = "identity.external is trusted only while identity is switched off (identity.enabled: false); to let"
        + " people sign in at the company's own SSO beside identity (hybrid mode), name it in"
        + " identity.trustedProviders instead", fieldPath = ".external")
public class IdentitySpec extends StatelessComponentSpec {

  /** A number and one unit (s, m or h), as Spring Boot reads a duration, e.g. 5m or 90s. */
  static final String TTL_PATTERN = "^[0-9]{1,5}(s|m|h)$";
  /** The schema's default, which the operator also uses for a platform stored before the field existed. */
  public static final String DEFAULT_ACCESS_TOKEN_TTL = "5m";

  // The rule judges only what the pattern accepts, which duration() always reads: a TTL that is no
  // duration is refused once, by the pattern, not a second time by a rule that cannot read it.
  @Default(DEFAULT_ACCESS_TOKEN_TTL)
  @Size(min = 2, max = 6)
  @Pattern(TTL_PATTERN)
  @ValidationRule(value = "!self.matches(r'" + TTL_PATTERN + "')"
      + " || (duration(self) >= duration('1m') && duration(self) <= duration('1h'))",
      message = "identity.accessTokenTtl must be at least 1m and at most 1h")
  @JsonPropertyDescription("How long an access token identity issues is valid, as a number and one unit, e.g. 5m, "
      + "300s or 1h; at least 1m and at most 1h. A shorter one limits how long a leaked token is of use; refresh "
      + "tokens keep people signed in.")
  private String accessTokenTtl;

  @JsonPropertyDescription("Sync users and departments from this LDAP/AD directory; none when empty.")
  private LdapSpec ldap;

  @JsonPropertyDescription("With identity switched off: the OpenID Connect provider (a company's own SSO) whose"
      + " tokens the message center and netdisk accept instead. Its tokens must carry principal_type (user or app)"
      + " and, for people, departments.")
  private ExternalIdentitySpec external;

  @Size(max = 10)
  @ValidationRule(value = "self.all(p, self.exists_one(q, q.name == p.name))",
      message = "identity.trustedProviders must name each provider once")
  @JsonPropertyDescription("Hybrid mode: the company's own OpenID Connect providers (its SSO) identity trusts beside"
      + " its own login, at most 10. The login page shows a button for each; a person who signs in there lands in"
      + " Atrium as the person of identity's directory the provider's usernameClaim names (typically synced from"
      + " the same LDAP) and gets Atrium's tokens. The company registers identity at each provider as a client with"
      + " the redirect URI <scheme>://<domain>/auth/login/oauth2/code/<name> (https with ingress.tlsSecretName);"
      + " its own apps can trust Atrium's tokens through identity's discovery document at"
      + " <scheme>://<domain>/auth. None when empty.")
  private List<TrustedProviderSpec> trustedProviders;

  public String getAccessTokenTtl() {
    return accessTokenTtl;
  }

  public void setAccessTokenTtl(String accessTokenTtl) {
    this.accessTokenTtl = accessTokenTtl;
  }

  public ExternalIdentitySpec getExternal() {
    return external;
  }

  public void setExternal(ExternalIdentitySpec external) {
    this.external = external;
  }

  public List<TrustedProviderSpec> getTrustedProviders() {
    return trustedProviders;
  }

  public void setTrustedProviders(List<TrustedProviderSpec> trustedProviders) {
    this.trustedProviders = trustedProviders;
  }

  public LdapSpec getLdap() {
    return ldap;
  }

  public void setLdap(LdapSpec ldap) {
    this.ldap = ldap;
  }
}
