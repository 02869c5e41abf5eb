package io.imagegate.report;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Writes JUnit XML for Jenkins' {@code junit} step and GitLab's {@code artifacts:reports:junit},
 * valid against Jenkins' {@code junit-10.xsd}:
 *
 * <pre>{@code
 * <testsuites name="imagegate" tests="7" failures="2" errors="1" time="1.484">
 *   <testsuite name="app:1.2" tests="4" failures="2" errors="0" skipped="1" time="1.234">
 *     <properties>…image, reference, digest, platform, sizes, verdict, policy…</properties>
 *     <testcase name="no-shell" classname="imagegate.app:1_2">
 *       <failure type="error" message="bash is present">/bin/bash … Dockerfile:7 …</failure>
 *     </testcase>
 *     <testcase name="size-budget" classname="imagegate.app:1_2">
 *       <system-out>warning: 12.0 MB exceeds the budget …</system-out>   (below --fail-on)
 *     </testcase>
 *     <testcase name="no-package-manager" classname="…"><skipped message="waived: …"/></testcase>
 *   </testsuite>
 *   <testsuite name="broken.tar" tests="1" failures="0" errors="1">
 *     <testcase name="read image" classname="…"><error type="unreadable" message="…"/></testcase>
 *   </testsuite>
 * </testsuites>
 * }</pre>
 *
 * <p>One {@code testsuite} per image, one {@code testcase} per rule, a {@code failure} per finding
 * at or above the report's fail threshold (not waived); findings below it go to the testcase's
 * {@code system-out}. A rule whose findings are all waived is {@code skipped} with the reasons.
 * Waived findings of a rule that also fails are listed in {@code system-out} instead, because
 * Jenkins shows a testcase with a {@code skipped} element as skipped even when it has failures.
 * An image that could not be read is a suite with one {@code error}. Times have at most three
 * decimals (the schema's {@code SUREFIRE_TIME}); characters XML 1.0 can't carry become {@code ?}.
 */
public final class JUnitReporter implements Reporter {
  private static final String UNREADABLE_CASE = "read image";

  @Override
  public String format() {
    return "junit";
  }

  @Override
  public void write(Report report, OutputStream out) throws IOException {
    try {
      XMLStreamWriter x = XMLOutputFactory.newFactory().createXMLStreamWriter(out, "UTF-8");
      x.writeStartDocument("UTF-8", "1.0");
      x.writeCharacters("\n");
      x.writeStartElement("testsuites");
      x.writeAttribute("name", "imagegate");
      List<Suite> suites = report.images().stream().map(i -> suite(report, i)).toList();
      x.writeAttribute("tests", String.valueOf(suites.stream().mapToInt(Suite::tests).sum() + report.notices().size()));
      x.writeAttribute("failures", String.valueOf(suites.stream().mapToInt(Suite::failures).sum()));
      x.writeAttribute("errors", String.valueOf(suites.stream().mapToInt(Suite::errors).sum()));
      x.writeAttribute("time", time(report.images().stream().map(ImageReport::elapsed).reduce(Duration.ZERO, Duration::plus)));
      for (Suite s : suites) {
        writeSuite(x, report, s);
      }
      writeNotices(x, report.notices());
      x.writeCharacters("\n");
      x.writeEndElement();
      x.writeCharacters("\n");
      x.writeEndDocument();
      x.flush();
      x.close(); // closes the writer, not the stream
    } catch (XMLStreamException e) {
      throw new IOException("cannot write JUnit XML: " + e.getMessage(), e);
    }
    out.flush();
  }

  /** One image's testcases, decided before writing so the suite's counts come first. */
  private record Suite(ImageReport image, List<Case> cases) {
    int tests() {
      return cases.size();
    }

    int failures() {
      return (int) cases.stream().filter(c -> !c.failures().isEmpty()).count();
    }

    int errors() {
      return (int) cases.stream().filter(c -> c.error() != null).count();
    }

    int skipped() {
      return (int) cases.stream().filter(Case::skipped).count();
    }
  }

  /**
   * @param failures findings at or above the threshold, not waived
   * @param output findings below it, and waived findings of a failing rule
   * @param waived waived findings of a rule that doesn't fail: the case is skipped
   */
  private record Case(String name, List<Finding> failures, List<Finding> output, List<Finding> waived, String error) {
    boolean skipped() {
      return failures.isEmpty() && !waived.isEmpty();
    }
  }

  private static Suite suite(Report report, ImageReport image) {
    if (image.error().isPresent()) {
      return new Suite(image, List.of(new Case(UNREADABLE_CASE, List.of(), List.of(), List.of(), image.error().get())));
    }
    Map<String, List<Finding>> byRule = new LinkedHashMap<>();
    for (RuleSummary rule : report.rules()) {
      byRule.putIfAbsent(rule.id(), new ArrayList<>());
    }
    for (Finding f : image.findings()) {
      byRule.computeIfAbsent(f.ruleId(), id -> new ArrayList<>()).add(f);
    }
    List<Case> cases = new ArrayList<>();
    byRule.forEach((rule, findings) -> {
      List<Finding> failures = new ArrayList<>();
      List<Finding> output = new ArrayList<>();
      List<Finding> waived = new ArrayList<>();
      for (Finding f : findings) {
        if (f.suppressed()) {
          waived.add(f);
        } else if (f.severity().atLeast(report.failOn())) {
          failures.add(f);
        } else {
          output.add(f);
        }
      }
      if (!failures.isEmpty()) {
        output.addAll(waived);
        waived = List.of();
      }
      cases.add(new Case(rule, failures, output, waived, null));
    });
    return new Suite(image, cases);
  }

  private static void writeSuite(XMLStreamWriter x, Report report, Suite suite) throws XMLStreamException {
    ImageReport image = suite.image();
    x.writeCharacters("\n  ");
    x.writeStartElement("testsuite");
    x.writeAttribute("name", attr(image.name()));
    x.writeAttribute("tests", String.valueOf(suite.tests()));
    x.writeAttribute("failures", String.valueOf(suite.failures()));
    x.writeAttribute("errors", String.valueOf(suite.errors()));
    x.writeAttribute("skipped", String.valueOf(suite.skipped()));
    x.writeAttribute("time", time(image.elapsed()));
    x.writeCharacters("\n    ");
    x.writeStartElement("properties");
    Map<String, String> props = new LinkedHashMap<>();
    props.put("image", image.name());
    props.put("reference", image.reference());
    image.manifestDigest().ifPresent(d -> props.put("manifestDigest", d.toString()));
    image.configDigest().ifPresent(d -> props.put("configDigest", d.toString()));
    image.platform().ifPresent(p -> props.put("platform", p.toString()));
    if (image.error().isEmpty()) {
      props.put("compressedSize", String.valueOf(image.compressedSize()));
      props.put("uncompressedSize", String.valueOf(image.uncompressedSize()));
    }
    props.put("verdict", image.verdict().name().toLowerCase(Locale.ROOT));
    props.put("policy", report.policyName());
    props.put("failOn", report.failOn().label());
    props.put("tool", "imagegate " + report.toolVersion());
    for (Map.Entry<String, String> p : props.entrySet()) {
      x.writeCharacters("\n      ");
      x.writeEmptyElement("property");
      x.writeAttribute("name", p.getKey());
      x.writeAttribute("value", attr(p.getValue()));
    }
    x.writeCharacters("\n    ");
    x.writeEndElement();
    String classname = "imagegate." + image.name().replace('.', '_');
    for (Case c : suite.cases()) {
      writeCase(x, classname, c);
    }
    x.writeCharacters("\n  ");
    x.writeEndElement();
  }

  /**
   * Expired and stale policy exceptions, as a suite of skipped cases (one per exception) so Jenkins
   * shows them without failing the build: they don't change the verdict.
   */
  private static void writeNotices(XMLStreamWriter x, List<WaiverSummary> notices) throws XMLStreamException {
    if (notices.isEmpty()) {
      return;
    }
    x.writeCharacters("\n  ");
    x.writeStartElement("testsuite");
    x.writeAttribute("name", "policy exceptions");
    x.writeAttribute("tests", String.valueOf(notices.size()));
    x.writeAttribute("failures", "0");
    x.writeAttribute("errors", "0");
    x.writeAttribute("skipped", String.valueOf(notices.size()));
    x.writeAttribute("time", "0.000");
    for (WaiverSummary n : notices) {
      x.writeCharacters("\n    ");
      x.writeStartElement("testcase");
      x.writeAttribute("name", attr("exception for " + n.rule() + " at " + n.origin()));
      x.writeAttribute("classname", "imagegate.policy-exceptions");
      x.writeCharacters("\n      ");
      x.writeEmptyElement("skipped");
      x.writeAttribute("message", attr(n.status().label() + ": " + n.message()));
      x.writeCharacters("\n    ");
      x.writeEndElement();
    }
    x.writeCharacters("\n  ");
    x.writeEndElement();
  }

  private static void writeCase(XMLStreamWriter x, String classname, Case c) throws XMLStreamException {
    x.writeCharacters("\n    ");
    boolean empty = c.failures().isEmpty() && c.output().isEmpty() && c.waived().isEmpty() && c.error() == null;
    if (empty) {
      x.writeEmptyElement("testcase");
    } else {
      x.writeStartElement("testcase");
    }
    x.writeAttribute("name", attr(c.name()));
    x.writeAttribute("classname", attr(classname));
    if (empty) {
      return;
    }
    if (c.error() != null) {
      x.writeCharacters("\n      ");
      x.writeStartElement("error");
      x.writeAttribute("type", "unreadable");
      x.writeAttribute("message", attr("the image could not be read: " + c.error()));
      x.writeCharacters(text(c.error()));
      x.writeEndElement();
    }
    for (Finding f : c.failures()) {
      x.writeCharacters("\n      ");
      x.writeStartElement("failure");
      x.writeAttribute("type", f.severity().label());
      x.writeAttribute("message", attr(f.message()));
      x.writeCharacters(text(details(f)));
      x.writeEndElement();
    }
    if (c.skipped()) {
      x.writeCharacters("\n      ");
      x.writeStartElement("skipped");
      x.writeAttribute("message", attr("waived: " + String.join("; ", c.waived().stream()
          .map(f -> f.suppression().orElseThrow().reason()).distinct().toList())));
      StringBuilder sb = new StringBuilder();
      c.waived().forEach(f -> sb.append(line(f)).append('\n'));
      x.writeCharacters(text(sb.toString().strip()));
      x.writeEndElement();
    }
    if (!c.output().isEmpty()) {
      x.writeCharacters("\n      ");
      x.writeStartElement("system-out");
      StringBuilder sb = new StringBuilder();
      c.output().forEach(f -> sb.append(line(f)).append('\n'));
      x.writeCharacters(text(sb.toString()));
      x.writeEndElement();
    }
    x.writeCharacters("\n    ");
    x.writeEndElement();
  }

  /** A failure's body: where, which layer and build step, which Dockerfile line. */
  private static String details(Finding f) {
    StringBuilder sb = new StringBuilder();
    sb.append(f.severity().label()).append(": ").append(f.message()).append('\n');
    sb.append("where: ").append(f.location().describe()).append('\n');
    f.layer().ifPresent(l -> sb.append("layer: ").append(l.index())
        .append(l.createdBy().isBlank() ? "" : " (" + BuildSteps.readable(l.createdBy(), 200) + ")").append('\n'));
    f.source().ifPresent(s -> {
      sb.append("dockerfile: ").append(s.file()).append(':').append(s.line()).append("  ").append(s.instruction()).append('\n');
      if (!s.note().isBlank()) {
        sb.append("note: ").append(s.note()).append('\n');
      }
    });
    return sb.toString();
  }

  /** A finding in one line, for system-out and skipped bodies. */
  private static String line(Finding f) {
    StringBuilder sb = new StringBuilder();
    sb.append(f.severity().label()).append(": ").append(f.message()).append(" [").append(f.location().describe()).append(']');
    f.source().ifPresent(s -> sb.append(" at ").append(s.file()).append(':').append(s.line()));
    f.suppression().ifPresent(w -> sb.append(" — waived: ").append(w.reason())
        .append(w.until().map(u -> " (until " + u + ")").orElse("")));
    return sb.toString();
  }

  /** Seconds with at most three decimals, as {@code SUREFIRE_TIME} allows: {@code 1.234}. */
  static String time(Duration d) {
    return String.format(Locale.ROOT, "%.3f", d.toNanos() / 1e9);
  }

  /** Text for an attribute: one line (parsers would fold line breaks anyway), XML-safe. */
  private static String attr(String s) {
    return text(s.replaceAll("[\\r\\n\\t]+", " ").strip());
  }

  /** Characters XML 1.0 can't carry (most C0 controls, unpaired surrogates, U+FFFE/FFFF) as {@code ?}. */
  static String text(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok;
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        sb.append(c).append(s.charAt(++i));
        continue;
      }
      ok = c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD);
      sb.append(ok ? c : '?');
    }
    return sb.toString();
  }

  @Override
  public String toString() {
    return "JUnitReporter";
  }
}
