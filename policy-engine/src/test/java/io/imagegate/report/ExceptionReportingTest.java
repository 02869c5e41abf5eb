package io.imagegate.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Waived findings and expired or stale exceptions in every format: they stay visible, marked,
 * and don't count.
 */
class ExceptionReportingTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static String write(Reporter reporter, Report report) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    reporter.write(report, out);
    return out.toString(StandardCharsets.UTF_8);
  }

  private static JsonNode json(Report report) throws IOException {
    return JSON.readTree(write(new JsonReporter(), report));
  }

  private static JsonNode sarif(Report report) throws IOException {
    return JSON.readTree(write(new SarifReporter(), report));
  }

  @Test
  void model_waivedFindingsDontCount_noticesAreTheExpiredAndStale() {
    Report report = ReportFixtures.waivedReport();
    ImageReport image = report.images().get(0);
    assertThat(image.suppressedCount()).isEqualTo(3);
    assertThat(image.count(io.imagegate.policy.Severity.ERROR)).isEqualTo(1);
    assertThat(image.verdict()).isEqualTo(Verdict.FAIL); // non-root still counts
    assertThat(report.notices()).extracting(WaiverSummary::rule).containsExactly("non-root", "size-*");
  }

  @Test
  void json_findingsCarryTheirSuppression_andTheRunItsExceptions() throws IOException {
    JsonNode root = json(ReportFixtures.waivedReport());
    JsonNode findings = root.at("/images/0/findings");
    List<String> waived = new ArrayList<>();
    for (JsonNode f : findings) {
      if (!f.get("suppression").isNull()) {
        waived.add(f.get("ruleId").asText() + " " + f.get("location").asText());
      }
    }
    assertThat(waived).containsExactlyInAnyOrder("no-shell /bin/bash", "no-shell /bin/sh",
        "no-package-manager /usr/bin/apt");
    JsonNode shell = findings.get(1).get("suppression");
    assertThat(shell.get("reason").asText()).isEqualTo("debug variant, OPS-42");
    assertThat(shell.get("origin").asText()).isEqualTo("policy.yaml:30");
    assertThat(shell.get("until").asText()).isEqualTo("2025-06-30");
    assertThat(findings.get(0).at("/suppression/until").isNull()).isTrue();
    assertThat(findings.get(2).get("suppression").isNull()).isTrue();

    assertThat(root.at("/summary/suppressed").asInt()).isEqualTo(3);
    assertThat(root.at("/summary/findings/error").asInt()).isEqualTo(1);

    JsonNode exceptions = root.get("exceptions");
    assertThat(exceptions).extracting(e -> e.get("status").asText())
        .containsExactly("active", "active", "expired", "stale");
    assertThat(exceptions).extracting(e -> e.get("severity").asText(null))
        .containsExactly(null, null, "warning", "note");
    JsonNode expired = exceptions.get(2);
    assertThat(expired.get("origin").asText()).isEqualTo("policy.yaml:38");
    assertThat(expired.get("until").asText()).isEqualTo("2025-01-31");
    assertThat(expired.get("matched").asInt()).isEqualTo(1);
    assertThat(expired.get("message").asText()).contains("expired after 2025-01-31");
    assertThat(exceptions.get(0).get("images")).extracting(JsonNode::asText)
        .containsExactly("registry.example.com:5000/team/*");
    assertThat(exceptions.get(1).get("paths")).extracting(JsonNode::asText).containsExactly("/usr/bin/apt*");
  }

  @Test
  void sarif_isValidAgainstTheOfficialSchema() throws IOException {
    assertThat(SarifSchema.validate(sarif(ReportFixtures.waivedReport()))).as("schema errors").isEmpty();
  }

  @Test
  void sarif_waivedResults_haveAnAcceptedExternalSuppressionWithJustification() throws IOException {
    JsonNode run = sarif(ReportFixtures.waivedReport()).at("/runs/0");
    List<JsonNode> suppressed = new ArrayList<>();
    for (JsonNode r : run.get("results")) {
      if (r.has("suppressions")) {
        suppressed.add(r);
      }
    }
    assertThat(suppressed).extracting(r -> r.get("ruleId").asText())
        .containsExactlyInAnyOrder("no-shell", "no-shell", "no-package-manager");
    JsonNode s = suppressed.stream().filter(r -> r.get("ruleId").asText().equals("no-shell")).findFirst().orElseThrow()
        .at("/suppressions/0");
    assertThat(s.get("kind").asText()).isEqualTo("external");
    assertThat(s.get("status").asText()).isEqualTo("accepted");
    assertThat(s.get("justification").asText()).isEqualTo("debug variant, OPS-42");
    assertThat(s.at("/location/physicalLocation/artifactLocation/uri").asText()).isEqualTo("policy.yaml");
    assertThat(s.at("/location/physicalLocation/region/startLine").asInt()).isEqualTo(30);
    assertThat(s.at("/properties/until").asText()).isEqualTo("2025-06-30");
    // the finding that counts has none
    for (JsonNode r : run.get("results")) {
      if (r.get("ruleId").asText().equals("non-root")) {
        assertThat(r.has("suppressions")).isFalse();
      }
    }
  }

  @Test
  void sarif_expiredAndStale_areResultsOnThePolicyLine_inEveryRun_withReservedRules() throws IOException {
    JsonNode sarif = sarif(ReportFixtures.waivedReport());
    assertThat(sarif.get("runs")).hasSize(2);
    for (JsonNode run : sarif.get("runs")) {
      List<JsonNode> notices = new ArrayList<>();
      run.get("results").forEach(r -> {
        if (r.get("ruleId").asText().startsWith("imagegate/")) {
          notices.add(r);
        }
      });
      assertThat(notices).extracting(r -> r.get("ruleId").asText() + " " + r.get("level").asText())
          .containsExactly("imagegate/exception-expired warning", "imagegate/exception-stale note");
      JsonNode expired = notices.get(0);
      assertThat(expired.at("/locations/0/physicalLocation/artifactLocation/uri").asText()).isEqualTo("policy.yaml");
      assertThat(expired.at("/locations/0/physicalLocation/region/startLine").asInt()).isEqualTo(38);
      assertThat(expired.at("/message/text").asText()).contains("expired after 2025-01-31");
      assertThat(expired.at("/partialFingerprints/" + SarifReporter.FINGERPRINT_KEY.replace("/", "~1")).asText())
          .hasSize(64);

      JsonNode rules = run.at("/tool/driver/rules");
      for (JsonNode r : run.get("results")) {
        JsonNode rule = rules.get(r.get("ruleIndex").asInt());
        assertThat(rule.get("id").asText()).as("ruleIndex of " + r.get("ruleId")).isEqualTo(r.get("ruleId").asText());
      }
      JsonNode staleRule = rules.get(notices.get(1).get("ruleIndex").asInt());
      assertThat(staleRule.at("/defaultConfiguration/level").asText()).isEqualTo("note");
      assertThat(staleRule.at("/shortDescription/text").asText()).contains("stale");
    }
  }

  @Test
  void sarif_noNotices_noReservedRules() throws IOException {
    JsonNode rules = sarif(ReportFixtures.report()).at("/runs/0/tool/driver/rules");
    assertThat(rules).extracting(r -> r.get("id").asText()).noneMatch(id -> id.startsWith("imagegate/"));
  }

  @Test
  void policyLocation_relativeAbsoluteAndBuiltin(@org.junit.jupiter.api.io.TempDir java.nio.file.Path repo) {
    assertThat(SarifReporter.policyLocation("./ci/policy.yaml:12", repo).getPhysicalLocation().getArtifactLocation()
        .getUri()).isEqualTo("ci/policy.yaml");
    assertThat(SarifReporter.policyLocation("/etc/imagegate/p.yaml:3", repo).getPhysicalLocation().getArtifactLocation()
        .getUri()).as("outside the repository: no scheme-looking URI").isEqualTo("policy/p.yaml");
    String inside = repo.resolve("ci").resolve("gate.yaml").toAbsolutePath() + ":4";
    assertThat(SarifReporter.policyLocation(inside, repo).getPhysicalLocation().getArtifactLocation().getUri())
        .as("inside the repository root given, wherever the JVM runs").isEqualTo("ci/gate.yaml");
    assertThat(SarifReporter.policyLocation(inside, repo.resolve("elsewhere")).getPhysicalLocation()
        .getArtifactLocation().getUri()).isEqualTo("policy/gate.yaml");
    assertThat(SarifReporter.policyLocation("builtin:minimal:7", repo).getPhysicalLocation().getArtifactLocation()
        .getUri()).isEqualTo("policy/minimal");
    assertThat(SarifReporter.policyLocation("builtin:minimal:7", repo).getPhysicalLocation().getRegion().getStartLine())
        .isEqualTo(7);
  }

  @Test
  void text_waivedFindingsMarked_noticesListed_countsApart() throws IOException {
    String text = write(new TextReporter(false), ReportFixtures.waivedReport());
    assertThat(text).contains("    /bin/sh       sh is present  [error waived until 2025-06-30 by policy.yaml:30: "
        + "debug variant, OPS-42]");
    assertThat(text).contains("[note waived by policy.yaml:34: the base image's apt, removed in Q3]");
    assertThat(text).contains("  non-root · error · ");
    assertThat(text).containsSubsequence("exceptions:\n",
        "  expired  exception for non-root (policy.yaml:38) expired after 2025-01-31",
        "  stale    exception for size-* (policy.yaml:42) matched no finding in this run");
    assertThat(text.lines().reduce((a, b) -> b).orElseThrow())
        .isEqualTo("FAIL: 1 of 2 images violates the policy (1 error, 1 warning, 3 waived)");
  }

  @Test
  void realRun_waivedExpiredAndStale_validSarifAndVisibleInJson() throws IOException {
    io.imagegate.build.BuiltImage image = io.imagegate.build.ImageBuilder.image()
        .layer(l -> l.file("/bin/bash", "bash", 0755).file("/usr/bin/curl", "curl", 0755)).user("1000").build();
    io.imagegate.policy.Policy policy = new io.imagegate.policy.PolicyLoader(io.imagegate.rule.StandardRuleTypes.all(),
        io.imagegate.policy.PackResolver.NONE).load("ci/policy.yaml", """
        apiVersion: imagegate/v1
        kind: Policy
        rules:
          - id: no-shell
            type: no-shell
          - id: no-curl
            type: forbidden-files
            names: [curl]
        exceptions:
          - rule: no-shell
            reason: debug image
          - rule: no-curl
            reason: expired
            until: 2020-01-01
          - rule: no-curl
            paths: [/opt/**]
            reason: stale
        """, null);
    java.time.Clock clock = java.time.Clock.fixed(java.time.Instant.parse("2025-07-01T00:00:00Z"), java.time.ZoneOffset.UTC);
    Report report;
    try (io.imagegate.engine.Gate gate = new io.imagegate.engine.Gate(io.imagegate.image.ImageSources.offline(),
        io.imagegate.scan.ScanLimits.DEFAULT, 1, "test", clock)) {
      ImageReport r = gate.evaluate(image.toImage("app:1"), policy, io.imagegate.policy.Severity.ERROR);
      report = gate.report(policy, io.imagegate.policy.Severity.ERROR, List.of(r));
    }
    assertThat(report.verdict()).isEqualTo(Verdict.FAIL); // curl: its exception expired
    JsonNode sarif = sarif(report);
    assertThat(SarifSchema.validate(sarif)).as("schema errors").isEmpty();
    List<String> results = new ArrayList<>();
    sarif.at("/runs/0/results").forEach(r -> results.add(r.get("ruleId").asText() + " " + r.get("level").asText()
        + (r.has("suppressions") ? " suppressed" : "")));
    assertThat(results).containsExactly("no-shell error suppressed", "no-curl error",
        "imagegate/exception-expired warning", "imagegate/exception-stale note");
    assertThat(sarif.at("/runs/0/results/2/locations/0/physicalLocation/artifactLocation/uri").asText())
        .isEqualTo("ci/policy.yaml");
    assertThat(sarif.at("/runs/0/results/2/locations/0/physicalLocation/region/startLine").asInt()).isEqualTo(12);
    JsonNode json = json(report);
    assertThat(json.at("/images/0/findings/0/suppression/reason").asText()).isEqualTo("debug image");
    assertThat(json.at("/images/0/findings/1/suppression").isNull()).isTrue();
    assertThat(json.get("exceptions")).extracting(e -> e.get("status").asText())
        .containsExactly("active", "expired", "stale");
  }

  @Test
  void golden_waivedReport_everyFormat() throws IOException {
    Report report = ReportFixtures.waivedReport();
    Golden.assertMatches(write(new JsonReporter(), report), "waived-report.json");
    Golden.assertMatches(write(new SarifReporter(), report), "waived-report.sarif");
    Golden.assertMatches(write(new TextReporter(false), report), "waived-report.txt");
  }
}
