package dev.atrium.api.v1alpha1;

/** What asked for a backup: a person or tool (OnDemand), spec.backup.schedule, or an upgrade about to start. */
public enum BackupTrigger {
  OnDemand, Scheduled, BeforeUpgrade
}
