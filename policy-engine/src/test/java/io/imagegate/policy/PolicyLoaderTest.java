package io.imagegate.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagegate.rule.StandardRuleTypes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Tests for {@link PolicyLoader}. */
class PolicyLoaderTest {
  private static final String HEAD = "apiVersion: imagegate/v1\nkind: Policy\n";
  private static final PackResolver PACKS = new PackResolver() {
    private final Map<String, String> packs = Map.of("base", HEAD + """
        failOn: warning
        rules:
          - id: no-shell
            type: no-shell
          - id: size
            type: max-size
            uncompressed: 100MB
        """);

    @Override
    public Optional<String> text(String name) {
      return Optional.ofNullable(packs.get(name));
    }

    @Override
    public Set<String> names() {
      return packs.keySet();
    }
  };

  /** Loads with the policy schema (from the test classpath, as the CLI has it from the rules module). */
  private static Policy load(String text) {
    PolicyLoader loader = new PolicyLoader(StandardRuleTypes.all(), PACKS);
    assertThat(loader.schema().isNone()).as("the policy schema is on the test classpath").isFalse();
    return loader.load("p.yaml", text, Path.of("."));
  }

  /** Loads with the loader's own checks only: they must catch every error the schema does. */
  private static Policy loadWithoutSchema(String text) {
    return new PolicyLoader(StandardRuleTypes.all(), PACKS, PolicySchema.NONE).load("p.yaml", text, Path.of("."));
  }

  @Test
  void load_validPolicy_hasRulesInOrder() {
    Policy p = load(HEAD + """
        rules:
          - id: size-budget
            type: max-size
            uncompressed: 100MB
          - id: no-network-tools
            type: forbidden-files
            names: [curl, wget, nc, nslookup]
            severity: warning
        """);
    assertThat(p.rules()).extracting(PolicyRule::id).containsExactly("size-budget", "no-network-tools");
    assertThat(p.rules().get(1).severity()).isEqualTo(Severity.WARNING);
    assertThat(p.rules().get(0).severity()).isEqualTo(Severity.ERROR);
    assertThat(p.rules().get(0).origin()).isEqualTo("p.yaml:4");
  }

  @Test
  void load_extendsPack_overridesAdjustsAndDisables() {
    Policy p = load(HEAD + """
        extends: [base]
        rules:
          - id: size
            type: max-size
            uncompressed: 1GB
          - id: no-shell
            severity: note
          - id: extra
            type: required-user
        """);
    assertThat(p.rules()).extracting(PolicyRule::id).containsExactly("no-shell", "size", "extra");
    assertThat(p.rules().get(0).severity()).isEqualTo(Severity.NOTE);
    assertThat(p.failOn()).contains(Severity.WARNING);
    Policy disabled = load(HEAD + "extends: [base]\nrules:\n  - id: no-shell\n    enabled: false\n");
    assertThat(disabled.rules()).extracting(PolicyRule::id).containsExactly("size");
  }

