package dev.atrium.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The identity service, plus where it syncs people from. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class IdentitySpec extends StatelessComponentSpec {

  @JsonPropertyDescription("Sync users and departments from this LDAP/AD directory; none when empty.")
  private LdapSpec ldap;

  public LdapSpec getLdap() {
    return ldap;
  }

  public void setLdap(LdapSpec ldap) {
    this.ldap = ldap;
  }
}
