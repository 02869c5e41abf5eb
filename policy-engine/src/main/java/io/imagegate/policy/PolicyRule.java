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
 * @param parameters the type's parameters as they were written, as a YAML block mapping (one
 *     {@code key: value} entry per parameter, scalars in their original style so they read back
 *     the same); empty when the rule has none or was not loaded from YAML
 */
public record PolicyRule(
    String id, RuleType type, Severity severity, Optional<String> message, Optional<String> help, Check check,
    String origin, String parameters) {

  PolicyRule withSeverity(Severity s) {
    return new PolicyRule(id, type, s, message, help, check, origin, parameters);
  }

  PolicyRule withMessage(String m) {
    return new PolicyRule(id, type, severity, Optional.of(m), help, check, origin, parameters);
  }

  PolicyRule withHelp(String h) {
    return new PolicyRule(id, type, severity, message, Optional.of(h), check, origin, parameters);
  }
}
