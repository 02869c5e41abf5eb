package io.imagegate.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.policy.Location;
import io.imagegate.policy.Severity;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Tests for {@link TextReporter}. */
class TextReporterTest {

  private static String render(Report report, boolean colour) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new TextReporter(colour).write(report, out);
    return out.toString(StandardCharsets.UTF_8);
  }

  private static String lastLine(String text) {
    List<String> lines = text.lines().toList();
    return lines.get(lines.size() - 1);
  }

  @Test
  void write_imagesInOrder_eachWithVerdictNameAndSize() throws IOException {
    String text = render(ReportFixtures.report(), false);

    assertThat(text).containsSubsequence(
        "FAIL   " + ReportFixtures.FAILING_NAME + "  linux/amd64  12.0 MB (6.0 MB compressed)",
        "PASS   " + ReportFixtures.CLEAN_NAME + "  linux/arm64/v8  7.8 MB (3.6 MB compressed)",
        "  no findings",
        "ERROR  " + ReportFixtures.UNREADABLE_NAME,
        "  could not be read: " + ReportFixtures.READ_ERROR);
  }

  @Test
  void write_findings_groupedByRuleInPolicyOrder() throws IOException {
    String text = render(ReportFixtures.report(), false);

    assertThat(text.lines().filter(l -> l.matches("  \\S.*")).toList()).containsSubsequence(
        "  no-shell · error · No shell in the image",
        "  non-root · error · Runs as a non-root user",
        "  size-budget · warning · Image within its size budget",
        "  no-package-manager · note · No package manager");
    assertThat(text).containsSubsequence(
        "    /bin/bash     bash is present\n",
        "                  docker/app.Dockerfile:7  RUN apt-get update && apt-get install -y bash curl\n",
        "    /bin/sh       sh is present  [error waived until 2030-01-31 by policy.yaml:30: "
            + "the entrypoint wrapper needs sh until | TICKET-42 is done]\n",
        "    config User   the image runs as root (User is empty)\n",
        "                  docker/app.Dockerfile:3  FROM debian:12-slim\n",
        "    /usr/bin/apt  apt is present\n",
        "                  layer 0\n");
  }

  @Test
  void write_uncertainLine_saysSo() throws IOException {
    String text = render(ReportFixtures.report(), false);

    assertThat(text).contains("docker/app.Dockerfile:7  RUN apt-get update && apt-get install -y bash curl  "
        + "(uncertain: matched by its text; the image history and the Dockerfile don't line up)");
  }

  @Test
  void write_waivedFinding_dimmedWhenColoured() throws IOException {
    assertThat(render(ReportFixtures.report(), true)).contains("\u001b[2m    /bin/sh       sh is present  [error waived");
  }

  @Test
  void write_mixedReport_verdictLineNamesUnreadableAndFailingImages() throws IOException {
    assertThat(lastLine(render(ReportFixtures.report(), false)))
        .isEqualTo("ERROR: 1 of 3 images could not be read; 1 violates the policy (2 errors, 1 warning, 1 note, 1 waived)");
  }

  @Test
  void verdictLine_failingImages_countsImagesAndFindings() {
    Report report = ReportFixtures.report(ReportFixtures.failing("a:1"), ReportFixtures.failing("b:1"),
        ReportFixtures.clean());

    assertThat(new TextReporter().verdictLine(report))
        .isEqualTo("FAIL: 2 of 3 images violate the policy (4 errors, 2 warnings, 2 notes, 2 waived)");
  }

  @Test
  void verdictLine_oneFailingImage_singular() {
    assertThat(new TextReporter().verdictLine(ReportFixtures.report(ReportFixtures.failing())))
        .isEqualTo("FAIL: 1 of 1 image violates the policy (2 errors, 1 warning, 1 note, 1 waived)");
  }

  @Test
  void verdictLine_passingImages_saysSoWithBelowThresholdFindings() {
    ImageReport warned = withFindings(ReportFixtures.clean(), Verdict.PASS,
        new Finding("size-budget", "max-size", Severity.WARNING, "big", Location.image(), Optional.empty()));

    assertThat(new TextReporter().verdictLine(ReportFixtures.report(ReportFixtures.clean())))
        .isEqualTo("PASS: 1 image meets the policy (no findings)");
    assertThat(new TextReporter().verdictLine(ReportFixtures.report(ReportFixtures.clean(), warned)))
        .isEqualTo("PASS: all 2 images meet the policy (1 warning)");
  }

  @Test
  void verdictLine_onlyUnreadable() {
    assertThat(new TextReporter().verdictLine(ReportFixtures.report(ReportFixtures.unreadable())))
        .isEqualTo("ERROR: 1 of 1 image could not be read (no findings)");
  }

  @Test
  void write_colourOff_noAnsiEscapes() throws IOException {
    assertThat(render(ReportFixtures.report(), false)).doesNotContain("\u001b");
  }

  @Test
  void write_colourOn_paintsVerdictsAndSeverities() throws IOException {
    String text = render(ReportFixtures.report(), true);

    assertThat(text).contains("\u001b[1m\u001b[31mFAIL ", "\u001b[31merror\u001b[0m", "\u001b[33mwarning", "\u001b[0m",
        "\u001b[36mdocker/app.Dockerfile:7\u001b[0m");
    assertThat(lastLine(text)).startsWith("\u001b[1m\u001b[35mERROR\u001b[0m: 1 of 3 images");
  }

  @Test
  void write_controlCharactersFromImage_neverReachTheTerminal() throws IOException {
    // a file name is image content: an attacker picks it
    String evil = "/tmp/\u001b]0;owned\u0007x\u202e\n";
    ImageReport image = withFindings(ReportFixtures.clean(), Verdict.FAIL,
        new Finding("no-shell", "no-shell", Severity.ERROR, "found " + evil, Location.file(evil, 0), Optional.empty()));

    String text = render(ReportFixtures.report(image), false);

    assertThat(text).doesNotContain("\u001b", "\u0007", "\u202e").contains("/tmp/?]0;owned?x? ");
  }

  @Test
  void write_longBuildStep_shortenedWithEllipsis() throws IOException {
    String step = "/bin/sh -c apt-get update && apt-get install -y --no-install-recommends " + "pkg ".repeat(40);
    ImageReport image = withFindings(ReportFixtures.clean(), Verdict.FAIL, new Finding("no-shell", "no-shell",
        Severity.ERROR, "sh is present", Location.file("/bin/sh", 0),
        Optional.of(new Finding.LayerRef(0, ReportFixtures.digest("d"), Optional.empty(), step))));

    String line = render(ReportFixtures.report(image), false).lines().filter(l -> l.contains("layer 0:"))
        .findFirst().orElseThrow();

    assertThat(line).contains("layer 0: RUN apt-get update && apt-get install").endsWith("…");
  }

  @Test
  void write_fixtureReport_matchesGoldenFile() throws IOException {
    Golden.assertMatches(render(ReportFixtures.report(), false), "fixture-report.txt");
  }

  @Test
  void format_isText() {
    assertThat(new TextReporter().format()).isEqualTo("text");
  }

  private static ImageReport withFindings(ImageReport image, Verdict verdict, Finding... findings) {
    return new ImageReport(image.name() + "-" + findings.length, image.reference(), image.manifestDigest(),
        image.configDigest(), image.platform(), image.compressedSize(), image.uncompressedSize(), image.files(),
        image.layers(), List.of(findings), image.error(), verdict);
  }
}
