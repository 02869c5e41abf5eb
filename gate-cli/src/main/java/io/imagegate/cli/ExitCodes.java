package io.imagegate.cli;

import io.imagegate.report.Verdict;

/** The exit codes a pipeline acts on. Listed in {@code --help} and the README. */
final class ExitCodes {
  /** The policy holds. */
  static final int PASS = 0;
  /** The policy is violated at or above {@code --fail-on}. */
  static final int VIOLATED = 1;
  /** Bad usage or an invalid policy. */
  static final int USAGE = 2;
  /** An image could not be read or verified (fail closed). */
  static final int UNREADABLE = 3;

  private ExitCodes() {}

  static int of(Verdict v) {
    return switch (v) {
      case PASS -> PASS;
      case FAIL -> VIOLATED;
      case ERROR -> UNREADABLE;
    };
  }
}
