package io.imagegate.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What the command reads from where it runs, beyond its arguments: environment variables
 * ({@code NO_COLOR}, {@code CI}, {@code GITHUB_ACTIONS}, {@code GITHUB_STEP_SUMMARY},
 * {@code GITHUB_WORKSPACE}), whether stdout is a terminal, and the working directory. Injected so
 * tests don't depend on the environment they run in (a test run inside GitHub Actions must not
 * print workflow commands into the reports it checks).
 *
 * @param terminal whether stdout is an interactive terminal (colour only then)
 * @param workingDirectory what repository-relative paths are relative to when {@code GITHUB_WORKSPACE} is not set
 */
record CliEnvironment(Map<String, String> variables, boolean terminal, Path workingDirectory) {
  CliEnvironment {
    variables = Map.copyOf(variables);
  }

  /** The real process environment. */
  static CliEnvironment system() {
    return new CliEnvironment(System.getenv(), System.console() != null, Path.of("").toAbsolutePath());
  }

  /**
   * What repository-relative paths in reports are relative to: {@code GITHUB_WORKSPACE} (the
   * checkout, in GitHub Actions) when set, else the working directory.
   */
  Path repositoryRoot() {
    return get("GITHUB_WORKSPACE").filter(w -> !w.isBlank()).map(Path::of).orElse(workingDirectory);
  }

  /** A variable's value; empty when unset. */
  Optional<String> get(String name) {
    return Optional.ofNullable(variables.get(name));
  }

  /** Whether a variable is set to {@code true} (any case), as CI systems set {@code CI} and {@code GITHUB_ACTIONS}. */
  boolean isTrue(String name) {
    return get(name).map(v -> v.equalsIgnoreCase("true")).orElse(false);
  }

  /**
   * Whether the text report may be coloured: stdout is a terminal, {@code NO_COLOR} is unset or
   * empty (no-color.org), and {@code CI} is not {@code true}.
   */
  boolean colour() {
    return terminal && get("NO_COLOR").map(String::isEmpty).orElse(true) && !isTrue("CI");
  }
}
