package dev.atrium.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;

/**
 * Which directory attribute holds each of a person's (or department's) fields. The defaults are OpenLDAP's
 * (inetOrgPerson); Active Directory uses objectGUID, sAMAccountName, displayName, mail, telephoneNumber, ou.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class LdapAttributes {

  /** An LDAP attribute description's name: a letter, then letters, digits and hyphens (RFC 4512 keystring). */
  static final String ATTRIBUTE_PATTERN = "^[A-Za-z][A-Za-z0-9-]*$";
  /** The schema's defaults, which the operator also uses for a platform stored before a field existed. */
  public static final String DEFAULT_ID = "entryUUID";
  public static final String DEFAULT_USERNAME = "uid";
  public static final String DEFAULT_DISPLAY_NAME = "cn";
  public static final String DEFAULT_EMAIL = "mail";
  public static final String DEFAULT_PHONE = "telephoneNumber";
  public static final String DEFAULT_DEPARTMENT_NAME = "ou";

  @Default(DEFAULT_ID)
  @Size(min = 1, max = 64)
  @Pattern(ATTRIBUTE_PATTERN)
  @JsonPropertyDescription("The attribute that identifies a person or department for good, surviving renames and "
      + "moves: entryUUID on OpenLDAP, objectGUID on Active Directory.")
  private String id;

  @Default(DEFAULT_USERNAME)
  @Size(min = 1, max = 64)
  @Pattern(ATTRIBUTE_PATTERN)
  @JsonPropertyDescription("The attribute people sign in with: uid on OpenLDAP, sAMAccountName on Active Directory.")
  private String username;

  @Default(DEFAULT_DISPLAY_NAME)
  @Size(min = 1, max = 64)
  @Pattern(ATTRIBUTE_PATTERN)
  @JsonPropertyDescription("The attribute with a person's name as shown to others (cn, or displayName).")
  private String displayName;

  @Default(DEFAULT_EMAIL)
  @Size(min = 1, max = 64)
  @Pattern(ATTRIBUTE_PATTERN)
  @JsonPropertyDescription("The attribute with a person's e-mail address.")
  private String email;

  @Default(DEFAULT_PHONE)
  @Size(min = 1, max = 64)
  @Pattern(ATTRIBUTE_PATTERN)
  @JsonPropertyDescription("The attribute with a person's telephone number.")
  private String phone;

  @Default(DEFAULT_DEPARTMENT_NAME)
  @Size(min = 1, max = 64)
  @Pattern(ATTRIBUTE_PATTERN)
  @JsonPropertyDescription("The attribute with a department's name, on the entries departmentFilter finds.")
  private String departmentName;

  public String getId() {
    return id;
  }

  public void setId(String id) {
    this.id = id;
  }

  public String getUsername() {
    return username;
  }

  public void setUsername(String username) {
    this.username = username;
  }

  public String getDisplayName() {
    return displayName;
  }

  public void setDisplayName(String displayName) {
    this.displayName = displayName;
  }

  public String getEmail() {
    return email;
  }

  public void setEmail(String email) {
    this.email = email;
  }

  public String getPhone() {
    return phone;
  }

  public void setPhone(String phone) {
    this.phone = phone;
  }

  public String getDepartmentName() {
    return departmentName;
  }

  public void setDepartmentName(String departmentName) {
    this.departmentName = departmentName;
  }
}
