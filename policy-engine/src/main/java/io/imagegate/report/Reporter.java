package io.imagegate.report;

import java.io.IOException;
import java.io.OutputStream;

/** Writes a {@link Report} in one format. Reporters only render: the verdict is already decided. */
public interface Reporter {
  /** The format's name as {@code --format} and {@code --report} spell it. */
  String format();

  /** Writes the report; does not close {@code out}. */
  void write(Report report, OutputStream out) throws IOException;

  /**
   * How many files the report takes when written to a file: 1, except where a consumer limits a
   * file (SARIF: GitHub's 20 runs per file). File {@code i > 0} of {@code gate.sarif} is
   * {@code gate-<i+1>.sarif} ({@link ReportFiles#part}).
   */
  default int files(Report report) {
    return 1;
  }

  /** Writes file {@code file} (0-based) of {@link #files}; does not close {@code out}. */
  default void write(Report report, int file, OutputStream out) throws IOException {
    if (file != 0) {
      throw new IndexOutOfBoundsException("file " + file + " of 1");
    }
    write(report, out);
  }
}
