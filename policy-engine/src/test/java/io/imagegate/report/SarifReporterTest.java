package io.imagegate.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.util.Optional;
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
      assertThat(rule.at("/help/markdown").asText()).startsWith("**How to fix:** " + expected.help());
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
  void fingerprint_ignoresMessageLayerDigestAndLine_butNotRuleImageLocationOrOccurrence() {
    String base = SarifReporter.fingerprint("no-shell", "app", Location.file("/bin/sh", 1), 1);

    assertThat(SarifReporter.fingerprint("no-shell", "app", Location.file("/bin/sh", 3), 1)).isEqualTo(base);
    assertThat(SarifReporter.fingerprint("no-shell", "other", Location.file("/bin/sh", 1), 1)).isNotEqualTo(base);
    assertThat(SarifReporter.fingerprint("no-shell", "app", Location.file("/bin/bash", 1), 1)).isNotEqualTo(base);
    assertThat(SarifReporter.fingerprint("no-busybox", "app", Location.file("/bin/sh", 1), 1)).isNotEqualTo(base);
    assertThat(SarifReporter.fingerprint("no-shell", "app", Location.file("/bin/sh", 1), 2)).isNotEqualTo(base);
  }

  @Test
  void write_dockerfileEditedElsewhere_sameFingerprints() throws IOException {
    // the same image checked again after lines were added above the RUN: every line moves, nothing else
    Report moved = withFindings(ReportFixtures.failing(), f -> f.withSource(f.source().map(l ->
        new Finding.SourceLine(l.file(), l.line() + 5, l.instruction(), l.note()))));
    // and once more without --dockerfile at all
    Report unmapped = withFindings(ReportFixtures.failing(), f -> f.withSource(Optional.empty()));

    List<String> before = fingerprints(render(ReportFixtures.report(ReportFixtures.failing())));
    assertThat(fingerprints(render(moved))).isEqualTo(before);
    assertThat(fingerprints(render(unmapped))).isEqualTo(before);
    assertThat(results(render(moved)).get(1).at("/locations/0/physicalLocation/region/startLine").asInt()).isEqualTo(12);
  }

  @Test
  void write_newTagOrDigest_sameFingerprintsAndCategory() throws IOException {
    JsonNode v12 = render(ReportFixtures.report(ReportFixtures.failing("ghcr.io/acme/app:1.2")));
    JsonNode v13 = render(ReportFixtures.report(ReportFixtures.failing("ghcr.io/acme/app:1.3")));
    JsonNode pinned = render(ReportFixtures.report(ReportFixtures.failing("ghcr.io/acme/app@sha256:" + "ab".repeat(32))));
    JsonNode other = render(ReportFixtures.report(ReportFixtures.failing("ghcr.io/acme/worker:1.2")));

    assertThat(fingerprints(v13)).isEqualTo(fingerprints(v12));
    assertThat(fingerprints(pinned)).isEqualTo(fingerprints(v12));
    assertThat(v13.at("/runs/0/automationDetails/id").asText()).isEqualTo("imagegate/ghcr.io/acme/app/")
        .isEqualTo(v12.at("/runs/0/automationDetails/id").asText());
    assertThat(fingerprints(other)).doesNotContainAnyElementsOf(fingerprints(v12));
  }

  @Test
  void write_sameRuleAndLocationTwice_distinctFingerprintsStableAcrossRuns() throws IOException {
    ImageReport twice = ReportFixtures.clean().withFindings(f -> f);
    Finding size = new Finding("size-budget", "max-size", Severity.WARNING, "uncompressed too big", Location.image(),
        Optional.empty());
    Finding compressed = new Finding("size-budget", "max-size", Severity.WARNING, "compressed too big",
        Location.image(), Optional.empty());
    Report report = ReportFixtures.report(new ImageReport(twice.name(), twice.reference(), twice.manifestDigest(),
        twice.configDigest(), twice.platform(), 1, 1, 1, twice.layers(), List.of(size, compressed), Optional.empty(),
        Verdict.PASS));

    List<String> first = fingerprints(render(report));

    assertThat(new HashSet<>(first)).hasSize(2);
    assertThat(fingerprints(render(report))).isEqualTo(first);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "alpine:3.20                                 | alpine",
      "ghcr.io/acme/app:1.2                        | ghcr.io/acme/app",
      "registry.example.com:5000/team/app:1.2      | registry.example.com:5000/team/app",
      "registry.example.com:5000/team/app          | registry.example.com:5000/team/app",
      "app@sha256:0123abcd                         | app",
      "app:1@sha256:0123abcd                       | app",
      "docker://ghcr.io/acme/app:sha-1234          | docker://ghcr.io/acme/app",
      "docker-daemon:app:latest                    | docker-daemon:app",
      "app:1 (linux/arm64/v8)                      | app (linux/arm64/v8)",
      "docker-archive:/tmp/build/app.tar           | docker-archive:/tmp/build/app.tar",
      "oci:build/layout:1.2                        | oci:build/layout:1.2",
      "build/app.tar                               | build/app.tar",
  })
  void imageKey_dropsTagAndDigestOfNamesNotOfFiles(String name, String key) {
    assertThat(SarifReporter.imageKey(name)).isEqualTo(key);
  }

  @Test
  void write_twoTagsOfOneRepository_categoriesByFullName() throws IOException {
    JsonNode sarif = render(ReportFixtures.report(ReportFixtures.failing("app:1"), ReportFixtures.failing("app:2"),
        ReportFixtures.failing("worker:1"), ReportFixtures.failing("app:1")));

    assertThat(sarif.get("runs")).extracting(r -> r.at("/automationDetails/id").asText())
        .containsExactly("imagegate/app:1/", "imagegate/app:2/", "imagegate/worker/", "imagegate/app:1#2/");
  }

  @Test
  void write_mappedFinding_locatedOnItsDockerfileLineWithSnippet() throws IOException {
    JsonNode bash = results(render(ReportFixtures.report(ReportFixtures.failing()))).get(1);

    JsonNode physical = bash.at("/locations/0/physicalLocation");
    assertThat(physical.at("/artifactLocation/uri").asText()).isEqualTo("docker/app.Dockerfile");
    assertThat(physical.at("/region/startLine").asInt()).isEqualTo(7);
    assertThat(physical.at("/region/snippet/text").asText()).isEqualTo(ReportFixtures.RUN_LINE.instruction());
    // the image side stays: logical locations and properties
    assertThat(bash.at("/locations/0/logicalLocations")).extracting(l -> l.get("kind").asText())
        .containsExactly("image", "layer", "file");
    assertThat(bash.at("/properties").has("dockerfileNote")).isFalse();
  }

  @Test
  void write_unmappedFinding_locatedOnTheImagePseudoFileLineOne() throws IOException {
    JsonNode apt = results(render(ReportFixtures.report(ReportFixtures.failing()))).get(0);

    assertThat(apt.at("/locations/0/physicalLocation/artifactLocation/uri").asText())
        .isEqualTo(SarifReporter.artifactUri(ReportFixtures.FAILING_NAME));
    assertThat(apt.at("/locations/0/physicalLocation/region/startLine").asInt()).isEqualTo(1);
    assertThat(apt.at("/locations/0/physicalLocation/region").has("snippet")).isFalse();
  }

  @Test
  void write_uncertainLine_noteInMessageAndProperties() throws IOException {
    JsonNode sh = results(render(ReportFixtures.report(ReportFixtures.failing()))).get(4);

    assertThat(sh.at("/message/text").asText()).contains("(Dockerfile line uncertain: matched by its text;");
    assertThat(sh.at("/properties/dockerfileNote").asText()).startsWith("matched by its text");
  }

  @Test
  void write_imageAndConfigFindings_onTheFromLine() throws IOException {
    List<JsonNode> results = results(render(ReportFixtures.report(ReportFixtures.failing())));

    for (JsonNode r : List.of(results.get(2), results.get(3))) {
      assertThat(r.at("/locations/0/physicalLocation/region/startLine").asInt()).isEqualTo(3);
      assertThat(r.at("/locations/0/physicalLocation/region/snippet/text").asText()).isEqualTo("FROM debian:12-slim");
    }
  }

  @Test
  void write_waivedFinding_externalAcceptedSuppressionWithTheReason() throws IOException {
    List<JsonNode> results = results(render(ReportFixtures.report(ReportFixtures.failing())));
    JsonNode waived = results.get(4);

    assertThat(waived.get("suppressions")).hasSize(1);
    JsonNode s = waived.get("suppressions").get(0);
    assertThat(s.get("kind").asText()).isEqualTo("external");
    assertThat(s.get("status").asText()).isEqualTo("accepted");
    assertThat(s.get("justification").asText()).isEqualTo(ReportFixtures.WAIVER.reason());
    assertThat(s.at("/properties/origin").asText()).isEqualTo("policy.yaml:30");
    assertThat(s.at("/properties/until").asText()).isEqualTo("2030-01-31");
    assertThat(results.subList(0, 4)).allSatisfy(r -> assertThat(r.has("suppressions")).isFalse());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "Dockerfile                  | Dockerfile",
      "./docker/Dockerfile         | docker/Dockerfile",
      "docker\\app.Dockerfile    | docker/app.Dockerfile",
      "build files/Dockerfile      | build%20files/Dockerfile",
      "c:Dockerfile                | ./c:Dockerfile",
      "dir/a:b                     | dir/a:b",
      "ünïcode/Dockerfile          | %C3%BCn%C3%AFcode/Dockerfile",
  })
  void repositoryUri_relativeAndSchemeFree(String path, String uri) {
    assertThat(SarifReporter.repositoryUri(path)).isEqualTo(uri);
  }

  @Test
  void write_moreThan20Images_splitIntoFilesOf20RunsEachValid() throws IOException {
    List<ImageReport> images = new ArrayList<>();
    for (int i = 0; i < 45; i++) {
      images.add(ReportFixtures.failing("app-" + i + ":1"));
    }
    Report report = ReportFixtures.report(images.toArray(ImageReport[]::new));
    SarifReporter reporter = new SarifReporter();

    assertThat(reporter.files(report)).isEqualTo(3);
    List<ObjectNode> documents = reporter.documents(report);
    assertThat(documents).extracting(d -> d.get("runs").size()).containsExactly(20, 20, 5);
    List<String> ids = new ArrayList<>();
    for (int file = 0; file < 3; file++) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      reporter.write(report, file, out);
      JsonNode doc = JSON.readTree(out.toByteArray());
      assertThat(SarifSchema.validate(doc)).isEmpty();
      doc.get("runs").forEach(r -> ids.add(r.at("/automationDetails/id").asText()));
    }
    assertThat(ids).hasSize(45).doesNotHaveDuplicates();
    assertThatThrownBy(() -> reporter.write(report, new ByteArrayOutputStream()))
        .isInstanceOf(ReportLimitException.class).hasMessageContaining("at most 20 runs per file");
  }

  @Test
  void write_20Images_oneFile() {
    List<ImageReport> images = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      images.add(ReportFixtures.failing("app-" + i + ":1"));
    }

    assertThat(new SarifReporter().files(ReportFixtures.report(images.toArray(ImageReport[]::new)))).isEqualTo(1);
  }

  @Test
  void write_runOverGitHubsResultLimit_failsSayingSo() {
    List<Finding> many = new ArrayList<>();
    for (int i = 0; i <= SarifReporter.MAX_RESULTS_PER_RUN; i++) {
      many.add(new Finding("no-package-manager", "forbidden-files", Severity.NOTE, "x", Location.file("/f" + i, 0),
          Optional.empty()));
    }
    ImageReport huge = new ImageReport("huge:1", "huge:1", Optional.empty(), Optional.empty(), Optional.empty(), 1, 1,
        1, List.of(), many, Optional.empty(), Verdict.PASS);

    assertThatThrownBy(() -> new SarifReporter().documents(ReportFixtures.report(huge)))
        .isInstanceOf(ReportLimitException.class)
        .hasMessageContaining("huge:1 has 25001 findings").hasMessageContaining("at most 25000 results per run");
  }

  @Test
  void write_ruleWithManyTags_keepsGitHubs20() throws IOException {
    List<String> tags = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      tags.add("tag-" + i);
    }
    RuleSummary rule = ReportFixtures.rule("r", "t", Severity.ERROR, "title", "description", "help", tags);

    JsonNode rendered = render(Report.of("1", "p", Severity.ERROR, List.of(rule), List.of(ReportFixtures.clean())));

    assertThat(rendered.at("/runs/0/tool/driver/rules/0/properties/tags")).hasSize(20);
  }

  @Test
  void write_ruleHelp_markdownLeadsWithTheFix() throws IOException {
    JsonNode rule = render(ReportFixtures.report()).at("/runs/0/tool/driver/rules/0");

    assertThat(rule.at("/help/text").asText()).isEqualTo(ReportFixtures.NO_SHELL.help());
    assertThat(rule.at("/help/markdown").asText())
        .startsWith("**How to fix:** " + ReportFixtures.NO_SHELL.help())
        .contains(ReportFixtures.NO_SHELL.documentation().description())
        .contains("Rule type `no-shell`");
  }

  private static Report withFindings(ImageReport image, java.util.function.UnaryOperator<Finding> change) {
    return ReportFixtures.report(image.withFindings(change));
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
    assertThat(properties.get("layers").asInt()).isEqualTo(3);
    assertThat(properties.get("dockerfile").asText()).isEqualTo(ReportFixtures.DOCKERFILE);
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
