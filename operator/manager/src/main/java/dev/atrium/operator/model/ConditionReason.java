package dev.atrium.operator.model;

/**
 * Every reason the operator writes on a platform's conditions and events, as the CamelCase token
 * Kubernetes shows; one list, so a reason is never spelt two ways and tests and alerts can rely on it.
 */
public enum ConditionReason {
  // Ready
  ALL_COMPONENTS_READY("AllComponentsReady"),
  COMPONENTS_NOT_READY("ComponentsNotReady"),
  PENDING("Pending"),
  // Ready=False and Progressing (spec.hibernate); also events
  HIBERNATING("Hibernating"),
  HIBERNATED("Hibernated"),
  WAKING("Waking"),
  HIBERNATION_WAITS_FOR_UPGRADE("HibernationWaitsForUpgrade"),
  // Progressing
  ROLLING_OUT("RollingOut"),
  STABLE("Stable"),
  HALTED("Halted"),
  UPGRADING("Upgrading"),
  UPGRADE_PAUSED("UpgradePaused"),
  // Degraded=False
  AS_EXPECTED("AsExpected"),
  // Degraded=True: the spec asks for something the cluster does not offer
  UNKNOWN_VERSION("UnknownVersion"),
  INVALID_RELEASE("InvalidRelease"),
  MISSING_SECRET("MissingSecret"),
  MISSING_AUTOSCALING_POLICY("MissingAutoscalingPolicy"),
  INVALID_AUTOSCALING_POLICY("InvalidAutoscalingPolicy"),
  // Degraded=True: an object the operator would write belongs to someone else
  OBJECT_CONFLICT("ObjectConflict"),
  // Degraded=True: the API server refused, or the operator failed
  APPLY_FAILED("ApplyFailed"),
  PRUNE_FAILED("PruneFailed"),
  RECONCILE_FAILED("ReconcileFailed"),
  // Degraded=True: upgrades
  UPGRADE_NOT_ALLOWED("UpgradeNotAllowed"),
  SOURCE_RELEASE_MISSING("SourceReleaseMissing"),
  UPGRADE_HALTED("UpgradeHalted"),
  UPGRADE_ROLLED_BACK("UpgradeRolledBack"),
  UPGRADE_BACKUP_FAILED("UpgradeBackupFailed"),
  // an AutoscalingPolicy's Valid=False
  INVALID_WINDOWS("InvalidWindows"),
  // spec.backup.schedule not understood (Degraded)
  INVALID_BACKUP_SCHEDULE("InvalidBackupSchedule"),
  // spec.backup.encryptionKey not a usable public key (Degraded; the backups fail until it is)
  INVALID_BACKUP_ENCRYPTION_KEY("InvalidBackupEncryptionKey"),
  // spec.restore.decryptionKey: the platform's data cannot be read or restored (Degraded, or the pass stops before
  // any credential is generated)
  RESTORE_FAILED("RestoreFailed"),
  // Ready=False while a restore refills the buckets from the backup
  RESTORING_DATA("RestoringData"),
  // events only
  READY("Ready"),
  RECOVERED("Recovered"),
  PRUNED("Pruned"),

  // PlatformBackup: Completed and Verified
  PLATFORM_NOT_FOUND("PlatformNotFound"),
  BACKUP_NOT_CONFIGURED("BackupNotConfigured"),
  PLATFORM_HIBERNATED("PlatformHibernated"),
  WAITING_FOR_PRIMARY("WaitingForPrimary"),
  BACKUP_RUNNING("BackupRunning"),
  BACKUP_COMPLETED("BackupCompleted"),
  BACKUP_FAILED("BackupFailed"),
  BACKUP_INTERRUPTED("BackupInterrupted"),
  VERIFYING("Verifying"),
  VERIFIED("Verified"),
  VERIFICATION_FAILED("VerificationFailed");

  private final String token;

  ConditionReason(String token) {
    this.token = token;
  }

  /** The reason as written on a condition or event, e.g. UnknownVersion. */
  public String token() {
    return token;
  }

  @Override
  public String toString() {
    return token;
  }
}
