package io.imagegate.report;

import io.imagegate.facts.LayerFacts;
import io.imagegate.image.Digest;
import io.imagegate.image.ImageConfig;
import io.imagegate.image.Platform;
import io.imagegate.policy.Severity;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The outcome for one image (one platform of an index counts as one image).
 *
 * @param name how the image is named in reports
 * @param reference what the user typed
 * @param error why the image could not be read, when it could not (then {@code verdict} is ERROR)
 * @param config the image's config (user, entrypoint, history…), for steps between evaluation and
 *     reporting such as mapping findings to Dockerfile lines; empty when the image could not be read
 * @param elapsed how long reading and evaluating the image took (JUnit's {@code time})
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
    Verdict verdict,
    Optional<ImageConfig> config,
    Duration elapsed) {

  public ImageReport {
    layers = List.copyOf(layers);
    findings = List.copyOf(findings);
  }

  /** An outcome without the config and timing (hand-built reports). */
  public ImageReport(String name, String reference, Optional<Digest> manifestDigest, Optional<Digest> configDigest,
      Optional<Platform> platform, long compressedSize, long uncompressedSize, int files, List<LayerFacts> layers,
      List<Finding> findings, Optional<String> error, Verdict verdict) {
    this(name, reference, manifestDigest, configDigest, platform, compressedSize, uncompressedSize, files, layers,
        findings, error, verdict, Optional.empty(), Duration.ZERO);
  }

  /** An image that could not be read. */
  public static ImageReport failed(String name, String reference, String error) {
    return new ImageReport(name, reference, Optional.empty(), Optional.empty(), Optional.empty(), 0, 0, 0, List.of(),
        List.of(), Optional.of(error), Verdict.ERROR);
  }

  /** This outcome with each finding replaced by {@code change}'s result; the verdict stays as decided. */
  public ImageReport withFindings(UnaryOperator<Finding> change) {
    return new ImageReport(name, reference, manifestDigest, configDigest, platform, compressedSize, uncompressedSize,
        files, layers, findings.stream().map(change).toList(), error, verdict, config, elapsed);
  }

  /** This outcome with how long it took. */
  public ImageReport withElapsed(Duration time) {
    return new ImageReport(name, reference, manifestDigest, configDigest, platform, compressedSize, uncompressedSize,
        files, layers, findings, error, verdict, config, time);
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
