package dev.atrium.operator.backup;

import dev.atrium.api.v1alpha1.BackupStatus;
import dev.atrium.api.v1alpha1.PlatformBackup;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** A platform's status.backup: its backups in short, from its PlatformBackups. */
public final class BackupSummary {

  private BackupSummary() {
  }

  /**
   * @param archiving whether spec.backup is on (the database archives WAL)
   * @param backups the platform's PlatformBackups
   * @param next when the schedule takes the next base backup
   * @return null when backups are off and there are none: the status says nothing then
   */
  public static BackupStatus of(boolean archiving, List<PlatformBackup> backups, Optional<Instant> next) {
    if (!archiving && backups.isEmpty()) {
      return null;
    }
    List<PlatformBackup> completed = backups.stream()
        .filter(b -> b.getStatus() != null && "Completed".equals(b.getStatus().getPhase())
            && b.getStatus().getCompletedAt() != null)
        .sorted(Comparator.comparing((PlatformBackup b) -> b.getStatus().getCompletedAt()).reversed())
        .toList();
    BackupStatus status = new BackupStatus();
    status.setArchiving(archiving);
    status.setCompleted(completed.size());
    if (!completed.isEmpty()) {
      PlatformBackup last = completed.getFirst();
      status.setLastBackup(last.getMetadata().getName());
      status.setLastBackupCompletedAt(last.getStatus().getCompletedAt());
      status.setLastBackupVerified(last.getStatus().getVerified());
    }
    completed.stream().filter(b -> Boolean.TRUE.equals(b.getStatus().getVerified())).findFirst()
        .ifPresent(b -> status.setLastVerifiedBackup(b.getMetadata().getName()));
    next.ifPresent(at -> status.setNextScheduledBackup(at.toString()));
    return status;
  }
}
