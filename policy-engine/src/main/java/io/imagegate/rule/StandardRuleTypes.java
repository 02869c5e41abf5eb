package io.imagegate.rule;

import io.imagegate.policy.RuleTypes;

/** The rule types imagegate ships. */
public final class StandardRuleTypes {
  private StandardRuleTypes() {}

  /** A registry of every built-in rule type. */
  public static RuleTypes all() {
    return RuleTypes.of(new MaxSizeRule(), new ForbiddenFilesRule(), new RequiredUserRule(), new NoShellRule());
  }
}
