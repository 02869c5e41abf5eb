package io.imagegate.report;

import io.imagegate.policy.Severity;
import java.util.List;

/**
 * One evaluated run: the policy's rules, every image's outcome and the overall verdict, decided
 * before any reporter runs. Every output format renders this same object.
 *
 * @param failOn the threshold the verdicts were decided with
 */
public record Report(
    String toolVersion, String policyName, Severity failOn, List<RuleSummary> rules, List<ImageReport> images,
    Verdict verdict) {

  public Report {
    rules = List.copyOf(rules);
    images = List.copyOf(images);
  }

  /** Combines image outcomes into a report; the verdict is the worst of theirs. */
  public static Report of(String toolVersion, String policyName, Severity failOn, List<RuleSummary> rules,
      List<ImageReport> images) {
    Verdict v = Verdict.PASS;
    for (ImageReport i : images) {
      v = v.and(i.verdict());
    }
    return new Report(toolVersion, policyName, failOn, rules, images, v);
  }
}
