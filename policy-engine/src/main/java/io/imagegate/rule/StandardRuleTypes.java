package io.imagegate.rule;

import io.imagegate.policy.RuleTypes;

/** The rule types imagegate ships. */
public final class StandardRuleTypes {
  private StandardRuleTypes() {}

  /** A registry of every built-in rule type. */
  public static RuleTypes all() {
    return RuleTypes.of(
        // size
        new MaxSizeRule(), new MaxLayersRule(), new MaxLayerSizeRule(), new EfficiencyRule(), new SizeRegressionRule(),
        // files
        new ForbiddenFilesRule(), new RequiredFilesRule(), new FilePermissionsRule(), new NoShellRule(),
        new SecretsRule(), new ForbiddenPackagesRule(),
        // config and metadata
        new RequiredUserRule(), new RequiredLabelsRule(), new HealthcheckRule(), new ExposedPortsRule(),
        new EntrypointRule(), new ForbiddenEnvRule(), new BaseImageRule(), new ForbiddenInstructionsRule());
  }
}
