package dev.atrium.webos.market;

/**
 * Where an app stands in the catalogue: UNLISTED until its first version is approved, LISTED (in the catalogue
 * and, with a backend, on the gateway), WITHDRAWN (gone from both; its versions, icon and identity's client and
 * grants kept, so it can be published again).
 */
public enum AppStatus {
  UNLISTED, LISTED, WITHDRAWN
}
