package dev.atrium.webos.market;

import java.time.Instant;
import java.util.List;

/**
 * One version of an app as the market keeps it: what was submitted, its review, and since when it was live (null if
 * never).
 */
public record AppVersion(String app, String version, VersionState state, String nameZh, String nameEn,
    String descriptionZh, String descriptionEn, String openUrl, String backendUrl, ClientType clientType,
    List<String> redirectUris, Instant submittedAt, String submittedBy, Instant reviewedAt, String reviewedBy,
    String reason, Instant liveFrom) {

  public AppVersion {
    redirectUris = List.copyOf(redirectUris);
  }
}
