package dev.atrium.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonValue;

/** A component as a release names it (the platform spec's field names). */
public enum ReleaseComponent {
  database, cache, objectStore, identity, webos, messageCenter, netdisk;

  /**
   * How many there are, as a constant the schema's rules can use; ReleaseComponentTest keeps it equal to
   * {@code values().length}.
   */
  public static final int COUNT = 7;

  @JsonValue
  public String id() {
    return name();
  }
}
