package dev.atrium.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** The image of each component in a release: every data store, and the services the release ships. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class ReleaseImages {

  @Required
  @JsonPropertyDescription("Image of PostgreSQL.")
  private ReleaseImage database;

  @Required
  @JsonPropertyDescription("Image of the cache (Redis).")
  private ReleaseImage cache;

  @Required
  @JsonPropertyDescription("Image of the object store.")
  private ReleaseImage objectStore;

  @JsonPropertyDescription("Image of identity. Optional: a release without it cannot run a platform that switches it on.")
  private ReleaseImage identity;

  @JsonPropertyDescription("Image of the web desktop. Optional: a release without it cannot run a platform that switches it on.")
  private ReleaseImage webos;

  @JsonPropertyDescription("Image of the message center. Optional: a release without it cannot run a platform that switches it on.")
  private ReleaseImage messageCenter;

  @JsonPropertyDescription("Image of netdisk. Optional: a release without it cannot run a platform that switches it on.")
  private ReleaseImage netdisk;

  public ReleaseImage getDatabase() {
    return database;
  }

  public void setDatabase(ReleaseImage database) {
    this.database = database;
  }

  public ReleaseImage getCache() {
    return cache;
  }

  public void setCache(ReleaseImage cache) {
    this.cache = cache;
  }

  public ReleaseImage getObjectStore() {
    return objectStore;
  }

  public void setObjectStore(ReleaseImage objectStore) {
    this.objectStore = objectStore;
  }

  public ReleaseImage getIdentity() {
    return identity;
  }

  public void setIdentity(ReleaseImage identity) {
    this.identity = identity;
  }

  public ReleaseImage getWebos() {
    return webos;
  }

  public void setWebos(ReleaseImage webos) {
    this.webos = webos;
  }

  public ReleaseImage getMessageCenter() {
    return messageCenter;
  }

  public void setMessageCenter(ReleaseImage messageCenter) {
    this.messageCenter = messageCenter;
  }

  public ReleaseImage getNetdisk() {
    return netdisk;
  }

  public void setNetdisk(ReleaseImage netdisk) {
    this.netdisk = netdisk;
  }
}
