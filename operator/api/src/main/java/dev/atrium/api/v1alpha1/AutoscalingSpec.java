package dev.atrium.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * A HorizontalPodAutoscaler on a stateless component: either a named AutoscalingPolicy (bounds,
 * targets, speed, time windows) or inline bounds with a CPU target.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@ValidationRule(value = "has(self.policy) ? !has(self.minReplicas) && !has(self.maxReplicas)"
    + " : has(self.minReplicas) && has(self.maxReplicas)",
    message = "set either autoscaling.policy or both autoscaling.minReplicas and autoscaling.maxReplicas")
// compares only bounds the schema accepts: a bound out of range is refused once, by the schema
@ValidationRule(value = "!has(self.minReplicas) || !has(self.maxReplicas)"
    + " || self.minReplicas > " + AutoscalingSpec.MAX_REPLICAS + " || self.maxReplicas < 1"
    + " || self.minReplicas <= self.maxReplicas",
    message = "autoscaling.minReplicas must not be greater than autoscaling.maxReplicas", fieldPath = ".minReplicas")
public class AutoscalingSpec {

  /** The most replicas an autoscaler may be given, inline or by a policy. */
  static final int MAX_REPLICAS = 100;

  @Pattern("^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$")
  @JsonPropertyDescription("Name of the AutoscalingPolicy to follow (see autoscaling-policies/ for ready ones). "
      + "While it is missing or invalid the component keeps the scaling it had.")
  private String policy;

  @Min(1)
  @Max(MAX_REPLICAS)
  @JsonPropertyDescription("Fewest replicas the autoscaler may scale to (without a policy).")
  private Integer minReplicas;

  @Min(1)
  @Max(MAX_REPLICAS)
  @JsonPropertyDescription("Most replicas the autoscaler may scale to (without a policy).")
  private Integer maxReplicas;

  @Default("70")
  @Min(10)
  @Max(100)
  @JsonPropertyDescription("Average CPU use, in percent of the requested CPU, that the autoscaler aims for (without a "
      + "policy; a policy sets its own targets).")
  private Integer targetCPUUtilizationPercentage;

  public String getPolicy() {
    return policy;
  }

  public void setPolicy(String policy) {
    this.policy = policy;
  }

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
}
