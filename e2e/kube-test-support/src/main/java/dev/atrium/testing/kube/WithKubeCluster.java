package dev.atrium.testing.kube;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test class against a real cluster. Test methods, constructors and lifecycle methods may
 * take a {@link KubeCluster}, a Fabric8 {@code KubernetesClient} or a {@link TestNamespace}.
 * One cluster serves the whole test run; each test class gets a namespace of its own.
 */
@Documented
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(KubeClusterExtension.class)
@Tag("cluster")
public @interface WithKubeCluster {
}
