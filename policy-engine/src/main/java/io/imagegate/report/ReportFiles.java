package io.imagegate.report;

import java.nio.file.Path;

/** Names of the files a report split over several files takes. */
public final class ReportFiles {
  private ReportFiles() {}

  /**
   * File {@code index} (0-based) of a report written to {@code path}: {@code path} itself for 0,
   * else the number before the extension, {@code gate.sarif} → {@code gate-2.sarif}, {@code gate-3.sarif}, ….
   */
  public static Path part(Path path, int index) {
    if (index == 0) {
      return path;
    }
    String name = path.getFileName().toString();
    int dot = name.lastIndexOf('.');
    String numbered = dot > 0 ? name.substring(0, dot) + "-" + (index + 1) + name.substring(dot)
        : name + "-" + (index + 1);
    return path.resolveSibling(numbered);
  }
}
