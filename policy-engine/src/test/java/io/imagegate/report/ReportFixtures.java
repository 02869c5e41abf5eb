package io.imagegate.report;

import io.imagegate.facts.LayerFacts;
import io.imagegate.image.Digest;
import io.imagegate.image.HistoryEntry;
import io.imagegate.image.Platform;
import io.imagegate.policy.Location;
import io.imagegate.policy.RuleDocumentation;
import io.imagegate.policy.Severity;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * Reports built by hand for the reporter tests: a failing image with findings of every severity
 * and kind of location, a clean image, and an image that could not be read. Everything is
 * deterministic (digests are hashes of fixed seeds), so rendered output can be compared to golden files.
 */
final class ReportFixtures {
  static final String TOOL_VERSION = "0.1.0-test";
  static final String FAILING_NAME = "registry.example.com:5000/team/app:1.2";
  static final String CLEAN_NAME = "alpine:3.20";
  static final String UNREADABLE_NAME = "docker-archive:/tmp/broken.tar";
  static final String READ_ERROR = "layer 1: digest mismatch (expected " + digest("blob-1") + ")";

  static final RuleSummary NO_SHELL = rule("no-shell", "no-shell", Severity.ERROR, "No shell in the image",
      "A shell lets an attacker who gets code execution do anything.", "Build FROM a distroless base.",
      List.of("security"));
  static final RuleSummary REQUIRED_USER = rule("non-root", "required-user", Severity.ERROR,
      "Runs as a non-root user", "The image config must name a non-root user.", "Add USER 10001 to the Dockerfile.",
      List.of("security", "config"));
  static final RuleSummary MAX_SIZE = rule("size-budget", "max-size", Severity.WARNING, "Image within its size budget",
      "The uncompressed image must not exceed the budget.", "Use a multi-stage build and copy only the artefact.",
      List.of("size"));
  static final RuleSummary NO_PACKAGE_MANAGER = rule("no-package-manager", "forbidden-files", Severity.NOTE,
      "No package manager", "Package managers are not needed at run time.", "Remove apt from the final stage.",
      List.of());
  static final List<RuleSummary> RULES = List.of(NO_SHELL, REQUIRED_USER, MAX_SIZE, NO_PACKAGE_MANAGER);

  private ReportFixtures() {}

  static Digest digest(String seed) {
    return Digest.sha256Of(seed.getBytes(StandardCharsets.UTF_8));
  }

  static RuleSummary rule(String id, String type, Severity severity, String title, String description, String help,
      List<String> tags) {
    RuleDocumentation doc = new RuleDocumentation(title, description, help, List.of(), tags);
    return new RuleSummary(id, type, severity, doc, help, "policy.yaml:" + (id.length() + 3));
  }

  static LayerFacts layer(int index, boolean blobKnown, String createdBy) {
    Optional<HistoryEntry> history = createdBy.isEmpty() ? Optional.empty()
        : Optional.of(new HistoryEntry("2024-05-01T10:00:00Z", createdBy, "", false));
    Optional<Digest> blob = blobKnown ? Optional.of(digest("blob-" + index)) : Optional.empty();
    long n = index + 1;
    return new LayerFacts(index, digest("diff-" + index), blob, 1_000_000L * n, 3_000_000L * n, 2_900_000L * n,
        100 * (int) n, 0, history);
  }

  static Finding.LayerRef ref(LayerFacts layer) {
    return new Finding.LayerRef(layer.index(), layer.diffId(), layer.blobDigest(), layer.createdBy());
  }

  /** The Dockerfile the failing image was built from, as the mapper names it. */
  static final String DOCKERFILE = "docker/app.Dockerfile";
  static final Finding.SourceLine FROM_LINE = new Finding.SourceLine(DOCKERFILE, 3, "FROM debian:12-slim", "");
  static final Finding.SourceLine RUN_LINE = new Finding.SourceLine(DOCKERFILE, 7,
      "RUN apt-get update && apt-get install -y bash curl", "");
  static final Finding.Suppression WAIVER = new Finding.Suppression(
      "the entrypoint wrapper needs sh until | TICKET-42 is done", "policy.yaml:30", Optional.of(LocalDate.of(2030, 1, 31)));

  /**
   * Findings of every severity: files with their layer (one without a blob digest, build step or
   * Dockerfile line), a config field, and the image as a whole; one finding waived by a policy exception.
   */
  static ImageReport failing() {
    return failing(FAILING_NAME);
  }

