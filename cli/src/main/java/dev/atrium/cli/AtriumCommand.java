package dev.atrium.cli;

import dev.atrium.cli.bundle.BundleCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The top command; each feature is a subcommand in its own package. */
@Command(name = "atrium", mixinStandardHelpOptions = true, version = "atrium 0.1.0",
    description = "The Atrium command line.", subcommands = BundleCommand.class)
public final class AtriumCommand implements Runnable {

  private static final String SIMPLE_LOGGER_LEVEL = "org.slf4j.simpleLogger.defaultLogLevel";

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  /** The command line with its exit codes: 0 done, 1 refused or failed (the reason on stderr), 2 usage. */
  public static CommandLine commandLine() {
    // the registry library logs every mounted blob at info; the commands print their own progress
    if (System.getProperty(SIMPLE_LOGGER_LEVEL) == null) {
      System.setProperty(SIMPLE_LOGGER_LEVEL, "warn");
    }
    CommandLine line = new CommandLine(new AtriumCommand());
    line.setExecutionExceptionHandler((e, cmd, parsed) -> {
      cmd.getErr().println("atrium: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
      cmd.getErr().flush();
      return 1;
    });
    return line;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }
}
