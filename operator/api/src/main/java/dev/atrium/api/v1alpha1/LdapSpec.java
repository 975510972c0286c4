package dev.atrium.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** Where identity syncs users and departments from: the company's LDAP or Active Directory. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@ValidationRule(value = "has(self.bindSecretName) && self.bindSecretName != ''",
    message = "identity.ldap needs bindSecretName: the Secret with the bindDN and password to bind with",
    fieldPath = ".bindSecretName")
public class LdapSpec {

  @Required
  @Size(max = 512)
  @Pattern("^ldaps?://[^\\s/]+(:[0-9]{1,5})?/?$")
  @JsonPropertyDescription("LDAP server URL, ldap://host[:port] or ldaps://host[:port].")
  private String url;

  @Size(max = 253)
  @JsonPropertyDescription("Secret in the platform's namespace with the keys bindDN and password.")
  private String bindSecretName;

  @Required
  @Size(max = 512)
  @JsonPropertyDescription("Base DN users and departments are searched under, e.g. dc=example,dc=com.")
  private String baseDN;

  @Default("15m")
  @Pattern("^([0-9]+h)?([0-9]+m)?([0-9]+s)?$")
  @Size(min = 2, max = 16)
  @JsonPropertyDescription("How often to sync, as a duration such as 15m or 1h30m.")
  private String syncInterval;

  public String getUrl() {
    return url;
  }

  public void setUrl(String url) {
    this.url = url;
  }

  public String getBindSecretName() {
    return bindSecretName;
  }

  public void setBindSecretName(String bindSecretName) {
    this.bindSecretName = bindSecretName;
  }

  public String getBaseDN() {
    return baseDN;
  }

  public void setBaseDN(String baseDN) {
    this.baseDN = baseDN;
  }

  public String getSyncInterval() {
    return syncInterval;
  }

  public void setSyncInterval(String syncInterval) {
    this.syncInterval = syncInterval;
  }
}
