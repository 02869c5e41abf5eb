package io.imagegate.rule;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.build.BuiltImage;
import io.imagegate.build.ImageBuilder;
import io.imagegate.image.Compression;
import io.imagegate.report.Finding;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tests for {@link MaxSizeRule}. */
class MaxSizeRuleTest {
  private static final BuiltImage IMAGE = ImageBuilder.image()
      .layer(l -> l.createdBy("FROM base").zeroFile("/base", 3_000_000, 0644))
      .layer(l -> l.createdBy("RUN make").compression(Compression.NONE).randomFile("/big", 2_000_000, 0644, 1))
      .build();

  private static List<Finding> findings(String params) {
    return RuleHarness.findings(IMAGE, "  - id: size\n    type: max-size\n" + params);
  }

  @Test
  void evaluate_underBudget_passes() {
    assertThat(findings("    uncompressed: 5MB\n")).isEmpty();
    assertThat(findings("    uncompressed: 5000000\n")).isEmpty();
  }

  @Test
  void evaluate_overUncompressedBudget_statesActualAndBudget() {
    List<Finding> f = findings("    uncompressed: 4.5 MB\n");
    assertThat(f).singleElement().extracting(Finding::message).asString()
        .startsWith("uncompressed size 5.0 MB exceeds the budget of 4.5 MB; largest layers: layer 0 3.0 MB (FROM base), layer 1 2.0 MB (RUN make)");
  }

  @Test
  void evaluate_aSecretBuildArgumentInTheStep_isRedacted() {
    BuiltImage withSecret = ImageBuilder.image()
        .layer(l -> l.createdBy("|1 NPM_TOKEN=npm_s3cr3tT0k3nValue /bin/sh -c npm ci").zeroFile("/node_modules", 3_000_000, 0644))
        .build();
    List<Finding> f = RuleHarness.findings(withSecret, "  - id: size\n    type: max-size\n    uncompressed: 1MB\n");
    assertThat(f).singleElement().extracting(Finding::message).asString()
        .contains("NPM_TOKEN=").doesNotContain("npm_s3cr3tT0k3nValue");
  }

  @Test
  void evaluate_compressedBudget_usesBlobSizes() {
    long compressed = IMAGE.compressedSize();
    assertThat(compressed).isBetween(2_000_000L, 2_100_000L); // zeros compress, random bytes stored raw
    assertThat(findings("    compressed: 2.2MB\n")).isEmpty();
    assertThat(findings("    compressed: 1MiB\n")).singleElement().extracting(Finding::message).asString()
        .startsWith("compressed size 2.0 MB exceeds the budget of 1.0 MB");
  }
}
