package io.imagegate.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Runs the command in-process with captured streams, in a clean environment unless given one. */
record Cli(int exitCode, String out, String err) {
  /** No variables, no terminal, the JVM's working directory: what the tests' environment can't change. */
  static CliEnvironment cleanEnvironment() {
    return new CliEnvironment(Map.of(), false, Path.of("").toAbsolutePath());
  }

  /**
   * Runs {@code args} in a clean environment; a {@code check} without cache options gets
   * {@code --no-cache}, so tests never share the user's cache (tests of the cache pass {@code --cache-dir}).
   */
  static Cli run(String... args) {
    return run(cleanEnvironment(), args);
  }

  static Cli run(CliEnvironment env, String... args) {
    if (args.length > 0 && args[0].equals("check") && java.util.Arrays.stream(args)
        .noneMatch(a -> a.equals("--cache-dir") || a.equals("--no-cache") || a.equals("--help"))) {
      String[] withFlag = new String[args.length + 1];
      withFlag[0] = "check";
      withFlag[1] = "--no-cache";
      System.arraycopy(args, 1, withFlag, 2, args.length - 1);
      args = withFlag;
    }
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(env, new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Cli(code, out.toString(), err.toString());
  }

  /** stderr lines that are diagnostics (not progress). */
  List<String> errors() {
    return err.lines().filter(l -> !l.startsWith("imagegate: checking") && !l.matches("imagegate: (PASS|FAIL|ERROR) in .*")
        && !l.startsWith("imagegate: layers: "))
        .toList();
  }
}
