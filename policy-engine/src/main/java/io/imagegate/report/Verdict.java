package io.imagegate.report;

/** The outcome for an image or a whole run. */
public enum Verdict {
  /** The policy holds. */
  PASS,
  /** The policy is violated at or above the fail threshold. */
  FAIL,
  /** The image could not be read or verified: fail closed. */
  ERROR;

  /** The worse of two verdicts (ERROR over FAIL over PASS). */
  public Verdict and(Verdict other) {
    return compareTo(other) >= 0 ? this : other;
  }
}
