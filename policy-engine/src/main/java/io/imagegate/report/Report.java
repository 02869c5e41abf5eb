package io.imagegate.report;

import io.imagegate.policy.Severity;
import java.util.List;

/**
 * One evaluated run: the policy's rules, every image's outcome and the overall verdict, decided
 * before any reporter runs. Every output format renders this same object.
 *
 * @param failOn the threshold the verdicts were decided with
 * @param exceptions the policy's exceptions with what became of each in this run (active,
 *     expired, stale); the expired and stale ones are the run's notices
 */
public record Report(
    String toolVersion, String policyName, Severity failOn, List<RuleSummary> rules, List<ImageReport> images,
    Verdict verdict, List<WaiverSummary> exceptions) {

  public Report {
    rules = List.copyOf(rules);
    images = List.copyOf(images);
    exceptions = List.copyOf(exceptions);
  }

  /** Combines image outcomes into a report without policy exceptions; the verdict is the worst of theirs. */
  public static Report of(String toolVersion, String policyName, Severity failOn, List<RuleSummary> rules,
      List<ImageReport> images) {
    return of(toolVersion, policyName, failOn, rules, images, List.of());
  }

  /** Combines image outcomes into a report; the verdict is the worst of theirs (notices don't change it). */
  public static Report of(String toolVersion, String policyName, Severity failOn, List<RuleSummary> rules,
      List<ImageReport> images, List<WaiverSummary> exceptions) {
    Verdict v = Verdict.PASS;
    for (ImageReport i : images) {
      v = v.and(i.verdict());
    }
    return new Report(toolVersion, policyName, failOn, rules, images, v, exceptions);
  }

  /** The expired and stale exceptions, in policy order. */
  public List<WaiverSummary> notices() {
    return exceptions.stream().filter(WaiverSummary::isNotice).toList();
  }
}
