package dev.atrium.operator.model;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything a platform (or one component) should have in the cluster, and what it keeps on purpose.
 *
 * <p>What a model leaves out is no longer wanted: the reconciler prunes the objects of the kinds it
 * manages that this platform owns and no model returned. An object a model wants left as it is, neither
 * written nor pruned (an autoscaler whose policy is missing keeps working with its last settings), is
 * listed in {@code kept}, with why.
 *
 * @param resources the objects to apply
 * @param secrets generated credentials to create once (never pruned, never rewritten)
 * @param kept objects to leave exactly as they are
 */
public record DesiredState(List<HasMetadata> resources, List<GeneratedSecret> secrets, List<Kept> kept) {

  /**
   * An object kept as it is in the cluster.
   *
   * @param kind its kind, e.g. HorizontalPodAutoscaler
   * @param name its name in the platform's namespace
   * @param why why it is kept, for logs and the docs
   */
  public record Kept(String kind, String name, String why) {
  }

  public DesiredState {
    resources = List.copyOf(resources);
    secrets = List.copyOf(secrets);
    kept = List.copyOf(kept);
  }

  public DesiredState(List<HasMetadata> resources, List<GeneratedSecret> secrets) {
    this(resources, secrets, List.of());
  }

  public static DesiredState of(List<HasMetadata> resources) {
    return new DesiredState(resources, List.of(), List.of());
  }

  /** Nothing: a component that is switched off. */
  public static DesiredState none() {
    return new DesiredState(List.of(), List.of(), List.of());
  }

  public DesiredState plus(DesiredState other) {
    List<HasMetadata> r = new ArrayList<>(resources);
    r.addAll(other.resources);
    List<GeneratedSecret> s = new ArrayList<>(secrets);
    s.addAll(other.secrets);
    List<Kept> k = new ArrayList<>(kept);
    k.addAll(other.kept);
    return new DesiredState(r, s, k);
  }

  /** The same with one more object kept as it is. */
  public DesiredState keeping(Kept object) {
    List<Kept> k = new ArrayList<>(kept);
    k.add(object);
    return new DesiredState(resources, secrets, k);
  }
}
