package dev.atrium.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * Continuous backups of the database: every WAL segment archived as it is written, base backups on a schedule, and
 * PlatformBackups on demand, into a bucket (barman-cloud, decision 0015).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class BackupSpec {

  @Default("false")
  @JsonPropertyDescription("Back the platform up: archive the database's WAL continuously and take base backups on "
      + "the schedule. Turning it off stops archiving and scheduling; what is in the bucket stays.")
  private Boolean enabled;

  @JsonPropertyDescription("Where the backups go. Empty: the bucket 'backups' in the tenant's own object store, with "
      + "the credentials the operator generated for it (a trial's choice: a site keeps backups off the cluster by "
      + "naming its own store here).")
  private BackupDestination destination;

  @Default("0 2 * * *")
  @Size(max = 120)
  @Pattern("^(@(yearly|annually|monthly|weekly|daily|hourly)|\\S+\\s+\\S+\\s+\\S+\\s+\\S+\\s+\\S+)$")
  @JsonPropertyDescription("When base backups are taken: a cron expression of five fields (minute hour day-of-month "
      + "month day-of-week) in UTC (default 02:00 every day). Between two, the archived WAL restores any point.")
  private String schedule;

  @Default("7")
  @Min(1)
  @Max(3650)
  @JsonPropertyDescription("How many days back a restore can reach (barman's recovery window): older base backups and "
      + "WAL no longer needed for it are deleted after each base backup.")
  private Integer retentionDays;

  @Default("true")
  @JsonPropertyDescription("Take a base backup, and verify that it restores, before every upgrade; the upgrade waits "
      + "for it. A halted upgrade whose migrations ran is undone by restoring this backup into a new platform.")
  private Boolean beforeUpgrade;

  // A public key only: the private one stays with the tenant and is given to a platform only to restore
  @Size(max = 8192)
  @Pattern("^\\s*\\{[\\s\\S]*\\}\\s*$")
  @ValidationRule(value = "!self.matches('\"d\"\\\\s*:')",
      message = "encryptionKey must be a public key: this JWK has a private part (\"d\"), which the tenant keeps")
  @JsonPropertyDescription("The tenant's public key, as a JWK (JSON): an EC key on P-256, P-384 or P-521, or an RSA "
      + "key of 2048 bits or more. With it, every base backup also takes the platform's own data, sealed to this key "
      + "(JWE): the credentials the operator generated, identity's signing keys, and every object of the object "
      + "store's buckets. Only the matching private key, which the tenant keeps, opens them (spec.restore.decryptionKey"
      + "). Empty: only the database is backed up.")
  private String encryptionKey;

  public Boolean getEnabled() {
    return enabled;
  }

  public void setEnabled(Boolean enabled) {
    this.enabled = enabled;
  }

  /** Whether backups are on: false unless the spec says true (the schema's default). */
  public boolean enabled() {
    return Boolean.TRUE.equals(enabled);
  }

  public BackupDestination getDestination() {
    return destination;
  }

  public void setDestination(BackupDestination destination) {
    this.destination = destination;
  }

  public String getSchedule() {
    return schedule;
  }

  public void setSchedule(String schedule) {
    this.schedule = schedule;
  }

  public Integer getRetentionDays() {
    return retentionDays;
  }

  public void setRetentionDays(Integer retentionDays) {
    this.retentionDays = retentionDays;
  }

  public String getEncryptionKey() {
    return encryptionKey;
  }

  public void setEncryptionKey(String encryptionKey) {
    this.encryptionKey = encryptionKey;
  }

  public Boolean getBeforeUpgrade() {
    return beforeUpgrade;
  }

  public void setBeforeUpgrade(Boolean beforeUpgrade) {
    this.beforeUpgrade = beforeUpgrade;
  }
}
