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

  /** Runs the command with the given streams and environment (tests call this) and returns the exit code. */
  static int run(CliEnvironment env, PrintWriter out, PrintWriter err, String... args) {
    return run(env, System.in, out, err, args);
  }

  /** Runs the command with the given environment and streams and returns the exit code. */
  static int run(CliEnvironment env, InputStream in, PrintWriter out, PrintWriter err, String... args) {
    CommandLine cli = commandLine(env, out, err, args);
    CommandLine check = cli.getSubcommands().get("check");
    if (check != null) {
      ((CheckCommand) check.getCommand()).stdin = in;
    }
    return cli.execute(args);
  }

  /** The whole command tree. */
  static CommandLine commandLine(CliEnvironment env, PrintWriter out, PrintWriter err) {
    return commandLine(env, out, err, new String[0]);
  }

  /**
   * The command tree for {@code args}: when they start with a subcommand's name, the root and that
   * subcommand only (the others are never run, and building each costs start-up time); else
   * everything, for the root's help and its error messages.
   */
  static CommandLine commandLine(CliEnvironment env, PrintWriter out, PrintWriter err, String[] args) {
    // picocli registers converters for java.sql and java.time types by reflection on every start
    // (initialising java.sql classes); no option here has such a type
    if (System.getProperty(CONVERTER_EXCLUDES) == null) {
      System.setProperty(CONVERTER_EXCLUDES, "java\\.sql\\..*,java\\.time\\..*");
    }
    CommandLine cli = new CommandLine(new ImagegateCommand(env), Main::instantiate);
    String first = args.length > 0 ? args[0] : "";
    boolean one = ImagegateCommand.SUBCOMMANDS.containsKey(first);
    ImagegateCommand.SUBCOMMANDS.forEach((name, command) -> {
      if (!one || name.equals(first)) {
        cli.addSubcommand(name, command.get());
      }
    });
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
    cli.setParameterExceptionHandler((ex, rest) -> {
      PrintWriter e = ex.getCommandLine().getErr();
      e.println("imagegate: " + ex.getMessage());
      e.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help' for more information.");
      return ExitCodes.USAGE;
    });
    return cli;
  }

  /** The system property naming the types picocli registers no built-in converter for. */
  static final String CONVERTER_EXCLUDES = "picocli.converters.excludes";

  /**
   * How picocli makes mixins and the version provider: through their constructor, accessible or
   * not (its default tries {@code Class.newInstance} first, which throws for our package-private
   * classes before it falls back to this, an exception per class on every start).
   */
  private static <K> K instantiate(Class<K> cls) throws Exception {
    if (cls.getPackage() != Main.class.getPackage()) {
      return CommandLine.defaultFactory().create(cls); // picocli's own classes, collections, ...
    }
    java.lang.reflect.Constructor<K> c = cls.getDeclaredConstructor();
    c.setAccessible(true);
    return c.newInstance();
  }

  /** A usage problem found after parsing (e.g. a malformed --report). */
  static final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }
}
