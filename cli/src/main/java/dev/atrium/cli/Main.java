package dev.atrium.cli;

/** {@code atrium}: the command line of the project (docs/bundle.md). */
public final class Main {

  private Main() {
  }

  public static void main(String[] args) {
    System.exit(AtriumCommand.commandLine().execute(args));
  }
}
