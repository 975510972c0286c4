package dev.atrium.testing.kube;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Installs CRDs the way `kubectl apply --server-side` does, and waits until the API serves them. */
public final class Crds {

  public static final String FIELD_MANAGER = "atrium-install";

  private Crds() {
  }

  public static CustomResourceDefinition install(KubernetesClient client, Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return install(client, in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the CRD " + file, e);
    }
  }

  public static CustomResourceDefinition install(KubernetesClient client, InputStream yaml) {
    var crds = client.apiextensions().v1().customResourceDefinitions();
    CustomResourceDefinition crd = crds.load(yaml).item();
    crds.resource(crd).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
    // right after the apply the status may have no conditions yet
    return crds.withName(crd.getMetadata().getName()).waitUntilCondition(c -> c != null && c.getStatus() != null
        && c.getStatus().getConditions() != null && c.getStatus().getConditions().stream()
            .anyMatch(cond -> "Established".equals(cond.getType()) && "True".equals(cond.getStatus())),
        60, TimeUnit.SECONDS);
  }
}
