package dev.atrium.identity.apps;

import dev.atrium.identity.config.IdentityProperties;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Keeps the platform's own OAuth clients (webos, netdisk, ...) in line with what the operator derived from the
 * spec: at every start each is created or set again. A change in the spec changes identity's configuration,
 * which rolls its pods, so the clients follow the spec continuously rather than being imported once.
 *
 * <p>The built-in command-line client ({@link AppService#CLI}) is kept in line the same way. Each id in {@code ATRIUM_IDENTITY_CLIENTS} is configured by {@code ATRIUM_IDENTITY_CLIENT_<ID>_SECRET},
 * {@code _GRANT_TYPES}, {@code _REDIRECT_URIS} and {@code _POST_LOGOUT_REDIRECT_URIS}.
 */
@Component
class PlatformClients implements ApplicationRunner {

  private static final Logger LOG = LoggerFactory.getLogger(PlatformClients.class);

  private final IdentityProperties properties;
  private final Environment environment;
  private final AppService apps;

  PlatformClients(IdentityProperties properties, Environment environment, AppService apps) {
    this.properties = properties;
    this.environment = environment;
    this.apps = apps;
  }

  @Override
  public void run(ApplicationArguments args) {
    apps.keepCliClient();
    for (String id : properties.clients()) {
      if (id.isBlank()) {
        continue;
      }
      String prefix = "ATRIUM_IDENTITY_CLIENT_" + id.toUpperCase(Locale.ROOT).replace('-', '_') + "_";
      String secret = environment.getProperty(prefix + "SECRET");
      if (secret == null || secret.isBlank()) {
        throw new IllegalStateException(prefix + "SECRET is not set: the platform client " + id + " needs its secret");
      }
      List<String> grantTypes = list(prefix + "GRANT_TYPES");
      boolean web = grantTypes.contains("authorization_code");
      boolean service = grantTypes.contains("client_credentials");
      if (!web && !service) {
        throw new IllegalStateException(prefix + "GRANT_TYPES must name authorization_code and/or"
            + " client_credentials, but is " + grantTypes);
      }
      AppService.AppType type = web && service ? AppService.AppType.WEB_AND_SERVICE
          : web ? AppService.AppType.WEB : AppService.AppType.SERVICE;
      apps.keepPlatformClient(id, id, secret, type, list(prefix + "REDIRECT_URIS"),
          list(prefix + "POST_LOGOUT_REDIRECT_URIS"));
      LOG.info("platform client {} kept in line with the spec ({})", id, grantTypes);
    }
  }

  private List<String> list(String name) {
    String value = environment.getProperty(name, "");
    return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }
}
