package io.imagegate.rule;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.build.BuiltImage;
import io.imagegate.build.ImageBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tests for {@link EfficiencyRule}; the numbers are those of {@code EfficiencyTest}'s hand-computed case. */
class EfficiencyRuleTest {
  /** Score 1100/5200 = 21.2%, 4200 bytes wasted, 100% of the user layers. */
  private static final BuiltImage WASTEFUL = ImageBuilder.image()
      .layer(l -> l.zeroFile("/base", 1000, 0644))
      .layer(l -> l.createdBy("COPY . /app").dir("/app", 0755).zeroFile("/app/cache", 4000, 0644).zeroFile("/app/bin", 100, 0755))
      .layer(l -> l.createdBy("RUN rm /app/cache").dir("/app", 0755).whiteout("/app/cache").zeroFile("/app/bin", 100, 0755))
      .build();
  private static final BuiltImage CLEAN = ImageBuilder.image()
      .layer(l -> l.zeroFile("/lib/libc.so", 5000, 0644))
      .layer(l -> l.zeroFile("/app", 300, 0755))
      .build();
  private static final String DIVE_DEFAULTS =
      "    lowest-efficiency: 0.9\n    highest-wasted-bytes: 20MB\n    highest-user-wasted-percent: 0.1\n";

  private static List<String> messages(BuiltImage img, String params) {
    return RuleHarness.messages(img, "  - id: dive\n    type: efficiency\n" + params);
  }

  @Test
  void evaluate_cleanImage_passesDivesDefaults() {
    assertThat(messages(CLEAN, DIVE_DEFAULTS)).isEmpty();
  }

  @Test
  void evaluate_lowEfficiency_failsNamingTheOffenders() {
    assertThat(messages(WASTEFUL, "    lowest-efficiency: 0.9\n")).containsExactly(
        "image efficiency 21.2% is below the lowest allowed 90.0%; biggest offenders: /app/cache 4.0 kB (layers 1, 2), "
            + "/app/bin 200 B (layers 1, 2)");
    assertThat(messages(WASTEFUL, "    lowest-efficiency: 20%\n")).isEmpty();
  }

  @Test
  void evaluate_wastedBytes_bothSides() {
    assertThat(messages(WASTEFUL, "    highest-wasted-bytes: 4kB\n    offenders: 1\n")).containsExactly(
        "4.2 kB wasted, more than the 4.0 kB allowed; biggest offenders: /app/cache 4.0 kB (layers 1, 2)");
    assertThat(messages(WASTEFUL, "    highest-wasted-bytes: 4200\n")).isEmpty();
  }

  @Test
  void evaluate_userWastedShare_bothSides() {
    assertThat(messages(WASTEFUL, "    highest-user-wasted-percent: 0.1\n    offenders: 0\n")).containsExactly(
        "100.0% of the bytes added on top of the first layer (4.2 kB) are wasted, more than the 10.0% allowed");
    assertThat(messages(WASTEFUL, "    highest-user-wasted-percent: 100%\n")).isEmpty();
  }

  @Test
  void configure_badThresholds_areLoadErrors() {
    assertThat(RuleHarness.loadError("  - id: d\n    type: efficiency\n")).contains("needs at least one of");
    assertThat(RuleHarness.loadError("  - id: d\n    type: efficiency\n    lowest-efficiency: 1.5\n"))
        .contains("rules.d.lowest-efficiency: expected a ratio from 0 to 1");
  }
}
