package dev.atrium.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** What the operator last saw of the platform. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class CollaborationPlatformStatus {

  @JsonPropertyDescription("The metadata.generation of the spec this status describes.")
  private Long observedGeneration;

  @JsonPropertyDescription("One word for the platform's state: Pending, Progressing, Ready or Degraded.")
  private String phase;

  @JsonPropertyDescription("The release every component runs now; empty until the first one is Ready.")
  private String version;

  @JsonPropertyDescription("Ready components out of all, e.g. 7/7.")
  private String readyComponents;

  @JsonPropertyDescription("Ready, Progressing and Degraded, each with a reason and a message.")
  private List<Condition> conditions = new ArrayList<>();

  @JsonPropertyDescription("Each component's desired and ready pods and the image it runs.")
  private List<ComponentStatus> components = new ArrayList<>();

  @JsonPropertyDescription("The version change in progress, or the last one: from, to, the component and step in "
      + "progress, times, and why it halted if it did.")
  private UpgradeStatus upgrade;

  @JsonPropertyDescription("Where people reach the platform.")
  private EndpointsStatus endpoints;

  @JsonPropertyDescription("The platform's backups: whether WAL is archived, the last backup and the last one that "
      + "verified, and when the schedule takes the next.")
  private BackupStatus backup;

  @JsonPropertyDescription("A platform made from another's backup with spec.restore.decryptionKey: whether its "
      + "credentials and buckets came back, from which backup, and how much.")
  private RestoreStatus restore;

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

  public String getVersion() {
    return version;
  }

  public void setVersion(String version) {
    this.version = version;
  }

  public String getReadyComponents() {
    return readyComponents;
  }

  public void setReadyComponents(String readyComponents) {
    this.readyComponents = readyComponents;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  public List<ComponentStatus> getComponents() {
    return components;
  }

  public void setComponents(List<ComponentStatus> components) {
    this.components = components;
  }

  public EndpointsStatus getEndpoints() {
    return endpoints;
  }

  public void setEndpoints(EndpointsStatus endpoints) {
    this.endpoints = endpoints;
  }

  public UpgradeStatus getUpgrade() {
    return upgrade;
  }

  public void setUpgrade(UpgradeStatus upgrade) {
    this.upgrade = upgrade;
  }

  public RestoreStatus getRestore() {
    return restore;
  }

  public void setRestore(RestoreStatus restore) {
    this.restore = restore;
  }

  public BackupStatus getBackup() {
    return backup;
  }

  public void setBackup(BackupStatus backup) {
    this.backup = backup;
  }
}
