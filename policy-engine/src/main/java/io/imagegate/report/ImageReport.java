package io.imagegate.report;

import io.imagegate.facts.LayerFacts;
import io.imagegate.image.Digest;
import io.imagegate.image.Platform;
import io.imagegate.policy.Severity;
import java.util.List;
import java.util.Optional;

/**
 * The outcome for one image (one platform of an index counts as one image).
 *
 * @param name how the image is named in reports
 * @param reference what the user typed
 * @param error why the image could not be read, when it could not (then {@code verdict} is ERROR)
 */
public record ImageReport(
    String name,
    String reference,
    Optional<Digest> manifestDigest,
    Optional<Digest> configDigest,
    Optional<Platform> platform,
    long compressedSize,
    long uncompressedSize,
    int files,
    List<LayerFacts> layers,
    List<Finding> findings,
    Optional<String> error,
    Verdict verdict) {

  public ImageReport {
    layers = List.copyOf(layers);
    findings = List.copyOf(findings);
  }

  /** An image that could not be read. */
  public static ImageReport failed(String name, String reference, String error) {
    return new ImageReport(name, reference, Optional.empty(), Optional.empty(), Optional.empty(), 0, 0, 0, List.of(),
        List.of(), Optional.of(error), Verdict.ERROR);
  }

  /** The number of findings of exactly {@code severity} that no exception waives. */
  public long count(Severity severity) {
    return findings.stream().filter(f -> !f.suppressed() && f.severity() == severity).count();
  }

  /** The number of findings a policy exception waives. */
  public long suppressedCount() {
    return findings.stream().filter(Finding::suppressed).count();
  }

  /**
   * The verdict for these findings: FAIL when one that no exception waives is at least
   * {@code failOn}, else PASS. Waived findings never fail an image.
   */
  public static Verdict verdict(List<Finding> findings, Severity failOn) {
    return findings.stream().anyMatch(f -> !f.suppressed() && f.severity().atLeast(failOn)) ? Verdict.FAIL
        : Verdict.PASS;
  }
}
