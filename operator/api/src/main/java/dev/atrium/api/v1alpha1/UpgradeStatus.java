package dev.atrium.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/**
 * The upgrade in progress or last finished. The operator resumes from this and from the workloads
 * themselves after a restart, so every time it needs is recorded here.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class UpgradeStatus {

  @JsonPropertyDescription("The version the platform ran before.")
  private String fromVersion;

  @JsonPropertyDescription("The version it is moving to.")
  private String toVersion;

  @JsonPropertyDescription("Progressing, Paused, Halted, RolledBack or Succeeded.")
  private String phase;

  @JsonPropertyDescription("The component being upgraded (or that halted the upgrade).")
  private String component;

  @JsonPropertyDescription("The step of that component: Rollout, Replicas (database replicas), Primary (database "
      + "primary) or Soak.")
  private String step;

  @JsonPropertyDescription("Components already on the new version, in order.")
  private List<String> completed = new ArrayList<>();

  @JsonPropertyDescription("When the upgrade started (RFC 3339).")
  private String startedAt;

  @JsonPropertyDescription("When the current step started (RFC 3339); its deadline counts from here.")
  private String stepStartedAt;

  @JsonPropertyDescription("Since when the current component has been healthy (RFC 3339); the soak counts from here.")
  private String healthySince;

  @JsonPropertyDescription("When the upgrade finished or halted (RFC 3339).")
  private String finishedAt;

  @JsonPropertyDescription("What is happening, or why it halted, in words.")
  private String message;

  public String getFromVersion() {
    return fromVersion;
  }

  public void setFromVersion(String fromVersion) {
    this.fromVersion = fromVersion;
  }

  public String getToVersion() {
    return toVersion;
  }

  public void setToVersion(String toVersion) {
    this.toVersion = toVersion;
  }

  public String getPhase() {
    return phase;
  }

  public void setPhase(String phase) {
    this.phase = phase;
  }

  public String getComponent() {
    return component;
  }

  public void setComponent(String component) {
    this.component = component;
  }

  public String getStep() {
    return step;
  }

  public void setStep(String step) {
    this.step = step;
  }

  public List<String> getCompleted() {
    return completed;
  }

  public void setCompleted(List<String> completed) {
    this.completed = completed;
  }

  public String getStartedAt() {
    return startedAt;
  }

  public void setStartedAt(String startedAt) {
    this.startedAt = startedAt;
  }

  public String getStepStartedAt() {
    return stepStartedAt;
  }

  public void setStepStartedAt(String stepStartedAt) {
    this.stepStartedAt = stepStartedAt;
  }

  public String getHealthySince() {
    return healthySince;
  }

  public void setHealthySince(String healthySince) {
    this.healthySince = healthySince;
  }

  public String getFinishedAt() {
    return finishedAt;
  }

  public void setFinishedAt(String finishedAt) {
    this.finishedAt = finishedAt;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }
}
