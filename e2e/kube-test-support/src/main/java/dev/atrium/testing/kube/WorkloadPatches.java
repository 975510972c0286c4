package dev.atrium.testing.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

/**
 * Changes to a Deployment's or StatefulSet's template that a test makes as a user would with
 * {@code kubectl patch --type json}: a JSON patch carries no resourceVersion, so it cannot meet the
 * 409 that a read-modify-write ({@code edit}) meets when a controller has just written the status.
 */
public final class WorkloadPatches {

  private WorkloadPatches() {
  }

  /** Sets the image of the template's first container. */
  public static <T extends HasMetadata> T replaceFirstImage(Resource<T> workload, String image) {
    return workload.patch(PatchContext.of(PatchType.JSON),
        "[{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/0/image\",\"value\":" + quoted(image) + "}]");
  }

  /** Sets the image of the template's first container and the number of replicas at once. */
  public static <T extends HasMetadata> T replaceFirstImageAndReplicas(Resource<T> workload, String image,
      int replicas) {
    return workload.patch(PatchContext.of(PatchType.JSON),
        "[{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/0/image\",\"value\":" + quoted(image) + "},"
            + "{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":" + replicas + "}]");
  }

  private static String quoted(String value) {
    if (value.chars().anyMatch(c -> c == '"' || c == '\\' || c < 0x20)) {
      throw new IllegalArgumentException("an image reference has no quotes, backslashes or control characters");
    }
    return "\"" + value + "\"";
  }
}
