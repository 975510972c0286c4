package dev.atrium.webos.market;

import java.time.Instant;

/** One change in the market: who, what (e.g. {@code version.approve}), when, to which app and version. */
public record AuditEntry(long id, Instant at, String actor, String action, String app, String version,
    String detail) {
}
