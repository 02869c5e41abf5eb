package io.imagegate.report;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Files of the {@code shared} directory beside the repository (the official schemas), found by
 * walking up from the working directory, so the tests run from the module, the repository root or
 * a worktree alike. {@code -Dimagegate.shared=DIR} points at another {@code shared} directory.
 */
final class SharedFiles {
  private SharedFiles() {}

  /** {@code shared/relative}; fails, naming where it looked, when there is none. */
  static Path find(String relative) {
    String override = System.getProperty("imagegate.shared");
    if (override != null) {
      return Path.of(override).resolve(relative);
    }
    Path start = Path.of("").toAbsolutePath();
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("shared").resolve(relative);
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("no shared/" + relative + " in " + start + " or any directory above it");
  }
}
