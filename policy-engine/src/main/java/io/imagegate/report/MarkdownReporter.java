package io.imagegate.report;

import io.imagegate.facts.LayerFacts;
import io.imagegate.policy.ByteSize;
import io.imagegate.policy.Severity;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes GitHub-flavoured Markdown for {@code $GITHUB_STEP_SUMMARY} and pull-request comments: a
 * verdict line with the counts, then per image its verdict, size and platform, a table of its
 * findings (severity, rule, where in the image, the finding, the Dockerfile line), its layers by
 * size with the build step that made each (the largest contributors first), and the findings
 * policy exceptions waive, with their reasons; last, the expired and stale exceptions.
 *
 * <p>Text from the image or the policy is escaped for table cells ({@code |} and line breaks) and
 * for Markdown and HTML (so a file name can't become a link, an image or a tag in a PR comment).
 * Plain headings and tables only, no HTML, so it also reads well in a terminal preview. Tables are
 * cut at {@value #MAX_FINDINGS} findings and {@value #MAX_LAYERS} layers per image to stay well
 * under GitHub's 1 MiB step-summary limit; the JSON and SARIF reports have everything.
 */
public final class MarkdownReporter implements Reporter {
  static final int MAX_FINDINGS = 100;
  static final int MAX_LAYERS = 10;
  private static final int MAX_CELL = 120;

  @Override
  public String format() {
    return "markdown";
  }

  @Override
  public void write(Report report, OutputStream out) throws IOException {
    out.write(render(report).getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /** The whole document, lines ending in {@code \n}. */
  public String render(Report report) {
    StringBuilder sb = new StringBuilder();
    ReportCounts counts = ReportCounts.of(report);
    sb.append("## ").append(icon(report.verdict())).append(" imagegate: ").append(report.verdict().name())
        .append(" — ").append(escape(headline(counts))).append("\n\n");
    sb.append(escape(TextReporter.findings(counts))).append(" · policy ").append(code(report.policyName()))
        .append(" · fail on ").append(code(report.failOn().label())).append(" · imagegate ")
        .append(escape(report.toolVersion())).append("\n");
    for (ImageReport image : report.images()) {
      sb.append('\n');
      image(sb, report, image);
    }
    notices(sb, report);
    return sb.toString();
  }

  /** Expired and stale policy exceptions: what to renew or remove. */
  private static void notices(StringBuilder sb, Report report) {
    List<WaiverSummary> notices = report.notices();
    if (notices.isEmpty()) {
      return;
    }
    sb.append("\n### Policy exceptions to look at\n\n| Status | Exception | Rule | What happened |\n| --- | --- | --- | --- |\n");
    for (WaiverSummary n : notices) {
      sb.append("| ").append(n.status() == WaiverSummary.Status.EXPIRED ? "⏰ expired" : "💤 stale").append(" | ")
          .append(code(n.origin())).append(" | ").append(code(n.rule())).append(" | ")
          .append(escape(n.message())).append(" |\n");
    }
  }

  /** E.g. {@code 1 of 3 images violates the policy}. */
  private static String headline(ReportCounts c) {
    int total = c.images();
    String images = total == 1 ? "image" : "images";
    List<String> parts = new ArrayList<>();
    if (c.unreadable() > 0) {
      parts.add(c.unreadable() + " of " + total + " " + images + " could not be read");
    }
    if (c.failed() > 0) {
      parts.add(c.failed() + " of " + total + " " + images + (c.failed() == 1 ? " violates" : " violate") + " the policy");
    }
    if (parts.isEmpty()) {
      parts.add(total == 0 ? "no images were checked" : (total == 1 ? "the image meets" : "all " + total + " images meet")
          + " the policy");
    }
    return String.join("; ", parts);
  }

  private void image(StringBuilder sb, Report report, ImageReport image) {
    sb.append("### ").append(icon(image.verdict())).append(' ').append(code(image.name())).append(" — ")
        .append(image.verdict().name()).append("\n\n");
    if (image.error().isPresent()) {
      sb.append("Could not be read: ").append(escape(oneLine(image.error().get()))).append("\n");
      return;
    }
    List<String> facts = new ArrayList<>();
    image.platform().ifPresent(p -> facts.add(escape(p.toString())));
    facts.add(ByteSize.format(image.uncompressedSize()) + " (" + ByteSize.format(image.compressedSize()) + " compressed)");
    facts.add(image.layers().size() + (image.layers().size() == 1 ? " layer" : " layers"));
    image.manifestDigest().ifPresent(d -> facts.add(code(d.toString())));
    sb.append(String.join(" · ", facts)).append("\n\n");

    List<Finding> open = image.findings().stream().filter(f -> !f.suppressed()).toList();
    if (open.isEmpty()) {
      sb.append("No findings").append(image.suppressedCount() > 0 ? " (" + image.suppressedCount() + " waived, below)" : "").append(".\n");
    } else {
      sb.append("| Severity | Rule | Where | Finding | Dockerfile |\n| --- | --- | --- | --- | --- |\n");
      List<Finding> ordered = byRule(report, open);
      for (Finding f : ordered.subList(0, Math.min(MAX_FINDINGS, ordered.size()))) {
        sb.append("| ").append(severity(f.severity())).append(" | ").append(code(f.ruleId())).append(" | ")
            .append(code(f.location().describe())).append(" | ").append(escape(cell(f.message()))).append(" | ")
            .append(source(f)).append(" |\n");
      }
      if (ordered.size() > MAX_FINDINGS) {
        sb.append("\n…and ").append(ordered.size() - MAX_FINDINGS)
            .append(" more findings; the JSON and SARIF reports list them all.\n");
      }
    }
    layers(sb, image);
    waivers(sb, report, image);
  }

  /** The Dockerfile line, else the layer and its build step, else nothing. */
  private static String source(Finding f) {
    if (f.source().isPresent()) {
      Finding.SourceLine l = f.source().get();
      return code(l.file() + ":" + l.line()) + " " + code(BuildSteps.abbreviate(l.instruction(), 80))
          + (l.note().isBlank() ? "" : " (uncertain: " + escape(cell(l.note())) + ")");
    }
    if (f.layer().isPresent()) {
      Finding.LayerRef l = f.layer().get();
      return "layer " + l.index() + (l.createdBy().isBlank() ? "" : " " + code(BuildSteps.readable(l.createdBy(), 80)));
    }
    return "";
  }

  private static void layers(StringBuilder sb, ImageReport image) {
    if (image.layers().isEmpty()) {
      return;
    }
    long total = Math.max(1, image.layers().stream().mapToLong(LayerFacts::contentSize).sum());
    List<LayerFacts> largest = image.layers().stream()
        .sorted(Comparator.comparingLong(LayerFacts::contentSize).reversed().thenComparingInt(LayerFacts::index))
        .toList();
    sb.append("\n#### Layers, largest first\n\n");
    sb.append("| Layer | Size | Share | Compressed | Created by |\n| ---: | ---: | ---: | ---: | --- |\n");
    for (LayerFacts l : largest.subList(0, Math.min(MAX_LAYERS, largest.size()))) {
      sb.append("| ").append(l.index()).append(" | ").append(ByteSize.format(l.contentSize())).append(" | ")
          .append(String.format(Locale.ROOT, "%.0f%%", 100.0 * l.contentSize() / total)).append(" | ")
          .append(ByteSize.format(l.compressedSize())).append(" | ")
          .append(l.createdBy().isBlank() ? "" : code(BuildSteps.readable(l.createdBy(), 100)))
          .append(l.wastedBytes() > 0 ? " (" + ByteSize.format(l.wastedBytes()) + " overwritten or deleted later)" : "")
          .append(" |\n");
    }
    if (largest.size() > MAX_LAYERS) {
      long rest = largest.subList(MAX_LAYERS, largest.size()).stream().mapToLong(LayerFacts::contentSize).sum();
      sb.append("\n…and ").append(largest.size() - MAX_LAYERS).append(" smaller layers, ")
          .append(ByteSize.format(rest)).append(" together.\n");
    }
  }

  private static void waivers(StringBuilder sb, Report report, ImageReport image) {
    List<Finding> waived = byRule(report, image.findings().stream().filter(Finding::suppressed).toList());
    if (waived.isEmpty()) {
      return;
    }
    sb.append("\n#### Waived by policy exceptions\n\n");
    sb.append("| Rule | Where | Finding | Reason | Until | Exception |\n| --- | --- | --- | --- | --- | --- |\n");
    for (Finding f : waived.subList(0, Math.min(MAX_FINDINGS, waived.size()))) {
      Finding.Suppression w = f.suppression().orElseThrow();
      sb.append("| ").append(code(f.ruleId())).append(" | ").append(code(f.location().describe())).append(" | ")
          .append(escape(cell(f.message()))).append(" | ").append(escape(cell(w.reason()))).append(" | ")
          .append(w.until().map(Object::toString).orElse("")).append(" | ")
          .append(w.origin().isBlank() ? "" : code(w.origin())).append(" |\n");
    }
    if (waived.size() > MAX_FINDINGS) {
      sb.append("\n…and ").append(waived.size() - MAX_FINDINGS).append(" more.\n");
    }
  }

  /** In policy rule order, each rule's in the order they came. */
  private static List<Finding> byRule(Report report, List<Finding> findings) {
    Map<String, List<Finding>> groups = new LinkedHashMap<>();
    for (RuleSummary rule : report.rules()) {
      groups.putIfAbsent(rule.id(), new ArrayList<>());
    }
    for (Finding f : findings) {
      groups.computeIfAbsent(f.ruleId(), id -> new ArrayList<>()).add(f);
    }
    List<Finding> out = new ArrayList<>();
    groups.values().forEach(out::addAll);
    return out;
  }

  private static String icon(Verdict v) {
    return switch (v) {
      case PASS -> "✅";
      case FAIL -> "❌";
      case ERROR -> "⛔";
    };
  }

  private static String severity(Severity s) {
    return switch (s) {
      case ERROR -> "🔴 error";
      case WARNING -> "🟠 warning";
      case NOTE -> "🔵 note";
    };
  }

  /** One line, cut to a table cell's length. */
  private static String cell(String text) {
    return BuildSteps.abbreviate(oneLine(text), MAX_CELL);
  }

  private static String oneLine(String text) {
    return TextReporter.clean(text).replaceAll("\\s+", " ").strip();
  }

  /**
   * Text that renders as itself: the characters that make emphasis, code, links, images, HTML,
   * entities and strikethrough anywhere in a line are backslash-escaped (GFM allows that for any
   * ASCII punctuation), which also covers {@code |} in tables. Parentheses and {@code !} need no
   * escape once {@code [} has one, and line-start markers can't occur inside a line.
   */
  static String escape(String text) {
    String t = oneLine(text);
    StringBuilder sb = new StringBuilder(t.length());
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      if ("\\`*_[]<>|~&".indexOf(c) >= 0) {
        sb.append('\\');
      }
      sb.append(c);
    }
    return sb.toString();
  }

  /**
   * A code span that holds {@code text} literally: fenced with more backticks than any run inside,
   * padded when it starts or ends with one, its {@code |} escaped (GFM splits table cells first).
   */
  static String code(String text) {
    String t = oneLine(text);
    if (t.isEmpty()) {
      return "";
    }
    int longest = 0;
    int run = 0;
    for (int i = 0; i < t.length(); i++) {
      run = t.charAt(i) == '`' ? run + 1 : 0;
      longest = Math.max(longest, run);
    }
    String fence = "`".repeat(longest + 1);
    String pad = t.startsWith("`") || t.endsWith("`") ? " " : "";
    return fence + pad + t.replace("|", "\\|") + pad + fence;
  }
}
