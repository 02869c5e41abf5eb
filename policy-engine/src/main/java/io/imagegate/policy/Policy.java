package io.imagegate.policy;

import io.imagegate.scan.ScanInterest;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The effective policy: its rules and exceptions after {@code extends} are merged, in order.
 *
 * @param name the policy's name (its file, or the built-in pack's name)
 * @param failOn the policy's own {@code failOn}; the CLI's {@code --fail-on} takes precedence
 * @param exceptions the exceptions of every file, extended ones first
 */
public record Policy(String name, Optional<Severity> failOn, List<PolicyRule> rules, List<Waiver> exceptions) {
  public Policy {
    rules = List.copyOf(rules);
    exceptions = List.copyOf(exceptions);
  }

  /** A policy without exceptions. */
  public Policy(String name, Optional<Severity> failOn, List<PolicyRule> rules) {
    this(name, failOn, rules, List.of());
  }

  /**
   * Why {@code exception} can never apply, when its {@code rule} matches none of this policy's
   * rules: e.g. {@code "names no rule of the policy; did you mean 'no-shell'?"}. Empty when it
   * matches one.
   */
  public Optional<String> unmatchedRule(Waiver exception) {
    Set<String> ids = new LinkedHashSet<>();
    rules.forEach(r -> ids.add(r.id()));
    if (ids.stream().anyMatch(exception::matchesRule)) {
      return Optional.empty();
    }
    return Optional.of(Waiver.isGlob(exception.rule())
        ? "matches no rule of the policy"
        : "names no rule of the policy" + PolicyLoader.suggestion(exception.rule(), ids));
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
