package io.imagegate.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.policy.Location;
import io.imagegate.policy.Severity;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/** Tests for {@link JUnitReporter}: Jenkins' schema, and what Jenkins and GitLab show of it. */
class JUnitReporterTest {

  private static String render(Report report) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new JUnitReporter().write(report, out);
    return out.toString(StandardCharsets.UTF_8);
  }

  private static Element root(String xml) throws Exception {
    Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    return doc.getDocumentElement();
  }

  private static List<Element> children(Element e, String name) {
    List<Element> out = new ArrayList<>();
    NodeList nodes = e.getChildNodes();
    for (int i = 0; i < nodes.getLength(); i++) {
      if (nodes.item(i).getNodeType() == Node.ELEMENT_NODE && nodes.item(i).getNodeName().equals(name)) {
        out.add((Element) nodes.item(i));
      }
    }
    return out;
  }

  private static Element testcase(Element suite, String name) {
    return children(suite, "testcase").stream().filter(c -> c.getAttribute("name").equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no testcase " + name));
  }

  @Test
  void write_fixtureReport_validAgainstJenkinsSchema() throws IOException {
    assertThat(JUnitSchema.validate(render(ReportFixtures.report()))).isEmpty();
  }

  @Test
  void write_expiredAndStaleExceptions_skippedCasesOfTheirOwnSuite_valid() throws Exception {
    String xml = render(ReportFixtures.waivedReport());
    assertThat(JUnitSchema.validate(xml)).isEmpty();
    Element suite = children(root(xml), "testsuite").stream()
        .filter(s -> s.getAttribute("name").equals("policy exceptions")).findFirst().orElseThrow();
    assertThat(suite.getAttribute("skipped")).isEqualTo("2");
    List<Element> cases = children(suite, "testcase");
    assertThat(cases).extracting(c -> children(c, "skipped").get(0).getAttribute("message"))
        .satisfiesExactly(m -> assertThat(m).startsWith("expired: "), m -> assertThat(m).startsWith("stale: "));
    assertThat(render(ReportFixtures.report())).doesNotContain("policy exceptions");
  }

  @Test
  void write_emptyReport_valid() throws IOException {
    String xml = render(Report.of("1", "p", Severity.ERROR, ReportFixtures.RULES, List.of()));

    assertThat(JUnitSchema.validate(xml)).isEmpty();
    assertThat(xml).contains("<testsuites name=\"imagegate\" tests=\"0\" failures=\"0\" errors=\"0\" time=\"0.000\">");
  }

  @Test
  void schemaValidator_brokenDocuments_reportErrors() throws IOException {
    // proves the validator checks: four decimals of time, a missing required attribute, an unknown element
    String xml = render(ReportFixtures.report());

    assertThat(JUnitSchema.validate(xml.replace("time=\"1.234\"", "time=\"1.2345\""))).isNotEmpty();
    assertThat(JUnitSchema.validate(xml.replaceFirst(" tests=\"4\"", ""))).isNotEmpty();
    assertThat(JUnitSchema.validate(xml.replaceFirst("<properties>", "<finding/><properties>"))).isNotEmpty();
  }

  @Test
  void write_oneSuitePerImageOneCasePerRule() throws Exception {
    Element root = root(render(ReportFixtures.report()));

    List<Element> suites = children(root, "testsuite");
    assertThat(suites).extracting(s -> s.getAttribute("name"))
        .containsExactly(ReportFixtures.FAILING_NAME, ReportFixtures.CLEAN_NAME, ReportFixtures.UNREADABLE_NAME);
    assertThat(children(suites.get(0), "testcase")).extracting(c -> c.getAttribute("name"))
        .containsExactly("no-shell", "non-root", "size-budget", "no-package-manager");
    assertThat(children(suites.get(1), "testcase")).hasSize(4)
        .allSatisfy(c -> assertThat(c.getChildNodes().getLength()).isZero());
    assertThat(root.getAttribute("tests")).isEqualTo("9");
    assertThat(root.getAttribute("failures")).isEqualTo("2");
    assertThat(root.getAttribute("errors")).isEqualTo("1");
  }

  @Test
  void write_findingsAtOrAboveFailOn_areFailures_lowerOnesSystemOut() throws Exception {
    Element suite = children(root(render(ReportFixtures.report())), "testsuite").get(0);

    Element shell = testcase(suite, "no-shell");
    List<Element> failures = children(shell, "failure");
    assertThat(failures).hasSize(1);
    assertThat(failures.get(0).getAttribute("type")).isEqualTo("error");
    assertThat(failures.get(0).getAttribute("message")).isEqualTo("bash is present");
    assertThat(failures.get(0).getTextContent()).contains("where: /bin/bash")
        .contains("layer: 1 (RUN apt-get update && apt-get install -y bash curl)")
        .contains("dockerfile: docker/app.Dockerfile:7  RUN apt-get update && apt-get install -y bash curl");
    // the waived /bin/sh of a failing rule: in system-out, and the case is not marked skipped
    assertThat(children(shell, "skipped")).isEmpty();
    assertThat(children(shell, "system-out").get(0).getTextContent()).contains("sh is present")
        .contains("waived: " + ReportFixtures.WAIVER.reason()).contains("until 2030-01-31");

    Element size = testcase(suite, "size-budget");
    assertThat(children(size, "failure")).isEmpty();
    assertThat(children(size, "system-out").get(0).getTextContent())
        .startsWith("warning: 12.0 MB exceeds the budget of 10.0 MB [image] at docker/app.Dockerfile:3");
    assertThat(suite.getAttribute("tests")).isEqualTo("4");
    assertThat(suite.getAttribute("failures")).isEqualTo("2");
    assertThat(suite.getAttribute("skipped")).isEqualTo("0");
  }

  @Test
  void write_failOnWarning_warningsFailToo() throws Exception {
    Report report = Report.of("1", "minimal", Severity.WARNING, ReportFixtures.RULES, List.of(ReportFixtures.failing()));

    Element suite = children(root(render(report)), "testsuite").get(0);

    assertThat(children(testcase(suite, "size-budget"), "failure")).hasSize(1);
    assertThat(children(testcase(suite, "no-package-manager"), "failure")).isEmpty();
    assertThat(suite.getAttribute("failures")).isEqualTo("3");
  }

  @Test
  void write_ruleWithOnlyWaivedFindings_skippedWithTheReason() throws Exception {
    Finding.Suppression waiver = new Finding.Suppression("base image ships apt; removed in Q3", "policy.yaml:40",
        Optional.of(LocalDate.of(2030, 6, 30)));
    ImageReport image = ReportFixtures.failing().withFindings(f -> f.ruleId().equals("no-package-manager")
        ? new Finding(f.ruleId(), f.ruleType(), f.severity(), f.message(), f.location(), f.layer(), Optional.of(waiver),
        f.source()) : f);
    String xml = render(ReportFixtures.report(image));

    Element suite = children(root(xml), "testsuite").get(0);
    Element apt = testcase(suite, "no-package-manager");
    assertThat(children(apt, "skipped")).singleElement()
        .satisfies(s -> assertThat(s.getAttribute("message")).isEqualTo("waived: base image ships apt; removed in Q3"));
    assertThat(children(apt, "system-out")).isEmpty();
    assertThat(suite.getAttribute("skipped")).isEqualTo("1");
    assertThat(JUnitSchema.validate(xml)).isEmpty();
  }

  @Test
  void write_unreadableImage_suiteWithAnError() throws Exception {
    Element suite = children(root(render(ReportFixtures.report())), "testsuite").get(2);

    assertThat(suite.getAttribute("errors")).isEqualTo("1");
    assertThat(suite.getAttribute("tests")).isEqualTo("1");
    Element error = children(testcase(suite, "read image"), "error").get(0);
    assertThat(error.getAttribute("message")).isEqualTo("the image could not be read: " + ReportFixtures.READ_ERROR);
    assertThat(suite.getAttribute("time")).isEqualTo("0.012");
  }

  @Test
  void write_suiteProperties_describeTheImage() throws Exception {
    Element suite = children(root(render(ReportFixtures.report())), "testsuite").get(0);
    Element properties = children(suite, "properties").get(0);

    List<String> pairs = children(properties, "property").stream()
        .map(p -> p.getAttribute("name") + "=" + p.getAttribute("value")).toList();
    assertThat(pairs).contains("image=" + ReportFixtures.FAILING_NAME, "platform=linux/amd64",
        "uncompressedSize=12000000", "compressedSize=6000000", "verdict=fail", "policy=minimal", "failOn=error");
    assertThat(suite.getAttribute("time")).isEqualTo("1.234");
  }

  @Test
  void write_controlCharactersFromTheImage_stillValidXml() throws IOException {
    Finding nasty = new Finding("no-shell", "no-shell", Severity.ERROR, "sh at /bin/\u0001evil\u001b[31m\nline",
        Location.file("/bin/\u0001evil", 0), Optional.empty());
    ImageReport image = new ImageReport("app\u0007:1", "app:1", Optional.empty(), Optional.empty(), Optional.empty(),
        1, 1, 1, List.of(), List.of(nasty), Optional.empty(), Verdict.FAIL);

    String xml = render(ReportFixtures.report(image));

    assertThat(JUnitSchema.validate(xml)).isEmpty();
    assertThat(xml).contains("message=\"sh at /bin/?evil?[31m line\"");
  }

  @ParameterizedTest
  @CsvSource({"0, 0.000", "1, 0.000", "999999, 0.001", "1234567890, 1.235", "61000000000, 61.000"})
  void time_threeDecimals(long nanos, String text) {
    assertThat(JUnitReporter.time(Duration.ofNanos(nanos))).isEqualTo(text);
  }

  @Test
  void write_fixtureReport_matchesGoldenFile() throws IOException {
    Golden.assertMatches(render(ReportFixtures.report()), "fixture-report.junit.xml");
  }

  @Test
  void format_isJunit() {
    assertThat(new JUnitReporter().format()).isEqualTo("junit");
  }
}
