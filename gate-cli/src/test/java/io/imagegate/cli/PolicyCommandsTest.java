package io.imagegate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.policy.PolicySchema;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Tests for {@code imagegate policy validate|show|schema} and {@code imagegate init}. */
class PolicyCommandsTest {
  private static final String HEAD = "apiVersion: imagegate/v1\nkind: Policy\n";

  @TempDir
  Path dir;

  private Path write(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
    return p;
  }

  private static List<String> errorLines(Cli cli) {
    return cli.err().lines().toList();
  }

  // ---- validate ------------------------------------------------------------------------------

  @Test
  void validate_validFilesAndPacks_exit0() throws IOException {
    Path a = write("a.yaml", HEAD + "extends: [minimal]\nexceptions:\n  - rule: no-shell\n    reason: r\n");
    Path b = write("b.yaml", HEAD + "rules:\n  - id: s\n    type: no-shell\n");
    Cli cli = Cli.run("policy", "validate", a.toString(), b.toString(), "minimal");
    assertThat(cli.exitCode()).as(cli.err()).isEqualTo(0);
    assertThat(cli.out().lines()).containsExactly(a + ": valid (6 rules, 1 exception)", b + ": valid (1 rule, 0 exceptions)",
        "minimal: valid (6 rules, 0 exceptions)");
    assertThat(cli.err()).isEmpty();
  }

  @Test
  void validate_oneInvalidAmongSeveral_reportsItAndTheOthers_exit2() throws IOException {
    Path good = write("good.yaml", HEAD + "extends: [minimal]\n");
    Path bad = write("bad.yaml", HEAD + "rules:\n  - id: a\n    type: no-shel\n");
    Cli cli = Cli.run("policy", "validate", bad.toString(), good.toString());
    assertThat(cli.exitCode()).isEqualTo(2);
    assertThat(cli.out().lines()).containsExactly(good + ": valid (6 rules, 0 exceptions)");
    assertThat(errorLines(cli)).singleElement().asString().startsWith("imagegate: invalid policy: " + bad
        + ":5:11: rules.a.type: unknown rule type 'no-shel'; did you mean 'no-shell'? (known: base-image, ")
        .contains(", no-shell, ").endsWith(")");
  }

  @Test
  void validate_exceptionsThatCanNeverApplyOrHaveExpired_areWarnings_exit0() throws IOException {
    Path p = write("p.yaml", HEAD + """
        extends: [minimal]
        exceptions:
          - rule: no-shel
            reason: typo
          - rule: no-shell
            reason: long gone
            until: 2001-01-01
        """);
    Cli cli = Cli.run("policy", "validate", p.toString());
    assertThat(cli.exitCode()).isEqualTo(0);
    assertThat(errorLines(cli)).containsExactly(
        "imagegate: warning: " + p + ":5: exception for no-shel names no rule of the policy; did you mean 'no-shell'?; "
            + "it can never apply",
        "imagegate: warning: " + p + ":7: exception for no-shell expired after 2001-01-01; its findings count again");
  }

