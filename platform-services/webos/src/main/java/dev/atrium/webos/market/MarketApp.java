package dev.atrium.webos.market;

import java.time.Instant;

/**
 * An app of the catalogue as administrators see it: its kind, its OAuth client's id in identity, its rollout
 * (status, live version, gray version and share), where its icon is served (null without one), and its live
 * version (null while unlisted).
 */
public record MarketApp(String app, AppKind kind, String clientId, Rollout rollout, String iconUrl,
    Instant createdAt, String createdBy, Instant updatedAt, AppVersion live) {
}
