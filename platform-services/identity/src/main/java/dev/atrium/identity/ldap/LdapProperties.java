package dev.atrium.identity.ldap;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Duration;
import java.util.regex.Matcher;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The LDAP/AD sync's settings, under {@code atrium.ldap} (environment: {@code ATRIUM_LDAP_*}; the operator sets
 * them from {@code spec.identity.ldap}, the bind DN and password from the Secret it names). Off unless
 * {@code ATRIUM_LDAP_ENABLED=true}; when on, the URL, base DN, bind DN and bind password must be set, or the
 * service refuses to start and names the missing one. {@link #toString()} never prints the bind password.
 *
 * @param enabled whether identity syncs from a directory at all
 * @param url {@code ldap://host[:port]} or {@code ldaps://host[:port]}
 * @param baseDn where people and departments are searched, e.g. {@code dc=example,dc=com}
 * @param bindDn the account the sync reads the directory as
 * @param bindPassword that account's password
 * @param syncInterval how often to sync: {@code 15m}, {@code 1h30m}, {@code 90s}
 * @param userFilter RFC 4515 filter selecting the people to sync under the base DN
 * @param departmentFilter RFC 4515 filter selecting the departments to sync under the base DN
 * @param login how synced people sign in: {@code bind} (against the directory) or {@code local}
 * @param attribute which directory attribute holds each field
 */
@Validated
@ConfigurationProperties("atrium.ldap")
public record LdapProperties(
    @DefaultValue("false") boolean enabled,
    @Size(max = 512, message = "ATRIUM_LDAP_URL is longer than 512 characters")
    @Pattern(regexp = "^ldaps?://[^\\s/]+(:[0-9]{1,5})?/?$",
        message = "ATRIUM_LDAP_URL must be ldap://host[:port] or ldaps://host[:port]") String url,
    @Size(max = 512, message = "ATRIUM_LDAP_BASE_DN is longer than 512 characters") String baseDn,
    @Size(max = 512, message = "ATRIUM_LDAP_BIND_DN is longer than 512 characters") String bindDn,
    String bindPassword,
    @NotNull @DefaultValue("15m") @Pattern(regexp = INTERVAL_PATTERN, message = "ATRIUM_LDAP_SYNC_INTERVAL must be a"
        + " duration such as 15m, 1h30m or 90s") String syncInterval,
    @NotBlank @DefaultValue("(objectClass=inetOrgPerson)") @Size(max = 1024) @Pattern(regexp = FILTER_PATTERN,
        message = "ATRIUM_LDAP_USER_FILTER must be an LDAP filter in parentheses") String userFilter,
    @NotBlank @DefaultValue("(objectClass=organizationalUnit)") @Size(max = 1024) @Pattern(regexp = FILTER_PATTERN,
        message = "ATRIUM_LDAP_DEPARTMENT_FILTER must be an LDAP filter in parentheses") String departmentFilter,
    @NotNull @DefaultValue("bind") Login login,
    @NotNull @Valid @DefaultValue Attributes attribute) {

  static final String INTERVAL_PATTERN = "^(?=\\d)((\\d+)h)?((\\d+)m)?((\\d+)s)?$";
  static final String FILTER_PATTERN = "^\\(.*\\)$";
  /** An attribute description's name: a letter, then letters, digits and hyphens (RFC 4512 keystring). */
  static final String ATTRIBUTE_PATTERN = "^[A-Za-z][A-Za-z0-9-]{0,63}$";

  /** How people synced from the directory sign in. */
  public enum Login {
    /** Identity binds to the directory as the person: the password stays in the directory. */
    BIND,
    /** People set a password in identity; the directory only says who they are and where they belong. */
    LOCAL
  }

  /**
   * Which attribute holds each field. The defaults are OpenLDAP's; Active Directory: id {@code objectGUID}
   * (binary: it becomes the GUID's usual text form), username {@code sAMAccountName}, display name
   * {@code displayName}.
   */
  public record Attributes(
      @DefaultValue("entryUUID") @Pattern(regexp = ATTRIBUTE_PATTERN,
          message = "ATRIUM_LDAP_ATTRIBUTE_ID must be an attribute name") String id,
      @DefaultValue("uid") @Pattern(regexp = ATTRIBUTE_PATTERN,
          message = "ATRIUM_LDAP_ATTRIBUTE_USERNAME must be an attribute name") String username,
      @DefaultValue("cn") @Pattern(regexp = ATTRIBUTE_PATTERN,
          message = "ATRIUM_LDAP_ATTRIBUTE_DISPLAY_NAME must be an attribute name") String displayName,
      @DefaultValue("mail") @Pattern(regexp = ATTRIBUTE_PATTERN,
          message = "ATRIUM_LDAP_ATTRIBUTE_EMAIL must be an attribute name") String email,
      @DefaultValue("telephoneNumber") @Pattern(regexp = ATTRIBUTE_PATTERN,
          message = "ATRIUM_LDAP_ATTRIBUTE_PHONE must be an attribute name") String phone,
      @DefaultValue("ou") @Pattern(regexp = ATTRIBUTE_PATTERN,
          message = "ATRIUM_LDAP_ATTRIBUTE_DEPARTMENT_NAME must be an attribute name") String departmentName) {

    /** Whether the id attribute is Active Directory's binary objectGUID. */
    public boolean idIsObjectGuid() {
      return LdapIds.OBJECT_GUID.equalsIgnoreCase(id);
    }
  }

  @AssertTrue(message = "ATRIUM_LDAP_URL (atrium.ldap.url) must be set when ATRIUM_LDAP_ENABLED is true")
  public boolean isUrlSetWhenEnabled() {
    return !enabled || present(url);
  }

  @AssertTrue(message = "ATRIUM_LDAP_BASE_DN (atrium.ldap.base-dn) must be set when ATRIUM_LDAP_ENABLED is true")
  public boolean isBaseDnSetWhenEnabled() {
    return !enabled || present(baseDn);
  }

  @AssertTrue(message = "ATRIUM_LDAP_BIND_DN (atrium.ldap.bind-dn) must be set when ATRIUM_LDAP_ENABLED is true")
  public boolean isBindDnSetWhenEnabled() {
    return !enabled || present(bindDn);
  }

  @AssertTrue(message = "ATRIUM_LDAP_BIND_PASSWORD (atrium.ldap.bind-password) must be set when ATRIUM_LDAP_ENABLED"
      + " is true")
  public boolean isBindPasswordSetWhenEnabled() {
    return !enabled || present(bindPassword);
  }

  @AssertTrue(message = "ATRIUM_LDAP_BASE_DN must be a distinguished name, e.g. dc=example,dc=com")
  public boolean isBaseDnADn() {
    return !present(baseDn) || isDn(baseDn);
  }

  @AssertTrue(message = "ATRIUM_LDAP_BIND_DN must be a distinguished name, e.g. cn=sync,dc=example,dc=com")
  public boolean isBindDnADn() {
    return !present(bindDn) || isDn(bindDn);
  }

  @AssertTrue(message = "ATRIUM_LDAP_SYNC_INTERVAL must be longer than zero")
  public boolean isSyncIntervalPositive() {
    return syncInterval == null || !syncInterval.matches(INTERVAL_PATTERN) || !interval().isZero();
  }

  /** The sync interval as a duration. */
  public Duration interval() {
    Matcher matcher = java.util.regex.Pattern.compile(INTERVAL_PATTERN).matcher(syncInterval);
    if (!matcher.matches()) {
      throw new IllegalStateException("not a sync interval: " + syncInterval);
    }
    return Duration.ofHours(number(matcher.group(2))).plusMinutes(number(matcher.group(4)))
        .plusSeconds(number(matcher.group(6)));
  }

  /** The base DN, parsed. */
  public LdapName baseName() {
    return LdapIds.dn(baseDn);
  }

  @Override
  public String toString() {
    return "LdapProperties[enabled=" + enabled + ", url=" + url + ", baseDn=" + baseDn + ", bindDn=" + bindDn
        + ", bindPassword=" + (present(bindPassword) ? "(set)" : "(unset)") + ", syncInterval=" + syncInterval
        + ", userFilter=" + userFilter + ", departmentFilter=" + departmentFilter + ", login=" + login
        + ", attribute=" + attribute + "]";
  }

  private static long number(String digits) {
    return digits == null ? 0 : Long.parseLong(digits);
  }

  private static boolean present(String value) {
    return value != null && !value.isBlank();
  }

  private static boolean isDn(String value) {
    try {
      new LdapName(value);
      return true;
    } catch (InvalidNameException | IllegalArgumentException e) {
      return false;
    }
  }
}
