package dev.atrium.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonValue;

/** A component as a release names it (the platform spec's field names). */
public enum ReleaseComponent {
  database, cache, objectStore, identity, webos, messageCenter, netdisk;

  @JsonValue
  public String id() {
    return name();
  }
}
