package dev.atrium.api.v1alpha1;

/** How people synced from LDAP/AD sign in to identity. */
public enum LdapLogin {
  /** Identity checks the password by binding to the directory as the person: the directory stays the one place passwords live. */
  bind,
  /** People set a password in identity itself; the directory only supplies who they are and their departments. */
  local
}
