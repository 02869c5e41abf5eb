package io.imagegate.report;

import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Where a policy rule or exception was written ({@code FILE:LINE}, as the loader records it), read
 * the way GitHub resolves file paths: relative to the repository's root. SARIF and workflow
 * commands both name policy files through it.
 *
 * @param file the file as the origin names it ({@code builtin:NAME} for a built-in pack)
 * @param line the 1-based line, when the origin has one
 */
record PolicyOrigin(String file, OptionalInt line) {
  /** Splits {@code FILE:LINE}; without a numeric suffix the whole origin is the file. */
  static PolicyOrigin parse(String origin) {
    int colon = origin.lastIndexOf(':');
    if (colon > 0 && origin.substring(colon + 1).matches("\\d+")) {
      return new PolicyOrigin(origin.substring(0, colon), OptionalInt.of(Math.max(1, Integer.parseInt(origin.substring(colon + 1)))));
    }
    return new PolicyOrigin(origin, OptionalInt.empty());
  }

  /** Whether the origin is a built-in pack. */
  boolean builtin() {
    return file.startsWith("builtin:");
  }

  /**
   * The file relative to {@code repositoryRoot}, with {@code /}: a relative path as written
   * (without {@code ./}), an absolute one made relative when it lies inside the root; empty for a
   * built-in pack or a file outside the repository.
   */
  Optional<String> inRepository(Path repositoryRoot) {
    if (builtin()) {
      return Optional.empty();
    }
    String f = file.replace('\\', '/');
    if (Path.of(file).isAbsolute() || f.startsWith("/") || f.matches("[A-Za-z]:/.*")) {
      Path abs = Path.of(file).toAbsolutePath().normalize();
      Path root = repositoryRoot.toAbsolutePath().normalize();
      return abs.startsWith(root) && !abs.equals(root)
          ? Optional.of(root.relativize(abs).toString().replace('\\', '/')) : Optional.empty();
    }
    while (f.startsWith("./")) {
      f = f.substring(2);
    }
    return Optional.of(f);
  }
}
