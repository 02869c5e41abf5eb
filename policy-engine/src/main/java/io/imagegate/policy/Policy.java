package io.imagegate.policy;

import io.imagegate.scan.ScanInterest;
import java.util.List;
import java.util.Optional;

/**
 * The effective policy: its rules after {@code extends} are merged, in order.
 *
 * @param name the policy's name (its file, or the built-in pack's name)
 * @param failOn the policy's own {@code failOn}; the CLI's {@code --fail-on} takes precedence
 */
public record Policy(String name, Optional<Severity> failOn, List<PolicyRule> rules) {
  public Policy {
    rules = List.copyOf(rules);
  }

  /** What every rule needs from the scan, together. */
  public ScanInterest interest() {
    ScanInterest i = ScanInterest.NONE;
    for (PolicyRule r : rules) {
      i = i.and(r.check().interest());
    }
    return i;
  }
}
