package io.imagegate.report;

import io.imagegate.image.Digest;
import io.imagegate.policy.Location;
import io.imagegate.policy.Severity;
import java.time.LocalDate;
import java.util.Optional;

/**
 * A rule violated by an image: which rule, how severe, what was found and where, and — for a
 * path — the layer that put it there and the build step that made that layer.
 *
 * @param suppression set when a policy exception waives this finding; it then doesn't count
 *     toward the verdict but stays visible in every report
 * @param source the Dockerfile line that caused the finding, when a Dockerfile was given and
 *     the history could be matched to it
 */
public record Finding(
    String ruleId, String ruleType, Severity severity, String message, Location location, Optional<LayerRef> layer,
    Optional<Suppression> suppression, Optional<SourceLine> source) {

  /** A finding that is neither waived nor mapped to a Dockerfile line. */
  public Finding(String ruleId, String ruleType, Severity severity, String message, Location location,
      Optional<LayerRef> layer) {
    this(ruleId, ruleType, severity, message, location, layer, Optional.empty(), Optional.empty());
  }

  /** Whether a policy exception waives this finding. */
  public boolean suppressed() {
    return suppression.isPresent();
  }

  /** This finding pointing at {@code line} of the Dockerfile (or at none). */
  public Finding withSource(Optional<SourceLine> line) {
    return new Finding(ruleId, ruleType, severity, message, location, layer, suppression, line);
  }

  /**
   * The layer a finding points at.
   *
   * @param createdBy the history entry's {@code created_by} (the Dockerfile instruction), empty when unknown
   */
  public record LayerRef(int index, Digest diffId, Optional<Digest> blobDigest, String createdBy) {}

  /**
   * Why a finding is waived.
   *
   * @param origin where the exception is defined, {@code file:line}
   * @param until the last day the exception applies, if it expires
   */
  public record Suppression(String reason, String origin, Optional<LocalDate> until) {}

  /**
   * A line of the Dockerfile.
   *
   * @param file the Dockerfile's path as given (repo-relative in CI)
   * @param line 1-based
   * @param instruction the instruction on that line, e.g. {@code RUN apt-get install -y curl}
   * @param note empty when the match is certain; else says why it is uncertain
   */
  public record SourceLine(String file, int line, String instruction, String note) {}
}
