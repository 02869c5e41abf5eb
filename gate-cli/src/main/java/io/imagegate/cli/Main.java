package io.imagegate.cli;

import io.imagegate.image.ImageReadException;
import io.imagegate.policy.PolicyException;
import io.imagegate.report.ReportLimitException;
import java.io.InputStream;
import java.io.PrintWriter;
import picocli.CommandLine;

/** The {@code imagegate} command's entry point. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
  }

  /** Runs the command with the given streams in this process's environment and returns the exit code. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    return run(CliEnvironment.system(), System.in, out, err, args);
  }

  /** Runs the command with the given streams, {@code in} for {@code --password-stdin}, and returns the exit code. */
  public static int run(InputStream in, PrintWriter out, PrintWriter err, String... args) {
    return run(CliEnvironment.system(), in, out, err, args);
  }

  /** Runs the command with the given streams and environment (tests call this) and returns the exit code. */
  static int run(CliEnvironment env, PrintWriter out, PrintWriter err, String... args) {
    return run(env, System.in, out, err, args);
  }

  /** Runs the command with the given environment and streams and returns the exit code. */
  static int run(CliEnvironment env, InputStream in, PrintWriter out, PrintWriter err, String... args) {
    CommandLine cli = commandLine(env, out, err);
    ((CheckCommand) cli.getSubcommands().get("check").getCommand()).stdin = in;
    return cli.execute(args);
  }

  static CommandLine commandLine(CliEnvironment env, PrintWriter out, PrintWriter err) {
    CommandLine cli = new CommandLine(new ImagegateCommand(env));
    cli.setOut(out);
    cli.setErr(err);
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    // exceptions map to exit codes in one place; messages are one line, never a stack trace
    cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      PrintWriter e = commandLine.getErr();
      if (ex instanceof PolicyException) {
        e.println("imagegate: invalid policy: " + ex.getMessage());
        return ExitCodes.USAGE;
      }
      if (ex instanceof Main.UsageException) {
        e.println("imagegate: " + ex.getMessage());
        return ExitCodes.USAGE;
      }
      if (ex instanceof ReportLimitException) {
        e.println("imagegate: cannot write report: " + ex.getMessage());
        return ExitCodes.USAGE;
      }
      if (ex instanceof ImageReadException) {
        e.println("imagegate: cannot read image: " + ex.getMessage());
        return ExitCodes.UNREADABLE;
      }
      e.println("imagegate: internal error: " + ex);
      if (System.getenv("IMAGEGATE_DEBUG") != null) {
        ex.printStackTrace(e);
      }
      return ExitCodes.UNREADABLE;
    });
    cli.setParameterExceptionHandler((ex, args) -> {
      PrintWriter e = ex.getCommandLine().getErr();
      e.println("imagegate: " + ex.getMessage());
      e.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help' for more information.");
      return ExitCodes.USAGE;
    });
    return cli;
  }

  /** A usage problem found after parsing (e.g. a malformed --report). */
  static final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }
}
