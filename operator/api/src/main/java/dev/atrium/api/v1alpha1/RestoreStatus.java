package dev.atrium.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * How far a new platform got with the old one's own data (spec.restore.decryptionKey): its credentials and keys, and
 * its buckets.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class RestoreStatus {

  @JsonPropertyDescription("RestoringObjects (the credentials are restored; the buckets are being refilled, netdisk "
      + "waits at zero replicas), Restored, or Failed (the message says why; it is tried again).")
  private String phase;

  @JsonPropertyDescription("The backup the platform's data came from: the old platform's PlatformBackup name.")
  private String backup;

  @JsonPropertyDescription("When that backup took the platform's data (RFC 3339): the buckets are as they were then.")
  private String takenAt;

  @JsonPropertyDescription("How many generated Secrets were restored from it.")
  private Integer secrets;

  @JsonPropertyDescription("How many objects were put back into the object store.")
  private Long objects;

  @JsonPropertyDescription("Their size, in bytes.")
  private Long objectBytes;

  @JsonPropertyDescription("When the buckets were refilled (RFC 3339).")
  private String restoredAt;

  @JsonPropertyDescription("Why the restore of the platform's data failed, when it did.")
  private String message;

  public String getPhase() {
    return phase;
  }

  public void setPhase(String phase) {
    this.phase = phase;
  }

  public String getBackup() {
    return backup;
  }

  public void setBackup(String backup) {
    this.backup = backup;
  }

  public String getTakenAt() {
    return takenAt;
  }

  public void setTakenAt(String takenAt) {
    this.takenAt = takenAt;
  }

  public Integer getSecrets() {
    return secrets;
  }

  public void setSecrets(Integer secrets) {
    this.secrets = secrets;
  }

  public Long getObjects() {
    return objects;
  }

  public void setObjects(Long objects) {
    this.objects = objects;
  }

  public Long getObjectBytes() {
    return objectBytes;
  }

  public void setObjectBytes(Long objectBytes) {
    this.objectBytes = objectBytes;
  }

  public String getRestoredAt() {
    return restoredAt;
  }

  public void setRestoredAt(String restoredAt) {
    this.restoredAt = restoredAt;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }
}
