package io.imagegate.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.jcup.sarif_2_1_0.model.ArtifactContent;
import de.jcup.sarif_2_1_0.model.ArtifactLocation;
import de.jcup.sarif_2_1_0.model.Invocation;
import de.jcup.sarif_2_1_0.model.LogicalLocation;
import de.jcup.sarif_2_1_0.model.Message;
import de.jcup.sarif_2_1_0.model.MultiformatMessageString;
import de.jcup.sarif_2_1_0.model.Notification;
import de.jcup.sarif_2_1_0.model.PartialFingerprints;
import de.jcup.sarif_2_1_0.model.PhysicalLocation;
import de.jcup.sarif_2_1_0.model.PropertyBag;
import de.jcup.sarif_2_1_0.model.Region;
import de.jcup.sarif_2_1_0.model.ReportingConfiguration;
import de.jcup.sarif_2_1_0.model.ReportingDescriptor;
import de.jcup.sarif_2_1_0.model.Result;
import de.jcup.sarif_2_1_0.model.Run;
import de.jcup.sarif_2_1_0.model.RunAutomationDetails;
import de.jcup.sarif_2_1_0.model.SarifSchema210;
import de.jcup.sarif_2_1_0.model.Suppression;
import de.jcup.sarif_2_1_0.model.Tool;
import de.jcup.sarif_2_1_0.model.ToolComponent;
import io.imagegate.image.Digest;
import io.imagegate.policy.Location;
import io.imagegate.policy.Severity;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes SARIF 2.1.0 as GitHub code scanning accepts it: one run per image, each with the
 * policy's rules as {@code tool.driver.rules}, one result per finding, and for an image that
 * could not be read, a failed invocation instead of results.
 *
 * <p><b>Locations.</b> GitHub needs a physical location on every result. A finding mapped to the
 * Dockerfile ({@link Finding#source()}) points at that file (as given, repository-relative) and
 * line, with the instruction as the region's snippet. Any other finding points at line 1 of a
 * stable, repository-relative pseudo-file {@code image/<sanitised name>}. Either way
 * {@code logicalLocations} name the image, the layer and the path or config field.
 *
 * <p><b>Identity across runs.</b> {@code partialFingerprints} hash the rule, the image's
 * repository (the name without tag or digest, see {@link #imageKey}), the location inside the
 * image (path, config field, or the image) and, for findings that would otherwise share that key,
 * their order — never the Dockerfile line or the message, so an edit elsewhere in the Dockerfile,
 * a new tag or a reworded message doesn't turn an alert into a new one. {@code automationDetails.id}
 * is {@code imagegate/<repository>/} (the full name when two images of one report share a
 * repository), so each image is its own GitHub analysis category and keeps it from tag to tag.
 *
 * <p><b>GitHub's limits</b> (docs: "SARIF support for code scanning"): at most
 * {@value #MAX_RUNS_PER_FILE} runs per file — a report of more images is split over several files,
 * {@code gate.sarif}, {@code gate-2.sarif}, … ({@link #documents}); at most
 * {@value #MAX_RESULTS_PER_RUN} results and rules per run — a run that would exceed them can't be
 * split (every file of one category replaces the previous one), so writing fails with a
 * {@link ReportLimitException} that says so; at most {@value #MAX_TAGS_PER_RULE} tags per rule —
 * extra tags are dropped; one location per result, always.
 *
 * <p>A finding a policy exception waives is still a result, with a {@code suppressions} entry
 * ({@code kind: external}, {@code status: accepted}, the reason as {@code justification}, and the
 * exception's line in the policy file as its location), so consumers that honour suppressions
 * show it as accepted rather than open. Expired and stale exceptions are <em>results</em> too,
 * under the reserved rules {@code imagegate/exception-expired} (level warning) and
 * {@code imagegate/exception-stale} (level note), located at the exception's line in the policy
 * file: GitHub turns results into alerts and pull-request annotations on that line, whereas it
 * does not show {@code toolExecutionNotifications} beside the code. They appear in every image's
 * run, because GitHub keeps alerts per run category (one per image here) and closes an alert
 * only when a later analysis of the same category lacks it.
 *
 * <p>The document is built with the {@code de.jcup.sarif_2_1_0} model, then serialised to a tree
 * and patched: that model's classes are annotated {@code @JsonInclude(NON_DEFAULT)}, so any value
 * equal to a freshly constructed object's is dropped — an empty {@code results} array (which
 * GitHub then rejects: an absent {@code results} means "not analysed", not "no findings") and a
 * {@code defaultConfiguration.level} of {@code warning}. The tree is patched to restore both.
 */
public final class SarifReporter implements Reporter {
  /** The {@code $schema} GitHub's documentation uses. */
  public static final String SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json";
  /** The {@code partialFingerprints} key; bump its version if the hashed inputs ever change. */
  public static final String FINGERPRINT_KEY = "imagegate/v2";
  /** GitHub code scanning: runs per SARIF file. */
  public static final int MAX_RUNS_PER_FILE = 20;
  /** GitHub code scanning: results per run (and rules per run). */
  public static final int MAX_RESULTS_PER_RUN = 25_000;
  /** GitHub code scanning: tags per rule. */
  public static final int MAX_TAGS_PER_RULE = 20;
  /** Longest snippet put in a region. */
  private static final int MAX_SNIPPET = 500;

  private static final String TOOL_NAME = "imagegate";
  /** The suffix the gate gives each platform of a multi-platform image: {@code " (linux/arm64)"}. */
  private static final Pattern PLATFORM_SUFFIX = Pattern.compile(" \\([^()]+\\)$");

  /** Run members the model writes after {@code results}; an empty array goes before the first of them. */
  private static final List<String> AFTER_RESULTS = List.of("automationDetails", "runAggregates", "baselineGuid",
      "redactionTokens", "defaultEncoding", "defaultSourceLanguage", "newlineSequences", "columnKind",
      "externalPropertyFileReferences", "threadFlowLocations", "taxonomies", "addresses", "translations", "policies",
      "webRequests", "webResponses", "specialLocations", "properties");

  /** Built once: a mapper is thread-safe once configured and costly to build. */
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      // the model's own class-level NON_DEFAULT wins for its types; this covers everything else
      .defaultPropertyInclusion(
          JsonInclude.Value.construct(JsonInclude.Include.NON_EMPTY, JsonInclude.Include.NON_NULL))
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
      .build();

  private final ObjectMapper mapper = MAPPER;
  private final java.nio.file.Path repositoryRoot;

  /** A reporter that names policy files relative to the working directory. */
  public SarifReporter() {
    this(java.nio.file.Path.of("").toAbsolutePath());
  }

  /**
   * A reporter that names policy files relative to {@code repositoryRoot} (GitHub resolves a
   * result's artifact URIs against the repository: in CI, the checkout).
   */
  public SarifReporter(java.nio.file.Path repositoryRoot) {
    this.repositoryRoot = repositoryRoot.toAbsolutePath().normalize();
  }

  @Override
  public String format() {
    return "sarif";
  }

  /**
   * Writes the report as one SARIF document.
   *
   * @throws ReportLimitException when GitHub would reject it: more than {@value #MAX_RUNS_PER_FILE}
   *     images (write to a file instead, which {@link #files} splits), or a run beyond the per-run limits
   */
  @Override
  public void write(Report report, OutputStream out) throws IOException {
    List<ObjectNode> documents = documents(report);
    if (documents.size() > 1) {
      throw new ReportLimitException("SARIF: " + report.images().size() + " images make " + report.images().size()
          + " runs, and GitHub code scanning accepts at most " + MAX_RUNS_PER_FILE + " runs per file; write SARIF to a"
          + " file (--report sarif=PATH or -o PATH), which is split into " + documents.size() + " files");
    }
    write(documents.get(0), out);
  }

  @Override
  public int files(Report report) {
    return Math.max(1, (report.images().size() + MAX_RUNS_PER_FILE - 1) / MAX_RUNS_PER_FILE);
  }

  @Override
  public void write(Report report, int file, OutputStream out) throws IOException {
    write(documents(report).get(file), out);
  }

  private void write(ObjectNode document, OutputStream out) throws IOException {
    mapper.writeValue(out, document);
    out.write('\n');
    out.flush();
  }

  /**
   * The report as SARIF documents of at most {@value #MAX_RUNS_PER_FILE} runs each (one when there
   * are no images: a file with no runs is valid and tells GitHub nothing was analysed).
   *
   * @throws ReportLimitException when a run has more results or rules than GitHub accepts
   */
  public List<ObjectNode> documents(Report report) {
    ObjectNode all = toTree(report);
    ArrayNode runs = (ArrayNode) all.get("runs");
    for (int i = 0; i < runs.size(); i++) {
      JsonNode run = runs.get(i);
      String image = run.path("properties").path("image").asText();
      if (run.path("results").size() > MAX_RESULTS_PER_RUN) {
        throw new ReportLimitException("SARIF: " + image + " has " + run.path("results").size()
            + " findings, and GitHub code scanning accepts at most " + MAX_RESULTS_PER_RUN + " results per run;"
            + " narrow the policy (e.g. fewer forbidden-files paths) or use the JSON report");
      }
      if (run.path("tool").path("driver").path("rules").size() > MAX_RESULTS_PER_RUN) {
        throw new ReportLimitException("SARIF: the policy has more than " + MAX_RESULTS_PER_RUN
            + " rules, more than GitHub code scanning accepts per run");
      }
    }
    List<ObjectNode> out = new ArrayList<>();
    for (int from = 0; from < Math.max(1, runs.size()); from += MAX_RUNS_PER_FILE) {
      ObjectNode doc = all.deepCopy();
      ArrayNode part = doc.putArray("runs");
      for (int i = from; i < Math.min(runs.size(), from + MAX_RUNS_PER_FILE); i++) {
        part.add(runs.get(i).deepCopy());
      }
      out.add(doc);
    }
    return out;
  }

  /** The SARIF log as one JSON tree (all runs), ready to write. */
  public ObjectNode toTree(Report report) {
    ObjectNode tree = mapper.valueToTree(toModel(report));
    fixUp(tree, report);
    return tree;
  }

  /** The SARIF log in the model's terms, before the tree is patched. */
  SarifSchema210 toModel(Report report) {
    SarifSchema210 log = new SarifSchema210();
    log.set$schema(URI.create(SCHEMA_URI));
    log.setVersion(SarifSchema210.Version._2_1_0);
    List<Run> runs = new ArrayList<>();
    List<String> categories = categories(report);
    for (int i = 0; i < report.images().size(); i++) {
      runs.add(run(report, report.images().get(i), categories.get(i)));
    }
    log.setRuns(runs);
    return log;
  }

  /**
   * Each image's analysis category key: its repository ({@link #imageKey}), or its full name when
   * another image of the report has the same repository, made unique if names repeat too.
   */
  static List<String> categories(Report report) {
    Map<String, Integer> perKey = new HashMap<>();
    for (ImageReport i : report.images()) {
      perKey.merge(imageKey(i.name()), 1, Integer::sum);
    }
    List<String> out = new ArrayList<>();
    Set<String> used = new HashSet<>();
    for (ImageReport i : report.images()) {
      String key = perKey.get(imageKey(i.name())) > 1 ? i.name() : imageKey(i.name());
      String unique = key;
      for (int n = 2; !used.add(unique); n++) {
        unique = key + "#" + n;
      }
      out.add(unique);
    }
    return out;
  }

  /**
   * What stays the same from one build of an image to the next: the name without its tag or digest
   * ({@code ghcr.io/org/app:1.2} → {@code ghcr.io/org/app}), keeping a platform suffix
   * ({@code app (linux/arm64)}). Names of files ({@code docker-archive:}, {@code oci:}, paths) are
   * kept whole: their colons are not tags.
   */
  static String imageKey(String name) {
    String base = name;
    String suffix = "";
    Matcher platform = PLATFORM_SUFFIX.matcher(name);
    if (platform.find()) {
      base = name.substring(0, platform.start());
      suffix = name.substring(platform.start());
    }
    if (base.startsWith("docker-archive:") || base.startsWith("oci:") || base.startsWith("oci-archive:")
        || base.startsWith("/") || base.startsWith(".") || base.endsWith(".tar")) {
      return name;
    }
    String transport = "";
    for (String t : List.of("docker://", "docker-daemon:")) {
      if (base.startsWith(t)) {
        transport = t;
        base = base.substring(t.length());
      }
    }
    int at = base.indexOf('@');
    if (at > 0) {
      base = base.substring(0, at);
    }
    int colon = base.lastIndexOf(':');
    if (colon > base.lastIndexOf('/')) { // a tag, not a registry's port
      base = base.substring(0, colon);
    }
    base = transport + base;
    return base + suffix;
  }

  private Run run(Report report, ImageReport image, String category) {
    Run run = new Run();
    run.setTool(tool(report));
    Map<String, Integer> ruleIndex = ruleIndex(report);

    Invocation invocation = new Invocation();
    invocation.setExecutionSuccessful(image.error().isEmpty());
    image.error().ifPresent(error -> {
      Notification n = new Notification();
      n.setLevel(Notification.Level.ERROR);
      n.setMessage(message(error.startsWith(image.name()) ? error : image.name() + ": " + error));
      invocation.setToolExecutionNotifications(List.of(n));
    });
    run.setInvocations(List.of(invocation));

    List<Result> results = new ArrayList<>();
    Map<String, Integer> occurrences = new HashMap<>();
    String key = imageKey(image.name());
    for (Finding f : image.findings()) {
      String identity = f.ruleId() + "\n" + f.location().describe();
      int occurrence = occurrences.merge(identity, 1, Integer::sum);
      results.add(result(image, f, ruleIndex, fingerprint(f.ruleId(), key, f.location(), occurrence)));
    }
    for (WaiverSummary notice : report.notices()) {
      results.add(noticeResult(notice, ruleIndex));
    }
    run.setResults(results);

    RunAutomationDetails automation = new RunAutomationDetails();
    // GitHub reads the part before the last '/' as the analysis category: one per image, stable across tags
    automation.setId(TOOL_NAME + "/" + category + "/");
    run.setAutomationDetails(automation);

    PropertyBag props = new PropertyBag();
    props.setAdditionalProperty("image", image.name());
    props.setAdditionalProperty("imageReference", image.reference());
    image.manifestDigest().ifPresent(d -> props.setAdditionalProperty("manifestDigest", d.toString()));
    image.configDigest().ifPresent(d -> props.setAdditionalProperty("configDigest", d.toString()));
    image.platform().ifPresent(p -> props.setAdditionalProperty("platform", p.toString()));
    if (image.error().isEmpty()) {
      // an unreadable image has no sizes, not sizes of 0
      props.setAdditionalProperty("compressedSize", image.compressedSize());
      props.setAdditionalProperty("uncompressedSize", image.uncompressedSize());
      props.setAdditionalProperty("layers", image.layers().size());
    }
    image.findings().stream().flatMap(f -> f.source().stream()).findFirst()
        .ifPresent(s -> props.setAdditionalProperty("dockerfile", s.file()));
    props.setAdditionalProperty("verdict", label(image.verdict()));
    run.setProperties(props);
    return run;
  }

  private static Tool tool(Report report) {
    ToolComponent driver = new ToolComponent();
    driver.setName(TOOL_NAME);
    driver.setVersion(report.toolVersion());
    LinkedHashSet<ReportingDescriptor> rules = new LinkedHashSet<>();
    for (RuleSummary rule : distinctRules(report)) {
      rules.add(descriptor(rule));
    }
    for (Map.Entry<String, Severity> notice : noticeRules(report).entrySet()) {
      rules.add(noticeDescriptor(notice.getKey(), notice.getValue()));
    }
    driver.setRules(rules);
    Tool tool = new Tool();
    tool.setDriver(driver);
    return tool;
  }

  private static ReportingDescriptor descriptor(RuleSummary rule) {
    String title = orElse(rule.documentation().title(), rule.id());
    ReportingDescriptor d = new ReportingDescriptor();
    d.setId(rule.id());
    d.setName(rule.type());
    d.setShortDescription(text(title));
    d.setFullDescription(text(orElse(rule.documentation().description(), title)));
    MultiformatMessageString help = new MultiformatMessageString();
    String helpText = orElse(rule.help(), title);
    help.setText(helpText);
    String description = rule.documentation().description();
    help.setMarkdown("**How to fix:** " + helpText
        + (description == null || description.isBlank() ? "" : "\n\n" + description)
        + "\n\nRule type `" + rule.type() + "`"
        + (rule.origin().isBlank() ? "" : ", defined at `" + rule.origin() + "`") + ".");
    d.setHelp(help);
    ReportingConfiguration config = new ReportingConfiguration();
    config.setLevel(ReportingConfiguration.Level.fromValue(rule.severity().label()));
    d.setDefaultConfiguration(config);
    PropertyBag props = new PropertyBag();
    props.setTags(new LinkedHashSet<>(rule.documentation().tags().stream().limit(MAX_TAGS_PER_RULE).toList()));
    props.setAdditionalProperty("precision", "very-high");
    // GitHub reads a string holding a CVSS-like score: from 9.0 critical, 7.0 high, 4.0 medium, else low
    props.setAdditionalProperty("security-severity", securitySeverity(rule.severity()));
    d.setProperties(props);
    return d;
  }

  private Result result(ImageReport image, Finding f, Map<String, Integer> ruleIndex, String fingerprint) {
    Result r = new Result();
    r.setRuleId(f.ruleId());
    Integer index = ruleIndex.get(f.ruleId());
    if (index != null) {
      r.setRuleIndex(index);
    }
    r.setLevel(Result.Level.fromValue(f.severity().label()));
    r.setMessage(message(messageText(image, f)));

    ArtifactLocation artifact = new ArtifactLocation();
    Region region = new Region();
    if (f.source().isPresent()) {
      Finding.SourceLine line = f.source().get();
      artifact.setUri(repositoryUri(line.file()));
      region.setStartLine(line.line());
      ArtifactContent snippet = new ArtifactContent();
      snippet.setText(BuildSteps.abbreviate(line.instruction(), MAX_SNIPPET));
      region.setSnippet(snippet);
    } else {
      artifact.setUri(artifactUri(image.name()));
      region.setStartLine(1);
    }
    PhysicalLocation physical = new PhysicalLocation();
    physical.setArtifactLocation(artifact);
    physical.setRegion(region);
    de.jcup.sarif_2_1_0.model.Location location = new de.jcup.sarif_2_1_0.model.Location();
    location.setPhysicalLocation(physical);
    location.setLogicalLocations(logicalLocations(image, f));
    r.setLocations(List.of(location));

    PartialFingerprints fingerprints = new PartialFingerprints();
    fingerprints.setAdditionalProperty(FINGERPRINT_KEY, fingerprint);
    r.setPartialFingerprints(fingerprints);

    f.suppression().ifPresent(w -> {
      Suppression suppression = new Suppression();
      suppression.setKind(Suppression.Kind.EXTERNAL);
      suppression.setStatus(Suppression.Status.ACCEPTED);
      suppression.setJustification(w.reason());
      suppression.setLocation(policyLocation(w.origin(), repositoryRoot));
      PropertyBag sp = new PropertyBag();
      sp.setAdditionalProperty("origin", w.origin());
      w.until().ifPresent(d -> sp.setAdditionalProperty("until", d.toString()));
      suppression.setProperties(sp);
      r.setSuppressions(new LinkedHashSet<>(List.of(suppression)));
    });

    PropertyBag props = new PropertyBag();
    f.location().path().ifPresent(p -> props.setAdditionalProperty("path", p));
    f.location().configField().ifPresent(c -> props.setAdditionalProperty("configField", c));
    if (f.layer().isPresent()) {
      Finding.LayerRef layer = f.layer().get();
      props.setAdditionalProperty("layer", layer.index());
      props.setAdditionalProperty("diffId", layer.diffId().toString());
      layer.blobDigest().ifPresent(d -> props.setAdditionalProperty("blobDigest", d.toString()));
      if (!layer.createdBy().isBlank()) {
        props.setAdditionalProperty("createdBy", layer.createdBy());
      }
    } else {
      f.location().layer().ifPresent(i -> props.setAdditionalProperty("layer", i));
    }
    f.source().filter(l -> !l.note().isBlank()).ifPresent(l -> props.setAdditionalProperty("dockerfileNote", l.note()));
    r.setProperties(props);
    return r;
  }

  /** An expired or stale exception, as a result at its line in the policy file. */
  private Result noticeResult(WaiverSummary notice, Map<String, Integer> ruleIndex) {
    String ruleId = notice.noticeRuleId().orElseThrow();
    Result r = new Result();
    r.setRuleId(ruleId);
    Integer index = ruleIndex.get(ruleId);
    if (index != null) {
      r.setRuleIndex(index);
    }
    r.setLevel(Result.Level.fromValue(notice.noticeSeverity().orElseThrow().label()));
    r.setMessage(message(notice.message()));
    r.setLocations(List.of(policyLocation(notice.origin(), repositoryRoot)));
    PartialFingerprints fingerprints = new PartialFingerprints();
    String key = ruleId + "\n" + notice.origin() + "\n" + notice.rule();
    fingerprints.setAdditionalProperty(FINGERPRINT_KEY,
        Digest.sha256Of(key.getBytes(StandardCharsets.UTF_8)).hex());
    r.setPartialFingerprints(fingerprints);
    PropertyBag props = new PropertyBag();
    props.setAdditionalProperty("exceptionRule", notice.rule());
    props.setAdditionalProperty("reason", notice.reason());
    notice.until().ifPresent(d -> props.setAdditionalProperty("until", d.toString()));
    props.setAdditionalProperty("matched", notice.matched());
    r.setProperties(props);
    return r;
  }

  /** The reserved notice rules this report uses, with their levels, in a fixed order. */
  private static Map<String, Severity> noticeRules(Report report) {
    Map<String, Severity> out = new LinkedHashMap<>();
    for (WaiverSummary.Status status : List.of(WaiverSummary.Status.EXPIRED, WaiverSummary.Status.STALE)) {
      report.notices().stream().filter(n -> n.status() == status).findFirst()
          .ifPresent(n -> out.put(n.noticeRuleId().orElseThrow(), n.noticeSeverity().orElseThrow()));
    }
    return out;
  }

  private static ReportingDescriptor noticeDescriptor(String id, Severity severity) {
    boolean expired = id.endsWith("expired");
    String title = expired ? "Policy exception expired" : "Policy exception matched nothing (stale)";
    String full = expired
        ? "A policy exception's until date has passed: it no longer waives anything, so the findings it matched count again."
        : "A policy exception matched no finding in the whole run: the problem it waived is gone, or its rule, images or "
            + "paths are wrong.";
    String helpText = expired
        ? "Fix the findings, or renew the exception with a new until date and a reason that still holds."
        : "Remove the exception from the policy, or correct what it names (see imagegate policy show).";
    ReportingDescriptor d = new ReportingDescriptor();
    d.setId(id);
    d.setName(id.substring(WaiverSummary.NOTICE_PREFIX.length()));
    d.setShortDescription(text(title));
    d.setFullDescription(text(full));
    MultiformatMessageString help = new MultiformatMessageString();
    help.setText(helpText);
    help.setMarkdown(helpText);
    d.setHelp(help);
    ReportingConfiguration config = new ReportingConfiguration();
    config.setLevel(ReportingConfiguration.Level.fromValue(severity.label()));
    d.setDefaultConfiguration(config);
    PropertyBag props = new PropertyBag();
    props.setTags(new LinkedHashSet<>(List.of("policy")));
    props.setAdditionalProperty("precision", "very-high");
    d.setProperties(props);
    return d;
  }

  /**
   * A physical location for {@code file:line} in a policy: a relative path as is (CI runs from
   * the repository root, so GitHub finds the file), an absolute one relative to the working
   * directory ({@code policy/NAME} outside it) — never a scheme-looking URI — and a
   * built-in pack as the pseudo-file {@code policy/<pack>}.
   */
  static de.jcup.sarif_2_1_0.model.Location policyLocation(String origin, java.nio.file.Path repositoryRoot) {
    PolicyOrigin o = PolicyOrigin.parse(origin);
    int line = o.line().orElse(1);
    // GitHub resolves URIs against the repository; a built-in pack, or a file outside the
    // repository, is named under policy/
    String uri = o.inRepository(repositoryRoot).orElseGet(() -> o.builtin()
        ? "policy/" + artifactUri(o.file().substring("builtin:".length())).substring("image/".length())
        : "policy/" + java.nio.file.Path.of(o.file()).getFileName());
    ArtifactLocation artifact = new ArtifactLocation();
    artifact.setUri(uri);
    Region region = new Region();
    region.setStartLine(line);
    PhysicalLocation physical = new PhysicalLocation();
    physical.setArtifactLocation(artifact);
    physical.setRegion(region);
    de.jcup.sarif_2_1_0.model.Location location = new de.jcup.sarif_2_1_0.model.Location();
    location.setPhysicalLocation(physical);
    return location;
  }

  /** The image, the layer that wrote the finding's path (when known), then the path or config field. */
  private static LinkedHashSet<LogicalLocation> logicalLocations(ImageReport image, Finding f) {
    LinkedHashSet<LogicalLocation> out = new LinkedHashSet<>();
    out.add(logical(image.name(), image.name(), "image"));
    if (f.layer().isPresent()) {
      Finding.LayerRef layer = f.layer().get();
      String digest = layer.blobDigest().orElse(layer.diffId()).toString();
      out.add(logical("layer " + layer.index(), digest, "layer"));
    } else if (f.location().layer().isPresent()) {
      int layer = f.location().layer().getAsInt();
      out.add(logical("layer " + layer, image.name() + "#layer/" + layer, "layer"));
    }
    f.location().path().ifPresent(p -> out.add(logical(p, image.name() + "#" + p, "file")));
    f.location().configField().ifPresent(c -> out.add(logical(c, image.name() + "#config/" + c, "configField")));
    return out;
  }

  private static LogicalLocation logical(String name, String fullyQualifiedName, String kind) {
    LogicalLocation l = new LogicalLocation();
    l.setName(name);
    l.setFullyQualifiedName(fullyQualifiedName);
    l.setKind(kind);
    return l;
  }

  /**
   * The finding's message with where it is: GitHub shows only the message and the (pseudo-file)
   * location, so the image, path and build step have to be in the text, e.g.
   * {@code sh is present — /bin/sh in app:1.2, layer 1: RUN apt-get install -y bash}.
   */
  private static String messageText(ImageReport image, Finding f) {
    Location where = f.location();
    boolean wholeImage = where.path().isEmpty() && where.configField().isEmpty() && where.layer().isEmpty();
    StringBuilder sb = new StringBuilder(f.message()).append(" — ");
    if (!wholeImage) {
      sb.append(where.describe()).append(' ');
    }
    sb.append("in ").append(image.name());
    f.layer().ifPresent(l -> {
      sb.append(", layer ").append(l.index());
      if (!l.createdBy().isBlank()) {
        sb.append(": ").append(BuildSteps.readable(l.createdBy(), 120));
      }
    });
    f.source().filter(l -> !l.note().isBlank()).ifPresent(l -> sb.append(" (Dockerfile line uncertain: ").append(l.note()).append(')'));
    return sb.toString();
  }

  /** Applies what the model's NON_DEFAULT serialisation dropped; see the class comment. */
  private static void fixUp(ObjectNode tree, Report report) {
    Map<String, Severity> severities = new LinkedHashMap<>();
    for (RuleSummary rule : distinctRules(report)) {
      severities.put(rule.id(), rule.severity());
    }
    severities.putAll(noticeRules(report));
    ArrayNode runs = tree.withArray("runs");
    for (int i = 0; i < runs.size(); i++) {
      ObjectNode run = (ObjectNode) runs.get(i);
      if (!run.has("results")) {
        runs.set(i, withEmptyResults(run));
      }
      JsonNode rules = runs.get(i).path("tool").path("driver").path("rules");
      for (JsonNode rule : rules) {
        Severity severity = severities.get(rule.path("id").asText());
        if (severity != null) {
          ((ObjectNode) rule).withObject("defaultConfiguration").put("level", severity.label());
        }
      }
    }
  }

  /** A copy of {@code run} with an empty {@code results} array where the model puts a non-empty one. */
  private static ObjectNode withEmptyResults(ObjectNode run) {
    ObjectNode copy = run.objectNode();
    run.properties().forEach(e -> {
      if (!copy.has("results") && AFTER_RESULTS.contains(e.getKey())) {
        copy.putArray("results");
      }
      copy.set(e.getKey(), e.getValue());
    });
    if (!copy.has("results")) {
      copy.putArray("results");
    }
    return copy;
  }

  /** Each rule id once, first definition wins, so {@code ruleIndex} and the rules array agree. */
  private static List<RuleSummary> distinctRules(Report report) {
    Map<String, RuleSummary> byId = new LinkedHashMap<>();
    for (RuleSummary rule : report.rules()) {
      byId.putIfAbsent(rule.id(), rule);
    }
    return List.copyOf(byId.values());
  }

  private static Map<String, Integer> ruleIndex(Report report) {
    Map<String, Integer> index = new LinkedHashMap<>();
    for (RuleSummary rule : distinctRules(report)) {
      index.put(rule.id(), index.size());
    }
    for (String notice : noticeRules(report).keySet()) {
      index.put(notice, index.size());
    }
    return index;
  }

  /**
   * {@code image/<name>} with every character other than {@code [A-Za-z0-9._-]} replaced by
   * {@code _}: one path segment, so a {@code name:tag} can't read as a URI scheme and a name
   * can't climb out of the repository with {@code ..}.
   */
  static String artifactUri(String imageName) {
    StringBuilder sb = new StringBuilder(imageName.length());
    for (int i = 0; i < imageName.length(); i++) {
      char c = imageName.charAt(i);
      boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '.' || c == '_' || c == '-';
      sb.append(plain ? c : '_');
    }
    String segment = sb.toString();
    if (segment.isEmpty() || segment.chars().allMatch(c -> c == '.')) {
      segment = "_" + segment;
    }
    return "image/" + segment;
  }

  /**
   * A stable identity for a finding across runs: sha256 of the rule id, the image key
   * ({@link #imageKey}: no tag or digest), the location inside the image and, from the second
   * finding with the same rule and location on, its occurrence. Not the message, the layer digests
   * (which change on every rebuild) or the Dockerfile line (which moves when the file is edited).
   */
  static String fingerprint(String ruleId, String imageKey, Location location, int occurrence) {
    String key = ruleId + "\n" + imageKey + "\n" + location.describe() + (occurrence > 1 ? "\n#" + occurrence : "");
    return Digest.sha256Of(key.getBytes(StandardCharsets.UTF_8)).hex();
  }

  /**
   * A repository-relative path as a URI reference: {@code /} separators, characters outside RFC
   * 3986's path set percent-encoded, and {@code ./} in front when a {@code :} before the first
   * {@code /} would read as a scheme.
   */
  static String repositoryUri(String path) {
    String p = path.replace('\\', '/');
    while (p.startsWith("./")) {
      p = p.substring(2);
    }
    StringBuilder sb = new StringBuilder();
    for (byte b : p.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || "-._~/!$&'()*+,;=:@".indexOf(c) >= 0;
      if (plain) {
        sb.append(c);
      } else {
        sb.append('%').append(String.format("%02X", b & 0xff));
      }
    }
    String uri = sb.toString();
    int colon = uri.indexOf(':');
    int slash = uri.indexOf('/');
    if (colon >= 0 && (slash < 0 || colon < slash)) {
      uri = "./" + uri;
    }
    return uri;
  }

  private static String securitySeverity(Severity severity) {
    return switch (severity) {
      case ERROR -> "8.0";
      case WARNING -> "5.0";
      case NOTE -> "2.0";
    };
  }

  private static String label(Verdict verdict) {
    return verdict.name().toLowerCase(Locale.ROOT);
  }

  private static Message message(String text) {
    Message m = new Message();
    m.setText(text);
    return m;
  }

  private static MultiformatMessageString text(String text) {
    MultiformatMessageString m = new MultiformatMessageString();
    m.setText(text);
    return m;
  }

  private static String orElse(String text, String fallback) {
    return text == null || text.isBlank() ? fallback : text;
  }
}
