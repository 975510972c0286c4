package dev.atrium.messagecenter.testing;

import dev.atrium.servicetesting.TestIssuer;
import dev.atrium.servicetesting.PostgresServer;
import dev.atrium.messagecenter.MessageCenterApplication;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One message-center replica, started in this JVM on a random port against the test servers, configured the
 * way the operator configures a pod (the same property names; see README.md of this module).
 */
public final class MessageCenterInstance implements AutoCloseable {

  private final ConfigurableApplicationContext context;
  private final int port;

  private MessageCenterInstance(ConfigurableApplicationContext context) {
    this.context = context;
    this.port = Integer.parseInt(context.getEnvironment().getRequiredProperty("local.server.port"));
  }

  public static MessageCenterInstance start(TestServers.Servers servers) {
    return start(servers, servers.database(), Map.of());
  }

  public static MessageCenterInstance start(TestServers.Servers servers, String database, Map<String, String> extra) {
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("server.port", "0");
    properties.put("spring.datasource.url", servers.postgres().jdbcUrl(database));
    properties.put("spring.datasource.username", PostgresServer.SUPERUSER);
    properties.put("spring.datasource.password", "");
    properties.put("spring.data.redis.host", "127.0.0.1");
    properties.put("spring.data.redis.port", Integer.toString(servers.redis().port()));
    properties.put("ATRIUM_IDENTITY_ISSUER", TestIssuer.ISSUER);
    properties.put("ATRIUM_IDENTITY_JWKS_URI", servers.jwks().jwksUri());
    properties.put("ATRIUM_PLATFORM", "it");
    properties.put("ATRIUM_DB_POOL_SIZE", "5");
    properties.put("ATRIUM_SHUTDOWN_TIMEOUT", "10s");
    properties.put("logging.level.root", "WARN");
    properties.put("logging.level.dev.atrium", "INFO");
    properties.putAll(extra);
    List<String> args = new ArrayList<>();
    properties.forEach((key, value) -> args.add("--" + key + "=" + value));
    return new MessageCenterInstance(new SpringApplicationBuilder(MessageCenterApplication.class)
        .run(args.toArray(String[]::new)));
  }

  public URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  public URI wsUri(String path) {
    return URI.create("ws://127.0.0.1:" + port + path);
  }

  public int port() {
    return port;
  }

  public ConfigurableApplicationContext context() {
    return context;
  }

  public <T> T bean(Class<T> type) {
    return context.getBean(type);
  }

  @Override
  public void close() {
    context.close();
  }
}
