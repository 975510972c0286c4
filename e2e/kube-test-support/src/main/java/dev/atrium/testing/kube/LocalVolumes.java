package dev.atrium.testing.kube;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;

/**
 * Storage for a cluster without a volume provisioner: a default StorageClass for static local
 * volumes (no provisioner, bound when a pod is scheduled) and a set of local PersistentVolumes
 * pinned to each node. kube-scheduler then places a StatefulSet's pods next to free volumes and
 * the PV controller binds their claims, as it does with local volumes on a real cluster. KWOK
 * runs no kubelet, so nothing is ever mounted.
 */
public final class LocalVolumes {

  public static final String STORAGE_CLASS = "local";
  static final String CAPACITY = "1Ti";

  private LocalVolumes() {
  }

  /** Creates the StorageClass and {@code perNode} volumes on each node. */
  public static void provision(KubernetesClient client, int perNode) {
    client.storage().v1().storageClasses().resource(new StorageClassBuilder()
        .withNewMetadata().withName(STORAGE_CLASS)
          .addToAnnotations("storageclass.kubernetes.io/is-default-class", "true").endMetadata()
        .withProvisioner("kubernetes.io/no-provisioner")
        .withVolumeBindingMode("WaitForFirstConsumer")
        .withReclaimPolicy("Retain")
        .build()).serverSideApply();
    List<Node> nodes = client.nodes().list().getItems();
    for (Node node : nodes) {
      String nodeName = node.getMetadata().getName();
      for (int i = 0; i < perNode; i++) {
        client.persistentVolumes().resource(volume(nodeName, i)).serverSideApply();
      }
    }
  }

  static PersistentVolume volume(String node, int index) {
    return new PersistentVolumeBuilder()
        .withNewMetadata().withName(node + "-pv-" + index).addToLabels("atrium.dev/test-volume", "true").endMetadata()
        .withNewSpec()
          .addToCapacity("storage", new Quantity(CAPACITY))
          .withAccessModes("ReadWriteOnce")
          .withPersistentVolumeReclaimPolicy("Retain")
          .withStorageClassName(STORAGE_CLASS)
          .withNewLocal().withPath("/var/lib/atrium/volumes/" + index).endLocal()
          .withNewNodeAffinity().withNewRequired().addNewNodeSelectorTerm().addNewMatchExpression()
            .withKey("kubernetes.io/hostname").withOperator("In").withValues(node)
          .endMatchExpression().endNodeSelectorTerm().endRequired().endNodeAffinity()
        .endSpec()
        .build();
  }
}
