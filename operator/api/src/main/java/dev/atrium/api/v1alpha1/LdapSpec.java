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

  /** A filter in its parentheses, on one line; the directory judges the rest when identity searches with it. */
  static final String FILTER_PATTERN = "^\\(.*\\)$";
  /** The schema's defaults, which the operator also uses for a platform stored before a field existed. */
  public static final String DEFAULT_USER_FILTER = "(objectClass=inetOrgPerson)";
  public static final String DEFAULT_DEPARTMENT_FILTER = "(objectClass=organizationalUnit)";
  public static final String DEFAULT_SYNC_INTERVAL = "15m";

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

  @Default(DEFAULT_SYNC_INTERVAL)
  @Pattern("^([0-9]+h)?([0-9]+m)?([0-9]+s)?$")
  @Size(min = 2, max = 16)
  @JsonPropertyDescription("How often to sync, as a duration such as 15m or 1h30m.")
  private String syncInterval;

  @Default(DEFAULT_USER_FILTER)
  @Size(min = 2, max = 1024)
  @Pattern(FILTER_PATTERN)
  @JsonPropertyDescription("LDAP search filter (RFC 4515) selecting the people to sync under baseDN, in parentheses, "
      + "e.g. (&(objectClass=inetOrgPerson)(memberOf=cn=staff,ou=groups,dc=example,dc=com)); on Active Directory "
      + "(&(objectClass=user)(objectCategory=person)).")
  private String userFilter;

  @Default(DEFAULT_DEPARTMENT_FILTER)
  @Size(min = 2, max = 1024)
  @Pattern(FILTER_PATTERN)
  @JsonPropertyDescription("LDAP search filter (RFC 4515) selecting the departments to sync under baseDN, in "
      + "parentheses.")
  private String departmentFilter;

  @Default("bind")
  @JsonPropertyDescription("How synced people sign in: bind (identity checks the password by binding to the "
      + "directory as the person; passwords stay in the directory) or local (people set a password in identity).")
  private LdapLogin login;

  @Default("{}")
  @JsonPropertyDescription("Which directory attribute holds each field; the defaults suit OpenLDAP. Active "
      + "Directory: id objectGUID, username sAMAccountName.")
  private LdapAttributes attributes;

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

  public String getUserFilter() {
    return userFilter;
  }

  public void setUserFilter(String userFilter) {
    this.userFilter = userFilter;
  }

  public String getDepartmentFilter() {
    return departmentFilter;
  }

  public void setDepartmentFilter(String departmentFilter) {
    this.departmentFilter = departmentFilter;
  }

  public LdapLogin getLogin() {
    return login;
  }

  public void setLogin(LdapLogin login) {
    this.login = login;
  }

  public LdapAttributes getAttributes() {
    return attributes;
  }

  public void setAttributes(LdapAttributes attributes) {
    this.attributes = attributes;
  }
}
