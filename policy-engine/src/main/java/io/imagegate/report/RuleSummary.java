package io.imagegate.report;

import io.imagegate.policy.PolicyRule;
import io.imagegate.policy.RuleDocumentation;
import io.imagegate.policy.Severity;

/**
 * A rule of the effective policy as reports describe it (SARIF {@code reportingDescriptor}).
 *
 * @param help the policy's own help when it set one, else the type's
 * @param origin {@code file:line} where the rule is defined
 */
public record RuleSummary(String id, String type, Severity severity, RuleDocumentation documentation, String help,
    String origin) {

  /** Describes a policy rule. */
  public static RuleSummary of(PolicyRule r) {
    RuleDocumentation d = r.type().documentation();
    return new RuleSummary(r.id(), r.type().name(), r.severity(), d, r.help().orElse(d.help()), r.origin());
  }
}