  @Test
  void load_extendsRelativeFile(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("team.yaml"), HEAD + "rules:\n  - id: user\n    type: required-user\n");
    Path main = dir.resolve("sub/main.yaml");
    Files.createDirectories(main.getParent());
    Files.writeString(main, HEAD + "extends: [../team.yaml, base]\n");
    Policy p = new PolicyLoader(StandardRuleTypes.all(), PACKS).load(main);
    assertThat(p.rules()).extracting(PolicyRule::id).containsExactly("user", "no-shell", "size");
  }

  @Test
  void load_extendsCycle_isAnError(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("a.yaml"), HEAD + "extends: [b.yaml]\n");
    Files.writeString(dir.resolve("b.yaml"), HEAD + "extends: [a.yaml]\n");
    assertThatThrownBy(() -> new PolicyLoader(StandardRuleTypes.all(), PACKS).load(dir.resolve("a.yaml")))
        .isInstanceOf(PolicyException.class)
        .hasMessageContaining("b.yaml:3:11: extends: cycle");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "unknown rule type | rules:\\n  - id: a\\n    type: max-sise\\n    uncompressed: 1MB | p.yaml:5:11: rules.a.type: unknown rule type 'max-sise'; did you mean 'max-size'?",
      "unknown top key | rulez: []\\n | p.yaml:3:1: unknown key 'rulez'; did you mean 'rules'?",
      "unknown rule key | rules:\\n  - id: a\\n    type: no-shell\\n    shell: [sh]\\n | p.yaml:6:5: rules.a: unknown key 'shell' for type no-shell; did you mean 'shells'?",
      "wrong value type | rules:\\n  - id: a\\n    type: forbidden-files\\n    names: {curl: 1}\\n | p.yaml:6:12: rules.a.names: expected a list of texts",
      "bad size unit | rules:\\n  - id: a\\n    type: max-size\\n    uncompressed: 100 parsecs\\n | p.yaml:6:19: rules.a.uncompressed: '100 parsecs' is not a size",
      "bad boolean | rules:\\n  - id: a\\n    type: required-user\\n    numeric: yes please\\n | p.yaml:6:14: rules.a.numeric: expected true or false",
      "bad glob | rules:\\n  - id: a\\n    type: forbidden-files\\n    paths: ['/usr/[bin']\\n | p.yaml:6:12: rules.a.paths: bad glob",
      "duplicate id | rules:\\n  - id: a\\n    type: no-shell\\n  - id: a\\n    type: no-shell\\n | p.yaml:6:9: rules[1].id: duplicate rule id 'a'",
      "missing type | rules:\\n  - id: a\\n | p.yaml:4:5: rules[0]: rule 'a' has no type",
      "missing budget | rules:\\n  - id: a\\n    type: max-size\\n | p.yaml:4:5: rules.a: max-size needs a budget",
      "bad severity | rules:\\n  - id: a\\n    type: no-shell\\n    severity: fatal\\n | p.yaml:6:15: rules.a.severity: 'fatal' is not a severity",
      "yaml syntax | rules: [\\n | p.yaml:4:1: YAML syntax error",
      "unknown pack | extends: [minimall]\\n | p.yaml:3:11: extends: no built-in policy pack named 'minimall'",
      "rules not a list | rules: {a: 1}\\n | p.yaml:3:8: rules: expected a list",
      "duplicate key | rules: []\\nrules: []\\n | p.yaml:4:1: duplicate key 'rules'",
  })
  void load_badPolicy_pointsAtLineAndColumn(String name, String body, String expected) {
    String text = HEAD + body.replace("\\n", "\n");
    assertThatThrownBy(() -> load(text)).isInstanceOf(PolicyException.class).hasMessageStartingWith(expected);
    assertThatThrownBy(() -> loadWithoutSchema(text)).isInstanceOf(PolicyException.class)
        .hasMessageStartingWith(expected);
  }

  @Test
  void load_exceptions_parsedWithOrigin() {
    Policy p = load(HEAD + """
        rules:
          - id: no-shell
            type: no-shell
        exceptions:
          - rule: no-shell
            images: [registry.example.com/team/*, 'sha256:abc*']
            paths: /bin/busybox
            reason: debug image, OPS-42
            until: 2025-06-30
          - rule: 'no-*'
            reason: "legacy"
        """);
    assertThat(p.exceptions()).hasSize(2);
    Waiver w = p.exceptions().get(0);
    assertThat(w.rule()).isEqualTo("no-shell");
    assertThat(w.images()).containsExactly("registry.example.com/team/*", "sha256:abc*");
    assertThat(w.paths()).containsExactly("/bin/busybox");
    assertThat(w.reason()).isEqualTo("debug image, OPS-42");
    assertThat(w.until()).contains(java.time.LocalDate.of(2025, 6, 30));
    assertThat(w.origin()).isEqualTo("p.yaml:7");
    assertThat(p.exceptions().get(1).until()).isEmpty();
    assertThat(p.exceptions().get(1).matchesRule("no-curl")).isTrue();
    assertThat(p.unmatchedRule(w)).isEmpty();
  }

  @Test
  void load_exceptionsMergeThroughExtends_parentsFirst(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("waivers.yaml"), HEAD + """
        exceptions:
          - rule: size
            reason: from the team file
        """);
    Files.writeString(dir.resolve("main.yaml"), HEAD + """
        extends: [base, waivers.yaml]
        exceptions:
          - rule: no-shell
            reason: own
        """);
    Policy p = new PolicyLoader(StandardRuleTypes.all(), PACKS).load(dir.resolve("main.yaml"));
    assertThat(p.exceptions()).extracting(Waiver::reason).containsExactly("from the team file", "own");
    assertThat(p.exceptions().get(0).origin()).isEqualTo(dir.resolve("waivers.yaml") + ":4");
  }

  @Test
  void unmatchedRule_suggestsACloseId() {
    Policy p = load(HEAD + "extends: [base]\nexceptions:\n  - rule: no-shel\n    reason: r\n  - rule: 'x-*'\n    reason: r\n");
    assertThat(p.unmatchedRule(p.exceptions().get(0))).contains("names no rule of the policy; did you mean 'no-shell'?");
    assertThat(p.unmatchedRule(p.exceptions().get(1))).contains("matches no rule of the policy");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "no reason | exceptions:\\n  - rule: a\\n | p.yaml:4:5: exceptions[0].reason: required key is missing",
      "blank reason | exceptions:\\n  - rule: a\\n    reason: ' '\\n | p.yaml:5:13: exceptions[0].reason: say why",
      "no rule | exceptions:\\n  - reason: r\\n | p.yaml:4:5: exceptions[0].rule: required key is missing",
      "bad rule | exceptions:\\n  - rule: 'a b'\\n    reason: r\\n | p.yaml:4:11: exceptions[0].rule: 'a b' is not a rule id or a glob",
      "bad rule glob | exceptions:\\n  - rule: 'a[b'\\n    reason: r\\n | p.yaml:4:11: exceptions[0].rule: bad glob: 'a[b' has an unclosed [",
      "bad until | exceptions:\\n  - rule: a\\n    reason: r\\n    until: 2025-02-30\\n | p.yaml:6:12: exceptions[0].until: '2025-02-30' is not a date (expected YYYY-MM-DD",
      "until not iso | exceptions:\\n  - rule: a\\n    reason: r\\n    until: 30.06.2025\\n | p.yaml:6:12: exceptions[0].until: '30.06.2025' is not a date",
      "bad path glob | exceptions:\\n  - rule: a\\n    reason: r\\n    paths: ['/usr/[bin']\\n | p.yaml:6:13: exceptions[0].paths: bad glob",
      "bad image glob | exceptions:\\n  - rule: a\\n    reason: r\\n    images: ['app[']\\n | p.yaml:6:14: exceptions[0].images: bad glob",
      "unknown key | exceptions:\\n  - rule: a\\n    reason: r\\n    util: 2025-01-01\\n | p.yaml:6:5: exceptions[0]: unknown key 'util'; did you mean 'until'?",
      "not a mapping | exceptions:\\n  - a\\n | p.yaml:4:5: exceptions[0]: expected an exception (a mapping with rule and reason), found 'a'",
      "not a list | exceptions: {rule: a}\\n | p.yaml:3:13: exceptions: expected a list",
  })
  void load_badException_pointsAtLineAndColumn(String name, String body, String expected) {
    String text = HEAD + body.replace("\\n", "\n");
    assertThatThrownBy(() -> load(text)).isInstanceOf(PolicyException.class).hasMessageStartingWith(expected);
    assertThatThrownBy(() -> loadWithoutSchema(text)).isInstanceOf(PolicyException.class)
        .hasMessageStartingWith(expected);
  }

  @Test
  void load_wrongApiVersion_andKind() {
    assertThatThrownBy(() -> load("apiVersion: v2\nkind: Policy\n"))
        .hasMessage("p.yaml:1:13: apiVersion: expected imagegate/v1, found 'v2'");
    assertThatThrownBy(() -> load("apiVersion: imagegate/v1\nrules: []\n"))
        .hasMessageStartingWith("p.yaml:1:1: kind: required key is missing");
  }

  @Test
  void load_yamlTagsAreNotConstructed() {
    // a type tag that would instantiate a class under an unsafe constructor is just a node here
    assertThatThrownBy(() -> load(HEAD + "rules:\n  - !!javax.script.ScriptEngineManager [x]\n"))
        .isInstanceOf(PolicyException.class).hasMessageContaining("p.yaml:4:5");
  }

  @Test
  void load_deepNesting_isRefused() {
    String deep = "[".repeat(40) + "]".repeat(40);
    assertThatThrownBy(() -> load(HEAD + "description: " + deep + "\n")).isInstanceOf(PolicyException.class)
        .hasMessageContaining("Nesting Depth exceeded");
  }

  @Test
  void load_oversizedDocument_isRefused() {
    String big = HEAD + "description: \"" + "x".repeat(1 << 20) + "\"\n";
    assertThatThrownBy(() -> load(big)).isInstanceOf(PolicyException.class)
        .hasMessage("p.yaml: larger than 1048576 characters");
  }

  @Test
  void load_billionLaughs_isRefused() {
    StringBuilder y = new StringBuilder(HEAD + "a: &a [x, x, x, x, x, x, x, x, x]\n");
    for (char c = 'b'; c <= 'k'; c++) {
      y.append(c).append(": &").append(c).append(" [");
      for (int i = 0; i < 9; i++) {
        y.append(i == 0 ? "" : ", ").append('*').append((char) (c - 1));
      }
      y.append("]\n");
    }
    assertThatThrownBy(() -> load(y.toString())).isInstanceOf(PolicyException.class);
  }
}
