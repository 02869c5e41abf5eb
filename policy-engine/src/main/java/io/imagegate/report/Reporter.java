package io.imagegate.report;

import java.io.IOException;
import java.io.OutputStream;

/** Writes a {@link Report} in one format. Reporters only render: the verdict is already decided. */
public interface Reporter {
  /** The format's name as {@code --format} and {@code --report} spell it. */
  String format();

  /** Writes the report; does not close {@code out}. */
  void write(Report report, OutputStream out) throws IOException;
}
