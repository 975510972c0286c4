package dev.atrium.api.v1alpha1;

/** What happens to a stateful component's volumes when the platform is deleted. */
public enum VolumeReclaimPolicy {
  /** Keep the PersistentVolumeClaims (and the data) after the platform is deleted. */
  Retain,
  /** Delete the PersistentVolumeClaims with the platform. */
  Delete
}
