package dev.atrium.identity.directory;

import dev.atrium.identity.config.IdentityProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * Creates the tenant's first administrator, {@code admin}, once, with the password from the operator's
 * generated Secret (ATRIUM_IDENTITY_ADMIN_PASSWORD). Later changes to that person are never undone here.
 */
@Component
class FirstAdmin implements ApplicationRunner {

  static final String ID = "admin";
  private static final Logger LOG = LoggerFactory.getLogger(FirstAdmin.class);

  private final DirectoryStore store;
  private final PasswordEncoder passwords;
  private final IdentityProperties properties;

  FirstAdmin(DirectoryStore store, PasswordEncoder passwords, IdentityProperties properties) {
    this.store = store;
    this.passwords = passwords;
    this.properties = properties;
  }

  @Override
  public void run(ApplicationArguments args) {
    String password = properties.adminPassword();
    if (password == null || password.isBlank() || store.personExists(ID)) {
      return;
    }
    if (store.insertPersonIfAbsent(ID, "Administrator", true, passwords.encode(password))) {
      LOG.info("created the first administrator '{}' (password from ATRIUM_IDENTITY_ADMIN_PASSWORD)", ID);
    }
  }
}
