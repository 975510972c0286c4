package dev.atrium.netdisk.testing;

import dev.atrium.servicetesting.PostgresServer;
import dev.atrium.servicetesting.SeaweedServer;
import dev.atrium.servicetesting.TestIssuer;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit extension giving netdisk's integration tests real servers: one PostgreSQL, one object store (SeaweedFS's
 * weed, as the platform runs it) and one token issuer for the whole run, and a netdisk replica most tests share.
 * Tests take a {@link Servers} or a {@link NetdiskInstance}.
 */
public final class TestServers implements ParameterResolver {

  private static final AtomicInteger NAMES = new AtomicInteger();

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == Servers.class || type == NetdiskInstance.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == Servers.class ? servers(context) : sharedInstance(context);
  }

  public static NetdiskInstance sharedInstance(ExtensionContext context) {
    Servers servers = servers(context);
    return context.getRoot().getStore(ExtensionContext.Namespace.create(TestServers.class))
        .computeIfAbsent(NetdiskInstance.class, key -> NetdiskInstance.start(servers, servers.database(),
            servers.bucket(), java.util.Map.of()), NetdiskInstance.class);
  }

  public static Servers servers(ExtensionContext context) {
    return context.getRoot().getStore(ExtensionContext.Namespace.create(TestServers.class))
        .computeIfAbsent(Servers.class, key -> Servers.start(), Servers.class);
  }

  /** The servers of one test run, closed when it ends. */
  public record Servers(PostgresServer postgres, SeaweedServer store, TestIssuer issuer, String database, String bucket)
      implements AutoCloseable {

    static Servers start() {
      PostgresServer postgres = PostgresServer.start();
      try {
        SeaweedServer store = SeaweedServer.start();
        return new Servers(postgres, store, TestIssuer.start(), newDatabase(postgres), newBucketName());
      } catch (RuntimeException e) {
        postgres.close();
        throw e;
      }
    }

    /** An empty database of its own, for a test that must not share one. */
    public String newDatabase() {
      return newDatabase(postgres);
    }

    public static String newBucketName() {
      return "netdisk-" + NAMES.incrementAndGet();
    }

    private static String newDatabase(PostgresServer postgres) {
      String name = "netdisk_" + NAMES.incrementAndGet();
      postgres.createDatabase(name);
      return name;
    }

    @Override
    public void close() {
      try (postgres; store; issuer) {
        // closed in reverse order
      }
    }
  }
}
