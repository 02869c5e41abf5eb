package io.imagegate.policy;

/**
 * One YAML rule {@code type} ({@code max-size}, {@code no-shell}, …). Implementations are one class
 * per type, registered in {@link RuleTypes} by {@link #name()}. A type validates its parameters
 * when the policy loads and returns a {@link Check} ready to evaluate.
 */
public interface RuleType {
  /** The YAML {@code type} value. */
  String name();

  /** Title, description, how to fix, and parameters: for {@code imagegate rules} and SARIF rule help. */
  RuleDocumentation documentation();

  /**
   * Reads and validates this rule's parameters.
   *
   * @throws PolicyException (via {@link RuleParameters#error}) when a parameter is missing or wrong
   */
  Check configure(RuleParameters parameters);
}
