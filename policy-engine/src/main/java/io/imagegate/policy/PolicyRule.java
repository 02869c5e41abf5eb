package io.imagegate.policy;

import java.util.Optional;

/**
 * A rule as the effective policy holds it: its id, type, severity, optional wording, and the
 * configured check.
 *
 * @param message replaces the finding's text when set; {@code {detail}} and the violation's
 *     values ({@code {path}}, …) are substituted
 * @param help replaces the type's help text in reports when set
 * @param origin where the rule was defined, {@code file:line}
 */
public record PolicyRule(
    String id, RuleType type, Severity severity, Optional<String> message, Optional<String> help, Check check,
    String origin) {

  PolicyRule withSeverity(Severity s) {
    return new PolicyRule(id, type, s, message, help, check, origin);
  }

  PolicyRule withMessage(String m) {
    return new PolicyRule(id, type, severity, Optional.of(m), help, check, origin);
  }

  PolicyRule withHelp(String h) {
    return new PolicyRule(id, type, severity, message, Optional.of(h), check, origin);
  }
}
