package dev.atrium.servicetesting;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The message center as its own process (its runnable jar, as the image runs it), configured as the operator
 * configures it, trusting the issuer and JWKS it is given (identity's, or a {@link TestIssuer}'s). The jar's path
 * is the system property {@code atrium.message-center.jar}: a service's pom copies it there before its ITs.
 */
public final class MessageCenterProcess implements AutoCloseable {

  private final JarProcess process;

  private MessageCenterProcess(JarProcess process) {
    this.process = process;
  }

  public static MessageCenterProcess start(PostgresServer postgres, String database, RedisServer redis,
      String issuer, String jwksUri) {
    return start(postgres, database, redis, issuer, jwksUri, FreePort.pick());
  }

  /** As above, on a port chosen before (a client configured with it before the message center is up). */
  public static MessageCenterProcess start(PostgresServer postgres, String database, RedisServer redis,
      String issuer, String jwksUri, int port) {
    Map<String, String> args = new LinkedHashMap<>();
    args.put("spring.datasource.url", postgres.jdbcUrl(database));
    args.put("spring.datasource.username", PostgresServer.SUPERUSER);
    args.put("spring.datasource.password", "");
    args.put("spring.data.redis.host", "127.0.0.1");
    args.put("spring.data.redis.port", Integer.toString(redis.port()));
    args.put("ATRIUM_IDENTITY_ISSUER", issuer);
    args.put("ATRIUM_IDENTITY_JWKS_URI", jwksUri);
    args.put("ATRIUM_PLATFORM", "it");
    args.put("logging.level.root", "WARN");
    return new MessageCenterProcess(JarProcess.start("the message center", "atrium.message-center.jar",
        "target/it-services/message-center.jar", port, args));
  }

  public URI uri(String path) {
    return process.uri(path);
  }

  @Override
  public void close() {
    process.close();
  }
}
