package dev.atrium.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What the backup is and whether it restores. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class PlatformBackupStatus {

  @JsonPropertyDescription("The generation of the spec this status describes.")
  private Long observedGeneration;

  @JsonPropertyDescription("Pending (waiting for the database's primary), Running, Completed or Failed.")
  private String phase;

  @JsonPropertyDescription("Completed and Verified, each with a reason and a message.")
  private List<Condition> conditions = new ArrayList<>();

  @JsonPropertyDescription("The database pod that took it (the primary at the time).")
  private String pod;

  @JsonPropertyDescription("barman's id of the base backup, what a restore names.")
  private String backupId;

  @JsonPropertyDescription("When the base backup started (RFC 3339).")
  private String startedAt;

  @JsonPropertyDescription("When the base backup ended (RFC 3339): a restore can reach any point from here on.")
  private String completedAt;

  @JsonPropertyDescription("The first WAL segment the backup needs.")
  private String beginWal;

  @JsonPropertyDescription("The last WAL segment the backup needs.")
  private String endWal;

  @JsonPropertyDescription("The log sequence numbers the backup spans.")
  private String beginLsn;

  @JsonPropertyDescription("The log sequence number at which the backup is consistent.")
  private String endLsn;

  @JsonPropertyDescription("The timeline it was taken on.")
  private Long timeline;

  @JsonPropertyDescription("Its size in the bucket, in bytes.")
  private Long sizeBytes;

  @JsonPropertyDescription("True once it was restored into a scratch directory, started and read; false when that "
      + "failed (the Verified condition says why).")
  private Boolean verified;

  @JsonPropertyDescription("When the check ran (RFC 3339).")
  private String verifiedAt;

  @JsonPropertyDescription("What the check counted: rows of every table, as database.schema.table.")
  private Map<String, Long> verifiedRows = new TreeMap<>();

  @JsonPropertyDescription("The platform's own data taken with the database (only with spec.backup.encryptionKey): "
      + "where it is, what key opens it, and how much it holds.")
  private PlatformDataStatus platformData;

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public String getPhase() {
    return phase;
  }

  public void setPhase(String phase) {
    this.phase = phase;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  public String getPod() {
    return pod;
  }

  public void setPod(String pod) {
    this.pod = pod;
  }

  public String getBackupId() {
    return backupId;
  }

  public void setBackupId(String backupId) {
    this.backupId = backupId;
  }

  public String getStartedAt() {
    return startedAt;
  }

  public void setStartedAt(String startedAt) {
    this.startedAt = startedAt;
  }

  public String getCompletedAt() {
    return completedAt;
  }

  public void setCompletedAt(String completedAt) {
    this.completedAt = completedAt;
  }

  public String getBeginWal() {
    return beginWal;
  }

  public void setBeginWal(String beginWal) {
    this.beginWal = beginWal;
  }

  public String getEndWal() {
    return endWal;
  }

  public void setEndWal(String endWal) {
    this.endWal = endWal;
  }

  public String getBeginLsn() {
    return beginLsn;
  }

  public void setBeginLsn(String beginLsn) {
    this.beginLsn = beginLsn;
  }

  public String getEndLsn() {
    return endLsn;
  }

  public void setEndLsn(String endLsn) {
    this.endLsn = endLsn;
  }

  public Long getTimeline() {
    return timeline;
  }

  public void setTimeline(Long timeline) {
    this.timeline = timeline;
  }

  public Long getSizeBytes() {
    return sizeBytes;
  }

  public void setSizeBytes(Long sizeBytes) {
    this.sizeBytes = sizeBytes;
  }

  public Boolean getVerified() {
    return verified;
  }

  public void setVerified(Boolean verified) {
    this.verified = verified;
  }

  public String getVerifiedAt() {
    return verifiedAt;
  }

  public void setVerifiedAt(String verifiedAt) {
    this.verifiedAt = verifiedAt;
  }

  public Map<String, Long> getVerifiedRows() {
    return verifiedRows;
  }

  public void setVerifiedRows(Map<String, Long> verifiedRows) {
    this.verifiedRows = verifiedRows;
  }

  public PlatformDataStatus getPlatformData() {
    return platformData;
  }

  public void setPlatformData(PlatformDataStatus platformData) {
    this.platformData = platformData;
  }
}
