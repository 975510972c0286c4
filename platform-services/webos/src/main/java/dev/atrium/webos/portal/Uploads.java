package dev.atrium.webos.portal;

/** What a file uploaded from the desktop may be called, and where in the personal space it goes. */
final class Uploads {

  static final int MAX_NAME = 255;

  private Uploads() {
  }

  /** Why {@code name} cannot be a file's name (a short code for the page), or null when it can. */
  static String problemWithName(String name) {
    if (name == null || name.isBlank()) {
      return "name-required";
    }
    if (name.length() > MAX_NAME) {
      return "name-too-long";
    }
    if (name.contains("/") || name.contains("\\") || name.equals(".") || name.equals("..")
        || name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      return "name-invalid";
    }
    return null;
  }

  /** The path in the personal space: at its top. */
  static String path(String name) {
    return "/" + name;
  }
}
