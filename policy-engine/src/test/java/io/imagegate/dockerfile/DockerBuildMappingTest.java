package io.imagegate.dockerfile;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.engine.Gate;
import io.imagegate.image.ImageReference;
import io.imagegate.image.ImageSources;
import io.imagegate.image.PlatformSelection;
import io.imagegate.policy.PackResolver;
import io.imagegate.policy.Policy;
import io.imagegate.policy.PolicyLoader;
import io.imagegate.policy.Severity;
import io.imagegate.report.Finding;
import io.imagegate.report.Finding.SourceLine;
import io.imagegate.report.ImageReport;
import io.imagegate.report.Report;
import io.imagegate.rule.StandardRuleTypes;
import io.imagegate.scan.ScanLimits;
import io.imagegate.testing.DockerBuilder;
import io.imagegate.testing.DockerBuilder.Builder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Tests for {@link DockerfileMapper} on images a real Docker engine built from real Dockerfiles,
 * with the classic builder and with BuildKit, which record history differently: every finding's
 * line is checked against the file itself. No network: the stages are {@code FROM scratch} or
 * {@code FROM} a base imported from a static busybox (so {@code RUN} works).
 */
@Tag("docker")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DockerBuildMappingTest {
  static final String BASE = "imagegate-test/busybox:1";

  /** A multi-stage build whose final stage installs curl and forgets USER. */
  static final String INSTALLS_CURL = """
      # a multi-stage build whose final stage installs curl and forgets USER
      FROM scratch AS builder
      COPY app /out/app

      FROM imagegate-test/busybox:1
      ARG CURL_VERSION=8.5.0
      # "install" curl: the build has no network, so write it
      RUN mkdir -p /usr/bin && \\
          printf '#!/bin/sh\\necho curl %s\\n' "$CURL_VERSION" > /usr/bin/curl && \\
          chmod 755 /usr/bin/curl
      COPY --from=builder /out/app /app/app
      WORKDIR /app
      ENV MODE=production
      ENTRYPOINT ["/app/app"]
      """;

  /** Scratch stages only: curl copied in from another stage, a named USER, a shell-form CMD. */
  static final String SCRATCH = """
      FROM scratch AS tools
      COPY curl /bin/curl

      FROM scratch
      COPY --from=tools /bin/curl /usr/bin/curl
      COPY app /app
      USER app
      LABEL org.opencontainers.image.title=app
      CMD /app --serve
      """;

  static final String POLICY = """
      apiVersion: imagegate/v1
      kind: Policy
      rules:
        - id: no-network-tools
          type: forbidden-files
          names: [curl]
        - id: non-root-user
          type: required-user
        - id: no-shell
          type: no-shell
        - id: size-budget
          type: max-size
          uncompressed: 10
      """;

  @TempDir
  Path dir;

  DockerBuilder docker;

  @BeforeAll
  void engine() throws IOException {
    docker = DockerBuilder.require();
    docker.importBusybox(BASE);
  }

  /** Builds {@code dockerfile} with a context holding {@code app} and {@code curl}, saves it, gates it and maps it. */
  Report buildAndMap(String dockerfile, Builder builder, String tag, List<String> warnings) throws IOException {
    return new DockerfileMapper(Dockerfile.parse(dockerfile), "Dockerfile").apply(build(dockerfile, builder, tag), warnings::add);
  }

  /** Builds {@code dockerfile} with a context holding {@code app} and {@code curl}, saves it and gates it. */
  Report build(String dockerfile, Builder builder, String tag) throws IOException {
    Path context = Files.createDirectories(dir.resolve(tag.replace(':', '_').replace('/', '_')));
    Files.writeString(context.resolve("Dockerfile"), dockerfile, StandardCharsets.UTF_8);
    for (String name : List.of("app", "curl")) {
      Path f = context.resolve(name);
      Files.writeString(f, "#!/bin/sh\necho " + name + "\n", StandardCharsets.UTF_8);
      Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    docker.build(context, tag, builder);
    Path tar = dir.resolve(tag.replace(':', '_').replace('/', '_') + ".tar");
    docker.save(tag, tar);
    Policy policy = new PolicyLoader(StandardRuleTypes.all(), PackResolver.NONE).load("policy.yaml", POLICY, null);
    Report report;
    try (Gate gate = new Gate(ImageSources.offline(), ScanLimits.DEFAULT, 2, "test")) {
      report = gate.check(List.of(ImageReference.parse("docker-archive:" + tar)), PlatformSelection.host(), policy,
          Severity.ERROR, m -> {});
    }
    assertThat(report.images().get(0).error()).isEmpty();
    return report;
  }

  /** The finding of {@code rule} at {@code where} (a path or "config X" or "image"). */
  static Finding finding(ImageReport image, String rule, String where) {
    return image.findings().stream()
        .filter(f -> f.ruleId().equals(rule) && f.location().describe().equals(where))
        .findFirst().orElseThrow(() -> new AssertionError("no " + rule + " finding at " + where + " in " + image.findings()));
  }

  /** Asserts the finding is certainly on {@code line}, and that that line of the file starts with {@code start}. */
  static void assertOnLine(Finding f, String dockerfile, int line, String start) {
    SourceLine source = f.source().orElseThrow(() -> new AssertionError("no line for " + f));
    assertThat(source.line()).as("line of %s", f.location().describe()).isEqualTo(line);
    assertThat(dockerfile.lines().toList().get(line - 1)).startsWith(start);
    assertThat(source.instruction()).startsWith(start);
    assertThat(source.note()).as("note of %s", f.location().describe()).isEmpty();
    assertThat(source.file()).isEqualTo("Dockerfile");
  }

  @ParameterizedTest
  @EnumSource(Builder.class)
  void installsCurl_findingsOnTheRunAndFromLines(Builder builder) throws IOException {
    List<String> warnings = new ArrayList<>();
    ImageReport image = buildAndMap(INSTALLS_CURL, builder, "imagegate-test/curl:" + builder.name().toLowerCase(), warnings)
        .images().get(0);

    assertThat(warnings).isEmpty();
    assertOnLine(finding(image, "no-network-tools", "/usr/bin/curl"), INSTALLS_CURL, 8, "RUN mkdir -p /usr/bin");
    assertOnLine(finding(image, "non-root-user", "config User"), INSTALLS_CURL, 5, "FROM imagegate-test/busybox:1");
    assertOnLine(finding(image, "no-shell", "/bin/sh"), INSTALLS_CURL, 5, "FROM imagegate-test/busybox:1");
    assertOnLine(finding(image, "size-budget", "image"), INSTALLS_CURL, 5, "FROM imagegate-test/busybox:1");
    assertThat(image.findings()).allSatisfy(f -> assertThat(f.source()).isPresent());
  }

  @ParameterizedTest
  @EnumSource(Builder.class)
  void scratchStages_copyFromUserAndShellFormCmd(Builder builder) throws IOException {
    List<String> warnings = new ArrayList<>();
    ImageReport image = buildAndMap(SCRATCH, builder, "imagegate-test/scratch:" + builder.name().toLowerCase(), warnings)
        .images().get(0);

    assertThat(warnings).isEmpty();
    assertOnLine(finding(image, "no-network-tools", "/usr/bin/curl"), SCRATCH, 5, "COPY --from=tools /bin/curl /usr/bin/curl");
    assertOnLine(finding(image, "non-root-user", "config User"), SCRATCH, 7, "USER app"); // 'app' is in no /etc/passwd
    assertOnLine(finding(image, "no-shell", "config Cmd"), SCRATCH, 9, "CMD /app --serve");
    assertOnLine(finding(image, "size-budget", "image"), SCRATCH, 4, "FROM scratch");
  }

  @ParameterizedTest
  @EnumSource(Builder.class)
  void editedDockerfile_sameFindingsOnTheirNewLines(Builder builder) throws IOException {
    String tag = "imagegate-test/edited:" + builder.name().toLowerCase();
    Report built = build(INSTALLS_CURL, builder, tag);
    // the file as it is after a later edit that adds lines above the RUN: the image is the old build
    String edited = INSTALLS_CURL.replace("ARG CURL_VERSION=8.5.0\n", "ARG CURL_VERSION=8.5.0\n# more\n# comments\n");

    ImageReport before = new DockerfileMapper(Dockerfile.parse(INSTALLS_CURL), "Dockerfile").apply(built, w -> {}).images().get(0);
    ImageReport after = new DockerfileMapper(Dockerfile.parse(edited), "Dockerfile").apply(built, w -> {}).images().get(0);
    assertOnLine(finding(before, "no-network-tools", "/usr/bin/curl"), INSTALLS_CURL, 8, "RUN mkdir -p /usr/bin");
    assertOnLine(finding(after, "no-network-tools", "/usr/bin/curl"), edited, 10, "RUN mkdir -p /usr/bin");
  }
}
