package io.imagegate.report;

/** A report that can't be written as asked without breaking a limit its consumer enforces (GitHub's, for SARIF). */
public final class ReportLimitException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ReportLimitException(String message) {
    super(message);
  }
}
