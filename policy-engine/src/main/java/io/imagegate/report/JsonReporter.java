package io.imagegate.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagegate.facts.LayerFacts;
import io.imagegate.image.Digest;
import io.imagegate.image.Json;
import io.imagegate.policy.Severity;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Locale;
import java.util.Optional;

/**
 * Writes the report as imagegate's own JSON, for scripts ({@code jq}) and dashboards. The shape
 * is a contract, built field by field here rather than by serialising the domain records, so
 * that refactoring the engine can't change it by accident.
 *
 * <h2>Contract, {@code schemaVersion} 1</h2>
 *
 * <p>The JSON Schema of this contract is {@code docs/report-schema.json} in the repository; the
 * tests validate the output against it.
 *
 * <pre>{@code
 * {
 *   "schemaVersion": 1,
 *   "tool": {"name": "imagegate", "version": "0.1.0"},
 *   "policy": "minimal",
 *   "failOn": "error",                          // error | warning | note
 *   "verdict": "fail",                          // pass | fail | error (worst of the images)
 *   "summary": {
 *     "images": 3, "passed": 1, "failed": 1, "unreadable": 1,
 *     "findings": {"error": 2, "warning": 1, "note": 1},   // findings that count (not waived)
 *     "suppressed": 1                                        // findings a policy exception waives
 *   },
 *   "rules": [{
 *     "id": "no-shell", "type": "no-shell", "severity": "error",
 *     "title": "…", "description": "…", "help": "…", "tags": ["security"],
 *     "origin": "policy.yaml:12"
 *   }],
 *   "images": [{
 *     "name": "app:1.2", "reference": "docker-archive:app.tar",
 *     "manifestDigest": "sha256:…", "configDigest": "sha256:…", "platform": "linux/amd64",
 *     "compressedSize": 31457280, "uncompressedSize": 83886080, "files": 1234,   // null when unreadable
 *     "verdict": "fail",                        // pass | fail | error
 *     "error": null,                            // why the image could not be read, when verdict is error
 *     "layers": [{
 *       "index": 0, "diffId": "sha256:…", "blobDigest": "sha256:…",
 *       "compressedSize": 0, "uncompressedSize": 0, "contentSize": 0, "files": 0, "wastedBytes": 0,
 *       "createdBy": "/bin/sh -c apt-get install -y curl"   // the history entry verbatim, or null
 *     }],
 *     "findings": [{
 *       "ruleId": "no-shell", "type": "no-shell", "severity": "error", "message": "…",
 *       "location": "/bin/sh",                  // for people: a path, "config User", "layer 2" or "image"
 *       "path": "/bin/sh",                      // null unless the finding is about a path
 *       "configField": null,                    // e.g. "User", null unless about the config
 *       "layer": {"index": 1, "diffId": "sha256:…", "blobDigest": "sha256:…", "createdBy": "…"}, // or null
 *       "source": {"file": "Dockerfile", "line": 12, "instruction": "RUN apt-get install -y curl",
 *                  "note": null},           // the Dockerfile line (--dockerfile), or null; note: why it is uncertain
 *       "suppression": {"reason": "…", "origin": "policy.yaml:30", "until": "2025-06-30"}  // or null; until may be null
 *     }]
 *   }],
 *   "exceptions": [{                            // the policy's exceptions and what became of each in this run
 *     "rule": "no-shell", "images": ["docker://registry.example.com/team/debug-*"], "paths": [],
 *     "reason": "…", "until": "2025-06-30",     // or null
 *     "origin": "policy.yaml:30",
 *     "status": "active",                       // active | expired | stale
 *     "severity": null,                         // the notice's: "warning" when expired, "note" when stale
 *     "matched": 2,                             // findings it matches in the run (expired: would have waived)
 *     "message": "…"
 *   }]
 * }
 * }</pre>
 *
 * <p>Rules of the contract:
 * <ul>
 *   <li>Within one {@code schemaVersion}, fields are only ever added, never renamed, removed or
 *       retyped; consumers must ignore fields they don't know. Anything else bumps the version.
 *   <li>Every field listed is always present; a value that is not known is {@code null}, never
 *       left out. Lists are empty, never {@code null}.
 *   <li>Sizes are bytes; digests are {@code algorithm:hex}; layer indexes count from 0 in the
 *       image's layer order; enumerations are lower case.
 *   <li>Images, layers, findings and rules keep the order of the report (findings in policy rule
 *       order per image, as the engine produced them).
 * </ul>
 */
public final class JsonReporter implements Reporter {
  /** The contract version written as {@code schemaVersion}. */
  public static final int SCHEMA_VERSION = 1;

  /** The readers' shared mapper, writing indented and leaving the stream open: no mapper of its own to build. */
  private static final ObjectWriter WRITER = Json.MAPPER.writer()
      .with(SerializationFeature.INDENT_OUTPUT)
      .without(JsonGenerator.Feature.AUTO_CLOSE_TARGET);

  private final ObjectMapper mapper = Json.MAPPER;

  @Override
  public String format() {
    return "json";
  }

  @Override
  public void write(Report report, OutputStream out) throws IOException {
    WRITER.writeValue(out, toTree(report));
    out.write('\n');
    out.flush();
  }

