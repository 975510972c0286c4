package dev.atrium.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** Whether the policy is usable, and the floor it sets now. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class AutoscalingPolicyStatus {

  @JsonPropertyDescription("The generation of the spec this status describes.")
  private Long observedGeneration;

  @JsonPropertyDescription("Valid: True when every schedule and time zone is understood and no overlapping windows "
      + "disagree; False with a reason and a message naming the window otherwise.")
  private List<Condition> conditions = new ArrayList<>();

  @JsonPropertyDescription("The floor the windows set now (minReplicas outside every window).")
  private Integer currentMinReplicas;

  @JsonPropertyDescription("Names of the windows in force now.")
  private List<String> activeWindows = new ArrayList<>();

  @JsonPropertyDescription("When the floor next changes (RFC 3339), if a window starts or ends within a year.")
  private String nextChange;

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  public Integer getCurrentMinReplicas() {
    return currentMinReplicas;
  }

  public void setCurrentMinReplicas(Integer currentMinReplicas) {
    this.currentMinReplicas = currentMinReplicas;
  }

  public List<String> getActiveWindows() {
    return activeWindows;
  }

  public void setActiveWindows(List<String> activeWindows) {
    this.activeWindows = activeWindows;
  }

  public String getNextChange() {
    return nextChange;
  }

  public void setNextChange(String nextChange) {
    this.nextChange = nextChange;
  }
}
