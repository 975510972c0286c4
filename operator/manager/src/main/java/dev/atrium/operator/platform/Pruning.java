package dev.atrium.operator.platform;

import dev.atrium.operator.model.DesiredState;
import dev.atrium.operator.model.Labels;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which live objects a platform no longer wants: those of a prunable kind that this very platform
 * controls (its uid in their controller owner reference), that carry the operator's managed-by
 * label and this platform's instance label, and that no model returned or kept. Pure.
 *
 * <p>Never pruned, whatever the models say: PersistentVolumeClaims and Secrets (data and generated
 * credentials; neither is even a candidate), and StatefulSets, because deleting a data store's
 * StatefulSet whose volumes are reclaimed on delete would delete its data, and no data store can be
 * switched off.
 */
final class Pruning {

  /**
   * The kinds pruning may delete: what a switched-off service, autoscaler, network rule or front door leaves, and
   * a pod account (the database's ServiceAccount, Role and RoleBinding for Patroni) no model returns any more.
   */
  static final List<Class<? extends HasMetadata>> PRUNABLE = List.of(Deployment.class, Service.class,
      ConfigMap.class, PodDisruptionBudget.class, HorizontalPodAutoscaler.class, NetworkPolicy.class, Ingress.class,
      ServiceAccount.class, Role.class, RoleBinding.class);

  private static final Set<String> PRUNABLE_KINDS = Set.copyOf(PRUNABLE.stream().map(Pruning::kindOf).toList());

  private Pruning() {
  }

  /**
   * @param live the platform's objects as the informers have them
   * @param desired what the models want now
   * @param platformName the platform's metadata.name
   * @param platformUid the platform's metadata.uid
   * @return the objects to delete
   */
  static List<HasMetadata> unwanted(List<HasMetadata> live, DesiredState desired, String platformName,
      String platformUid) {
    Set<String> wanted = new HashSet<>();
    desired.resources().forEach(r -> wanted.add(key(r.getKind(), r.getMetadata().getName())));
    desired.kept().forEach(k -> wanted.add(key(k.kind(), k.name())));
    return live.stream()
        .filter(object -> PRUNABLE_KINDS.contains(object.getKind()))
        .filter(object -> !wanted.contains(key(object.getKind(), object.getMetadata().getName())))
        .filter(object -> controlledBy(object, platformUid))
        .filter(object -> labelled(object, platformName))
        .toList();
  }

  /** Whether the platform with this uid is the object's controller. */
  static boolean controlledBy(HasMetadata object, String platformUid) {
    List<OwnerReference> owners = object.getMetadata().getOwnerReferences();
    return platformUid != null && owners != null && owners.stream()
        .anyMatch(o -> Boolean.TRUE.equals(o.getController()) && platformUid.equals(o.getUid()));
  }

  /** Whether the object carries the operator's managed-by label and the platform's instance label. */
  static boolean labelled(HasMetadata object, String platformName) {
    Map<String, String> labels = object.getMetadata().getLabels();
    return labels != null && Labels.MANAGED_BY_VALUE.equals(labels.get(Labels.MANAGED_BY))
        && platformName.equals(labels.get(Labels.INSTANCE));
  }

  static String key(String kind, String name) {
    return kind + "/" + name;
  }

  private static String kindOf(Class<? extends HasMetadata> type) {
    return HasMetadata.getKind(type);
  }
}
