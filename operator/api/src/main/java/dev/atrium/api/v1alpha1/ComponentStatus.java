package dev.atrium.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One component as the operator last saw it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class ComponentStatus {

  @JsonPropertyDescription("Component name: identity, webos, messageCenter, netdisk, objectStore, database or cache.")
  private String name;

  @JsonPropertyDescription("Pods the component should have.")
  private Integer desiredReplicas;

  @JsonPropertyDescription("Pods that are Ready.")
  private Integer readyReplicas;

  @JsonPropertyDescription("True when every desired pod runs the desired image and is Ready.")
  private Boolean ready;

  @JsonPropertyDescription("The image the component's pods run.")
  private String image;

  @JsonPropertyDescription("The release version of that image.")
  private String version;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public Integer getDesiredReplicas() {
    return desiredReplicas;
  }

  public void setDesiredReplicas(Integer desiredReplicas) {
    this.desiredReplicas = desiredReplicas;
  }

  public Integer getReadyReplicas() {
    return readyReplicas;
  }

  public void setReadyReplicas(Integer readyReplicas) {
    this.readyReplicas = readyReplicas;
  }

  public Boolean getReady() {
    return ready;
  }

  public void setReady(Boolean ready) {
    this.ready = ready;
  }

  public String getImage() {
    return image;
  }

  public void setImage(String image) {
    this.image = image;
  }

  public String getVersion() {
    return version;
  }

  public void setVersion(String version) {
    this.version = version;
  }
}
