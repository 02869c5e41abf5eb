package io.imagegate.packs;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.build.BuiltImage;
import io.imagegate.build.SeedImages;
import io.imagegate.engine.Gate;
import io.imagegate.image.ImageSources;
import io.imagegate.policy.Policy;
import io.imagegate.policy.PolicyLoader;
import io.imagegate.policy.PolicyRule;
import io.imagegate.policy.Severity;
import io.imagegate.report.Finding;
import io.imagegate.report.ImageReport;
import io.imagegate.report.Verdict;
import io.imagegate.rule.StandardRuleTypes;
import io.imagegate.scan.ScanLimits;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Tests for the built-in {@code minimal} pack against images shaped like the seed's four examples. */
class MinimalPackTest {
  private static Gate gate;
  private static Policy minimal;

  @BeforeAll
  static void setUp() {
    gate = new Gate(ImageSources.offline(), ScanLimits.DEFAULT, 2, "test");
    minimal = new PolicyLoader(StandardRuleTypes.all(), new BuiltinPacks()).loadPack("minimal");
  }

  @AfterAll
  static void tearDown() {
    gate.close();
  }

  private static ImageReport check(BuiltImage image) {
    ImageReport r = gate.evaluate(image.toImage("seed"), minimal, Severity.ERROR);
    assertThat(r.error()).isEmpty();
    return r;
  }

  private static Map<String, List<String>> byRule(ImageReport r) {
    return r.findings().stream().collect(Collectors.groupingBy(Finding::ruleId,
        Collectors.mapping(f -> f.location().describe(), Collectors.toList())));
  }

  @Test
  void pack_loadsWithTheSeedsRules() {
    assertThat(minimal.name()).isEqualTo("minimal");
    assertThat(minimal.failOn()).contains(Severity.ERROR);
    assertThat(minimal.rules()).extracting(PolicyRule::id).containsExactly(
        "size-budget", "no-network-tools", "no-package-managers", "no-compilers", "non-root-user", "no-shell");
    assertThat(new BuiltinPacks().names()).contains("minimal");
  }

  @Test
  void fatPython_failsEveryRule() {
    ImageReport r = check(SeedImages.fatPython());
    assertThat(r.verdict()).isEqualTo(Verdict.FAIL);
    assertThat(r.uncompressedSize()).isGreaterThan(800_000_000L);
    Map<String, List<String>> f = byRule(r);
    assertThat(f.get("size-budget")).containsExactly("image");
    assertThat(f.get("no-network-tools")).containsExactlyInAnyOrder("/usr/bin/curl", "/usr/bin/wget");
    assertThat(f.get("no-package-managers")).containsExactlyInAnyOrder(
        "/usr/bin/apt", "/usr/bin/apt-get", "/usr/bin/dpkg", "/usr/local/bin/pip", "/usr/local/bin/pip3");
    assertThat(f.get("no-compilers")).containsExactlyInAnyOrder("/usr/bin/gcc", "/usr/bin/make");
    assertThat(f.get("non-root-user")).containsExactly("config User");
    assertThat(f.get("no-shell")).containsExactlyInAnyOrder("/bin/bash", "/bin/dash", "/bin/sh");
  }

  @Test
  void fatGo_fails() {
    ImageReport r = check(SeedImages.fatGo());
    assertThat(r.verdict()).isEqualTo(Verdict.FAIL);
    Map<String, List<String>> f = byRule(r);
    assertThat(f.keySet()).containsExactlyInAnyOrder(
        "size-budget", "no-network-tools", "no-package-managers", "no-compilers", "non-root-user", "no-shell");
    assertThat(f.get("no-compilers")).contains("/usr/local/go/bin/go", "/usr/bin/gcc");
  }

  @Test
  void minimalPython_passes() {
    ImageReport r = check(SeedImages.minimalPython());
    assertThat(r.findings()).isEmpty();
    assertThat(r.verdict()).isEqualTo(Verdict.PASS);
    assertThat(r.uncompressedSize()).isBetween(40_000_000L, 60_000_000L);
  }

  @Test
  void scratchGo_passes() {
    ImageReport r = check(SeedImages.scratchGo());
    assertThat(r.findings()).isEmpty();
    assertThat(r.verdict()).isEqualTo(Verdict.PASS);
    assertThat(r.uncompressedSize()).isLessThan(5_000_000L);
  }
}
