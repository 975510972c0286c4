package dev.atrium.api.v1alpha1;

/** Whether a failed upgrade step returns its component to the previous image by itself. */
public enum RollbackPolicy {
  Manual, Automatic
}
