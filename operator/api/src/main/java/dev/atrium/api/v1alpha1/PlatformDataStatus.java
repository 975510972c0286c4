package dev.atrium.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * What a PlatformBackup took besides the database, sealed to the tenant's key (spec.backup.encryptionKey): the
 * platform's generated credentials and identity's keys, and the object store's buckets.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class PlatformDataStatus {

  @JsonPropertyDescription("The sealed manifest in the backup bucket: <path>/<platform>/platform-data/<backup>/.")
  private String location;

  @JsonPropertyDescription("The RFC 7638 thumbprint (SHA-256) of the public key it is sealed to; a restore needs the "
      + "private key of this thumbprint.")
  private String keyThumbprint;

  @JsonPropertyDescription("How many Secrets of generated credentials and keys it holds (their values are sealed).")
  private Integer secrets;

  @JsonPropertyDescription("How many objects of the object store's buckets it holds.")
  private Long objects;

  @JsonPropertyDescription("Their size, in bytes, before sealing.")
  private Long objectBytes;

  @JsonPropertyDescription("How many of those bytes this backup copied; the rest were already in the bucket from an "
      + "earlier backup and unchanged.")
  private Long copiedBytes;

  @JsonPropertyDescription("When it was written (RFC 3339).")
  private String completedAt;

  public String getLocation() {
    return location;
  }

  public void setLocation(String location) {
    this.location = location;
  }

  public String getKeyThumbprint() {
    return keyThumbprint;
  }

  public void setKeyThumbprint(String keyThumbprint) {
    this.keyThumbprint = keyThumbprint;
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

  public Long getCopiedBytes() {
    return copiedBytes;
  }

  public void setCopiedBytes(Long copiedBytes) {
    this.copiedBytes = copiedBytes;
  }

  public String getCompletedAt() {
    return completedAt;
  }

  public void setCompletedAt(String completedAt) {
    this.completedAt = completedAt;
  }
}
