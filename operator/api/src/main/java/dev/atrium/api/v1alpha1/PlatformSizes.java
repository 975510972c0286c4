package dev.atrium.api.v1alpha1;

/**
 * The names of the size presets, and what the schema must know of them. The presets' numbers live in
 * the operator (dev.atrium.operator.model.SizePreset); the schema only needs the names, to refuse an unknown
 * one, and each preset's object-store servers, to refuse a change that would shrink the object store.
 * SizePresetTest checks both against the operator's table.
 */
public final class PlatformSizes {

  /** The presets as a CEL list, smallest first. */
  public static final String NAMES_CEL = "['100users', '1000users', '5000users', '25000users']";

  /** The object store's servers of each preset, as a CEL map. */
  public static final String OBJECT_STORE_REPLICAS_CEL =
      "{'100users': 1, '1000users': 4, '5000users': 4, '25000users': 8}";

  /** The object store's servers when neither objectStore.replicas nor size is set (the 1000users preset). */
  public static final String OBJECT_STORE_REPLICAS_UNSIZED = "4";

  private PlatformSizes() {
  }

  /** The object store's servers a spec (self or oldSelf) asks for: its explicit count, its size's, or 4. */
  static final String EFFECTIVE_OBJECT_STORE_SELF = "(has(self.objectStore.replicas) ? self.objectStore.replicas"
      + " : has(self.size) && self.size in " + OBJECT_STORE_REPLICAS_CEL + " ? " + OBJECT_STORE_REPLICAS_CEL
      + "[self.size] : " + OBJECT_STORE_REPLICAS_UNSIZED + ")";
  static final String EFFECTIVE_OBJECT_STORE_OLD = "(has(oldSelf.objectStore.replicas) ? oldSelf.objectStore.replicas"
      + " : has(oldSelf.size) && oldSelf.size in " + OBJECT_STORE_REPLICAS_CEL + " ? " + OBJECT_STORE_REPLICAS_CEL
      + "[oldSelf.size] : " + OBJECT_STORE_REPLICAS_UNSIZED + ")";
}
