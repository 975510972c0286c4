package dev.atrium.identity.testing;

import dev.atrium.identity.IdentityApplication;
import dev.atrium.servicetesting.PostgresServer;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One identity replica, started in this JVM on a random port against the test PostgreSQL, configured the way
 * the operator configures a pod (the same environment names; see README.md of this module). Its issuer is its
 * own address, so the test client can follow every redirect the discovery document names.
 */
public final class IdentityInstance implements AutoCloseable {

  public static final String ADMIN_PASSWORD = "admin-password-for-tests";

  private final ConfigurableApplicationContext context;
  private final int port;
  private final String host;

  private IdentityInstance(ConfigurableApplicationContext context, int port, String host) {
    this.context = context;
    this.port = port;
    this.host = host;
  }

  public static IdentityInstance start(PostgresServer postgres, String database, Map<String, String> extra) {
    return start(postgres, database, extra, dev.atrium.servicetesting.FreePort.pick());
  }

  /** On a port chosen beforehand, for a test that must tell another server identity's address first. */
  public static IdentityInstance start(PostgresServer postgres, String database, Map<String, String> extra,
      int port) {
    return start(postgres, database, extra, port, "127.0.0.1");
  }

  /**
   * Under a host name of its own: browsers keep cookies per host, not per port, so two instances that stand for
   * two different sites (hybrid mode) need two names for this machine's loopback.
   */
  public static IdentityInstance start(PostgresServer postgres, String database, Map<String, String> extra,
      int port, String host) {
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("server.port", Integer.toString(port));
    properties.put("spring.datasource.url", postgres.jdbcUrl(database));
    properties.put("spring.datasource.username", PostgresServer.SUPERUSER);
    properties.put("spring.datasource.password", "");
    properties.put("ATRIUM_IDENTITY_ISSUER", "http://" + host + ":" + port);
    // as arguments, settings bound to IdentityProperties take their property names (in a pod, the environment's
    // ATRIUM_IDENTITY_SIGNING_KEY binds to atrium.identity.signing-key); the clients' are read by name
    properties.put("atrium.identity.signing-key", TestKeys.privateKey());
    properties.put("atrium.identity.signing-key-id", TestKeys.KEY_ID);
    properties.put("atrium.identity.encryption-key", "encryption-key-for-tests");
    properties.put("atrium.identity.admin-password", ADMIN_PASSWORD);
    properties.put("atrium.identity.clients", "webos,netdisk");
    properties.put("ATRIUM_IDENTITY_CLIENT_WEBOS_SECRET", "webos-secret");
    properties.put("ATRIUM_IDENTITY_CLIENT_WEBOS_GRANT_TYPES", "authorization_code,refresh_token");
    properties.put("ATRIUM_IDENTITY_CLIENT_WEBOS_REDIRECT_URIS", OidcClient.REDIRECT_URI);
    properties.put("ATRIUM_IDENTITY_CLIENT_WEBOS_POST_LOGOUT_REDIRECT_URIS", OidcClient.POST_LOGOUT_URI);
    properties.put("ATRIUM_IDENTITY_CLIENT_NETDISK_SECRET", "netdisk-secret");
    properties.put("ATRIUM_IDENTITY_CLIENT_NETDISK_GRANT_TYPES", "client_credentials");
    properties.put("ATRIUM_PLATFORM", "it");
    properties.put("ATRIUM_DB_POOL_SIZE", "5");
    properties.put("ATRIUM_SHUTDOWN_TIMEOUT", "5s");
    properties.put("logging.level.root", "WARN");
    properties.put("logging.level.dev.atrium", "INFO");
    properties.putAll(extra);
    List<String> args = new ArrayList<>();
    properties.forEach((key, value) -> args.add("--" + key + "=" + value));
    return new IdentityInstance(new SpringApplicationBuilder(IdentityApplication.class).run(args.toArray(String[]::new)),
        port, host);
  }

  public URI uri(String path) {
    return URI.create("http://" + host + ":" + port + path);
  }

  public String issuer() {
    return "http://" + host + ":" + port;
  }

  public <T> T bean(Class<T> type) {
    return context.getBean(type);
  }

  @Override
  public void close() {
    context.close();
  }
}
