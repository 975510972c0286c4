package dev.atrium.identity.ldap;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.naming.directory.DirContext;
import javax.naming.directory.SearchControls;
import javax.naming.ldap.LdapName;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.ldap.AuthenticationException;
import org.springframework.ldap.NamingException;
import org.springframework.ldap.SizeLimitExceededException;
import org.springframework.ldap.control.PagedResultsDirContextProcessor;
import org.springframework.ldap.core.ContextMapper;
import org.springframework.ldap.core.ContextSource;
import org.springframework.ldap.core.DirContextOperations;
import org.springframework.ldap.core.LdapTemplate;
import org.springframework.ldap.core.support.AbstractContextMapper;
import org.springframework.ldap.core.support.LdapContextSource;
import org.springframework.ldap.core.support.SingleContextSource;
import org.springframework.ldap.support.LdapUtils;
import org.springframework.stereotype.Component;

/**
 * The company's directory as identity reads it: with the service account (the bind DN), the department and
 * person entries under the base DN, paged so that any number of entries come through; and, for sign-ins, a
 * person's entry found by their external id and a bind as that entry. Connects and reads time out, so a
 * directory that does not answer fails a sync or a sign-in instead of hanging it.
 */
@Component
@ConditionalOnBooleanProperty("atrium.ldap.enabled")
public class LdapDirectory {

  /** Fits OpenLDAP's default soft size limit (500) and Active Directory's MaxPageSize (1000). */
  static final int PAGE_SIZE = 500;

  /** A department entry: its DN, its stable id and its name. */
  public record DepartmentEntry(LdapName dn, String externalId, String name) {
  }

  /** A person entry, with the attributes the sync maps (any may be null when the entry lacks it). */
  public record PersonEntry(LdapName dn, String externalId, String username, String displayName, String email,
      String phone) {
  }

  /** The directory could not be asked (down, unreachable, too slow): not the same as a wrong password. */
  public static class LdapUnavailableException extends RuntimeException {
    LdapUnavailableException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final LdapProperties properties;
  private final LdapContextSource syncSource;
  private final LdapContextSource loginSource;
  private final LdapTemplate login;

  @Autowired
  public LdapDirectory(LdapProperties properties) {
    this(properties, Duration.ofSeconds(5), Duration.ofSeconds(60), Duration.ofSeconds(5));
  }

  /**
   * @param connectTimeout for every connection
   * @param syncReadTimeout how long the sync waits for each answer (a page of entries)
   * @param loginReadTimeout how long a sign-in waits for each answer (the search for the person, the bind)
   */
  LdapDirectory(LdapProperties properties, Duration connectTimeout, Duration syncReadTimeout,
      Duration loginReadTimeout) {
    this.properties = properties;
    this.syncSource = contextSource(properties, connectTimeout, syncReadTimeout);
    this.loginSource = contextSource(properties, connectTimeout, loginReadTimeout);
    this.login = template(loginSource);
  }

  /** Every entry the department filter finds under the base DN. */
  public List<DepartmentEntry> departments() {
    LdapProperties.Attributes attributes = properties.attribute();
    return pagedSearch(properties.departmentFilter(), new String[] {attributes.id(), attributes.departmentName()},
        new AbstractContextMapper<>() {
          @Override
          protected DepartmentEntry doMapFromContext(DirContextOperations context) {
            return new DepartmentEntry(LdapIds.dn(context.getNameInNamespace()), externalId(context),
                text(context, attributes.departmentName()));
          }
        });
  }

  /** Every entry the user filter finds under the base DN. */
  public List<PersonEntry> people() {
    LdapProperties.Attributes attributes = properties.attribute();
    return pagedSearch(properties.userFilter(), new String[] {attributes.id(), attributes.username(),
        attributes.displayName(), attributes.email(), attributes.phone()}, new AbstractContextMapper<>() {
          @Override
          protected PersonEntry doMapFromContext(DirContextOperations context) {
            return new PersonEntry(LdapIds.dn(context.getNameInNamespace()), externalId(context),
                text(context, attributes.username()), text(context, attributes.displayName()),
                text(context, attributes.email()), text(context, attributes.phone()));
          }
        });
  }

