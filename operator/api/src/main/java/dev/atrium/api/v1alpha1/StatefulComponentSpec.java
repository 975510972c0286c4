package dev.atrium.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

/**
 * A data store that runs as a StatefulSet with a volume per pod. Each store has its own class
 * because each has its own default size and replica rules in the schema.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public abstract class StatefulComponentSpec {

  @JsonPropertyDescription("CPU and memory requests and limits of the server container; the size's when empty.")
  private ResourceRequirements resources;

  /** Number of pods; each data store declares its own default and bounds. */
  public abstract Integer getReplicas();

  /** Each pod's volume; each data store declares its own default size. */
  public abstract StorageSpec getStorage();

  public ResourceRequirements getResources() {
    return resources;
  }

  public void setResources(ResourceRequirements resources) {
    this.resources = resources;
  }
}
