package dev.atrium.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

/** The identity service, plus where it syncs people from, or the provider trusted instead of it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@ValidationRule(value = "!has(self.external) || (has(self.enabled) && !self.enabled)",
    message = "identity.external is trusted only while identity is switched off (identity.enabled: false); trusting"
        + " both at once (hybrid mode) comes with identity itself", fieldPath = ".external")
public class IdentitySpec extends StatelessComponentSpec {

  @JsonPropertyDescription("Sync users and departments from this LDAP/AD directory; none when empty.")
  private LdapSpec ldap;

  @JsonPropertyDescription("With identity switched off: the OpenID Connect provider (a company's own SSO) whose"
      + " tokens the message center and netdisk accept instead. Its tokens must carry principal_type (user or app)"
      + " and, for people, departments.")
  private ExternalIdentitySpec external;

  public ExternalIdentitySpec getExternal() {
    return external;
  }

  public void setExternal(ExternalIdentitySpec external) {
    this.external = external;
  }

  public LdapSpec getLdap() {
    return ldap;
  }

  public void setLdap(LdapSpec ldap) {
    this.ldap = ldap;
  }
}
