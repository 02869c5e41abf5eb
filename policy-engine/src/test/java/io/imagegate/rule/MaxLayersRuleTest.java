package io.imagegate.rule;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.build.BuiltImage;
import io.imagegate.build.ImageBuilder;
import org.junit.jupiter.api.Test;

/** Tests for {@link MaxLayersRule}. */
class MaxLayersRuleTest {
  private static final BuiltImage THREE_LAYERS = ImageBuilder.image()
      .layer(l -> l.file("/a", "a", 0644)).emptyHistory("ENV A=1")
      .layer(l -> l.file("/b", "b", 0644))
      .layer(l -> l.file("/c", "c", 0644))
      .build();

  @Test
  void evaluate_atTheLimit_passes_metadataStepsDoNotCount() {
    assertThat(RuleHarness.messages(THREE_LAYERS, "  - id: layers\n    type: max-layers\n    max: 3\n")).isEmpty();
  }

  @Test
  void evaluate_overTheLimit_statesCountAndLimit() {
    assertThat(RuleHarness.messages(THREE_LAYERS, "  - id: layers\n    type: max-layers\n    max: 2\n"))
        .containsExactly("the image has 3 layers, more than the 2 allowed");
  }

  @Test
  void configure_badOrMissingMax_isALoadError() {
    assertThat(RuleHarness.loadError("  - id: layers\n    type: max-layers\n")).contains("needs max");
    assertThat(RuleHarness.loadError("  - id: layers\n    type: max-layers\n    max: many\n"))
        .startsWith("test.yaml:6:10: rules.layers.max: expected a whole number");
    assertThat(RuleHarness.loadError("  - id: layers\n    type: max-layers\n    max: 0\n")).contains("from 1 to");
  }
}
