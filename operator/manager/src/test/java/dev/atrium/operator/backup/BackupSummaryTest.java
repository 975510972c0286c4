package dev.atrium.operator.backup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrium.api.v1alpha1.BackupStatus;
import dev.atrium.api.v1alpha1.PlatformBackup;
import dev.atrium.api.v1alpha1.PlatformBackupStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BackupSummaryTest {

  @Test
  void aPlatformWithoutBackupsAndNoneTakenSaysNothing() {
    assertThat(BackupSummary.of(false, List.of(), Optional.empty())).isNull();
  }

  @Test
  void theLastCompletedAndTheLastVerifiedAreNamedAndFailedOnesAreNotCounted() {
    BackupStatus status = BackupSummary.of(true, List.of(
        backup("monday", "Completed", "2026-11-23T02:00:09Z", true),
        backup("tuesday", "Completed", "2026-11-24T02:00:09Z", false),
        backup("wednesday", "Failed", null, null),
        backup("thursday", "Running", null, null)), Optional.of(Instant.parse("2026-11-27T02:00:00Z")));
    assertThat(status.getArchiving()).isTrue();
    assertThat(status.getCompleted()).isEqualTo(2);
    assertThat(status.getLastBackup()).isEqualTo("tuesday");
    assertThat(status.getLastBackupVerified()).isFalse();
    assertThat(status.getLastVerifiedBackup()).isEqualTo("monday");
    assertThat(status.getNextScheduledBackup()).isEqualTo("2026-11-27T02:00:00Z");
  }

  @Test
  void backupsTakenBeforeBackupsWereTurnedOffAreStillSummedUp() {
    BackupStatus status = BackupSummary.of(false, List.of(backup("old", "Completed", "2026-11-01T02:00:09Z", true)),
        Optional.empty());
    assertThat(status.getArchiving()).isFalse();
    assertThat(status.getLastVerifiedBackup()).isEqualTo("old");
    assertThat(status.getNextScheduledBackup()).isNull();
  }

  private static PlatformBackup backup(String name, String phase, String completedAt, Boolean verified) {
    PlatformBackup backup = new PlatformBackup();
    backup.setMetadata(new ObjectMetaBuilder().withName(name).build());
    PlatformBackupStatus status = new PlatformBackupStatus();
    status.setPhase(phase);
    status.setCompletedAt(completedAt);
    status.setVerified(verified);
    backup.setStatus(status);
    return backup;
  }
}
