package io.imagegate.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds the real programs integration tests drive ({@code docker-registry}, {@code skopeo},
 * {@code htpasswd}). A missing one skips the test with the reason, except under CI
 * ({@code CI=true}), where it fails: CI must run every test, and {@code bin/test-all} installs them.
 */
public final class ExternalTools {
  private ExternalTools() {}

  /** The program's path, or the test is skipped (failed under CI) naming the Debian package to install. */
  public static Path require(String program, String debianPackage) {
    return require(program, debianPackage, "true".equalsIgnoreCase(System.getenv("CI")));
  }

  static Path require(String program, String debianPackage, boolean ci) {
    Optional<Path> found = find(program);
    if (found.isPresent()) {
      return found.get();
    }
    String reason = program + " is not installed (apt-get install " + debianPackage + "; bin/test-all does this)";
    if (ci) {
      Assertions.fail(reason + " and CI=true: integration tests must run in CI");
    }
    Assumptions.abort(reason);
    throw new AssertionError("unreachable");
  }

  /** Looks on {@code PATH}, then in {@code /usr/bin} and {@code /usr/sbin}. */
  public static Optional<Path> find(String program) {
    String path = System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/bin" + File.pathSeparator + "/usr/sbin";
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path p = Path.of(dir, program);
      if (Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** Runs {@code command} to its end and returns its output (stderr included); a failure names the command. */
  public static String run(List<String> command) throws IOException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(command.get(0) + " timed out: " + out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    if (p.exitValue() != 0) {
      throw new IOException(String.join(" ", command.subList(0, Math.min(3, command.size()))) + "… failed (exit "
          + p.exitValue() + "): " + out);
    }
    return out;
  }
}
