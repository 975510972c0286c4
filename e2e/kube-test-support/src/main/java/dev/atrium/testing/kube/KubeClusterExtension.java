package dev.atrium.testing.kube;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JUnit extension behind {@link WithKubeCluster}. The cluster is started once per test run (in the
 * root store, closed when the run ends) and a failure to start it is remembered, so every class
 * that needs it fails fast with the same reason instead of trying again.
 */
public final class KubeClusterExtension
    implements BeforeAllCallback, ParameterResolver, AfterTestExecutionCallback, LifecycleMethodExecutionExceptionHandler {

  private static final Logger LOG = LoggerFactory.getLogger(KubeClusterExtension.class);
  private static final ExtensionContext.Namespace STORE = ExtensionContext.Namespace.create(KubeClusterExtension.class);
  /** Label on every namespace a test creates, so leftovers can be found on a shared cluster. */
  public static final String TEST_LABEL = "atrium.dev/test";

  @Override
  public void beforeAll(ExtensionContext context) {
    cluster(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == KubeCluster.class || type == KubernetesClient.class || type == TestNamespace.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    if (type == TestNamespace.class) {
      return namespace(context).namespace();
    }
    KubeCluster cluster = cluster(context);
    return type == KubernetesClient.class ? cluster.client() : cluster;
  }

  @Override
  public void afterTestExecution(ExtensionContext context) {
    context.getExecutionException().ifPresent(e -> markFailed(context));
  }

  @Override
  public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
    markFailed(context);
    throw throwable;
  }

  @Override
  public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
    markFailed(context);
    throw throwable;
  }

  @Override
  public void handleAfterEachMethodExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
    markFailed(context);
    throw throwable;
  }

  @Override
  public void handleAfterAllMethodExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
    markFailed(context);
    throw throwable;
  }

  private static void markFailed(ExtensionContext context) {
    cluster(context).markFailed();
    ClassNamespace ns = classStore(context).get(ClassNamespace.class, ClassNamespace.class);
    if (ns != null) {
      ns.failed.set(true);
    }
  }

  private static KubeCluster cluster(ExtensionContext context) {
    ClusterHolder holder = context.getRoot().getStore(STORE)
        .computeIfAbsent(ClusterHolder.class, k -> ClusterHolder.start(), ClusterHolder.class);
    return holder.get();
  }

  private static ExtensionContext.Store classStore(ExtensionContext context) {
    ExtensionContext classContext = context;
    while (classContext.getParent().isPresent() && classContext.getTestMethod().isPresent()) {
      classContext = classContext.getParent().get();
    }
    return classContext.getStore(STORE);
  }

  private static ClassNamespace namespace(ExtensionContext context) {
    KubeCluster cluster = cluster(context);
    String prefix = context.getRequiredTestClass().getSimpleName();
    return classStore(context).computeIfAbsent(ClassNamespace.class,
        k -> ClassNamespace.create(cluster.client(), prefix), ClassNamespace.class);
  }

  /** The run's cluster, or why it could not be had. */
  private record ClusterHolder(KubeCluster cluster, RuntimeException failure) implements AutoCloseable {

    static ClusterHolder start() {
      try {
        KubeCluster cluster = KubeClusters.fromSystemProperties();
        LOG.info("Tests run on {}", cluster.description());
        return new ClusterHolder(cluster, null);
      } catch (RuntimeException e) {
        return new ClusterHolder(null, e);
      }
    }

    KubeCluster get() {
      if (failure != null) {
        throw new ClusterUnavailableException(failure.getMessage(), failure);
      }
      return cluster;
    }

    @Override
    public void close() {
      if (cluster != null) {
        cluster.close();
      }
    }
  }

  private record ClassNamespace(KubernetesClient client, TestNamespace namespace, AtomicBoolean failed)
      implements AutoCloseable {

    static ClassNamespace create(KubernetesClient client, String prefix) {
      String base = prefix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
      base = base.substring(0, Math.min(base.length(), 50));
      String name = base + "-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);
      client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name)
          .addToLabels(TEST_LABEL, "true").endMetadata().build()).create();
      // Pods are refused until the controller manager has made the namespace's default service account.
      Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
      while (client.serviceAccounts().inNamespace(name).withName("default").get() == null) {
        if (Instant.now().isAfter(deadline)) {
          throw new IllegalStateException("namespace " + name + " got no default service account within 60s");
        }
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      }
      return new ClassNamespace(client, new TestNamespace(name), new AtomicBoolean());
    }

    @Override
    public void close() {
      if (failed.get()) {
        LOG.warn("Keeping namespace {} because a test in it failed", namespace.name());
        return;
      }
      client.namespaces().withName(namespace.name()).delete();
    }
  }
}
