package io.imagegate.report;

import io.imagegate.policy.ByteSize;
import io.imagegate.policy.Severity;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes the report for people at a terminal or in a CI log: one block per image (verdict, name,
 * platform, size), its findings grouped by rule in policy order under the rule's id, severity and
 * title, each with the Dockerfile line that caused it (or the layer and build step when there is no
 * Dockerfile), waived findings marked as such, and a last line with the overall verdict and the counts:
 *
 * <pre>
 * FAIL   app:1.2  linux/amd64  83.9 MB (31.5 MB compressed)
 *   no-shell · error · No shell in the image
 *     /bin/sh      shell sh is present
 *                  Dockerfile:7  RUN apt-get install -y bash
 *     /bin/dash    shell dash is present  [error waived until 2025-12-31 by policy.yaml:30: needed by the wrapper]
 *   required-user · error · Runs as a non-root user
 *     config User  USER is not set: the container runs as root
 *                  Dockerfile:1  FROM debian:12
 *
 * FAIL: 1 of 1 image violates the policy (2 errors, 1 waived)
 * </pre>
 *
 * <p>A finding a policy exception waives keeps its line, dimmed, with the exception's end date,
 * origin and reason after it; it is counted apart. Expired and stale exceptions are listed under
 * {@code exceptions:} before the last line.
 *
 * <p>Colour (ANSI) is used only when the constructor is told so; the caller decides (a terminal,
 * no {@code NO_COLOR}, not CI). Text that comes from the image — paths, build steps, messages
 * quoting them — is stripped of control characters either way, so an image can't send escape
 * sequences to the reader's terminal.
 */
public final class TextReporter implements Reporter {
  private static final int LOCATION_WIDTH = 32;
  private static final int STEP_WIDTH = 60;
  private static final int INSTRUCTION_WIDTH = 80;

  private static final String RESET = "\u001b[0m";
  private static final String BOLD = "\u001b[1m";
  private static final String DIM = "\u001b[2m";
  private static final String RED = "\u001b[31m";
  private static final String GREEN = "\u001b[32m";
  private static final String YELLOW = "\u001b[33m";
  private static final String MAGENTA = "\u001b[35m";
  private static final String CYAN = "\u001b[36m";

  private final boolean colour;

  /** A reporter without colour. */
  public TextReporter() {
    this(false);
  }

  /** @param colour whether to use ANSI colours */
  public TextReporter(boolean colour) {
    this.colour = colour;
  }

  @Override
  public String format() {
    return "text";
  }

  @Override
  public void write(Report report, OutputStream out) throws IOException {
    Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
    w.write(render(report));
    w.flush();
  }

  /** The whole text, lines ending in {@code \n}. */
  public String render(Report report) {
    StringBuilder sb = new StringBuilder();
    sb.append(paint(DIM, "imagegate " + clean(report.toolVersion()) + " · policy " + clean(report.policyName())
        + " · fail on " + report.failOn().label())).append("\n\n");
    for (ImageReport image : report.images()) {
      image(sb, report, image);
      sb.append('\n');
    }
    List<WaiverSummary> notices = report.notices();
    if (!notices.isEmpty()) {
      sb.append("exceptions:\n");
      for (WaiverSummary n : notices) {
        String status = pad(n.status().label(), 7);
        sb.append("  ").append(n.status() == WaiverSummary.Status.EXPIRED ? paint(YELLOW, status) : paint(CYAN, status))
            .append("  ").append(clean(n.message())).append('\n');
      }
      sb.append('\n');
    }
    sb.append(verdictLine(report)).append('\n');
    return sb.toString();
  }

