package io.imagegate.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.facts.LayerFacts;
import io.imagegate.policy.Location;
import io.imagegate.policy.Severity;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Tests for {@link MarkdownReporter}. */
class MarkdownReporterTest {

  private static String render(Report report) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new MarkdownReporter().write(report, out);
    return out.toString(StandardCharsets.UTF_8);
  }

  /** The rows of the table that follows {@code heading}-ish text, header and delimiter rows left out. */
  private static List<String> rowsAfter(String markdown, String marker) {
    List<String> lines = markdown.lines().toList();
    int start = lines.indexOf(lines.stream().filter(l -> l.startsWith(marker)).findFirst().orElseThrow());
    List<String> rows = new ArrayList<>();
    for (int i = start + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
      rows.add(lines.get(i));
    }
    return rows;
  }

  /** Splits a table row at its unescaped pipes. */
  private static List<String> cells(String row) {
    return List.of(row.substring(2, row.length() - 2).split(" (?<!\\\\)\\| ", -1));
  }

  @Test
  void render_verdictLineFirst_withCounts() throws IOException {
    List<String> lines = render(ReportFixtures.report()).lines().toList();

    assertThat(lines.get(0)).isEqualTo("## ⛔ imagegate: ERROR — 1 of 3 images could not be read; 1 of 3 images violates the policy");
    assertThat(lines.get(2)).isEqualTo("2 errors, 1 warning, 1 note, 1 waived · policy `minimal` · fail on `error` · imagegate 0.1.0-test");
  }

  @Test
  void render_findingsTable_oneRowPerOpenFindingInRuleOrder() throws IOException {
    String md = render(ReportFixtures.report());

    List<String> rows = rowsAfter(md, "| Severity | Rule |");
    assertThat(rows).hasSize(4); // the waived /bin/sh is in the waivers table instead
    assertThat(rows).allSatisfy(r -> assertThat(cells(r)).hasSize(5));
    assertThat(rows.get(0)).isEqualTo("| 🔴 error | `no-shell` | `/bin/bash` | bash is present | "
        + "`docker/app.Dockerfile:7` `RUN apt-get update && apt-get install -y bash curl` |");
    assertThat(rows.get(1)).contains("`config User`").contains("`docker/app.Dockerfile:3` `FROM debian:12-slim`");
    assertThat(rows.get(3)).isEqualTo("| 🔵 note | `no-package-manager` | `/usr/bin/apt` | apt is present | layer 0 |");
  }

  @Test
  void render_layers_largestFirstWithTheirBuildSteps() throws IOException {
    List<String> rows = rowsAfter(render(ReportFixtures.report()), "| Layer | Size |");

    assertThat(rows).hasSize(3);
    assertThat(rows.get(0)).isEqualTo("| 2 | 8.7 MB | 50% | 3.0 MB | `COPY target/app.jar /app/app.jar` |");
    assertThat(rows.get(1)).startsWith("| 1 | 5.8 MB | 33% | 2.0 MB | `RUN apt-get update && apt-get install -y bash curl` |");
    assertThat(rows.get(2)).isEqualTo("| 0 | 2.9 MB | 17% | 1.0 MB |  |");
  }

  @Test
  void render_waivers_tableWithReasonUntilAndOrigin_pipeEscaped() throws IOException {
    String md = render(ReportFixtures.report());

    assertThat(md).contains("#### Waived by policy exceptions");
    List<String> rows = rowsAfter(md, "| Rule | Where | Finding | Reason |");
    assertThat(rows).containsExactly("| `no-shell` | `/bin/sh` | sh is present | "
        + "the entrypoint wrapper needs sh until \\| TICKET-42 is done | 2030-01-31 | `policy.yaml:30` |");
    assertThat(cells(rows.get(0))).hasSize(6);
  }

  @Test
  void render_cleanAndUnreadableImages() throws IOException {
    String md = render(ReportFixtures.report());

    assertThat(md).contains("### ✅ `alpine:3.20` — PASS\n\nlinux/arm64/v8 · 7.8 MB (3.6 MB compressed) · 1 layer · `sha256:")
        .contains("No findings.\n")
        .contains("### ⛔ `docker-archive:/tmp/broken.tar` — ERROR\n\nCould not be read: layer 1: digest mismatch (expected");
  }

  @Test
  void render_hostileTextFromTheImage_staysText() throws IOException {
    // a file name and a message are image content: they must not become table cells, links, images or HTML
    String path = "/srv/a|b\n<img src=x onerror=alert(1)>[x](https://evil)`code`";
    Finding f = new Finding("no-shell", "no-shell", Severity.ERROR, "found " + path, Location.file(path, 0),
        Optional.empty());
    ImageReport image = new ImageReport("app:1", "app:1", Optional.empty(), Optional.empty(), Optional.empty(), 1, 1,
        1, List.of(), List.of(f), Optional.empty(), Verdict.FAIL);

    String md = render(ReportFixtures.report(image));

    List<String> rows = rowsAfter(md, "| Severity | Rule |");
    assertThat(rows).hasSize(1);
    assertThat(cells(rows.get(0))).hasSize(5);
    assertThat(rows.get(0)).contains("`` /srv/a\\|b <img src=x onerror=alert(1)>[x](https://evil)`code` ``")
        .contains("found /srv/a\\|b \\<img src=x onerror=alert(1)\\>\\[x\\](https://evil)\\`code\\`");
  }

  @Test
  void render_manyFindingsAndLayers_cut() throws IOException {
    List<Finding> findings = new ArrayList<>();
    for (int i = 0; i < MarkdownReporter.MAX_FINDINGS + 5; i++) {
      findings.add(new Finding("no-shell", "no-shell", Severity.ERROR, "x", Location.file("/f" + i, 0), Optional.empty()));
    }
    List<LayerFacts> layers = new ArrayList<>();
    for (int i = 0; i < 13; i++) {
      layers.add(ReportFixtures.layer(i, true, "RUN step " + i));
    }
    ImageReport image = new ImageReport("big:1", "big:1", Optional.empty(), Optional.empty(), Optional.empty(), 1, 1,
        1, layers, findings, Optional.empty(), Verdict.FAIL);

    String md = render(ReportFixtures.report(image));

    assertThat(rowsAfter(md, "| Severity | Rule |")).hasSize(MarkdownReporter.MAX_FINDINGS);
    assertThat(md).contains("…and 5 more findings; the JSON and SARIF reports list them all.");
    assertThat(rowsAfter(md, "| Layer | Size |")).hasSize(MarkdownReporter.MAX_LAYERS);
    assertThat(md).contains("…and 3 smaller layers, 17.4 MB together.");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '~', value = {
      "plain text ~ plain text",
      "a|b ~ a\\|b",
      "*bold* _it_ ~ \\*bold\\* \\_it\\_",
      "<b>x</b> ~ \\<b\\>x\\</b\\>",
  })
  void escape_cellText(String text, String escaped) {
    assertThat(MarkdownReporter.escape(text)).isEqualTo(escaped);
  }

  @Test
  void escape_lineBreaks_becomeSpaces() {
    assertThat(MarkdownReporter.escape("two\nlines\r\nhere")).isEqualTo("two lines here");
    assertThat(MarkdownReporter.code("a\nb")).isEqualTo("`a b`");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '~', value = {
      "/bin/sh ~ `/bin/sh`",
      "a`b ~ ``a`b``",
      "`x` ~ `` `x` ``",
      "a|b ~ `a\\|b`",
  })
  void code_fencedLiterally(String text, String span) {
    assertThat(MarkdownReporter.code(text)).isEqualTo(span);
  }

  @Test
  void render_expiredAndStaleExceptions_listedLast() throws IOException {
    String md = render(ReportFixtures.waivedReport());

    assertThat(md).contains("### Policy exceptions to look at");
    assertThat(rowsAfter(md, "| Status | Exception |")).containsExactly(
        "| ⏰ expired | `policy.yaml:38` | `non-root` | exception for non-root (policy.yaml:38) expired after 2025-01-31: "
            + "the finding it matches counts again; fix it or renew the exception (reason: migration to USER 10001) |",
        "| 💤 stale | `policy.yaml:42` | `size-*` | exception for size-\\* (policy.yaml:42) matched no finding in this run; "
            + "remove it if it is no longer needed |");
  }

  @Test
  void render_fixtureReport_matchesGoldenFile() throws IOException {
    Golden.assertMatches(render(ReportFixtures.report()), "fixture-report.md");
  }

  @Test
  void format_isMarkdown() {
    assertThat(new MarkdownReporter().format()).isEqualTo("markdown");
  }
}
