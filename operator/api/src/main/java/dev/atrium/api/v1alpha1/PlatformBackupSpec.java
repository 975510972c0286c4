package dev.atrium.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** Which platform to back up. A backup is taken once: its spec does not change. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@ValidationRule(value = "self == oldSelf", message = "a PlatformBackup's spec does not change once it is created: "
    + "create another one")
public class PlatformBackupSpec {

  @Required
  @Size(max = 63)
  @Pattern("^[a-z]([-a-z0-9]*[a-z0-9])?$")
  @JsonPropertyDescription("The CollaborationPlatform in this namespace whose database is backed up; its "
      + "spec.backup says where to.")
  private String platform;

  @Default("OnDemand")
  @JsonPropertyDescription("What asked for it: OnDemand (a person or tool), Scheduled (spec.backup.schedule) or "
      + "BeforeUpgrade (the operator, before an upgrade starts).")
  private BackupTrigger trigger;

  public String getPlatform() {
    return platform;
  }

  public void setPlatform(String platform) {
    this.platform = platform;
  }

  public BackupTrigger getTrigger() {
    return trigger;
  }

  public void setTrigger(BackupTrigger trigger) {
    this.trigger = trigger;
  }
}