  /**
   * The DN of the entry with this external id that the user filter still selects; empty when there is none (the
   * person left the directory or the filter since the last sync), or more than one.
   */
  public Optional<LdapName> findPerson(String externalId) {
    LdapProperties.Attributes attributes = properties.attribute();
    String filter = "(&" + properties.userFilter() + "(" + attributes.id() + "="
        + LdapIds.filterValue(externalId, attributes.idIsObjectGuid()) + "))";
    SearchControls controls = new SearchControls();
    controls.setSearchScope(SearchControls.SUBTREE_SCOPE);
    controls.setReturningAttributes(new String[] {attributes.id()});
    try {
      List<LdapName> found = login.search(properties.baseDn(), filter, controls,
          (ContextMapper<LdapName>) context -> LdapIds.dn(((DirContextOperations) context).getNameInNamespace()));
      return found.size() == 1 ? Optional.of(found.getFirst()) : Optional.empty();
    } catch (NamingException e) {
      throw unavailable("cannot look the person up", e);
    }
  }

  /**
   * Whether the directory accepts the password for the entry. An empty password is refused here without asking:
   * the directory would take it for an anonymous bind, which succeeds.
   */
  public boolean authenticate(LdapName dn, String password) {
    if (password == null || password.isEmpty()) {
      return false;
    }
    DirContext context;
    try {
      context = loginSource.getContext(dn.toString(), password);
    } catch (AuthenticationException e) {
      return false;
    } catch (NamingException e) {
      throw unavailable("cannot bind", e);
    }
    LdapUtils.closeContext(context);
    return true;
  }

  private <T> List<T> pagedSearch(String filter, String[] attributes, ContextMapper<T> mapper) {
    SearchControls controls = new SearchControls();
    controls.setSearchScope(SearchControls.SUBTREE_SCOPE);
    controls.setReturningAttributes(attributes);
    List<T> all = new ArrayList<>();
    // one connection for all the pages: the paging cookie belongs to it
    SingleContextSource single = new SingleContextSource(syncSource.getReadOnlyContext());
    try {
      LdapTemplate template = template(single);
      PagedResultsDirContextProcessor pages = new PagedResultsDirContextProcessor(PAGE_SIZE);
      do {
        all.addAll(template.search(properties.baseDn(), filter, controls, mapper, pages));
      } while (pages.hasMore());
      return all;
    } catch (SizeLimitExceededException e) {
      throw new IllegalStateException("the directory stopped the search " + filter + " at its size limit, after "
          + all.size() + " entries: let the bind account " + properties.bindDn() + " page through all of them"
          + " (OpenLDAP: limits dn.exact=\"" + properties.bindDn() + "\" size.prtotal=unlimited)", e);
    } finally {
      single.destroy();
    }
  }

  private String externalId(DirContextOperations context) {
    LdapProperties.Attributes attributes = properties.attribute();
    return LdapIds.externalId(context.getObjectAttribute(attributes.id()), attributes.idIsObjectGuid());
  }

  private static String text(DirContextOperations context, String attribute) {
    Object value = context.getObjectAttribute(attribute);
    if (value == null) {
      return null;
    }
    String text = value instanceof byte[] bytes ? new String(bytes, java.nio.charset.StandardCharsets.UTF_8)
        : value.toString();
    return text.isBlank() ? null : text.strip();
  }

  private static LdapUnavailableException unavailable(String what, NamingException e) {
    return new LdapUnavailableException("the directory did not answer: " + what + ": " + e.getMessage(), e);
  }

  private static LdapTemplate template(ContextSource source) {
    LdapTemplate template = new LdapTemplate(source);
    // Active Directory answers searches from the domain root with referrals to other partitions: not ours
    template.setIgnorePartialResultException(true);
    // never take a truncated result for the whole directory: the people left out would be disabled
    template.setIgnoreSizeLimitExceededException(false);
    return template;
  }

  private static LdapContextSource contextSource(LdapProperties properties, Duration connectTimeout,
      Duration readTimeout) {
    LdapContextSource source = new LdapContextSource();
    source.setUrl(properties.url());
    source.setUserDn(properties.bindDn());
    source.setPassword(properties.bindPassword());
    source.setPooled(false);
    Map<String, Object> environment = new HashMap<>();
    environment.put("com.sun.jndi.ldap.connect.timeout", Long.toString(connectTimeout.toMillis()));
    environment.put("com.sun.jndi.ldap.read.timeout", Long.toString(readTimeout.toMillis()));
    if (properties.attribute().idIsObjectGuid()) {
      environment.put("java.naming.ldap.attributes.binary", properties.attribute().id());
    }
    source.setBaseEnvironmentProperties(environment);
    source.afterPropertiesSet();
    return source;
  }
}
