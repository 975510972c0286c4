package dev.atrium.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * Where a new platform's database comes from: another platform's backups, restored to their latest point or to a
 * point in time, instead of an empty database. Read once, when the database is first made.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class RestoreSpec {

  /**
   * RFC 3339 with seconds and an offset or Z, as CEL's timestamp() reads it; to the microsecond, as PostgreSQL keeps
   * time.
   */
  static final String TARGET_TIME_PATTERN =
      "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,6})?(Z|[+-][0-9]{2}:[0-9]{2})$";

  @Required
  @Size(max = 63)
  @Pattern("^[a-z]([-a-z0-9]*[a-z0-9])?$")
  @JsonPropertyDescription("The name of the platform whose backups are restored (its backups are under "
      + "<path>/<name>/ in the destination).")
  private String platform;

  @Required
  @JsonPropertyDescription("The bucket those backups are in, as that platform's spec.backup.destination named it.")
  private BackupDestination source;

  // a PlatformBackup's name (a DNS subdomain), or barman's id, the time it started as YYYYMMDDTHHMMSS
  @Size(max = 253)
  @Pattern("^([a-z0-9]([-a-z0-9.]*[a-z0-9])?|[0-9]{8}T[0-9]{6})$")
  @JsonPropertyDescription("The base backup to start from: a PlatformBackup's name or barman's backup id (e.g. "
      + "20261129T020000, a PlatformBackup's status.backupId). Empty: the latest one that ended before targetTime (or "
      + "the latest of all).")
  private String backup;

  // The rule judges only what the pattern accepts: a time that is no timestamp is refused once, by the pattern, not
  // a second time by a rule that cannot read it. A date the calendar lacks (February 30) fails the rule.
  @Size(max = 40)
  @Pattern(TARGET_TIME_PATTERN)
  @ValidationRule(value = "!self.matches(r'" + TARGET_TIME_PATTERN + "') "
      + "|| timestamp(self) > timestamp('2000-01-01T00:00:00Z')",
      message = "targetTime must be a real date and time (RFC 3339), after 2000")
  @JsonPropertyDescription("The point in time to restore to (RFC 3339, e.g. 2026-11-29T10:15:00Z): every transaction "
      + "committed before it, none after. Empty: the end of the archived WAL.")
  private String targetTime;

  @JsonPropertyDescription("The tenant's private key (a JWK) matching the spec.backup.encryptionKey the backups were "
      + "taken with, in a Secret of this namespace. With it, the new platform gets the old one's generated credentials "
      + "and identity's signing keys (tokens and peers stay valid) and its buckets are refilled from the backup, before "
      + "the services start. Empty: only the database is restored, and the credentials are new.")
  private SecretKeyRef decryptionKey;

  public SecretKeyRef getDecryptionKey() {
    return decryptionKey;
  }

  public void setDecryptionKey(SecretKeyRef decryptionKey) {
    this.decryptionKey = decryptionKey;
  }

  public String getPlatform() {
    return platform;
  }

  public void setPlatform(String platform) {
    this.platform = platform;
  }

  public BackupDestination getSource() {
    return source;
  }

  public void setSource(BackupDestination source) {
    this.source = source;
  }

  public String getBackup() {
    return backup;
  }

  public void setBackup(String backup) {
    this.backup = backup;
  }

  public String getTargetTime() {
    return targetTime;
  }

  public void setTargetTime(String targetTime) {
    this.targetTime = targetTime;
  }
}
