package io.imagegate.rule;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.build.BuiltImage;
import io.imagegate.build.ImageBuilder;
import io.imagegate.facts.Baseline;
import io.imagegate.policy.EvaluationContext;
import io.imagegate.report.Finding;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tests for {@link SizeRegressionRule}. */
class SizeRegressionRuleTest {
  /** 11 MB uncompressed. */
  private static final BuiltImage IMAGE = ImageBuilder.image().layer(l -> l.zeroFile("/big", 11_000_000, 0644)).build();

  private static List<String> messages(String params, long baselineBytes) {
    EvaluationContext ctx = EvaluationContext.withBaseline(new Baseline("app:main", baselineBytes, 1000));
    return RuleHarness.findings(IMAGE, "  - id: growth\n    type: size-regression\n" + params, ctx).stream()
        .map(Finding::message).toList();
  }

  @Test
  void evaluate_withinBothLimits_passes() {
    assertThat(messages("    max-growth: 2MB\n    max-growth-percent: 10%\n", 10_000_000)).isEmpty();
    assertThat(messages("    max-growth: 1MB\n", 10_000_000)).isEmpty(); // exactly 1 MB: not more
  }

  @Test
  void evaluate_overTheByteLimit_fails() {
    assertThat(messages("    max-growth: 500kB\n", 10_000_000)).containsExactly(
        "uncompressed size grew by 1.0 MB (+10%), from 10.0 MB in app:main to 11.0 MB, more than the 500.0 kB allowed");
  }

  @Test
  void evaluate_overThePercentage_fails() {
    assertThat(messages("    max-growth-percent: 5\n", 10_000_000)).singleElement().asString()
        .contains("(+10%)").endsWith("more than the 5% allowed");
  }

  @Test
  void evaluate_shrinking_passes() {
    assertThat(messages("    max-growth-percent: 0\n", 20_000_000)).isEmpty();
  }

  @Test
  void evaluate_compressedMeasure_usesBlobSizes() {
    // the blob of 11 MB of zeros is a few kB: far above a 1000-byte baseline
    assertThat(messages("    measure: compressed\n    max-growth-percent: 50%\n", 1)).singleElement().asString()
        .startsWith("compressed size grew by");
  }

  @Test
  void evaluate_noBaseline_saysItCannotDecide() {
    assertThat(RuleHarness.messages(IMAGE, "  - id: growth\n    type: size-regression\n    max-growth: 1MB\n"))
        .containsExactly("cannot decide: no baseline image was given to compare the size with (pass --baseline IMAGE)");
  }

  @Test
  void configure_badParameters_areLoadErrors() {
    assertThat(RuleHarness.loadError("  - id: g\n    type: size-regression\n")).contains("needs max-growth");
    assertThat(RuleHarness.loadError("  - id: g\n    type: size-regression\n    max-growth-percent: lots\n")).contains("expected a percentage");
    assertThat(RuleHarness.loadError("  - id: g\n    type: size-regression\n    max-growth: 1MB\n    measure: disk\n"))
        .contains("expected uncompressed or compressed");
  }
}
