package dev.atrium.operator.model;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.List;

/** Everything a platform (or one component) should have in the cluster. */
public record DesiredState(List<HasMetadata> resources, List<GeneratedSecret> secrets) {

  public DesiredState {
    resources = List.copyOf(resources);
    secrets = List.copyOf(secrets);
  }

  public static DesiredState of(List<HasMetadata> resources) {
    return new DesiredState(resources, List.of());
  }

  public DesiredState plus(DesiredState other) {
    List<HasMetadata> r = new ArrayList<>(resources);
    r.addAll(other.resources);
    List<GeneratedSecret> s = new ArrayList<>(secrets);
    s.addAll(other.secrets);
    return new DesiredState(r, s);
  }
}
