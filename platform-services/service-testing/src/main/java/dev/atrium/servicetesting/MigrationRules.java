package dev.atrium.servicetesting;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The expand/contract rule for Flyway migrations: while the previous release still runs beside the new one (a
 * rolling upgrade), a migration may only add. It must not drop, rename or retype anything, nor add a NOT NULL
 * column without a default (the previous release's INSERTs do not set it), nor tighten a column to NOT NULL.
 * Those steps belong in a separate migration whose file name contains {@code __contract_}, shipped one release
 * after the code stopped using what it removes.
 */
public final class MigrationRules {

  private static final List<Rule> RULES = List.of(
      new Rule(Pattern.compile("\\bDROP\\s+(TABLE|COLUMN|INDEX|VIEW|TYPE|SCHEMA|CONSTRAINT)\\b"),
          "drops something the previous release may still use"),
      new Rule(Pattern.compile("\\bRENAME\\b"), "renames something the previous release still uses by its old name"),
      new Rule(Pattern.compile("\\bALTER\\s+COLUMN\\s+\\w+\\s+(SET\\s+DATA\\s+)?TYPE\\b"),
          "changes a column's type under the previous release"),
      new Rule(Pattern.compile("\\bALTER\\s+COLUMN\\s+\\w+\\s+SET\\s+NOT\\s+NULL\\b"),
          "makes a column NOT NULL that the previous release may leave empty"),
      new Rule(Pattern.compile("\\bADD\\s+(COLUMN\\s+)?(?![^,;]*\\bDEFAULT\\b)[^,;]*\\bNOT\\s+NULL\\b"),
          "adds a NOT NULL column without a DEFAULT, which the previous release's INSERTs do not fill"),
      new Rule(Pattern.compile("\\bTRUNCATE\\b|\\bDELETE\\s+FROM\\b"), "deletes rows the previous release may read"));

  private MigrationRules() {
  }

  /**
   * What is wrong with a service's migrations: none there, a file not named {@code V<n>__<words>.sql}, a gap
   * in the versions, and every {@link #violations} of each file.
   */
  public static List<String> check(Path dir) {
    List<String> problems = new ArrayList<>();
    List<Path> files;
    try (var listing = Files.list(dir)) {
      files = listing.filter(p -> p.toString().endsWith(".sql")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the migrations in " + dir, e);
    }
    if (files.isEmpty()) {
      problems.add("no migrations in " + dir);
    }
    List<Integer> versions = new ArrayList<>();
    for (Path file : files) {
      String name = file.getFileName().toString();
      if (!name.matches("V\\d+__[a-z0-9_]+\\.sql")) {
        problems.add(name + " is not named V<n>__<lower_case_words>.sql");
        continue;
      }
      versions.add(Integer.parseInt(name.substring(1, name.indexOf("__"))));
      try {
        problems.addAll(violations(name, Files.readString(file)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    versions.sort(null);
    for (int i = 0; i < versions.size(); i++) {
      if (versions.get(i) != i + 1) {
        problems.add("versions " + versions + " are not 1, 2, 3, ... without gaps");
        break;
      }
    }
    return problems;
  }

  /** What breaks the rule in one migration's SQL; empty when it only adds, or is a contract migration. */
  public static List<String> violations(String fileName, String sql) {
    if (fileName.contains("__contract_")) {
      return List.of();
    }
    String code = stripLiterals(stripComments(sql)).toUpperCase(Locale.ROOT).replaceAll("\\s+", " ");
    List<String> found = new ArrayList<>();
    for (Rule rule : RULES) {
      Matcher matcher = rule.pattern().matcher(code);
      while (matcher.find()) {
        found.add(fileName + ": '" + matcher.group().trim() + "' " + rule.why()
            + "; move it to a later __contract_ migration");
      }
    }
    return found;
  }

  private static String stripComments(String sql) {
    return sql.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("--[^\\n]*", " ");
  }

  /** String literals are data, not statements: {@code check (x in ('RENAME'))} renames nothing. */
  private static String stripLiterals(String sql) {
    return sql.replaceAll("'(?:[^']|'')*'", "''");
  }

  private record Rule(Pattern pattern, String why) {
  }
}
