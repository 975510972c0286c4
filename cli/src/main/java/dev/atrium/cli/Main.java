package dev.atrium.cli;

import picocli.CommandLine;

/** {@code atrium}: the command line of the project (docs/bundle.md). */
public final class Main {

  private Main() {
  }

  public static void main(String[] args) {
    // the registry library logs every skipped blob at info; the command prints its own progress
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    System.exit(AtriumCommand.commandLine().execute(args));
  }
}
