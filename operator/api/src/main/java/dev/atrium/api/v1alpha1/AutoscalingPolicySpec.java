package dev.atrium.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

/** Bounds, targets, speed and time windows of a component's HorizontalPodAutoscaler. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
// the replica comparisons judge only bounds the schema accepts: a bound out of range is refused once, by the
// schema, not a second time as greater than the other
@ValidationRule(value = "self.minReplicas > " + AutoscalingSpec.MAX_REPLICAS + " || self.maxReplicas < 1"
    + " || self.minReplicas <= self.maxReplicas",
    message = "minReplicas must not be greater than maxReplicas", fieldPath = ".minReplicas")
@ValidationRule(value = "has(self.targetCPUUtilizationPercentage) || has(self.targetMemoryUtilizationPercentage)"
    + " || (has(self.podMetrics) && size(self.podMetrics) > 0)",
    message = "set at least one target: targetCPUUtilizationPercentage, targetMemoryUtilizationPercentage or podMetrics")
@ValidationRule(value = "!has(self.windows) || self.maxReplicas < 1 || self.windows.all(w, "
    + "w.minReplicas > " + AutoscalingSpec.MAX_REPLICAS + " || w.minReplicas <= self.maxReplicas)",
    message = "a window's minReplicas must not be greater than maxReplicas", fieldPath = ".windows")
@ValidationRule(value = "!has(self.windows) || self.windows.all(a, self.windows.exists_one(b, b.name == a.name))",
    message = "window names must be unique", fieldPath = ".windows")
public class AutoscalingPolicySpec {

  @Required
  @Min(1)
  @Max(AutoscalingSpec.MAX_REPLICAS)
  @JsonPropertyDescription("Fewest replicas outside every window.")
  private Integer minReplicas;

  @Required
  @Min(1)
  @Max(AutoscalingSpec.MAX_REPLICAS)
  @JsonPropertyDescription("Most replicas, in and out of windows.")
  private Integer maxReplicas;

  @Min(10)
  @Max(100)
  @JsonPropertyDescription("Average CPU use, in percent of the requested CPU, to aim for.")
  private Integer targetCPUUtilizationPercentage;

  @Min(10)
  @Max(100)
  @JsonPropertyDescription("Average memory use, in percent of the requested memory, to aim for.")
  private Integer targetMemoryUtilizationPercentage;

  @Size(max = 5)
  @JsonPropertyDescription("Per-pod metrics the component exports (e.g. open sockets, requests per second), each "
      + "with the average value per pod to aim for. Needs a custom-metrics adapter in the cluster.")
  private List<PodMetricTarget> podMetrics = new ArrayList<>();

  @JsonPropertyDescription("How fast to add pods; the autoscaler's defaults when empty.")
  private ScalingRules scaleUp;

  @JsonPropertyDescription("How fast to remove pods; the autoscaler's defaults (5 minutes of stability) when empty.")
  private ScalingRules scaleDown;

  @Size(max = 10)
  @JsonPropertyDescription("Times that raise the floor, e.g. weekdays 08:15 for 1h45m at least 6 replicas. Windows "
      + "that overlap must agree on minReplicas.")
  private List<ScalingWindow> windows = new ArrayList<>();

  public Integer getMinReplicas() {
    return minReplicas;
  }

  public void setMinReplicas(Integer minReplicas) {
    this.minReplicas = minReplicas;
  }

  public Integer getMaxReplicas() {
    return maxReplicas;
  }

  public void setMaxReplicas(Integer maxReplicas) {
    this.maxReplicas = maxReplicas;
  }

  public Integer getTargetCPUUtilizationPercentage() {
    return targetCPUUtilizationPercentage;
  }

  public void setTargetCPUUtilizationPercentage(Integer targetCPUUtilizationPercentage) {
    this.targetCPUUtilizationPercentage = targetCPUUtilizationPercentage;
  }

  public Integer getTargetMemoryUtilizationPercentage() {
    return targetMemoryUtilizationPercentage;
  }

  public void setTargetMemoryUtilizationPercentage(Integer targetMemoryUtilizationPercentage) {
    this.targetMemoryUtilizationPercentage = targetMemoryUtilizationPercentage;
  }

  public List<PodMetricTarget> getPodMetrics() {
    return podMetrics;
  }

  public void setPodMetrics(List<PodMetricTarget> podMetrics) {
    this.podMetrics = podMetrics;
  }

  public ScalingRules getScaleUp() {
    return scaleUp;
  }

  public void setScaleUp(ScalingRules scaleUp) {
    this.scaleUp = scaleUp;
  }

  public ScalingRules getScaleDown() {
    return scaleDown;
  }

  public void setScaleDown(ScalingRules scaleDown) {
    this.scaleDown = scaleDown;
  }

  public List<ScalingWindow> getWindows() {
    return windows;
  }

  public void setWindows(List<ScalingWindow> windows) {
    this.windows = windows;
  }
}
