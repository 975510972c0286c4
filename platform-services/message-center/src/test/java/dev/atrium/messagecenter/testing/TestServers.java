package dev.atrium.messagecenter.testing;

import dev.atrium.servicetesting.TestIssuer;
import dev.atrium.servicetesting.PostgresServer;
import dev.atrium.servicetesting.RedisServer;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit extension giving integration tests the real servers: one PostgreSQL, one Redis and one JWKS endpoint
 * for the whole test run (started on first use, stopped when the run ends), and one migrated message-center
 * database shared by the service instances of the run. Test methods and constructors may take a
 * {@link Servers}, and a {@link MessageCenterInstance} for the replica they share.
 */
public final class TestServers implements ParameterResolver {

  private static final AtomicInteger DATABASES = new AtomicInteger();

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == Servers.class || type == MessageCenterInstance.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == Servers.class ? servers(context) : sharedInstance(context);
  }

  /** The message-center replica most tests share; started on first use, stopped before the servers. */
  public static MessageCenterInstance sharedInstance(ExtensionContext context) {
    Servers servers = servers(context);
    return context.getRoot().getStore(ExtensionContext.Namespace.create(TestServers.class))
        .computeIfAbsent(MessageCenterInstance.class, key -> MessageCenterInstance.start(servers),
            MessageCenterInstance.class);
  }

  public static Servers servers(ExtensionContext context) {
    return context.getRoot().getStore(ExtensionContext.Namespace.create(TestServers.class))
        .computeIfAbsent(Servers.class, key -> Servers.start(), Servers.class);
  }

  /** The servers of one test run; the store closes them when the run ends. */
  public record Servers(PostgresServer postgres, RedisServer redis, TestIssuer jwks, String database)
      implements AutoCloseable {

    static Servers start() {
      PostgresServer postgres = PostgresServer.start();
      try {
        RedisServer redis = RedisServer.start();
        String database = newDatabase(postgres);
        return new Servers(postgres, redis, TestIssuer.start(), database);
      } catch (RuntimeException e) {
        postgres.close();
        throw e;
      }
    }

    /** An empty database of its own, for a test that must not share one. */
    public String newDatabase() {
      return newDatabase(postgres);
    }

    private static String newDatabase(PostgresServer postgres) {
      String name = "messages_" + DATABASES.incrementAndGet();
      postgres.createDatabase(name);
      return name;
    }

    @Override
    public void close() {
      try (postgres; redis; jwks) {
        // closed in reverse order by try-with-resources
      }
    }
  }
}
