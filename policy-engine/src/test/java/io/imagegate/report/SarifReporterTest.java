package io.imagegate.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import io.imagegate.policy.Location;
import io.imagegate.policy.Severity;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Tests for {@link SarifReporter}: the official schema, and the rules GitHub code scanning adds to it. */
class SarifReporterTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode render(Report report) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new SarifReporter().write(report, out);
    return JSON.readTree(out.toByteArray());
  }

  private static JsonNode run(JsonNode sarif, String imageName) {
    for (JsonNode run : sarif.get("runs")) {
      if (run.path("properties").path("image").asText().equals(imageName)) {
        return run;
      }
    }
    throw new AssertionError("no run for " + imageName);
  }

  private static List<JsonNode> results(JsonNode sarif) {
    List<JsonNode> out = new ArrayList<>();
    sarif.get("runs").forEach(run -> run.get("results").forEach(out::add));
    return out;
  }

  @Test
  void write_fixtureReport_isValidAgainstOfficialSchema() throws IOException {
    List<Error> errors = SarifSchema.validate(render(ReportFixtures.report()));

    assertThat(errors).as("schema errors").isEmpty();
  }

  @Test
  void write_noImages_isValidWithNoRuns() throws IOException {
    JsonNode sarif = render(ReportFixtures.report());
    JsonNode empty = render(Report.of("1", "p", Severity.ERROR, ReportFixtures.RULES, List.of()));

    assertThat(SarifSchema.validate(empty)).isEmpty();
    assertThat(empty.get("runs")).isEmpty();
    assertThat(sarif.get("runs")).hasSize(3);
  }

  @Test
  void schemaValidator_brokenDocument_reportsErrors() throws IOException {
    // proves the validator is really checking: the same document, broken in ways the schema forbids
    ObjectNode broken = (ObjectNode) render(ReportFixtures.report());
    broken.put("version", "2.0.0");
    ObjectNode firstRun = (ObjectNode) broken.get("runs").get(0);
    firstRun.remove("tool");
    ObjectNode firstResult = (ObjectNode) firstRun.get("results").get(0);
    firstResult.put("level", "fatal");
    firstResult.remove("message");
    ((ObjectNode) firstResult.get("locations").get(0).get("physicalLocation").get("region")).put("startLine", 0);

    List<Error> errors = SarifSchema.validate(broken);

    assertThat(errors).extracting(e -> e.getInstanceLocation().toString())
        .contains("/version", "/runs/0/results/0/level",
            "/runs/0/results/0/locations/0/physicalLocation/region/startLine");
    assertThat(errors).extracting(Error::getMessage)
        .anySatisfy(m -> assertThat(m).contains("tool"))
        .anySatisfy(m -> assertThat(m).contains("message"));
  }

  @Test
  void write_header_hasSchemaVersionAndDriver() throws IOException {
    JsonNode sarif = render(ReportFixtures.report());

    assertThat(sarif.get("$schema").asText()).isEqualTo("https://json.schemastore.org/sarif-2.1.0.json");
    assertThat(sarif.get("version").asText()).isEqualTo("2.1.0");
    for (JsonNode run : sarif.get("runs")) {
      JsonNode driver = run.get("tool").get("driver");
      assertThat(driver.get("name").asText()).isEqualTo("imagegate");
      assertThat(driver.get("version").asText()).isEqualTo(ReportFixtures.TOOL_VERSION);
      assertThat(driver.has("informationUri")).as("no made-up home page").isFalse();
      assertThat(driver.get("rules")).hasSize(ReportFixtures.RULES.size());
    }
  }

  @Test
  void write_everyRule_hasDescriptionsHelpLevelAndGitHubProperties() throws IOException {
    JsonNode rules = render(ReportFixtures.report()).get("runs").get(0).get("tool").get("driver").get("rules");

    for (int i = 0; i < ReportFixtures.RULES.size(); i++) {
      RuleSummary expected = ReportFixtures.RULES.get(i);
      JsonNode rule = rules.get(i);
      assertThat(rule.get("id").asText()).isEqualTo(expected.id());
      assertThat(rule.get("name").asText()).isEqualTo(expected.type());
      assertThat(rule.at("/shortDescription/text").asText()).isEqualTo(expected.documentation().title());
      assertThat(rule.at("/fullDescription/text").asText()).isEqualTo(expected.documentation().description());
      assertThat(rule.at("/help/text").asText()).isEqualTo(expected.help());
      assertThat(rule.at("/help/markdown").asText()).startsWith(expected.help());
      // warning is the model's default and NON_DEFAULT serialisation would drop it: it must be explicit
      assertThat(rule.at("/defaultConfiguration/level").asText()).isEqualTo(expected.severity().label());
      assertThat(rule.at("/properties/precision").asText()).isEqualTo("very-high");
      assertThat(JSON.convertValue(rule.at("/properties/tags"), List.class))
          .isEqualTo(expected.documentation().tags().isEmpty() ? null : expected.documentation().tags());
    }
  }

  @ParameterizedTest
  @CsvSource({"ERROR, 8.0", "WARNING, 5.0", "NOTE, 2.0"})
  void write_securitySeverity_followsSeverity(Severity severity, String score) throws IOException {
    RuleSummary rule = ReportFixtures.rule("r", "t", severity, "title", "description", "help", List.of("security"));
    Report report = Report.of("1", "p", Severity.ERROR, List.of(rule), List.of(ReportFixtures.clean()));

    JsonNode properties = render(report).at("/runs/0/tool/driver/rules/0/properties");

    assertThat(properties.get("security-severity").isTextual()).isTrue();
    assertThat(properties.get("security-severity").asText()).isEqualTo(score);
  }

  @Test
  void write_everyResult_hasPhysicalLocationWithUriAndStartLine() throws IOException {
    List<JsonNode> results = results(render(ReportFixtures.report()));

    assertThat(results).hasSize(5);
    for (JsonNode result : results) {
      assertThat(result.get("locations")).isNotEmpty();
      for (JsonNode location : result.get("locations")) {
        assertThat(location.at("/physicalLocation/artifactLocation/uri").asText()).isNotBlank();
        assertThat(location.at("/physicalLocation/region/startLine").asInt()).isGreaterThanOrEqualTo(1);
      }
    }
  }

  @Test
  void write_noUri_hasColonBeforeFirstSlash() throws IOException {
    List<String> uris = new ArrayList<>();
    collect(render(ReportFixtures.report()), "uri", uris);

    assertThat(uris).isNotEmpty().allSatisfy(uri -> assertThat(uri).doesNotContain(":"));
  }

  private static void collect(JsonNode node, String field, List<String> out) {
    if (node.isObject()) {
      node.properties().forEach(e -> {
        if (e.getKey().equals(field) && e.getValue().isTextual()) {
          out.add(e.getValue().asText());
        }
        collect(e.getValue(), field, out);
      });
    } else if (node.isArray()) {
      node.forEach(n -> collect(n, field, out));
    }
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "alpine:3.20                                   | image/alpine_3.20",
      "registry.example.com:5000/team/app:1.2       | image/registry.example.com_5000_team_app_1.2",
      "docker-archive:/tmp/broken.tar               | image/docker-archive__tmp_broken.tar",
      "app@sha256:0123abcd                          | image/app_sha256_0123abcd",
      "app:1 (linux/arm64/v8)                       | image/app_1__linux_arm64_v8_",
      "..                                           | image/_..",
      "''                                           | image/_",
  })
  void artifactUri_imageName_isOneSafeSegment(String name, String expected) {
    String uri = SarifReporter.artifactUri(name);

    assertThat(uri).isEqualTo(expected);
    assertThat(uri.substring(0, uri.indexOf('/'))).doesNotContain(":");
  }

  @Test
  void write_cleanImage_keepsEmptyResults() throws IOException {
    JsonNode sarif = render(ReportFixtures.report());

    JsonNode clean = run(sarif, ReportFixtures.CLEAN_NAME);
    assertThat(clean.has("results")).isTrue();
    assertThat(clean.get("results").isArray()).isTrue();
    assertThat(clean.get("results")).isEmpty();
    assertThat(clean.at("/invocations/0/executionSuccessful").asBoolean()).isTrue();
    assertThat(clean.at("/properties/verdict").asText()).isEqualTo("pass");
  }

  @Test
  void write_cleanImageAlone_keepsEmptyResultsAndIsValid() throws IOException {
    JsonNode sarif = render(ReportFixtures.report(ReportFixtures.clean()));

    assertThat(sarif.at("/runs/0/results").isArray()).isTrue();
    assertThat(SarifSchema.validate(sarif)).isEmpty();
  }

  @Test
  void write_unreadableImage_failedInvocationWithErrorAndNoResults() throws IOException {
    JsonNode run = run(render(ReportFixtures.report()), ReportFixtures.UNREADABLE_NAME);

    assertThat(run.get("results").isArray()).isTrue();
    assertThat(run.get("results")).isEmpty();
    assertThat(run.get("invocations")).hasSize(1);
    JsonNode invocation = run.get("invocations").get(0);
    assertThat(invocation.get("executionSuccessful").asBoolean()).isFalse();
    assertThat(invocation.at("/toolExecutionNotifications/0/level").asText()).isEqualTo("error");
    assertThat(invocation.at("/toolExecutionNotifications/0/message/text").asText())
        .contains(ReportFixtures.READ_ERROR);
    assertThat(run.at("/properties/verdict").asText()).isEqualTo("error");
    assertThat(run.get("properties").has("compressedSize")).isFalse();
  }

  @Test
  void write_results_referToTheirRuleAndSeverity() throws IOException {
    JsonNode run = run(render(ReportFixtures.report()), ReportFixtures.FAILING_NAME);
    JsonNode rules = run.at("/tool/driver/rules");

    for (JsonNode result : run.get("results")) {
      String ruleId = result.get("ruleId").asText();
      assertThat(rules.get(result.get("ruleIndex").asInt()).get("id").asText()).isEqualTo(ruleId);
      assertThat(result.at("/message/text").asText()).isNotBlank();
    }
    assertThat(run.get("results")).extracting(r -> r.get("level").asText())
        .containsExactly("note", "error", "error", "warning", "error");
  }

  @Test
  void write_fileFinding_namesImageLayerAndPath() throws IOException {
    JsonNode run = run(render(ReportFixtures.report()), ReportFixtures.FAILING_NAME);
    JsonNode bash = run.get("results").get(1);
    Finding.LayerRef layer = ReportFixtures.failing().findings().get(1).layer().orElseThrow();

    assertThat(bash.at("/message/text").asText()).isEqualTo("bash is present — /bin/bash in "
        + ReportFixtures.FAILING_NAME + ", layer 1: RUN apt-get update && apt-get install -y bash curl");
    JsonNode logical = bash.at("/locations/0/logicalLocations");
    assertThat(logical).extracting(l -> l.get("kind").asText()).containsExactly("image", "layer", "file");
    assertThat(logical.get(0).get("fullyQualifiedName").asText()).isEqualTo(ReportFixtures.FAILING_NAME);
    assertThat(logical.get(1).get("fullyQualifiedName").asText()).isEqualTo(layer.blobDigest().orElseThrow().toString());
    assertThat(logical.get(2).get("name").asText()).isEqualTo("/bin/bash");
    assertThat(bash.at("/properties/layer").asInt()).isEqualTo(1);
    assertThat(bash.at("/properties/diffId").asText()).isEqualTo(layer.diffId().toString());
    assertThat(bash.at("/properties/createdBy").asText()).isEqualTo(layer.createdBy());
    assertThat(bash.at("/properties/path").asText()).isEqualTo("/bin/bash");
  }

  @Test
  void write_fileFindingWithoutBlobDigest_namesLayerByDiffIdAndKeepsIndexZero() throws IOException {
    JsonNode apt = run(render(ReportFixtures.report()), ReportFixtures.FAILING_NAME).get("results").get(0);
    Finding.LayerRef layer = ReportFixtures.failing().findings().get(0).layer().orElseThrow();

    assertThat(apt.at("/locations/0/logicalLocations/1/fullyQualifiedName").asText()).isEqualTo(layer.diffId().toString());
    assertThat(apt.at("/properties/layer").isInt()).isTrue();
    assertThat(apt.at("/properties/layer").asInt()).isZero();
    assertThat(apt.at("/properties").has("blobDigest")).isFalse();
    assertThat(apt.at("/properties").has("createdBy")).isFalse();
  }

  @Test
  void write_configAndImageFindings_haveLogicalLocationsWithoutLayer() throws IOException {
    JsonNode results = run(render(ReportFixtures.report()), ReportFixtures.FAILING_NAME).get("results");
    JsonNode user = results.get(2);
    JsonNode size = results.get(3);

    assertThat(user.at("/locations/0/logicalLocations")).extracting(l -> l.get("kind").asText())
        .containsExactly("image", "configField");
    assertThat(user.at("/locations/0/logicalLocations/1/name").asText()).isEqualTo("User");
    assertThat(user.at("/properties/configField").asText()).isEqualTo("User");
    assertThat(size.at("/locations/0/logicalLocations")).extracting(l -> l.get("kind").asText())
        .containsExactly("image");
    assertThat(size.at("/properties").has("layer")).isFalse();
  }

  @Test
  void write_twice_fingerprintsIdenticalAndDistinctPerFinding() throws IOException {
    List<String> first = fingerprints(render(ReportFixtures.report()));
    List<String> second = fingerprints(render(ReportFixtures.report()));

    assertThat(first).hasSize(5).doesNotContainNull().allMatch(f -> f.matches("[0-9a-f]{64}"));
    assertThat(second).isEqualTo(first);
    assertThat(new HashSet<>(first)).hasSize(first.size());
  }

  private static List<String> fingerprints(JsonNode sarif) {
    return results(sarif).stream()
        .map(r -> r.at("/partialFingerprints/" + SarifReporter.FINGERPRINT_KEY.replace("/", "~1")).textValue())
        .toList();
  }

  @Test
  void fingerprint_ignoresMessageAndLayerDigest_butNotImageOrLocation() {
    String base = SarifReporter.fingerprint("no-shell", "app:1", Location.file("/bin/sh", 1));

    assertThat(SarifReporter.fingerprint("no-shell", "app:1", Location.file("/bin/sh", 3))).isEqualTo(base);
    assertThat(SarifReporter.fingerprint("no-shell", "app:2", Location.file("/bin/sh", 1))).isNotEqualTo(base);
    assertThat(SarifReporter.fingerprint("no-shell", "app:1", Location.file("/bin/bash", 1))).isNotEqualTo(base);
    assertThat(SarifReporter.fingerprint("no-busybox", "app:1", Location.file("/bin/sh", 1))).isNotEqualTo(base);
  }

  @Test
  void write_automationDetails_oneIdPerImage() throws IOException {
    JsonNode sarif = render(ReportFixtures.report());
    Set<String> ids = new HashSet<>();

    for (JsonNode run : sarif.get("runs")) {
      String id = run.at("/automationDetails/id").asText();
      assertThat(id).isEqualTo("imagegate/" + run.at("/properties/image").asText() + "/");
      ids.add(id);
    }
    assertThat(ids).hasSize(3);
  }

  @Test
  void write_runProperties_describeTheImage() throws IOException {
    ImageReport image = ReportFixtures.failing();
    JsonNode properties = run(render(ReportFixtures.report()), image.name()).get("properties");

    assertThat(properties.get("imageReference").asText()).isEqualTo(image.reference());
    assertThat(properties.get("manifestDigest").asText()).isEqualTo(image.manifestDigest().orElseThrow().toString());
    assertThat(properties.get("platform").asText()).isEqualTo("linux/amd64");
    assertThat(properties.get("compressedSize").asLong()).isEqualTo(image.compressedSize());
    assertThat(properties.get("uncompressedSize").asLong()).isEqualTo(image.uncompressedSize());
    assertThat(properties.get("verdict").asText()).isEqualTo("fail");
  }

  @Test
  void write_twice_sameBytes() throws IOException {
    ByteArrayOutputStream first = new ByteArrayOutputStream();
    ByteArrayOutputStream second = new ByteArrayOutputStream();

    new SarifReporter().write(ReportFixtures.report(), first);
    new SarifReporter().write(ReportFixtures.report(), second);

    assertThat(second.toString(StandardCharsets.UTF_8)).isEqualTo(first.toString(StandardCharsets.UTF_8));
  }

  @Test
  void write_doesNotCloseTheStream() throws IOException {
    boolean[] closed = {false};
    FilterOutputStream out = new FilterOutputStream(new ByteArrayOutputStream()) {
      @Override
      public void close() {
        closed[0] = true;
      }
    };

    new SarifReporter().write(ReportFixtures.report(), out);

    assertThat(closed[0]).isFalse();
  }

  @Test
  void write_fixtureReport_matchesGoldenFile() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new SarifReporter().write(ReportFixtures.report(), out);

    Golden.assertMatches(out.toString(StandardCharsets.UTF_8), "fixture-report.sarif");
  }

  @Test
  void format_isSarif() {
    assertThat(new SarifReporter().format()).isEqualTo("sarif");
  }
}
