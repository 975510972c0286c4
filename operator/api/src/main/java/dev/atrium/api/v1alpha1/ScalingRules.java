package dev.atrium.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/** How fast the autoscaler may change the replica count in one direction. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@ValidationRule(value = "has(self.pods) || has(self.percent)",
    message = "set pods, percent or both: how many pods may change per period")
public class ScalingRules {

  @Min(0)
  @Max(3600)
  @JsonPropertyDescription("Seconds of past recommendations considered, so that a short spike or dip does not scale.")
  private Integer stabilizationWindowSeconds;

  @Min(1)
  @Max(100)
  @JsonPropertyDescription("Most pods added or removed per period.")
  private Integer pods;

  @Min(1)
  @Max(1000)
  @JsonPropertyDescription("Most pods added or removed per period, in percent of the current count.")
  private Integer percent;

  @Default("60")
  @Min(1)
  @Max(1800)
  @JsonPropertyDescription("Length of the period in seconds.")
  private Integer periodSeconds;

  public Integer getStabilizationWindowSeconds() {
    return stabilizationWindowSeconds;
  }

  public void setStabilizationWindowSeconds(Integer stabilizationWindowSeconds) {
    this.stabilizationWindowSeconds = stabilizationWindowSeconds;
  }

  public Integer getPods() {
    return pods;
  }

  public void setPods(Integer pods) {
    this.pods = pods;
  }

  public Integer getPercent() {
    return percent;
  }

  public void setPercent(Integer percent) {
    this.percent = percent;
  }

  public Integer getPeriodSeconds() {
    return periodSeconds;
  }

  public void setPeriodSeconds(Integer periodSeconds) {
    this.periodSeconds = periodSeconds;
  }
}
