package io.imagegate.packs;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.build.SeedImages;
import io.imagegate.engine.Gate;
import io.imagegate.policy.Policy;
import io.imagegate.policy.PolicyRule;
import io.imagegate.report.Finding;
import io.imagegate.report.ImageReport;
import io.imagegate.report.Verdict;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Tests for the built-in {@code cis-docker} pack. */
class CisDockerPackTest {
  private static Gate gate;
  private static Policy pack;

  @BeforeAll
  static void setUp() {
    gate = PackFixtures.gate();
    pack = PackFixtures.load("cis-docker");
  }

  @AfterAll
  static void tearDown() {
    gate.close();
  }

  @Test
  void pack_carriesTheCisNumbers() {
    assertThat(pack.rules()).extracting(PolicyRule::id).containsExactly(
        "cis-4.1-user", "cis-4.6-healthcheck", "cis-4.8-setuid-setgid", "cis-4.9-copy-not-add", "cis-4.10-secrets");
    assertThat(pack.rules()).allSatisfy(r -> assertThat(r.help()).get().asString().startsWith("CIS Docker Benchmark 4."));
    assertThat(pack.rules()).allSatisfy(r -> assertThat(r.type().documentation().tags())
        .anyMatch(t -> t.startsWith("cis-docker-4.")));
  }

  @Test
  void compliantImage_passes() {
    ImageReport r = PackFixtures.check(gate, pack, PackFixtures.cisCompliant());
    assertThat(r.findings()).isEmpty();
    assertThat(r.verdict()).isEqualTo(Verdict.PASS);
  }

  @Test
  void violatingImage_failsEveryCheck() {
    ImageReport r = PackFixtures.check(gate, pack, PackFixtures.cisViolating());
    Map<String, List<String>> f = PackFixtures.byRule(r);
    assertThat(f).containsOnlyKeys("cis-4.1-user", "cis-4.6-healthcheck", "cis-4.8-setuid-setgid", "cis-4.9-copy-not-add",
        "cis-4.10-secrets");
    assertThat(f.get("cis-4.8-setuid-setgid")).containsExactly("/usr/bin/passwd is setuid (mode 4755, owner uid 0)");
    assertThat(f.get("cis-4.9-copy-not-add")).singleElement().asString().contains("ADD https://example.com/tool.tar.gz");
    assertThat(f.get("cis-4.10-secrets")).singleElement().asString()
        .startsWith("an OpenSSH private key in /root/.ssh/id_ed25519, added by layer 2: a later layer deleted it");
    assertThat(r.findings()).filteredOn(x -> x.ruleId().equals("cis-4.6-healthcheck")).extracting(Finding::severity)
        .containsExactly(io.imagegate.policy.Severity.WARNING);
    assertThat(r.verdict()).isEqualTo(Verdict.FAIL);
  }

  @Test
  void fatPython_failsUserAndHealthcheck_itsBaseRootfsAddIsAllowed() {
    Map<String, List<String>> f = PackFixtures.byRule(PackFixtures.check(gate, pack, SeedImages.fatPython()));
    assertThat(f).containsOnlyKeys("cis-4.1-user", "cis-4.6-healthcheck");
  }

  @Test
  void healthcheckAlone_warnsWithoutFailing() {
    // scratchGo has a user and nothing else CIS looks at: only the HEALTHCHECK warning, and warnings don't fail
    ImageReport r = PackFixtures.check(gate, pack, SeedImages.scratchGo());
    assertThat(PackFixtures.byRule(r)).containsOnlyKeys("cis-4.6-healthcheck");
    assertThat(r.verdict()).isEqualTo(Verdict.PASS);
  }
}
