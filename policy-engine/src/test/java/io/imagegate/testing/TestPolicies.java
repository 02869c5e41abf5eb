package io.imagegate.testing;

import io.imagegate.policy.PackResolver;
import io.imagegate.policy.Policy;
import io.imagegate.policy.PolicyLoader;
import io.imagegate.rule.StandardRuleTypes;

/** Policies the integration tests share. */
public final class TestPolicies {
  private TestPolicies() {}

  /**
   * In the spirit of the minimal pack, with a 1 MB budget, so small test images produce findings
   * of several kinds (size, files, user, shell).
   */
  public static final String MINIMAL_LIKE = """
      apiVersion: imagegate/v1
      kind: Policy
      rules:
        - id: size-budget
          type: max-size
          uncompressed: 1MB
        - id: no-network-tools
          type: forbidden-files
          names: [curl, wget]
        - id: non-root-user
          type: required-user
        - id: no-shell
          type: no-shell
      """;

  /** {@link #MINIMAL_LIKE}, loaded. */
  public static Policy minimalLike() {
    return new PolicyLoader(StandardRuleTypes.all(), PackResolver.NONE).load("test.yaml", MINIMAL_LIKE, null);
  }
}
