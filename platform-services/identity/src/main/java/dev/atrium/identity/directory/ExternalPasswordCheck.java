package dev.atrium.identity.directory;

/**
 * Checks the password of a person whose password lives in another directory (LDAP bind), for people who sign
 * in against it. Implemented by the LDAP sync when it is configured for bind logins.
 */
public interface ExternalPasswordCheck {

  /** Whether this check decides for the person (e.g. they came from LDAP and logins bind). */
  boolean decides(Person person);

  /** Whether the password is the person's; false when the directory refuses it. */
  boolean matches(Person person, String password);
}
