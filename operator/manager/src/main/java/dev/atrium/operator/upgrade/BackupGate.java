package dev.atrium.operator.upgrade;

/**
 * Whether an upgrade may start, as far as its backup goes (spec.backup.beforeUpgrade): the base backup taken for it
 * must have completed and verified before the first component moves. Only the start waits: an upgrade under way, or
 * a return to the version it left, does not.
 *
 * @param state where the backup stands
 * @param backup the PlatformBackup's name (null when none is needed)
 * @param detail what the PlatformBackup's status says, for the message
 */
public record BackupGate(State state, String backup, String detail) {

  /** Where the backup an upgrade waits for stands. */
  public enum State {
    /** No backup is needed (backups off, beforeUpgrade false, or nothing to upgrade). */
    NOT_NEEDED,
    /** Taken, or being taken and checked: the upgrade waits. */
    WAITING,
    /** Completed and verified: the upgrade may start. */
    VERIFIED,
    /** Failed or did not verify: the upgrade waits, and the platform is Degraded until another one verifies. */
    FAILED
  }

  public static BackupGate notNeeded() {
    return new BackupGate(State.NOT_NEEDED, null, null);
  }

  /** Whether the start of an upgrade is held by it. */
  public boolean holds() {
    return state == State.WAITING || state == State.FAILED;
  }
}
