package dev.atrium.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** Bounds for a HorizontalPodAutoscaler on a stateless component. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self.minReplicas <= self.maxReplicas",
    message = "autoscaling.minReplicas must not be greater than autoscaling.maxReplicas")
public class AutoscalingSpec {

  @Required
  @Min(1)
  @Max(100)
  @JsonPropertyDescription("Fewest replicas the autoscaler may scale to.")
  private Integer minReplicas;

  @Required
  @Min(1)
  @Max(100)
  @JsonPropertyDescription("Most replicas the autoscaler may scale to.")
  private Integer maxReplicas;

  @Default("70")
  @Min(10)
  @Max(100)
  @JsonPropertyDescription("Average CPU use, in percent of the requested CPU, that the autoscaler aims for.")
  private Integer targetCPUUtilizationPercentage;

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
