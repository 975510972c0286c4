package dev.atrium.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** A per-pod metric served through the custom metrics API, and the average per pod to aim for. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class PodMetricTarget {

  @Required
  @Pattern("^[a-zA-Z_:][a-zA-Z0-9_:]*$")
  @JsonPropertyDescription("Metric name as the custom-metrics adapter serves it, e.g. atrium_push_open_sockets.")
  private String name;

  @Required
  @Pattern("^[0-9]+(\\.[0-9]+)?(m|k|M|G)?$")
  @JsonPropertyDescription("Average value per pod to aim for, as a Kubernetes quantity, e.g. 500 or 1500m.")
  private String averageValue;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getAverageValue() {
    return averageValue;
  }

  public void setAverageValue(String averageValue) {
    this.averageValue = averageValue;
  }
}