  /**
   * Every kind of policy error, through {@code policy validate} and {@code check --policy}: exit 2
   * and one line naming {@code file:line:column}, the key and what was expected.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "yaml syntax | rules: [\\n | 4:1: YAML syntax error: ",
      "tab indentation | rules:\\n\\t- id: a\\n | 4:1: YAML syntax error: ",
      "java type tag | rules:\\n  - !!java.io.File [x]\\n | 4:5: YAML syntax error: Global tag is not allowed",
      "wrong apiVersion | X | 1:13: apiVersion: expected imagegate/v1, found 'v2'",
      "missing kind | Y | 1:1: kind: required key is missing",
      "wrong kind | Z | 2:7: kind: expected Policy, found 'Rules'",
      "unknown top key | rulez: []\\n | 3:1: unknown key 'rulez'; did you mean 'rules'?",
      "duplicate top key | rules: []\\nrules: []\\n | 4:1: duplicate key 'rules'",
      "rules not a list | rules: {a: 1}\\n | 3:8: rules: expected a list of rules, found a mapping",
      "rule not a mapping | rules:\\n  - no-shell\\n | 4:5: rules[0]: expected a rule (a mapping with id and type), found 'no-shell'",
      "rule without id | rules:\\n  - type: no-shell\\n | 4:5: rules[0].id: required key is missing",
      "bad id | rules:\\n  - id: -a\\n    type: no-shell\\n | 4:9: rules[0].id: '-a' is not a valid id",
      "duplicate id | rules:\\n  - id: a\\n    type: no-shell\\n  - id: a\\n    type: no-shell\\n | 6:9: rules[1].id: duplicate rule id 'a' in this file",
      "unknown rule type | rules:\\n  - id: a\\n    type: max-sise\\n | 5:11: rules.a.type: unknown rule type 'max-sise'; did you mean 'max-size'?",
      "no type, nothing inherited | rules:\\n  - id: a\\n | 4:5: rules[0]: rule 'a' has no type (and no rule with that id is inherited to adjust)",
      "adjusting with a parameter | extends: [minimal]\\nrules:\\n  - id: no-shell\\n    shells: [sh]\\n | 6:5: rules.no-shell.shells: an inherited rule can only be adjusted",
      "unknown rule key | rules:\\n  - id: a\\n    type: no-shell\\n    shels: [sh]\\n | 6:5: rules.a: unknown key 'shels' for type no-shell; did you mean 'shells'?",
      "wrong value type | rules:\\n  - id: a\\n    type: forbidden-files\\n    names: {curl: 1}\\n | 6:12: rules.a.names: expected a list of texts, found a mapping",
      "bad size unit | rules:\\n  - id: a\\n    type: max-size\\n    uncompressed: 100 parsecs\\n | 6:19: rules.a.uncompressed: '100 parsecs' is not a size",
      "missing budget | rules:\\n  - id: a\\n    type: max-size\\n | 4:5: rules.a: max-size needs a budget",
      "bad boolean | rules:\\n  - id: a\\n    type: required-user\\n    numeric: yes please\\n | 6:14: rules.a.numeric: expected true or false, found 'yes please'",
      "bad glob | rules:\\n  - id: a\\n    type: forbidden-files\\n    paths: ['/usr/[bin']\\n | 6:12: rules.a.paths: bad glob: '/usr/[bin' has an unclosed [",
      "program name with slash | rules:\\n  - id: a\\n    type: forbidden-files\\n    names: [/bin/sh]\\n | 6:12: rules.a.names: '/bin/sh' is not a program name",
      "bad severity | rules:\\n  - id: a\\n    type: no-shell\\n    severity: fatal\\n | 6:15: rules.a.severity: 'fatal' is not a severity (expected error, warning or note)",
      "bad enabled | rules:\\n  - id: a\\n    type: no-shell\\n    enabled: maybe\\n | 6:14: rules.a.enabled: expected true or false, found 'maybe'",
      "bad failOn | failOn: fatal\\n | 3:9: failOn: 'fatal' is not a severity (expected error, warning or note)",
      "unknown pack | extends: [minimall]\\n | 3:11: extends: no built-in policy pack named 'minimall'; did you mean 'minimal'?",
      "missing extended file | extends: [nope.yaml]\\n | 3:11: extends: no such policy file ",
      "exception without reason | exceptions:\\n  - rule: a\\n | 4:5: exceptions[0].reason: required key is missing",
      "exception unknown key | exceptions:\\n  - rule: a\\n    reason: r\\n    util: 2025-01-01\\n | 6:5: exceptions[0]: unknown key 'util'; did you mean 'until'?",
      "exception bad date | exceptions:\\n  - rule: a\\n    reason: r\\n    until: 2025-02-30\\n | 6:12: exceptions[0].until: '2025-02-30' is not a date (expected YYYY-MM-DD",
      "exception bad rule | exceptions:\\n  - rule: 'a b'\\n    reason: r\\n | 4:11: exceptions[0].rule: 'a b' is not a rule id or a glob",
      "exception bad path glob | exceptions:\\n  - rule: a\\n    reason: r\\n    paths: ['[x']\\n | 6:13: exceptions[0].paths: bad glob",
      "exception bad image glob | exceptions:\\n  - rule: a\\n    reason: r\\n    images: ['app[']\\n | 6:14: exceptions[0].images: bad glob",
      "alias containing itself | extends: &e [a, *e]\\n | 3:10: an alias that contains itself",
  })
  void everyPolicyError_exit2_withFileLineColumn(String name, String body, String expected) throws IOException {
    String text = switch (body.trim()) {
      case "X" -> "apiVersion: v2\nkind: Policy\n";
      case "Y" -> "apiVersion: imagegate/v1\nrules: []\n";
      case "Z" -> "apiVersion: imagegate/v1\nkind: Rules\n";
      default -> HEAD + body.trim().replace("\\n", "\n").replace("\\t", "\t");
    };
    Path policy = write(name.replace(' ', '-').replace(",", "") + ".yaml", text);
    String prefix = "imagegate: invalid policy: " + policy + ":" + expected.trim();

    Cli validate = Cli.run("policy", "validate", policy.toString());
    assertThat(validate.exitCode()).as(validate.err()).isEqualTo(2);
    assertThat(errorLines(validate)).hasSize(1);
    assertThat(errorLines(validate).get(0)).startsWith(prefix);

    Cli check = Cli.run("check", "--policy", policy.toString(), dir.resolve("image.tar").toString());
    assertThat(check.exitCode()).as(check.err()).isEqualTo(2);
    assertThat(check.errors()).hasSize(1);
    assertThat(check.errors().get(0)).startsWith(prefix);

    Cli show = Cli.run("policy", "show", policy.toString());
    assertThat(show.exitCode()).isEqualTo(2);
    assertThat(show.out()).isEmpty();
  }

  @Test
  void extendsCycle_exit2_pointsAtTheExtendsEntry() throws IOException {
    write("a.yaml", HEAD + "extends: [b.yaml]\n");
    Path b = write("b.yaml", HEAD + "extends: [a.yaml]\n");
    Cli cli = Cli.run("policy", "validate", dir.resolve("a.yaml").toString());
    assertThat(cli.exitCode()).isEqualTo(2);
    assertThat(cli.err()).startsWith("imagegate: invalid policy: " + b + ":3:11: extends: cycle: ");
  }

  @Test
  void errorInAnExtendedFile_namesThatFile() throws IOException {
    Path team = write("team/base.yaml", HEAD + "rules:\n  - id: a\n    type: no-shell\n    check-entrypoint: sometimes\n");
    Path main = write("main.yaml", HEAD + "extends: [team/base.yaml]\n");
    Cli cli = Cli.run("policy", "validate", main.toString());
    assertThat(cli.exitCode()).isEqualTo(2);
    assertThat(cli.err()).startsWith("imagegate: invalid policy: " + team
        + ":6:23: rules.a.check-entrypoint: expected true or false, found 'sometimes'");
  }

  @Test
  void oversizedPolicy_exit2() throws IOException {
    Path big = write("big.yaml", HEAD + "description: \"" + "x".repeat(1 << 20) + "\"\n");
    Cli cli = Cli.run("policy", "validate", big.toString());
    assertThat(cli.exitCode()).isEqualTo(2);
    assertThat(cli.err()).startsWith("imagegate: invalid policy: " + big + ": larger than 1048576 bytes");
  }

  // ---- show ----------------------------------------------------------------------------------

  @Test
  void show_printsTheMergedPolicyWithOrigins_andItReloadsToTheSamePolicy() throws IOException {
    Path p = write("p.yaml", HEAD + """
        extends: [minimal]
        rules:
          - id: size-budget
            type: max-size
            uncompressed: 250MB
          - id: no-shell
            severity: warning
          - id: no-compilers
            enabled: false
        exceptions:
          - rule: no-network-tools
            paths: [/usr/bin/curl]
            reason: health check uses curl, OPS-9
            until: 2099-12-31
        """);
    Cli shown = Cli.run("policy", "show", p.toString());
    assertThat(shown.exitCode()).as(shown.err()).isEqualTo(0);
    String yaml = shown.out();
    assertThat(yaml).contains("  # from builtin:minimal:34\n  - id: no-network-tools\n    type: forbidden-files\n");
    assertThat(yaml).contains("  # from " + p + ":5\n  - id: size-budget\n    type: max-size\n    severity: error\n"
        + "    uncompressed: 250MB\n");
    assertThat(yaml).contains("  - id: no-shell\n    type: no-shell\n    severity: warning\n");
    assertThat(yaml).doesNotContain("no-compilers");
    assertThat(yaml).contains("exceptions:\n  # from " + p + ":13\n  - rule: no-network-tools\n");

    Path again = write("again.yaml", yaml);
    Cli validate = Cli.run("policy", "validate", again.toString());
    assertThat(validate.exitCode()).as(validate.err()).isEqualTo(0);
    assertThat(validate.out()).contains("valid (5 rules, 1 exception)");
    Cli reshown = Cli.run("policy", "show", again.toString());
    assertThat(withoutComments(reshown.out())).isEqualTo(withoutComments(yaml));
  }

  @Test
  void show_builtinPack() {
    Cli cli = Cli.run("policy", "show", "minimal");
    assertThat(cli.exitCode()).isEqualTo(0);
    assertThat(cli.out()).contains("name: minimal\nfailOn: error\nrules:\n  # from builtin:minimal:26\n  - id: size-budget\n");
  }

  private static String withoutComments(String yaml) {
    return yaml.lines().filter(l -> !l.trim().startsWith("#")).collect(Collectors.joining("\n"));
  }

  // ---- schema --------------------------------------------------------------------------------

  @Test
  void schema_printsTheBundledSchema() {
    Cli cli = Cli.run("policy", "schema");
    assertThat(cli.exitCode()).isEqualTo(0);
    assertThat(cli.out()).isEqualTo(PolicySchema.bundled().orElseThrow().text());
  }

  @Test
  void policyWithoutSubcommand_exit2() {
    Cli cli = Cli.run("policy");
    assertThat(cli.exitCode()).isEqualTo(2);
    assertThat(cli.err()).startsWith("imagegate: a command is required: validate, show or schema");
  }

  // ---- init ----------------------------------------------------------------------------------

  @Test
  void init_writesACommentedStarterPolicyThatValidates() throws IOException {
    Path p = dir.resolve("imagegate.yaml");
    Cli cli = Cli.run("init", p.toString());
    assertThat(cli.exitCode()).as(cli.err()).isEqualTo(0);
    assertThat(cli.out()).startsWith("imagegate: wrote " + p);
    String text = Files.readString(p, StandardCharsets.UTF_8);
    assertThat(text).isEqualTo(InitCommand.template());
    assertThat(text).startsWith("# imagegate policy").contains("extends: [minimal]").contains("# exceptions:");

    Cli validate = Cli.run("policy", "validate", p.toString());
    assertThat(validate.exitCode()).as(validate.err()).isEqualTo(0);
    assertThat(validate.out()).isEqualTo(p + ": valid (6 rules, 0 exceptions)\n");
    assertThat(validate.err()).isEmpty();
  }

  @Test
  void init_commentedExamples_validateWhenUncommented() throws IOException {
    // the examples a reader is invited to uncomment must be valid too
    String uncommented = InitCommand.template().lines()
        .map(l -> l.matches("\\s*# ?(- id:|  [a-z-]+:|exceptions:|  - rule:|    [a-z]+:).*")
            ? l.replaceFirst("# ?", "") : l)
        .collect(Collectors.joining("\n", "", "\n"));
    assertThat(uncommented).contains("\nexceptions:\n").contains("  - id: no-shell\n    severity: warning\n");
    Path p = write("uncommented.yaml", uncommented);
    Cli cli = Cli.run("policy", "validate", p.toString());
    assertThat(cli.exitCode()).as(cli.err() + "\n" + uncommented).isEqualTo(0);
    assertThat(cli.out()).isEqualTo(p + ": valid (6 rules, 1 exception)\n");
  }

  @Test
  void init_existingFile_refusedWithoutForce_overwrittenWithIt() throws IOException {
    Path p = write("imagegate.yaml", "mine\n");
    Cli refused = Cli.run("init", p.toString());
    assertThat(refused.exitCode()).isEqualTo(2);
    assertThat(refused.err()).isEqualTo("imagegate: " + p + " already exists; use --force to overwrite it\n");
    assertThat(Files.readString(p)).isEqualTo("mine\n");

    Cli forced = Cli.run("init", "--force", p.toString());
    assertThat(forced.exitCode()).as(forced.err()).isEqualTo(0);
    assertThat(Files.readString(p)).isEqualTo(InitCommand.template());
    try (var files = Files.list(dir)) {
      assertThat(files.map(f -> f.getFileName().toString()).toList()).containsExactly("imagegate.yaml");
    }
  }

  @Test
  void init_withSchema_writesItAndPointsThePolicyAtIt() throws IOException {
    Path p = dir.resolve("ci/imagegate.yaml");
    Path schema = dir.resolve(".imagegate/policy-v1.json");
    Cli cli = Cli.run("init", "--schema", schema.toString(), p.toString());
    assertThat(cli.exitCode()).as(cli.err()).isEqualTo(0);
    assertThat(Files.readString(p)).startsWith("# yaml-language-server: $schema=../.imagegate/policy-v1.json\n# imagegate policy");
    assertThat(Files.readString(schema)).isEqualTo(PolicySchema.bundled().orElseThrow().text());
    assertThat(Cli.run("policy", "validate", p.toString()).exitCode()).isEqualTo(0);
  }
}