  static ImageReport failing(String name) {
    LayerFacts base = layer(0, false, "");
    LayerFacts tools = layer(1, true, "/bin/sh -c apt-get update && apt-get install -y bash curl # buildkit");
    LayerFacts app = layer(2, true, "COPY target/app.jar /app/app.jar # buildkit");
    List<Finding> findings = List.of(
        // deliberately not in rule order: reporters group by rule themselves
        new Finding("no-package-manager", "forbidden-files", Severity.NOTE, "apt is present",
            Location.file("/usr/bin/apt", 0), Optional.of(ref(base))),
        new Finding("no-shell", "no-shell", Severity.ERROR, "bash is present", Location.file("/bin/bash", 1),
            Optional.of(ref(tools)), Optional.empty(), Optional.of(RUN_LINE)),
        new Finding("non-root", "required-user", Severity.ERROR, "the image runs as root (User is empty)",
            Location.config("User"), Optional.empty(), Optional.empty(), Optional.of(FROM_LINE)),
        new Finding("size-budget", "max-size", Severity.WARNING, "12.0 MB exceeds the budget of 10.0 MB",
            Location.image(), Optional.empty(), Optional.empty(), Optional.of(FROM_LINE)),
        new Finding("no-shell", "no-shell", Severity.ERROR, "sh is present", Location.file("/bin/sh", 1),
            Optional.of(ref(tools)), Optional.of(WAIVER), Optional.of(new Finding.SourceLine(DOCKERFILE, 7,
                RUN_LINE.instruction(), "matched by its text; the image history and the Dockerfile don't line up"))));
    return new ImageReport(name, "docker://" + name, Optional.of(digest("manifest-" + name)),
        Optional.of(digest("config-" + name)), Optional.of(Platform.parse("linux/amd64")), 6_000_000L, 12_000_000L,
        600, List.of(base, tools, app), findings, Optional.empty(), Verdict.FAIL, Optional.empty(),
        Duration.ofMillis(1234));
  }

  static ImageReport clean() {
    LayerFacts only = layer(0, true, "ADD alpine-minirootfs.tar.gz / # buildkit");
    return new ImageReport(CLEAN_NAME, CLEAN_NAME, Optional.of(digest("manifest-clean")),
        Optional.of(digest("config-clean")), Optional.of(Platform.parse("linux/arm64/v8")), 3_600_000L, 7_800_000L, 512,
        List.of(only), List.of(), Optional.empty(), Verdict.PASS).withElapsed(Duration.ofMillis(250));
  }

  static ImageReport unreadable() {
    return ImageReport.failed(UNREADABLE_NAME, UNREADABLE_NAME, READ_ERROR).withElapsed(Duration.ofNanos(12_345_678));
  }

  /** The three kinds of image together; the overall verdict is ERROR. */
  static Report report() {
    return Report.of(TOOL_VERSION, "minimal", Severity.ERROR, RULES, List.of(failing(), clean(), unreadable()));
  }

  static final LocalDate UNTIL = LocalDate.of(2025, 6, 30);

  /**
   * The failing image with its shell findings waived (one exception with an end date, one
   * without), and the report's exceptions: two active, one expired, one stale.
   */
  static Report waivedReport() {
    ImageReport f = failing();
    Finding.Suppression shell = new Finding.Suppression("debug variant, OPS-42", "policy.yaml:30", Optional.of(UNTIL));
    Finding.Suppression apt = new Finding.Suppression("the base image's apt, removed in Q3", "policy.yaml:34",
        Optional.empty());
    List<Finding> findings = f.findings().stream().map(x -> switch (x.ruleId()) {
      case "no-shell" -> suppress(x, shell);
      case "no-package-manager" -> suppress(x, apt);
      default -> x;
    }).toList();
    ImageReport waived = new ImageReport(f.name(), f.reference(), f.manifestDigest(), f.configDigest(), f.platform(),
        f.compressedSize(), f.uncompressedSize(), f.files(), f.layers(), findings, f.error(),
        ImageReport.verdict(findings, Severity.ERROR));
    List<WaiverSummary> exceptions = List.of(
        new WaiverSummary("no-shell", List.of("registry.example.com:5000/team/*"), List.of(), "debug variant, OPS-42",
            Optional.of(UNTIL), "policy.yaml:30", WaiverSummary.Status.ACTIVE, 2,
            "exception for no-shell (policy.yaml:30) waives 2 findings until 2025-06-30"),
        new WaiverSummary("no-package-manager", List.of(), List.of("/usr/bin/apt*"), "the base image's apt, removed in Q3",
            Optional.empty(), "policy.yaml:34", WaiverSummary.Status.ACTIVE, 1,
            "exception for no-package-manager (policy.yaml:34) waives 1 finding until further notice"),
        new WaiverSummary("non-root", List.of(), List.of(), "migration to USER 10001", Optional.of(LocalDate.of(2025, 1, 31)),
            "policy.yaml:38", WaiverSummary.Status.EXPIRED, 1,
            "exception for non-root (policy.yaml:38) expired after 2025-01-31: the finding it matches counts again; "
                + "fix it or renew the exception (reason: migration to USER 10001)"),
        new WaiverSummary("size-*", List.of("alpine:*"), List.of(), "old budget", Optional.empty(), "policy.yaml:42",
            WaiverSummary.Status.STALE, 0,
            "exception for size-* (policy.yaml:42) matched no finding in this run; remove it if it is no longer needed"));
    return Report.of(TOOL_VERSION, "policy.yaml", Severity.ERROR, RULES, List.of(waived, clean()), exceptions);
  }

  static Finding suppress(Finding f, Finding.Suppression s) {
    return new Finding(f.ruleId(), f.ruleType(), f.severity(), f.message(), f.location(), f.layer(), Optional.of(s),
        f.source());
  }

  static Report report(ImageReport... images) {
    return Report.of(TOOL_VERSION, "minimal", Severity.ERROR, RULES, List.of(images));
  }
}
