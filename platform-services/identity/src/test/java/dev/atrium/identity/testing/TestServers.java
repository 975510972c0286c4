package dev.atrium.identity.testing;

import dev.atrium.servicetesting.PostgresServer;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit extension giving integration tests a real PostgreSQL for the whole run (started on first use, stopped
 * when the run ends) and an identity instance with a database of its own per test class.
 */
public final class TestServers implements ParameterResolver {

  private static final AtomicInteger DATABASES = new AtomicInteger();

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == PostgresServer.class || type == IdentityInstance.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    if (parameter.getParameter().getType() == PostgresServer.class) {
      return postgres(context);
    }
    // one instance per test class, closed when the class's store closes
    return context.getStore(ExtensionContext.Namespace.create(TestServers.class, context.getRequiredTestClass()))
        .computeIfAbsent(IdentityInstance.class, key -> IdentityInstance.start(postgres(context),
            newDatabase(postgres(context)), java.util.Map.of()), IdentityInstance.class);
  }

  public static PostgresServer postgres(ExtensionContext context) {
    return context.getRoot().getStore(ExtensionContext.Namespace.create(TestServers.class))
        .computeIfAbsent(PostgresServer.class, key -> PostgresServer.start(), PostgresServer.class);
  }

  public static String newDatabase(PostgresServer postgres) {
    String name = "identity_" + DATABASES.incrementAndGet();
    postgres.createDatabase(name);
    return name;
  }
}
