package io.imagegate.rule;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.policy.RuleDocumentation;
import io.imagegate.policy.RuleType;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tests for {@link StandardRuleTypes}: the catalog is complete and every type documents itself. */
class StandardRuleTypesTest {
  @Test
  void all_registersTheCatalog() {
    assertThat(StandardRuleTypes.all().all()).extracting(RuleType::name).containsExactlyInAnyOrder(
        "max-size", "max-layers", "max-layer-size", "efficiency", "size-regression",
        "forbidden-files", "required-files", "file-permissions", "no-shell", "secrets", "forbidden-packages",
        "required-user", "required-labels", "healthcheck", "exposed-ports", "entrypoint", "forbidden-env", "base-image",
        "forbidden-instructions");
  }

  @Test
  void everyType_hasTitleDescriptionHelpTagsAndUniqueParameters() {
    for (RuleType t : StandardRuleTypes.all().all()) {
      RuleDocumentation d = t.documentation();
      assertThat(List.of(d.title(), d.description(), d.help())).as(t.name()).allMatch(s -> !s.isBlank());
      assertThat(d.tags()).as(t.name()).isNotEmpty();
      assertThat(d.parameters()).as(t.name()).extracting(RuleDocumentation.Parameter::name).doesNotHaveDuplicates()
          .allMatch(n -> n.matches("[a-z][a-z0-9-]*"));
    }
  }

  @Test
  void unknownParameter_isRejectedWithTheDocumentedOnes() {
    assertThat(RuleHarness.loadError("  - id: s\n    type: secrets\n    max-filesize: 1MB\n"))
        .contains("unknown key 'max-filesize' for type secrets; did you mean 'max-file-size'?");
  }
}
