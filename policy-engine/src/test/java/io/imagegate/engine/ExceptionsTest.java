package io.imagegate.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.build.BuiltImage;
import io.imagegate.build.ImageBuilder;
import io.imagegate.image.ImageSources;
import io.imagegate.policy.PackResolver;
import io.imagegate.policy.Policy;
import io.imagegate.policy.PolicyLoader;
import io.imagegate.policy.Severity;
import io.imagegate.report.Finding;
import io.imagegate.report.ImageReport;
import io.imagegate.report.Report;
import io.imagegate.report.Verdict;
import io.imagegate.report.WaiverSummary;
import io.imagegate.rule.StandardRuleTypes;
import io.imagegate.scan.ScanLimits;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Tests for policy exceptions through the real gate: what they waive (by rule, image and path),
 * what they don't, expiry against a fixed clock, and stale exceptions over a whole run.
 */
class ExceptionsTest {
  /** Today is 2025-07-01 (UTC). */
  private static final Clock JULY_FIRST = Clock.fixed(Instant.parse("2025-07-01T12:00:00Z"), ZoneOffset.UTC);
  private static final String APP = "registry.example.com/team/app:1.2";
  private static final String OTHER = "registry.example.com/other/tool:3";

  private static final String RULES = """
      rules:
        - id: no-shell
          type: no-shell
          check-entrypoint: false
        - id: no-curl
          type: forbidden-files
          names: [curl]
        - id: non-root
          type: required-user
      """;

  private static BuiltImage image;

  @BeforeAll
  static void build() {
    // /bin/sh and /bin/bash (no-shell), /usr/bin/curl (no-curl), runs as root (non-root)
    image = ImageBuilder.image()
        .layer(l -> l.file("/bin/bash", "#!bash", 0755).symlink("/bin/sh", "bash").file("/usr/bin/curl", "curl", 0755)
            .file("/etc/passwd", "root:x:0:0::/root:/bin/bash\n", 0644))
        .build();
  }

  private static Policy policy(String exceptions) {
    String text = "apiVersion: imagegate/v1\nkind: Policy\n" + RULES + exceptions;
    return new PolicyLoader(StandardRuleTypes.all(), PackResolver.NONE).load("p.yaml", text, null);
  }

  private static Gate gate(Clock clock) {
    return new Gate(ImageSources.offline(), ScanLimits.DEFAULT, 2, "test", clock);
  }

  private static ImageReport evaluate(String name, Policy policy, Clock clock) {
    try (Gate gate = gate(clock)) {
      return gate.evaluate(image.toImage(name), policy, Severity.ERROR);
    }
  }

  /** "rule location" of each waived finding, sorted. */
  private static List<String> waived(ImageReport r) {
    return r.findings().stream().filter(Finding::suppressed)
        .map(f -> f.ruleId() + " " + f.location().describe()).sorted().toList();
  }

  private static List<String> counted(ImageReport r) {
    return r.findings().stream().filter(f -> !f.suppressed())
        .map(f -> f.ruleId() + " " + f.location().describe()).sorted().toList();
  }

  private static Report run(Policy policy, Clock clock, String... names) {
    try (Gate gate = gate(clock)) {
      List<ImageReport> images = java.util.Arrays.stream(names)
          .map(n -> gate.evaluate(image.toImage(n), policy, Severity.ERROR)).toList();
      return gate.report(policy, Severity.ERROR, images);
    }
  }

  @Test
  void noExceptions_everyFindingCounts() {
    ImageReport r = evaluate(APP, policy(""), JULY_FIRST);
    assertThat(waived(r)).isEmpty();
    assertThat(counted(r)).containsExactly("no-curl /usr/bin/curl", "no-shell /bin/bash", "no-shell /bin/sh",
        "non-root config User");
    assertThat(r.verdict()).isEqualTo(Verdict.FAIL);
  }

  @Test
  void byRule_waivesThatRulesFindingsOnly_andKeepsThemInTheReport() {
    ImageReport r = evaluate(APP, policy("""
        exceptions:
          - rule: no-shell
            reason: debug image, OPS-42
        """), JULY_FIRST);
    assertThat(waived(r)).containsExactly("no-shell /bin/bash", "no-shell /bin/sh");
    assertThat(counted(r)).containsExactly("no-curl /usr/bin/curl", "non-root config User");
    assertThat(r.findings()).hasSize(4);
    Finding.Suppression s = r.findings().stream().filter(Finding::suppressed).findFirst().orElseThrow().suppression()
        .orElseThrow();
    assertThat(s).isEqualTo(new Finding.Suppression("debug image, OPS-42", "p.yaml:13", Optional.empty()));
    assertThat(r.verdict()).isEqualTo(Verdict.FAIL);
    assertThat(r.count(Severity.ERROR)).isEqualTo(2);
    assertThat(r.suppressedCount()).isEqualTo(2);
  }

