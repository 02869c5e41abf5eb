package io.imagegate.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.rule.StandardRuleTypes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Tests for {@link PolicyWriter}: the effective policy written out reads back the same. */
class PolicyWriterTest {
  private static final String HEAD = "apiVersion: imagegate/v1\nkind: Policy\n";
  private static final PackResolver PACKS = new PackResolver() {
    private final Map<String, String> packs = Map.of("base", HEAD + """
        name: base
        failOn: warning
        rules:
          - id: no-shell
            type: no-shell
            shells:
              - sh
              - bash
          - id: size
            type: max-size
            uncompressed: 100MB
            help: >-
              Use a multi-stage build:
              copy only the artefact.
        exceptions:
          - rule: size
            images: ['docker://registry.example.com/legacy/*']
            reason: legacy images, retired in Q4
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

  private static PolicyLoader loader() {
    return new PolicyLoader(StandardRuleTypes.all(), PACKS);
  }

  /** The YAML without its comments (origins differ between a policy and its reloaded copy). */
  private static String withoutComments(String yaml) {
    return yaml.lines().filter(l -> !l.trim().startsWith("#")).collect(Collectors.joining("\n"));
  }

  @Test
  void toYaml_mergedPolicy_writesEveryRuleAndExceptionWithItsOrigin(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("team.yaml"), HEAD + """
        rules:
          - id: user
            type: required-user
            numeric: true
            allowed: [1000, "app"]
        """);
    Path main = dir.resolve("main.yaml");
    Files.writeString(main, HEAD + """
        extends: [base, team.yaml]
        rules:
          - id: no-shell
            severity: note
            message: "shell found: {detail} # see wiki"
          - id: tools
            type: forbidden-files
            names: [curl, 'true', "null", '1.5']
            paths: ['/usr/bin/*-dev', '**/.git/**']
        exceptions:
          - rule: 'no-*'
            paths: [/bin/sh]
            reason: "debug: OPS-42"
            until: 2025-06-30
        """);
    Policy p = loader().load(main);
    String yaml = PolicyWriter.toYaml(p);

    assertThat(yaml).startsWith("# The effective policy " + main + ": every rule and exception after extends");
    assertThat(yaml).contains("apiVersion: imagegate/v1\nkind: Policy\nname: " + main + "\nfailOn: warning\nrules:\n");
    assertThat(yaml).contains("""
          # from builtin:base:6
          - id: no-shell
            type: no-shell
            severity: note
            message: "shell found: {detail} # see wiki"
            shells:
            - sh
            - bash
        """);
    assertThat(yaml).contains("  # from " + dir.resolve("team.yaml") + ":4\n  - id: user\n");
    assertThat(yaml).contains("    numeric: true\n    allowed: [1000, \"app\"]\n");
    assertThat(yaml).contains("    names: [curl, 'true', \"null\", '1.5']\n");
    assertThat(yaml).contains("""
        exceptions:
          # from builtin:base:18
          - rule: size
            images: ["docker://registry.example.com/legacy/*"]
            reason: "legacy images, retired in Q4"
          # from %s:13
          - rule: "no-*"
            paths: [/bin/sh]
            reason: "debug: OPS-42"
            until: 2025-06-30
        """.formatted(main));
    assertThat(withoutComments(yaml)).doesNotContain("extends");
  }

  @Test
  void toYaml_readsBackToTheSameEffectivePolicy(@TempDir Path dir) throws IOException {
    Path main = dir.resolve("main.yaml");
    Files.writeString(main, HEAD + """
        extends: [base]
        failOn: error
        rules:
          - id: size
            severity: warning
          - id: tools
            type: forbidden-files
            names: [curl, 'yes', "~"]
            message: |
              two lines
              of message
        exceptions:
          - rule: tools
            reason: 'it''s fine'
        """);
    Policy p = loader().load(main);
    String yaml = PolicyWriter.toYaml(p);
    Path shown = dir.resolve("shown.yaml");
    Files.writeString(shown, yaml);
    Policy again = loader().load(shown);

    assertThat(again.rules()).extracting(PolicyRule::id).isEqualTo(p.rules().stream().map(PolicyRule::id).toList());
    for (int i = 0; i < p.rules().size(); i++) {
      PolicyRule a = p.rules().get(i);
      PolicyRule b = again.rules().get(i);
      assertThat(b.type().name()).isEqualTo(a.type().name());
      assertThat(b.severity()).isEqualTo(a.severity());
      assertThat(b.message()).isEqualTo(a.message());
      assertThat(b.help()).isEqualTo(a.help());
      assertThat(b.parameters()).isEqualTo(a.parameters());
    }
    assertThat(again.failOn()).isEqualTo(p.failOn());
    assertThat(again.exceptions()).extracting(Waiver::rule, Waiver::images, Waiver::paths, Waiver::reason, Waiver::until)
        .isEqualTo(p.exceptions().stream().map(w -> org.assertj.core.groups.Tuple.tuple(w.rule(), w.images(), w.paths(),
            w.reason(), w.until())).toList());
    assertThat(again.name()).isEqualTo(p.name());
    // and writing the reloaded policy gives the same text, comments (origins) aside
    assertThat(withoutComments(PolicyWriter.toYaml(again))).isEqualTo(withoutComments(yaml));
  }

  @ParameterizedTest
  @ValueSource(strings = {"plain", "true", "null", "1.5", "12", "2025-06-30", "a: b", "x # y", "- x", "*ref", "&a",
      "quote\"d", "back\\slash", "line\nbreak", "tab\there", "ünïcode", "", " leading", "[flow]", "{map}", "@at", "%pct"})
  void scalar_readsBackAsTheSameText(String text) {
    String yaml = "k: " + PolicyWriter.scalar(text) + "\n";
    Object read = new org.yaml.snakeyaml.Yaml().load(yaml);
    assertThat(read).isEqualTo(Map.of("k", text));
  }
}
