package dev.atrium.webos.testing;

import dev.atrium.servicetesting.PostgresServer;
import dev.atrium.servicetesting.RedisServer;
import dev.atrium.servicetesting.TestIssuer;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit extension giving webos's integration tests real servers: one PostgreSQL, one Redis and one token issuer
 * for the whole run; each test class takes a database of its own ({@link Servers#newDatabase()}).
 */
public final class TestServers implements ParameterResolver {

  private static final AtomicInteger NAMES = new AtomicInteger();

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == Servers.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return servers(context);
  }

  /** The run's servers (started by the first test that asks). */
  public static Servers servers(ExtensionContext context) {
    return context.getRoot().getStore(ExtensionContext.Namespace.create(TestServers.class))
        .computeIfAbsent(Servers.class, key -> Servers.start(), Servers.class);
  }

  /** The servers of one test run, closed when it ends. */
  public record Servers(PostgresServer postgres, RedisServer redis, TestIssuer issuer) implements AutoCloseable {

    static Servers start() {
      PostgresServer postgres = PostgresServer.start();
      try {
        RedisServer redis = RedisServer.start();
        return new Servers(postgres, redis, TestIssuer.start());
      } catch (RuntimeException e) {
        postgres.close();
        throw e;
      }
    }

    /** An empty database of its own. */
    public String newDatabase() {
      String name = "webos_" + NAMES.incrementAndGet();
      postgres.createDatabase(name);
      return name;
    }

    @Override
    public void close() {
      try (postgres; redis; issuer) {
        // closed in reverse order
      }
    }
  }

  /** Closes each of {@code closeables} (nulls skipped), all of them even when one fails. */
  public static void closeAll(AutoCloseable... closeables) {
    for (AutoCloseable closeable : closeables) {
      try {
        if (closeable != null) {
          closeable.close();
        }
      } catch (Exception e) {
        // the rest still close
      }
    }
  }
}
