package io.imagegate.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the command in-process with captured streams. */
record Cli(int exitCode, String out, String err) {
  static Cli run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Cli(code, out.toString(), err.toString());
  }

  /** stderr lines that are diagnostics (not progress). */
  java.util.List<String> errors() {
    return err.lines().filter(l -> !l.startsWith("imagegate: checking") && !l.matches("imagegate: (PASS|FAIL|ERROR) in .*"))
        .toList();
  }
}
