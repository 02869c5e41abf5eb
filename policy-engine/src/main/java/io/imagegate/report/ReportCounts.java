package io.imagegate.report;

import io.imagegate.policy.Severity;
import java.util.List;

/**
 * How many images passed, failed or could not be read, how many findings of each severity count
 * (no exception waives them), and how many are waived.
 */
record ReportCounts(int images, long passed, long failed, long unreadable, long errors, long warnings, long notes,
    long suppressed) {
  /** Severities from the worst, the order reports list them in. */
  static final List<Severity> WORST_FIRST = List.of(Severity.ERROR, Severity.WARNING, Severity.NOTE);

  static ReportCounts of(Report report) {
    List<ImageReport> images = report.images();
    return new ReportCounts(images.size(),
        images.stream().filter(i -> i.verdict() == Verdict.PASS).count(),
        images.stream().filter(i -> i.verdict() == Verdict.FAIL).count(),
        images.stream().filter(i -> i.verdict() == Verdict.ERROR).count(),
        findings(images, Severity.ERROR), findings(images, Severity.WARNING), findings(images, Severity.NOTE),
        images.stream().mapToLong(ImageReport::suppressedCount).sum());
  }

  /** Findings of exactly {@code severity} that no exception waives. */
  long findings(Severity severity) {
    return switch (severity) {
      case ERROR -> errors;
      case WARNING -> warnings;
      case NOTE -> notes;
    };
  }

  private static long findings(List<ImageReport> images, Severity severity) {
    return images.stream().mapToLong(i -> i.count(severity)).sum();
  }
}
