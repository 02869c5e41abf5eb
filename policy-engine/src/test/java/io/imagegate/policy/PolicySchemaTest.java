package io.imagegate.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagegate.rule.StandardRuleTypes;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Tests for {@link PolicySchema} as the loader uses it: schema errors mapped back to
 * {@code file:line:column} and worded like the loader's own, structural errors first, value
 * errors after the loader's more specific checks, and the YAML-to-JSON conversion's guards.
 */
class PolicySchemaTest {
  private static final String HEAD = "apiVersion: imagegate/v1\nkind: Policy\n";

  private static PolicySchema schema() {
    return PolicySchema.bundled().orElseThrow(() -> new AssertionError("no " + PolicySchema.RESOURCE + " on the test classpath"));
  }

  private static Policy load(PolicySchema schema, String text) {
    return new PolicyLoader(StandardRuleTypes.all(), PackResolver.NONE, schema).load("p.yaml", text, Path.of("."));
  }

  private static Policy load(String text) {
    return load(schema(), text);
  }

  @Test
  void bundled_isDraft2020AndNamesItsFormat() {
    assertThat(schema().isNone()).isFalse();
    assertThat(schema().text()).contains("\"$schema\": \"https://json-schema.org/draft/2020-12/schema\"")
        .contains("\"const\": \"imagegate/v1\"");
    assertThat(PolicySchema.NONE.isNone()).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      // unknown keys: the key's own position, a suggestion and the known keys (for a rule: its type's)
      "unknown top key | rulez: []\\n | p.yaml:3:1: unknown key 'rulez'; did you mean 'rules'? (known: apiVersion, description, exceptions, extends, failOn, kind, name, rules)",
      "unknown param | rules:\\n  - id: a\\n    type: no-shell\\n    shell: [sh]\\n | p.yaml:6:5: rules.a: unknown key 'shell' for type no-shell; did you mean 'shells'? (known: check-entrypoint, enabled, help, id, message, severity, shells, type)",
      "unknown param, flow style | rules: [{id: a, type: max-size, uncompresed: 1MB}]\\n | p.yaml:3:33: rules.a: unknown key 'uncompresed' for type max-size; did you mean 'uncompressed'?",
      "unknown exception key | exceptions:\\n  - rule: a\\n    reason: r\\n    image: [x]\\n | p.yaml:6:5: exceptions[0]: unknown key 'image'; did you mean 'images'? (known: images, paths, reason, rule, until)",
      // wrong kinds of value: what was expected (the schema's title) and what was found
      "size as a list | rules:\\n  - id: a\\n    type: max-size\\n    uncompressed: [1MB]\\n | p.yaml:6:19: rules.a.uncompressed: expected a size such as 100MB, 60MiB, 5 GB or 2048, found a list",
      "quoted boolean | rules:\\n  - id: a\\n    type: no-shell\\n    check-entrypoint: 'false'\\n | p.yaml:6:23: rules.a.check-entrypoint: expected true or false, found 'false'",
      "yes is not a boolean | rules:\\n  - id: a\\n    type: required-user\\n    numeric: yes\\n | p.yaml:6:14: rules.a.numeric: expected true or false, found 'yes'",
      "names nested | rules:\\n  - id: a\\n    type: forbidden-files\\n    names: [[curl]]\\n | p.yaml:6:13: rules.a.names[0]: expected a text value, found a list",
      "rule not a mapping | rules:\\n  - no-shell\\n | p.yaml:4:5: rules[0]: expected a rule (a mapping with id and type), found 'no-shell'",
      "root not a mapping | - a\\n | p.yaml:1:1: expected a policy (a mapping with apiVersion, kind and rules), found a list",
      "extends not a list | extends: minimal\\n | p.yaml:3:10: extends: expected a list of pack names and file paths, found 'minimal'",
      "reason as a list | exceptions:\\n  - rule: a\\n    reason: [x]\\n | p.yaml:5:13: exceptions[0].reason: expected a reason, found a list",
      // values from a fixed set
      "bad failOn | failOn: fatal\\n | p.yaml:3:9: failOn: 'fatal' is not a severity (expected error, warning or note)",
      "empty failOn | failOn:\\n | p.yaml:3:8: failOn: nothing is not a severity (expected error, warning or note)",
      "bad kind | rules: []\\n | p.yaml:1:1: kind: required key is missing",
      // missing keys: at the mapping that lacks them
      "rule without id | rules:\\n  - type: no-shell\\n | p.yaml:4:5: rules[0].id: required key is missing",
      "exception without reason | exceptions:\\n  - rule: a\\n | p.yaml:4:5: exceptions[0].reason: required key is missing",
  })
  void schemaErrors_areLocatedAndWorded(String name, String body, String expected) {
    String text = (name.equals("root not a mapping") ? "" : name.equals("bad kind") ? "apiVersion: imagegate/v1\n" : HEAD)
        + body.replace("\\n", "\n");
    assertThatThrownBy(() -> load(text)).isInstanceOf(PolicyException.class).hasMessageStartingWith(expected);
  }

  @Test
  void valueErrors_theLoadersMoreSpecificMessageWins() {
    // the schema's size pattern fails too, but the loader says what a size is
    assertThatThrownBy(() -> load(HEAD + "rules:\n  - id: a\n    type: max-size\n    uncompressed: 100 parsecs\n"))
        .hasMessage("p.yaml:6:19: rules.a.uncompressed: '100 parsecs' is not a size (expected a number with a unit "
            + "such as 100MB, 60MiB, 5 GB or 2048)");
    assertThatThrownBy(() -> load(HEAD + "exceptions:\n  - rule: a\n    reason: r\n    until: 2025-6-1\n"))
        .hasMessageStartingWith("p.yaml:6:12: exceptions[0].until: '2025-6-1' is not a date (expected YYYY-MM-DD");
  }

  @Test
  void valueErrors_theLoaderDoesNotCheck_areStillReported() {
    // a stricter schema than the loader: its value error is raised once the loader's checks pass
    String json = schema().text().replace("\"description\": \"The policy's name in reports (default: the file's path).\",",
        "\"description\": \"x\", \"pattern\": \"^[a-z]+$\",");
    PolicySchema strict = PolicySchema.parse(json);
    assertThatThrownBy(() -> load(strict, HEAD + "name: Not Lower\n"))
        .isInstanceOf(PolicyException.class)
        .hasMessageStartingWith("p.yaml:3:7: name: 'Not Lower' is not a text value (does not match the regex pattern");
    assertThat(load(strict, HEAD + "name: lower\n").name()).isEqualTo("lower");
  }

  @Test
  void structuralErrors_firstInTheDocumentWins() {
    assertThatThrownBy(() -> load(HEAD + "rules:\n  - id: a\n    type: no-shell\n    severity: fatal\nrulez: 1\n"))
        .hasMessageStartingWith("p.yaml:6:15: rules.a.severity: 'fatal' is not a severity");
  }

  @Test
  void scalars_typedAsAnEditorReadsThem() {
    // plain numbers for sizes and users, unquoted dates, booleans: all valid
    Policy p = load(HEAD + """
        rules:
          - id: 7
            type: max-size
            uncompressed: 1048576
          - id: user
            type: required-user
            numeric: true
            allowed: [1000, app]
        exceptions:
          - rule: user
            reason: r
            until: 2030-01-31
        """);
    assertThat(p.rules()).extracting(PolicyRule::id).containsExactly("7", "user");
  }

  @Test
  void duplicateKeys_andNonTextKeys_areRefused() {
    assertThatThrownBy(() -> load(HEAD + "rules:\n  - id: a\n    type: no-shell\n    shells: [sh]\n    shells: [bash]\n"))
        .hasMessageStartingWith("p.yaml:7:5: rules[0]: duplicate key 'shells'");
    assertThatThrownBy(() -> load(HEAD + "? [a]\n: b\n")).hasMessageStartingWith("p.yaml:3:3: keys must be plain text");
  }

  @Test
  void aliases_expandingBeyondTheLimit_areRefused() {
    // 17 levels, each twice the one before (34 aliases, under SnakeYAML's limit of 50): 2^17 values
    StringBuilder y = new StringBuilder(HEAD + "description: x\nx0: &a0 [v, v]\n");
    for (int i = 1; i <= 17; i++) {
      y.append("x").append(i).append(": &a").append(i).append(" [*a").append(i - 1).append(", *a").append(i - 1)
          .append("]\n");
    }
    assertThatThrownBy(() -> load(y.toString())).isInstanceOf(PolicyException.class)
        .hasMessageContaining("expands to more than " + PolicySchema.MAX_VALUES + " values");
  }

  @Test
  void aliasContainingItself_isRefused() {
    assertThatThrownBy(() -> load(HEAD + "extends: &e [a, *e]\n")).isInstanceOf(PolicyException.class)
        .hasMessage("p.yaml:3:10: an alias that contains itself; write the value out plainly");
  }

  @Test
  void yamlTags_javaClassesRefusedByTheParser_otherTagsOnlyTyped() {
    assertThatThrownBy(() -> load(HEAD + "name: !!javax.script.ScriptEngineManager [x]\n"))
        .hasMessageStartingWith("p.yaml:3:7: YAML syntax error: Global tag is not allowed");
    assertThatThrownBy(() -> load(HEAD + "name: !local [x]\n"))
        .hasMessageStartingWith("p.yaml:3:7: name: expected a text value, found a list");
  }
}
