package dev.atrium.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A platform's backups in short; each one's details are in its PlatformBackup. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class BackupStatus {

  @JsonPropertyDescription("Whether the database archives its WAL to spec.backup.destination.")
  private Boolean archiving;

  @JsonPropertyDescription("How many of this platform's PlatformBackups completed.")
  private Integer completed;

  @JsonPropertyDescription("The latest PlatformBackup that completed.")
  private String lastBackup;

  @JsonPropertyDescription("When it ended (RFC 3339).")
  private String lastBackupCompletedAt;

  @JsonPropertyDescription("Whether it verified: restored, started and read. Empty while the check runs.")
  private Boolean lastBackupVerified;

  @JsonPropertyDescription("The latest PlatformBackup that verified: the newest base backup known to restore.")
  private String lastVerifiedBackup;

  @JsonPropertyDescription("When the schedule takes the next base backup (RFC 3339).")
  private String nextScheduledBackup;

  public Boolean getArchiving() {
    return archiving;
  }

  public void setArchiving(Boolean archiving) {
    this.archiving = archiving;
  }

  public Integer getCompleted() {
    return completed;
  }

  public void setCompleted(Integer completed) {
    this.completed = completed;
  }

  public String getLastBackup() {
    return lastBackup;
  }

  public void setLastBackup(String lastBackup) {
    this.lastBackup = lastBackup;
  }

  public String getLastBackupCompletedAt() {
    return lastBackupCompletedAt;
  }

  public void setLastBackupCompletedAt(String lastBackupCompletedAt) {
    this.lastBackupCompletedAt = lastBackupCompletedAt;
  }

  public Boolean getLastBackupVerified() {
    return lastBackupVerified;
  }

  public void setLastBackupVerified(Boolean lastBackupVerified) {
    this.lastBackupVerified = lastBackupVerified;
  }

  public String getLastVerifiedBackup() {
    return lastVerifiedBackup;
  }

  public void setLastVerifiedBackup(String lastVerifiedBackup) {
    this.lastVerifiedBackup = lastVerifiedBackup;
  }

  public String getNextScheduledBackup() {
    return nextScheduledBackup;
  }

  public void setNextScheduledBackup(String nextScheduledBackup) {
    this.nextScheduledBackup = nextScheduledBackup;
  }
}
