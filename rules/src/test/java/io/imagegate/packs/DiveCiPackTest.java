package io.imagegate.packs;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.build.BuiltImage;
import io.imagegate.build.SeedImages;
import io.imagegate.engine.Gate;
import io.imagegate.policy.Policy;
import io.imagegate.policy.PolicyRule;
import io.imagegate.report.ImageReport;
import io.imagegate.report.Verdict;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Tests for the built-in {@code dive-ci} pack. */
class DiveCiPackTest {
  private static Gate gate;
  private static Policy pack;

  @BeforeAll
  static void setUp() {
    gate = PackFixtures.gate();
    pack = PackFixtures.load("dive-ci");
  }

  @AfterAll
  static void tearDown() {
    gate.close();
  }

  @Test
  void pack_hasDivesThreeRules() {
    assertThat(pack.rules()).extracting(PolicyRule::id)
        .containsExactly("lowest-efficiency", "highest-wasted-bytes", "highest-user-wasted-percent");
  }

  @Test
  void wastefulImage_failsAllThree_withHandComputedNumbers() {
    // leaves: libc 30 MB, app.conf 4 B, apt Packages [45 MB, whiteout 0], server.jar [20 MB, 20 MB]
    // efficiency = (30 MB + 4 + 0 + 20 MB) / (30 MB + 4 + 45 MB + 40 MB) = 50000004 / 115000004 = 43.5 %
    // wasted = 45 MB + 40 MB = 85 MB; user layers 45 + 20 + 20 = 85 MB, so 100 % wasted
    ImageReport r = PackFixtures.check(gate, pack, PackFixtures.wasteful());
    Map<String, List<String>> f = PackFixtures.byRule(r);
    String offenders = "; biggest offenders: "
        + "/var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages 45.0 MB (layers 1, 3), "
        + "/app/server.jar 40.0 MB (layers 2, 3)";
    assertThat(f.get("lowest-efficiency")).containsExactly("image efficiency 43.5% is below the lowest allowed 90.0%" + offenders);
    assertThat(f.get("highest-wasted-bytes")).containsExactly("85.0 MB wasted, more than the 20.0 MB allowed" + offenders);
    assertThat(f.get("highest-user-wasted-percent")).containsExactly(
        "100.0% of the bytes added on top of the first layer (85.0 MB) are wasted, more than the 10.0% allowed" + offenders);
    assertThat(r.verdict()).isEqualTo(Verdict.FAIL);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"fatPython", "fatGo", "minimalPython", "scratchGo"})
  void seedImages_pass_diveMeasuresWasteNotSize(String name) throws Exception {
    BuiltImage img = (BuiltImage) SeedImages.class.getMethod(name).invoke(null);
    ImageReport r = PackFixtures.check(gate, pack, img);
    assertThat(r.findings()).isEmpty();
  }

  @Test
  void distrolessApp_passes() {
    assertThat(PackFixtures.check(gate, pack, PackFixtures.distrolessApp()).verdict()).isEqualTo(Verdict.PASS);
  }
}