  /** The report as the contract's JSON tree. */
  public ObjectNode toTree(Report report) {
    ObjectNode root = mapper.createObjectNode();
    root.put("schemaVersion", SCHEMA_VERSION);
    ObjectNode tool = root.putObject("tool");
    tool.put("name", "imagegate");
    tool.put("version", report.toolVersion());
    root.put("policy", report.policyName());
    root.put("failOn", report.failOn().label());
    root.put("verdict", label(report.verdict()));
    summary(root.putObject("summary"), report);
    ArrayNode rules = root.putArray("rules");
    for (RuleSummary rule : report.rules()) {
      rule(rules.addObject(), rule);
    }
    ArrayNode images = root.putArray("images");
    for (ImageReport image : report.images()) {
      image(images.addObject(), image);
    }
    ArrayNode exceptions = root.putArray("exceptions");
    for (WaiverSummary w : report.exceptions()) {
      exception(exceptions.addObject(), w);
    }
    return root;
  }

  private static void summary(ObjectNode node, Report report) {
    ReportCounts counts = ReportCounts.of(report);
    node.put("images", counts.images());
    node.put("passed", counts.passed());
    node.put("failed", counts.failed());
    node.put("unreadable", counts.unreadable());
    ObjectNode findings = node.putObject("findings");
    for (Severity s : ReportCounts.WORST_FIRST) {
      findings.put(s.label(), counts.findings(s));
    }
    node.put("suppressed", counts.suppressed());
  }

  private static void exception(ObjectNode node, WaiverSummary w) {
    node.put("rule", w.rule());
    w.images().forEach(node.putArray("images")::add);
    w.paths().forEach(node.putArray("paths")::add);
    node.put("reason", w.reason());
    node.put("until", w.until().map(Object::toString).orElse(null));
    node.put("origin", w.origin());
    node.put("status", w.status().label());
    node.put("severity", w.noticeSeverity().map(Severity::label).orElse(null));
    node.put("matched", w.matched());
    node.put("message", w.message());
  }

  private static void rule(ObjectNode node, RuleSummary rule) {
    node.put("id", rule.id());
    node.put("type", rule.type());
    node.put("severity", rule.severity().label());
    node.put("title", rule.documentation().title());
    node.put("description", rule.documentation().description());
    node.put("help", rule.help());
    ArrayNode tags = node.putArray("tags");
    rule.documentation().tags().forEach(tags::add);
    node.put("origin", rule.origin());
  }

  private static void image(ObjectNode node, ImageReport image) {
    node.put("name", image.name());
    node.put("reference", image.reference());
    node.put("manifestDigest", digest(image.manifestDigest()));
    node.put("configDigest", digest(image.configDigest()));
    node.put("platform", image.platform().map(Object::toString).orElse(null));
    if (image.error().isEmpty()) {
      node.put("compressedSize", image.compressedSize());
      node.put("uncompressedSize", image.uncompressedSize());
      node.put("files", image.files());
    } else {
      // an unreadable image has no sizes, not sizes of 0
      node.putNull("compressedSize");
      node.putNull("uncompressedSize");
      node.putNull("files");
    }
    node.put("verdict", label(image.verdict()));
    node.put("error", image.error().orElse(null));
    ArrayNode layers = node.putArray("layers");
    for (LayerFacts layer : image.layers()) {
      layer(layers.addObject(), layer);
    }
    ArrayNode findings = node.putArray("findings");
    for (Finding finding : image.findings()) {
      finding(findings.addObject(), finding);
    }
  }

  private static void layer(ObjectNode node, LayerFacts layer) {
    node.put("index", layer.index());
    node.put("diffId", layer.diffId().toString());
    node.put("blobDigest", digest(layer.blobDigest()));
    node.put("compressedSize", layer.compressedSize());
    node.put("uncompressedSize", layer.uncompressedSize());
    node.put("contentSize", layer.contentSize());
    node.put("files", layer.files());
    node.put("wastedBytes", layer.wastedBytes());
    node.put("createdBy", emptyToNull(layer.createdBy()));
  }

  private static void finding(ObjectNode node, Finding finding) {
    node.put("ruleId", finding.ruleId());
    node.put("type", finding.ruleType());
    node.put("severity", finding.severity().label());
    node.put("message", finding.message());
    node.put("location", finding.location().describe());
    node.put("path", finding.location().path().orElse(null));
    node.put("configField", finding.location().configField().orElse(null));
    if (finding.layer().isPresent()) {
      Finding.LayerRef ref = finding.layer().get();
      ObjectNode layer = node.putObject("layer");
      layer.put("index", ref.index());
      layer.put("diffId", ref.diffId().toString());
      layer.put("blobDigest", digest(ref.blobDigest()));
      layer.put("createdBy", emptyToNull(ref.createdBy()));
    } else if (finding.location().layer().isPresent()) {
      // a location that names a layer the engine did not resolve: the index is all we know
      ObjectNode layer = node.putObject("layer");
      layer.put("index", finding.location().layer().getAsInt());
      layer.putNull("diffId");
      layer.putNull("blobDigest");
      layer.putNull("createdBy");
    } else {
      node.putNull("layer");
    }
    if (finding.source().isPresent()) {
      Finding.SourceLine line = finding.source().get();
      ObjectNode source = node.putObject("source");
      source.put("file", line.file());
      source.put("line", line.line());
      source.put("instruction", line.instruction());
      source.put("note", emptyToNull(line.note()));
    } else {
      node.putNull("source");
    }
    if (finding.suppression().isPresent()) {
      Finding.Suppression s = finding.suppression().get();
      ObjectNode suppression = node.putObject("suppression");
      suppression.put("reason", s.reason());
      suppression.put("origin", s.origin());
      suppression.put("until", s.until().map(Object::toString).orElse(null));
    } else {
      node.putNull("suppression");
    }
  }

  private static String digest(Optional<Digest> digest) {
    return digest.map(Digest::toString).orElse(null);
  }

  private static String emptyToNull(String text) {
    return text == null || text.isEmpty() ? null : text;
  }

  private static String label(Verdict verdict) {
    return verdict.name().toLowerCase(Locale.ROOT);
  }
}
