package dev.atrium.webos.market;

/**
 * A version's review: SUBMITTED (in the review queue), APPROVED (by an administrator; live, on a gray release or
 * once live), REJECTED (with a reason), ROLLED_BACK (was live or on gray and was taken back).
 */
public enum VersionState {
  SUBMITTED, APPROVED, REJECTED, ROLLED_BACK
}
