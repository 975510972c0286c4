package dev.atrium.webos.testing;

import dev.atrium.servicetesting.PostgresServer;
import dev.atrium.servicetesting.TestIssuer;
import dev.atrium.webos.WebosApplication;
import dev.atrium.webos.loadbalancing.DnsInstances;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One webos replica in this JVM on a random port against the test servers, configured by the variables the
 * operator sets on a pod (README.md of this module; Spring's own by their property names). Several may share a
 * database and Redis, as replicas do.
 */
public final class WebosInstance implements AutoCloseable {

  private final ConfigurableApplicationContext context;
  private final int port;

  private WebosInstance(ConfigurableApplicationContext context) {
    this.context = context;
    this.port = Integer.parseInt(context.getEnvironment().getRequiredProperty("local.server.port"));
  }

  public static WebosInstance start(TestServers.Servers servers, String database, Map<String, String> extra) {
    return start(servers, database, extra, null);
  }

  /** A replica that looks the pods' host names up with {@code resolver} (null: the system's DNS). */
  public static WebosInstance start(TestServers.Servers servers, String database, Map<String, String> extra,
      DnsInstances.Resolver resolver) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("server.port", "0");
    env.put("spring.datasource.url", servers.postgres().jdbcUrl(database));
    env.put("spring.datasource.username", PostgresServer.SUPERUSER);
    env.put("spring.datasource.password", "");
    env.put("spring.data.redis.host", "127.0.0.1");
    env.put("spring.data.redis.port", Integer.toString(servers.redis().port()));
    env.put("ATRIUM_IDENTITY_ISSUER", TestIssuer.ISSUER);
    env.put("ATRIUM_IDENTITY_JWKS_URI", servers.issuer().jwksUri());
    env.put("ATRIUM_PLATFORM", "it");
    env.put("ATRIUM_SHUTDOWN_TIMEOUT", "5s");
    env.put("ATRIUM_GATEWAY_ROUTE_RELOAD", "1s");
    env.put("ATRIUM_GATEWAY_USAGE_FLUSH", "1s");
    env.put("logging.level.root", "WARN");
    env.put("logging.level.dev.atrium", "INFO");
    env.putAll(extra);
    List<String> args = new ArrayList<>();
    env.forEach((key, value) -> args.add("--" + key + "=" + value));
    SpringApplicationBuilder builder = new SpringApplicationBuilder(WebosApplication.class);
    if (resolver != null) {
      builder.initializers(context -> context.getBeanFactory().registerSingleton("testResolver", resolver));
    }
    return new WebosInstance(builder.run(args.toArray(String[]::new)));
  }

  public URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  public <T> T bean(Class<T> type) {
    return context.getBean(type);
  }

  @Override
  public void close() {
    context.close();
  }
}