  @Test
  void everyFindingWaived_passes() {
    ImageReport r = evaluate(APP, policy("""
        exceptions:
          - rule: no-*
            reason: legacy image
          - rule: non-root
            reason: needs port 80
        """), JULY_FIRST);
    assertThat(counted(r)).isEmpty();
    assertThat(waived(r)).hasSize(4);
    assertThat(r.verdict()).isEqualTo(Verdict.PASS);
  }

  @ParameterizedTest(name = "{0} waives {1}")
  @CsvSource(delimiter = '|', value = {
      // images: the reference as typed, the repository, or the manifest digest
      "registry.example.com/team/*   | true",
      "registry.example.com/team/app | true",
      "'*/app:1.2'                   | true",
      "registry.example.com/team/app:1.3 | false",
      "registry.example.com/other/*  | false",
      "DIGEST                        | true",
      "sha256:0000*                  | false",
  })
  void byImage_matchesReferenceRepositoryOrDigest(String glob, boolean waives) {
    String g = glob.equals("DIGEST") ? image.manifestDigest().toString() : glob;
    ImageReport r = evaluate(APP, policy("exceptions:\n  - rule: no-curl\n    images: ['" + g + "']\n    reason: r\n"),
        JULY_FIRST);
    assertThat(waived(r)).isEqualTo(waives ? List.of("no-curl /usr/bin/curl") : List.of());
  }

  @Test
  void byImage_otherImageOfTheRunIsNotWaived() {
    Report report = run(policy("""
        exceptions:
          - rule: no-curl
            images: [registry.example.com/team/*]
            reason: r
        """), JULY_FIRST, APP, OTHER);
    assertThat(waived(report.images().get(0))).containsExactly("no-curl /usr/bin/curl");
    assertThat(waived(report.images().get(1))).isEmpty();
    assertThat(report.exceptions()).extracting(WaiverSummary::status).containsExactly(WaiverSummary.Status.ACTIVE);
    assertThat(report.exceptions().get(0).matched()).isEqualTo(1);
  }

  @Test
  void byPath_waivesOnlyMatchingPaths_neverAConfigFinding() {
    ImageReport r = evaluate(APP, policy("""
        exceptions:
          - rule: '*'
            paths: [/bin/sh, '/usr/**']
            reason: r
        """), JULY_FIRST);
    assertThat(waived(r)).containsExactly("no-curl /usr/bin/curl", "no-shell /bin/sh");
    assertThat(counted(r)).containsExactly("no-shell /bin/bash", "non-root config User");
  }

  @Test
  void notMatching_ruleImageAndPathMustAllMatch() {
    ImageReport r = evaluate(APP, policy("""
        exceptions:
          - rule: no-shell
            paths: [/usr/bin/curl]
            reason: path of another rule's finding
          - rule: no-curl
            images: [registry.example.com/other/*]
            reason: another image
        """), JULY_FIRST);
    assertThat(waived(r)).isEmpty();
    assertThat(r.verdict()).isEqualTo(Verdict.FAIL);
  }

  @Test
  void firstMatchingException_isTheOneRecorded() {
    ImageReport r = evaluate(APP, policy("""
        exceptions:
          - rule: no-curl
            reason: first
          - rule: '*'
            reason: second
        """), JULY_FIRST);
    Map<String, String> reasons = r.findings().stream().collect(Collectors.toMap(
        f -> f.ruleId() + " " + f.location().describe(), f -> f.suppression().orElseThrow().reason()));
    assertThat(reasons).containsEntry("no-curl /usr/bin/curl", "first").containsEntry("no-shell /bin/sh", "second");
  }

  @ParameterizedTest(name = "until {0} on 2025-07-01: expired {1}")
  @CsvSource({"2025-06-30, true", "2025-07-01, false", "2026-01-01, false"})
  void until_appliesThroughThatDay(String until, boolean expired) {
    Policy p = policy("exceptions:\n  - rule: no-curl\n    reason: r\n    until: " + until + "\n");
    Report report = run(p, JULY_FIRST, APP);
    ImageReport r = report.images().get(0);
    assertThat(waived(r)).isEqualTo(expired ? List.of() : List.of("no-curl /usr/bin/curl"));
    WaiverSummary w = report.exceptions().get(0);
    assertThat(w.status()).isEqualTo(expired ? WaiverSummary.Status.EXPIRED : WaiverSummary.Status.ACTIVE);
    assertThat(w.matched()).isEqualTo(1);
  }