  private void image(StringBuilder sb, Report report, ImageReport image) {
    sb.append(verdict(image.verdict())).append("  ").append(paint(BOLD, clean(image.name())));
    if (image.error().isPresent()) {
      sb.append('\n').append("  could not be read: ").append(clean(image.error().get())).append('\n');
      return;
    }
    image.platform().ifPresent(p -> sb.append("  ").append(p));
    sb.append("  ").append(ByteSize.format(image.uncompressedSize()))
        .append(" (").append(ByteSize.format(image.compressedSize())).append(" compressed)")
        .append('\n');
    if (image.findings().isEmpty()) {
      sb.append("  no findings\n");
      return;
    }
    int locationWidth = Math.min(LOCATION_WIDTH,
        image.findings().stream().mapToInt(f -> clean(f.location().describe()).length()).max().orElse(0));
    String indent = " ".repeat(4 + locationWidth + 2);
    for (Map.Entry<String, List<Finding>> group : byRule(report, image.findings()).entrySet()) {
      List<Finding> findings = group.getValue();
      Finding first = findings.get(0);
      Optional<RuleSummary> rule = report.rules().stream().filter(r -> r.id().equals(group.getKey())).findFirst();
      sb.append("  ").append(paint(BOLD, clean(group.getKey()))).append(" · ").append(severity(first.severity(), 0));
      rule.map(r -> r.documentation().title()).filter(t -> t != null && !t.isBlank())
          .ifPresent(t -> sb.append(" · ").append(clean(t)));
      sb.append('\n');
      for (Finding f : findings) {
        String row = "    " + pad(clean(f.location().describe()), locationWidth) + "  " + clean(f.message());
        if (f.suppression().isPresent()) {
          Finding.Suppression w = f.suppression().get();
          sb.append(paint(DIM, row + "  [" + f.severity().label() + " waived" + w.until().map(u -> " until " + u).orElse("")
              + (w.origin().isBlank() ? "" : " by " + clean(w.origin())) + ": " + clean(w.reason()) + "]"));
        } else {
          sb.append(row);
        }
        sb.append('\n');
        if (f.source().isPresent()) {
          Finding.SourceLine line = f.source().get();
          sb.append(indent).append(paint(CYAN, clean(line.file()) + ":" + line.line())).append("  ")
              .append(clean(BuildSteps.abbreviate(line.instruction(), INSTRUCTION_WIDTH)));
          if (!line.note().isBlank()) {
            sb.append(paint(DIM, "  (uncertain: " + clean(line.note()) + ")"));
          }
          sb.append('\n');
        } else if (f.layer().isPresent()) {
          Finding.LayerRef l = f.layer().get();
          sb.append(indent).append(paint(DIM, "layer " + l.index()
              + (l.createdBy().isBlank() ? "" : ": " + clean(BuildSteps.readable(l.createdBy(), STEP_WIDTH))))).append('\n');
        }
      }
    }
  }

  /** The findings by rule in policy rule order, each rule's in the order they came; unknown rules last. */
  private static Map<String, List<Finding>> byRule(Report report, List<Finding> findings) {
    Map<String, List<Finding>> groups = new LinkedHashMap<>();
    for (RuleSummary rule : report.rules()) {
      groups.putIfAbsent(rule.id(), new ArrayList<>());
    }
    for (Finding f : findings) {
      groups.computeIfAbsent(f.ruleId(), id -> new ArrayList<>()).add(f);
    }
    groups.values().removeIf(List::isEmpty);
    return groups;
  }

  /** E.g. {@code FAIL: 2 of 3 images violate the policy (5 errors, 1 warning)}. */
  String verdictLine(Report report) {
    ReportCounts counts = ReportCounts.of(report);
    int total = counts.images();
    String images = total == 1 ? "image" : "images";
    List<String> parts = new ArrayList<>();
    if (counts.unreadable() > 0) {
      parts.add(counts.unreadable() + " of " + total + " " + images + " could not be read");
    }
    long failed = counts.failed();
    if (failed > 0) {
      parts.add((counts.unreadable() > 0 ? failed + "" : failed + " of " + total + " " + images)
          + (failed == 1 ? " violates" : " violate") + " the policy");
    }
    if (parts.isEmpty()) {
      parts.add(total == 0 ? "no images were checked"
          : (total == 1 ? "1 image meets" : "all " + total + " images meet") + " the policy");
    }
    return verdict(report.verdict(), 0) + ": " + String.join("; ", parts) + " (" + findings(counts) + ")";
  }

  /** E.g. {@code 5 errors, 1 warning, 2 waived}, or {@code no findings}. */
  static String findings(ReportCounts counts) {
    List<String> parts = new ArrayList<>();
    for (Severity s : ReportCounts.WORST_FIRST) {
      long n = counts.findings(s);
      if (n > 0) {
        parts.add(n + " " + s.label() + (n == 1 ? "" : "s"));
      }
    }
    if (counts.suppressed() > 0) {
      parts.add(counts.suppressed() + " waived");
    }
    return parts.isEmpty() ? "no findings" : String.join(", ", parts);
  }

  private String verdict(Verdict v) {
    return verdict(v, 5);
  }

  private String verdict(Verdict v, int width) {
    String text = pad(v.name(), width);
    return switch (v) {
      case PASS -> paint(BOLD + GREEN, text);
      case FAIL -> paint(BOLD + RED, text);
      case ERROR -> paint(BOLD + MAGENTA, text);
    };
  }

  private String severity(Severity s, int width) {
    String text = pad(s.label(), width);
    return switch (s) {
      case ERROR -> paint(RED, text);
      case WARNING -> paint(YELLOW, text);
      case NOTE -> paint(CYAN, text);
    };
  }

  private String paint(String style, String text) {
    return colour ? style + text + RESET : text;
  }

  private static String pad(String text, int width) {
    return text.length() >= width ? text : text + " ".repeat(width - text.length());
  }

  /**
   * Text safe to print: line breaks and tabs become spaces, other control characters and the
   * Unicode bidirectional overrides (which can make a path read as something else) become {@code ?}.
   */
  static String clean(String text) {
    StringBuilder sb = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\n' || c == '\r' || c == '\t') {
        sb.append(' ');
      } else if (Character.isISOControl(c) || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069')) {
        sb.append('?');
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  @Override
  public String toString() {
    return "TextReporter[colour=" + colour + "]";
  }
}
