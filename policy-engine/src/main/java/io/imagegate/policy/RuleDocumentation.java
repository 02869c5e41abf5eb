package io.imagegate.policy;

import java.util.List;

/**
 * What a rule type checks and how to fix a violation, kept on the rule itself.
 *
 * @param title a short description (SARIF {@code shortDescription})
 * @param description what is checked and why (SARIF {@code fullDescription})
 * @param help how to fix it (SARIF {@code help})
 * @param parameters the YAML parameters this type takes
 * @param tags e.g. {@code security}, {@code size} (SARIF {@code properties.tags})
 */
public record RuleDocumentation(
    String title, String description, String help, List<Parameter> parameters, List<String> tags) {

  public RuleDocumentation {
    parameters = List.copyOf(parameters);
    tags = List.copyOf(tags);
  }

  /**
   * One YAML parameter.
   *
   * @param type e.g. {@code size}, {@code list of names}, {@code boolean}
   * @param defaultValue empty when the parameter has no default
   */
  public record Parameter(String name, String type, String description, String defaultValue) {}
}
