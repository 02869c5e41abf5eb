package io.imagegate.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tests for {@link JsonReporter}: the output parses back into the documented contract. */
class JsonReporterTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static String text(Report report) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new JsonReporter().write(report, out);
    return out.toString(StandardCharsets.UTF_8);
  }

  private static JsonNode render(Report report) throws IOException {
    return JSON.readTree(text(report));
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  @Test
  void write_topLevel_hasSchemaVersionToolPolicyAndVerdict() throws IOException {
    JsonNode json = render(ReportFixtures.report());

    assertThat(fieldNames(json))
        .containsExactly("schemaVersion", "tool", "policy", "failOn", "verdict", "summary", "rules", "images",
            "exceptions");
    assertThat(json.get("schemaVersion").isInt()).isTrue();
    assertThat(json.get("schemaVersion").asInt()).isEqualTo(1);
    assertThat(json.at("/tool/name").asText()).isEqualTo("imagegate");
    assertThat(json.at("/tool/version").asText()).isEqualTo(ReportFixtures.TOOL_VERSION);
    assertThat(json.get("policy").asText()).isEqualTo("minimal");
    assertThat(json.get("failOn").asText()).isEqualTo("error");
    assertThat(json.get("verdict").asText()).isEqualTo("error");
  }

  @Test
  void write_summary_countsImagesAndFindings() throws IOException {
    JsonNode summary = render(ReportFixtures.report()).get("summary");

    assertThat(summary.get("images").asInt()).isEqualTo(3);
    assertThat(summary.get("passed").asInt()).isEqualTo(1);
    assertThat(summary.get("failed").asInt()).isEqualTo(1);
    assertThat(summary.get("unreadable").asInt()).isEqualTo(1);
    assertThat(summary.at("/findings/error").asInt()).isEqualTo(2);
    assertThat(summary.at("/findings/warning").asInt()).isEqualTo(1);
    assertThat(summary.at("/findings/note").asInt()).isEqualTo(1);
    assertThat(summary.get("suppressed").asInt()).isEqualTo(1);
  }

  @Test
  void write_rules_describeThePolicy() throws IOException {
    JsonNode rules = render(ReportFixtures.report()).get("rules");

    assertThat(rules).extracting(r -> r.get("id").asText())
        .containsExactly("no-shell", "non-root", "size-budget", "no-package-manager");
    JsonNode user = rules.get(1);
    assertThat(user.get("type").asText()).isEqualTo("required-user");
    assertThat(user.get("severity").asText()).isEqualTo("error");
    assertThat(user.get("title").asText()).isEqualTo(ReportFixtures.REQUIRED_USER.documentation().title());
    assertThat(user.get("help").asText()).isEqualTo(ReportFixtures.REQUIRED_USER.help());
    assertThat(user.get("tags")).extracting(JsonNode::asText).containsExactly("security", "config");
    assertThat(user.get("origin").asText()).isEqualTo(ReportFixtures.REQUIRED_USER.origin());
  }

  @Test
  void write_failingImage_hasDigestsSizesLayersAndFindings() throws IOException {
    ImageReport expected = ReportFixtures.failing();
    JsonNode image = render(ReportFixtures.report()).get("images").get(0);

    assertThat(image.get("name").asText()).isEqualTo(expected.name());
    assertThat(image.get("reference").asText()).isEqualTo(expected.reference());
    assertThat(image.get("manifestDigest").asText()).isEqualTo(expected.manifestDigest().orElseThrow().toString());
    assertThat(image.get("configDigest").asText()).isEqualTo(expected.configDigest().orElseThrow().toString());
    assertThat(image.get("platform").asText()).isEqualTo("linux/amd64");
    assertThat(image.get("compressedSize").asLong()).isEqualTo(6_000_000L);
    assertThat(image.get("uncompressedSize").asLong()).isEqualTo(12_000_000L);
    assertThat(image.get("files").asInt()).isEqualTo(600);
    assertThat(image.get("verdict").asText()).isEqualTo("fail");
    assertThat(image.get("error").isNull()).isTrue();

    JsonNode layers = image.get("layers");
    assertThat(layers).hasSize(3);
    assertThat(layers.get(0).get("blobDigest").isNull()).isTrue();
    assertThat(layers.get(0).get("createdBy").isNull()).isTrue();
    assertThat(layers.get(1).get("index").asInt()).isEqualTo(1);
    assertThat(layers.get(1).get("diffId").asText()).isEqualTo(expected.layers().get(1).diffId().toString());
    assertThat(layers.get(1).get("blobDigest").asText())
        .isEqualTo(expected.layers().get(1).blobDigest().orElseThrow().toString());
    assertThat(layers.get(1).get("compressedSize").asLong()).isEqualTo(2_000_000L);
    assertThat(layers.get(1).get("uncompressedSize").asLong()).isEqualTo(6_000_000L);
    assertThat(layers.get(1).get("createdBy").asText()).startsWith("/bin/sh -c apt-get update");
  }

  @Test
  void write_findings_carryRuleSeverityAndWhere() throws IOException {
    JsonNode findings = render(ReportFixtures.report()).at("/images/0/findings");

    assertThat(findings).hasSize(5);
    JsonNode bash = findings.get(1);
    assertThat(bash.get("ruleId").asText()).isEqualTo("no-shell");
    assertThat(bash.get("type").asText()).isEqualTo("no-shell");
    assertThat(bash.get("severity").asText()).isEqualTo("error");
    assertThat(bash.get("message").asText()).isEqualTo("bash is present");
    assertThat(bash.get("path").asText()).isEqualTo("/bin/bash");
    assertThat(bash.get("configField").isNull()).isTrue();
    assertThat(bash.at("/layer/index").asInt()).isEqualTo(1);
    assertThat(bash.at("/layer/blobDigest").asText()).startsWith("sha256:");
    assertThat(bash.at("/layer/createdBy").asText()).contains("apt-get install -y bash");

    JsonNode user = findings.get(2);
    assertThat(user.get("configField").asText()).isEqualTo("User");
    assertThat(user.get("path").isNull()).isTrue();
    assertThat(user.get("layer").isNull()).isTrue();
    assertThat(user.get("location").asText()).isEqualTo("config User");

    JsonNode size = findings.get(3);
    assertThat(size.get("severity").asText()).isEqualTo("warning");
    assertThat(size.get("location").asText()).isEqualTo("image");
  }

  @Test
  void write_everyFinding_hasEveryField() throws IOException {
    // the contract: absent values are null, never left out
    JsonNode findings = render(ReportFixtures.report()).at("/images/0/findings");

    for (JsonNode finding : findings) {
      assertThat(fieldNames(finding)).containsExactly("ruleId", "type", "severity", "message", "location", "path",
          "configField", "layer", "source", "suppression");
    }
  }

  @Test
  void write_unreadableAndCleanImages_nullsAndEmptyLists() throws IOException {
    JsonNode images = render(ReportFixtures.report()).get("images");
    JsonNode clean = images.get(1);
    JsonNode unreadable = images.get(2);

    assertThat(clean.get("verdict").asText()).isEqualTo("pass");
    assertThat(clean.get("findings").isArray()).isTrue();
    assertThat(clean.get("findings")).isEmpty();
    assertThat(clean.get("platform").asText()).isEqualTo("linux/arm64/v8");

    assertThat(fieldNames(unreadable)).isEqualTo(fieldNames(clean));
    assertThat(unreadable.get("verdict").asText()).isEqualTo("error");
    assertThat(unreadable.get("error").asText()).isEqualTo(ReportFixtures.READ_ERROR);
    assertThat(unreadable.get("manifestDigest").isNull()).isTrue();
    assertThat(unreadable.get("platform").isNull()).isTrue();
    assertThat(unreadable.get("compressedSize").isNull()).isTrue();
    assertThat(unreadable.get("files").isNull()).isTrue();
    assertThat(unreadable.get("layers")).isEmpty();
    assertThat(unreadable.get("findings")).isEmpty();
  }

  @Test
  void write_fixtureReport_validAgainstTheDocumentedSchema() throws IOException {
    JsonNode json = render(ReportFixtures.report());

    assertThat(ReportSchema.validate(json)).as("errors against docs/report-schema.json").isEmpty();
    assertThat(ReportSchema.validateStrict(json)).as("fields the schema doesn't document").isEmpty();
    assertThat(ReportSchema.tree().at("/properties/schemaVersion/const").asInt()).isEqualTo(JsonReporter.SCHEMA_VERSION);
  }

  @Test
  void write_waivedReportWithExceptions_validAgainstTheDocumentedSchema() throws IOException {
    JsonNode json = render(ReportFixtures.waivedReport());

    assertThat(ReportSchema.validateStrict(json)).isEmpty();
    assertThat(json.get("exceptions")).hasSize(4);
  }

  @Test
  void write_emptyReport_validAgainstTheDocumentedSchema() throws IOException {
    JsonNode json = render(Report.of("1", "p", io.imagegate.policy.Severity.NOTE, List.of(), List.of()));

    assertThat(ReportSchema.validateStrict(json)).isEmpty();
  }

  @Test
  void schema_brokenDocuments_rejected() throws IOException {
    // proves the validator checks: missing field, wrong enum, undocumented field, a waiver without a reason
    ObjectNode missing = (ObjectNode) render(ReportFixtures.report());
    ((ObjectNode) missing.at("/images/0/findings/0")).remove("source");
    ObjectNode badEnum = (ObjectNode) render(ReportFixtures.report());
    ((ObjectNode) badEnum.at("/images/0")).put("verdict", "maybe");
    ObjectNode extra = (ObjectNode) render(ReportFixtures.report());
    ((ObjectNode) extra.at("/images/0/findings/1/source")).put("column", 3);
    ObjectNode waived = (ObjectNode) render(ReportFixtures.report());
    ((ObjectNode) waived.at("/images/0/findings/4/suppression")).remove("reason");

    assertThat(ReportSchema.validate(missing)).extracting(Error::getMessage).anySatisfy(m -> assertThat(m).contains("source"));
    assertThat(ReportSchema.validate(badEnum)).isNotEmpty();
    assertThat(ReportSchema.validate(extra)).isEmpty();
    assertThat(ReportSchema.validateStrict(extra)).extracting(Error::getMessage).anySatisfy(m -> assertThat(m).contains("column"));
    assertThat(ReportSchema.validate(waived)).isNotEmpty();
  }

  @Test
  void write_findings_carryDockerfileLineAndSuppression() throws IOException {
    JsonNode findings = render(ReportFixtures.report()).at("/images/0/findings");

    JsonNode bash = findings.get(1);
    assertThat(bash.at("/source/file").asText()).isEqualTo(ReportFixtures.DOCKERFILE);
    assertThat(bash.at("/source/line").asInt()).isEqualTo(7);
    assertThat(bash.at("/source/instruction").asText()).isEqualTo(ReportFixtures.RUN_LINE.instruction());
    assertThat(bash.at("/source/note").isNull()).isTrue();
    assertThat(bash.get("suppression").isNull()).isTrue();
    assertThat(findings.get(0).get("source").isNull()).isTrue();

    JsonNode sh = findings.get(4);
    assertThat(sh.at("/suppression/reason").asText()).isEqualTo(ReportFixtures.WAIVER.reason());
    assertThat(sh.at("/suppression/origin").asText()).isEqualTo("policy.yaml:30");
    assertThat(sh.at("/suppression/until").asText()).isEqualTo("2030-01-31");
    assertThat(sh.at("/source/note").asText()).startsWith("matched by its text");
  }

  @Test
  void write_isPrettyPrintedAndEndsWithNewline() throws IOException {
    String text = text(ReportFixtures.report());

    assertThat(text).startsWith("{\n").endsWith("}\n");
    assertThat(text.lines().count()).isGreaterThan(50);
  }

  @Test
  void write_fixtureReport_matchesGoldenFile() throws IOException {
    Golden.assertMatches(text(ReportFixtures.report()), "fixture-report.json");
  }

  @Test
  void format_isJson() {
    assertThat(new JsonReporter().format()).isEqualTo("json");
  }
}
