package dev.atrium.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

/** A platform service that runs as a Deployment. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class StatelessComponentSpec {

  @Default("true")
  @JsonPropertyDescription("Whether the component runs. false switches it off: its pods, Services, disruption budget, "
      + "autoscaler, network rules and front-door paths are removed; its database and generated credentials are kept, "
      + "so switching it on again loses nothing. Components that need it must be switched off with it.")
  private Boolean enabled;

  @Min(0)
  @Max(100)
  @JsonPropertyDescription("Number of pods; the size's when empty (2 without a size). Ignored while autoscaling is set; 0 stops the "
      + "component.")
  private Integer replicas;

  @JsonPropertyDescription("CPU and memory requests and limits of the service container; the size's when empty.")
  private ResourceRequirements resources;

  @JsonPropertyDescription("Scale between these bounds on CPU use with a HorizontalPodAutoscaler instead of a fixed "
      + "replica count.")
  private AutoscalingSpec autoscaling;

  public Boolean getEnabled() {
    return enabled;
  }

  public void setEnabled(Boolean enabled) {
    this.enabled = enabled;
  }

  /** Whether the component runs: true unless the spec says false (the schema's default). */
  public boolean enabled() {
    return !Boolean.FALSE.equals(enabled);
  }

  public Integer getReplicas() {
    return replicas;
  }

  public void setReplicas(Integer replicas) {
    this.replicas = replicas;
  }

  public ResourceRequirements getResources() {
    return resources;
  }

  public void setResources(ResourceRequirements resources) {
    this.resources = resources;
  }

  public AutoscalingSpec getAutoscaling() {
    return autoscaling;
  }

  public void setAutoscaling(AutoscalingSpec autoscaling) {
    this.autoscaling = autoscaling;
  }
}
