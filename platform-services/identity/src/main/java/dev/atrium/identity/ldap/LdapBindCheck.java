package dev.atrium.identity.ldap;

import dev.atrium.identity.directory.ExternalPasswordCheck;
import dev.atrium.identity.directory.Person;
import dev.atrium.identity.directory.Source;
import java.util.Optional;
import javax.naming.ldap.LdapName;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.stereotype.Component;

/**
 * Signs people synced from the directory in against it, when {@code ATRIUM_LDAP_LOGIN=bind}: the person's entry
 * is found by their external id with the service account (so someone the directory no longer has, or the user
 * filter no longer selects, cannot sign in even before the next sync), then the password is checked by binding
 * as that entry. Only active people are asked about; an empty password is refused without asking (the directory
 * would take it for an anonymous bind, which succeeds).
 */
@Component
@ConditionalOnBooleanProperty("atrium.ldap.enabled")
public class LdapBindCheck implements ExternalPasswordCheck {

  private final LdapProperties properties;
  private final LdapDirectory directory;

  public LdapBindCheck(LdapProperties properties, LdapDirectory directory) {
    this.properties = properties;
    this.directory = directory;
  }

  @Override
  public boolean decides(Person person) {
    return properties.login() == LdapProperties.Login.BIND && person.source() == Source.LDAP;
  }

  /**
   * {@inheritDoc}
   *
   * @throws AuthenticationServiceException when the directory does not answer (down, unreachable, slower than a
   *     few seconds): that is no wrong password, and should not count towards a lockout
   */
  @Override
  public boolean matches(Person person, String password) {
    if (password == null || password.isEmpty() || !person.active() || person.source() != Source.LDAP
        || person.externalId() == null) {
      return false;
    }
    try {
      Optional<LdapName> entry = directory.findPerson(person.externalId());
      return entry.isPresent() && directory.authenticate(entry.get(), password);
    } catch (LdapDirectory.LdapUnavailableException e) {
      throw new AuthenticationServiceException("the company directory cannot check the password now", e);
    }
  }
}