  @Test
  void expired_findingsCountAgain_verdictFails_andTheRunSaysSo() {
    Policy p = policy("""
        exceptions:
          - rule: '*'
            reason: temporary, OPS-7
            until: 2025-06-30
        """);
    Report report = run(p, JULY_FIRST, APP);
    ImageReport r = report.images().get(0);
    assertThat(waived(r)).isEmpty();
    assertThat(r.verdict()).isEqualTo(Verdict.FAIL);
    assertThat(report.notices()).hasSize(1);
    WaiverSummary notice = report.notices().get(0);
    assertThat(notice.status()).isEqualTo(WaiverSummary.Status.EXPIRED);
    assertThat(notice.noticeSeverity()).contains(Severity.WARNING);
    assertThat(notice.noticeRuleId()).contains("imagegate/exception-expired");
    assertThat(notice.matched()).isEqualTo(4);
    assertThat(notice.message()).isEqualTo("exception for * (p.yaml:13) expired after 2025-06-30: the 4 findings it "
        + "matches count again; fix them or renew the exception (reason: temporary, OPS-7)");

    // the day before, the same policy passes
    Clock june30 = Clock.fixed(Instant.parse("2025-06-30T23:59:59Z"), ZoneOffset.UTC);
    assertThat(run(p, june30, APP).verdict()).isEqualTo(Verdict.PASS);
    assertThat(run(p, june30, APP).notices()).isEmpty();
  }

  @Test
  void today_isTheDateInUtc_notTheClocksZone() {
    Policy p = policy("exceptions:\n  - rule: '*'\n    reason: r\n    until: 2025-06-30\n");
    // 2025-06-30 21:00 in New York is already 2025-07-01 in UTC
    Clock newYork = Clock.fixed(Instant.parse("2025-07-01T01:00:00Z"), ZoneId.of("America/New_York"));
    assertThat(run(p, newYork, APP).notices()).extracting(WaiverSummary::status)
        .containsExactly(WaiverSummary.Status.EXPIRED);
  }

  @Test
  void stale_matchedNothingInTheWholeRun_isANote_andDoesNotChangeTheVerdict() {
    Policy p = policy("""
        exceptions:
          - rule: no-curl
            images: [registry.example.com/team/*]
            reason: matches APP only
          - rule: no-shell
            paths: [/opt/**]
            reason: nothing there
          - rule: no-shel
            reason: typo
        """);
    Report report = run(p, JULY_FIRST, APP, OTHER);
    assertThat(report.exceptions()).extracting(WaiverSummary::status).containsExactly(
        WaiverSummary.Status.ACTIVE, WaiverSummary.Status.STALE, WaiverSummary.Status.STALE);
    assertThat(report.notices()).extracting(WaiverSummary::noticeSeverity)
        .containsOnly(Optional.of(Severity.NOTE));
    assertThat(report.notices().get(0).message())
        .isEqualTo("exception for no-shell (p.yaml:16) matched no finding in this run; remove it if it is no longer needed");
    assertThat(report.notices().get(1).message()).isEqualTo("exception for no-shel (p.yaml:19) names no rule of the "
        + "policy; did you mean 'no-shell'?; it can never apply: fix or remove it");
    assertThat(report.verdict()).isEqualTo(Verdict.FAIL);
  }

  @Test
  void stale_notReportedWhileAnImageInItsScopeCouldNotBeRead() {
    Policy p = policy("exceptions:\n  - rule: no-curl\n    images: ['docker-archive:*']\n    reason: r\n");
    try (Gate gate = gate(JULY_FIRST)) {
      ImageReport unreadable = ImageReport.failed("docker-archive:/x.tar", "docker-archive:/x.tar", "no such file");
      Report report = gate.report(p, Severity.ERROR, List.of(unreadable));
      assertThat(report.exceptions()).extracting(WaiverSummary::status).containsExactly(WaiverSummary.Status.ACTIVE);
      Report other = gate.report(p, Severity.ERROR,
          List.of(ImageReport.failed("oci:/y", "oci:/y", "no such file")));
      assertThat(other.exceptions()).extracting(WaiverSummary::status).containsExactly(WaiverSummary.Status.STALE);
    }
  }

  @Test
  void suppressedError_doesNotFail_evenWithFailOnNote() {
    Policy p = policy("exceptions:\n  - rule: '*'\n    reason: r\n");
    try (Gate gate = gate(JULY_FIRST)) {
      assertThat(gate.evaluate(image.toImage(APP), p, Severity.NOTE).verdict()).isEqualTo(Verdict.PASS);
    }
  }

  @Test
  void repository_stripsTransportTagAndDigest() {
    assertThat(Waivers.repository("docker://registry.example.com:5000/team/app:1.2@sha256:abc"))
        .contains("registry.example.com:5000/team/app");
    assertThat(Waivers.repository("docker-daemon:app:latest")).contains("app");
    assertThat(Waivers.repository("registry.example.com:5000/team/app")).contains("registry.example.com:5000/team/app");
    assertThat(Waivers.repository("alpine")).contains("alpine");
    assertThat(Waivers.repository("docker-archive:/tmp/app.tar:app:1")).isEmpty();
    assertThat(Waivers.repository("oci:/tmp/layout:1.0")).isEmpty();
  }
}
