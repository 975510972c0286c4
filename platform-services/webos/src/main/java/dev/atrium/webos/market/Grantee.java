package dev.atrium.webos.market;

/** Whom an app is granted to, as identity keeps it: a person or a department (and everyone below it). */
public record Grantee(Kind kind, String id) {

  /** Identity's grant kinds. */
  public enum Kind {
    PERSON, DEPARTMENT
  }
}
