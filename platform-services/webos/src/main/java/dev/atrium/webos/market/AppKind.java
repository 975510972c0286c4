package dev.atrium.webos.market;

/** Whose app: Atrium's own (seeded at start) or the tenant's (published by its administrators). */
public enum AppKind {
  ATRIUM, PRIVATE
}
