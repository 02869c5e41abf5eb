package io.imagegate.rule;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.build.BuiltImage;
import io.imagegate.build.ImageBuilder;
import io.imagegate.image.Compression;
import io.imagegate.report.Finding;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tests for {@link MaxLayerSizeRule}. */
class MaxLayerSizeRuleTest {
  private static final BuiltImage IMAGE = ImageBuilder.image()
      .layer(l -> l.createdBy("/bin/sh -c #(nop) ADD file:abc in / ").zeroFile("/base", 3_000_000, 0644))
      .layer(l -> l.createdBy("/bin/sh -c apt-get install -y gcc").compression(Compression.NONE).randomFile("/big", 2_000_000, 0644, 7))
      .build();

  private static List<Finding> findings(String params) {
    return RuleHarness.findings(IMAGE, "  - id: layer-size\n    type: max-layer-size\n" + params);
  }

  @Test
  void evaluate_everyLayerUnderBudget_passes() {
    assertThat(findings("    uncompressed: 3MB\n    compressed: 2.1MB\n")).isEmpty();
  }

  @Test
  void evaluate_uncompressedOverBudget_namesTheLayerAndItsStep() {
    List<Finding> f = findings("    uncompressed: 2.5MB\n");
    assertThat(f).singleElement().satisfies(x -> {
      assertThat(x.message()).isEqualTo("layer 0 is 3.0 MB uncompressed, over the per-layer budget of 2.5 MB (ADD file:abc in /)");
      assertThat(x.layer()).get().satisfies(l -> assertThat(l.index()).isZero());
    });
  }

  @Test
  void evaluate_compressedOverBudget_catchesTheIncompressibleLayerOnly() {
    // zeros compress to almost nothing, random bytes do not
    assertThat(findings("    compressed: 1MB\n")).extracting(Finding::message).singleElement().asString()
        .startsWith("layer 1 is 2.0 MB compressed").endsWith("(RUN apt-get install -y gcc)");
  }

  @Test
  void configure_noBudget_isALoadError() {
    assertThat(RuleHarness.loadError("  - id: l\n    type: max-layer-size\n")).contains("needs a budget");
  }
}
