package dev.atrium.netdisk.testing;

import dev.atrium.netdisk.NetdiskApplication;
import dev.atrium.servicetesting.PostgresServer;
import dev.atrium.servicetesting.TestIssuer;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One netdisk replica in this JVM on a random port against the test servers, configured by the variables the
 * operator sets on a pod (README.md of this module; Spring's own by their property names). Several may share a database and bucket, as replicas do.
 */
public final class NetdiskInstance implements AutoCloseable {

  private final ConfigurableApplicationContext context;
  private final int port;

  private NetdiskInstance(ConfigurableApplicationContext context) {
    this.context = context;
    this.port = Integer.parseInt(context.getEnvironment().getRequiredProperty("local.server.port"));
  }

  public static NetdiskInstance start(TestServers.Servers servers, String database, String bucket,
      Map<String, String> extra) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("server.port", "0");
    env.put("spring.datasource.url", servers.postgres().jdbcUrl(database));
    env.put("spring.datasource.username", PostgresServer.SUPERUSER);
    env.put("spring.datasource.password", "");
    env.put("ATRIUM_IDENTITY_ISSUER", TestIssuer.ISSUER);
    env.put("ATRIUM_IDENTITY_JWKS_URI", servers.issuer().jwksUri());
    env.put("ATRIUM_PLATFORM", "it");
    env.put("ATRIUM_NETDISK_PUBLIC_URL", "http://atrium.test/netdisk");
    env.put("ATRIUM_S3_ENDPOINT", servers.store().endpoint());
    env.put("ATRIUM_S3_BUCKET", bucket);
    env.put("ATRIUM_S3_ACCESS_KEY", servers.store().accessKey());
    env.put("ATRIUM_S3_SECRET_KEY", servers.store().secretKey());
    // small chunks keep the tests' files small (S3's smallest part is 5 MiB)
    env.put("ATRIUM_NETDISK_CHUNK_SIZE", "5MB");
    env.put("ATRIUM_NETDISK_MAX_FILE_SIZE", "64GB");
    env.put("ATRIUM_DB_POOL_SIZE", "5");
    env.put("ATRIUM_SHUTDOWN_TIMEOUT", "5s");
    env.put("logging.level.root", "WARN");
    env.put("logging.level.dev.atrium", "INFO");
    env.putAll(extra);
    List<String> args = new ArrayList<>();
    env.forEach((key, value) -> args.add("--" + key + "=" + value));
    return new NetdiskInstance(new SpringApplicationBuilder(NetdiskApplication.class).run(args.toArray(String[]::new)));
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
