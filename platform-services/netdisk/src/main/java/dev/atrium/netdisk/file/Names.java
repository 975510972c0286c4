package dev.atrium.netdisk.file;

import dev.atrium.service.web.ApiException;
import java.util.ArrayList;
import java.util.List;

/**
 * What a file or folder may be called, and what a path may say. A name is one path segment: not empty, not
 * {@code .} or {@code ..}, no {@code /} or {@code \}, no control or bidirectional-override characters (which
 * disguise a name's extension), no leading or trailing space, at most 255 characters (Unicode code points).
 */
public final class Names {

  public static final int MAX_CHARACTERS = 255;
  public static final int MAX_DEPTH = 64;

  private Names() {
  }

  /** The name, or a 400 problem saying what is wrong with it. */
  public static String check(String name) {
    if (name == null || name.isEmpty()) {
      throw invalid("invalid-name", "The name is empty.");
    }
    if (name.equals(".") || name.equals("..")) {
      throw invalid("invalid-name", "'" + name + "' is not a name: it means a folder itself or the one above.");
    }
    if (name.codePointCount(0, name.length()) > MAX_CHARACTERS) {
      throw invalid("name-too-long", "The name has " + name.codePointCount(0, name.length()) + " characters; at most "
          + MAX_CHARACTERS + " are allowed.");
    }
    for (int i = 0; i < name.length(); ) {
      int c = name.codePointAt(i);
      if (c == '/' || c == '\\') {
        throw invalid("invalid-name", "A name may not contain '/' or '\\'; use a path or a folder.");
      }
      if (Character.getType(c) == Character.CONTROL || isBidiControl(c)) {
        throw invalid("invalid-name", String.format("The name contains the control character U+%04X at %d.", c, i));
      }
      i += Character.charCount(c);
    }
    if (!name.equals(name.strip())) {
      throw invalid("invalid-name", "A name may not begin or end with a space.");
    }
    return name;
  }

  /**
   * A path's names, in order ({@code "a/b/c.txt"} or {@code "/a/b/c.txt"}): each checked as a name, so that
   * {@code ..} or an empty segment is refused rather than resolved.
   */
  public static List<String> path(String path) {
    if (path == null || path.isBlank()) {
      throw invalid("invalid-path", "The path is empty.");
    }
    String trimmed = path.startsWith("/") ? path.substring(1) : path;
    List<String> names = new ArrayList<>();
    for (String segment : trimmed.split("/", -1)) {
      if (segment.equals("..") || segment.equals(".")) {
        throw invalid("invalid-path", "The path '" + path + "' contains '" + segment + "': paths name folders"
            + " downwards from the space's top only.");
      }
      if (segment.isEmpty()) {
        throw invalid("invalid-path", "The path '" + path + "' has an empty segment ('//' or a trailing '/').");
      }
      names.add(check(segment));
    }
    if (names.size() > MAX_DEPTH) {
      throw invalid("invalid-path", "The path is " + names.size() + " folders deep; at most " + MAX_DEPTH + ".");
    }
    return names;
  }

  private static boolean isBidiControl(int c) {
    return c >= 0x202A && c <= 0x202E || c >= 0x2066 && c <= 0x2069 || c == 0x200E || c == 0x200F
        || c == 0x061C;
  }

  private static ApiException invalid(String type, String detail) {
    return ApiException.badRequest(type, detail);
  }
}
