package dev.atrium.netdisk.space;

/** What a person may do in a space; each role may do what the ones below it may. */
public enum Role {
  /** Read and download, comment. */
  VIEWER,
  /** Also upload, change, share, delete and restore. */
  EDITOR,
  /** Also grant and withdraw roles, rename the space. */
  OWNER;

  public boolean atLeast(Role needed) {
    return compareTo(needed) >= 0;
  }
}
