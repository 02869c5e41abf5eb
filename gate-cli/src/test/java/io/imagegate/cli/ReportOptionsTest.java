package io.imagegate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagegate.build.BuiltImage;
import io.imagegate.build.ImageBuilder;
import io.imagegate.report.JUnitSchema;
import io.imagegate.report.ReportSchema;
import io.imagegate.report.SarifSchema;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * End-to-end tests of {@code check}'s report options: {@code --dockerfile}, every format from one
 * run, GitHub Actions (workflow commands, step summary), colour, SARIF split over files. The image is
 * built in code with the history BuildKit writes for {@link #DOCKERFILE} — a multi-stage build whose
 * final stage installs curl and forgets USER (the {@code docker}-tagged {@code DockerReportsTest}
 * does the same with a real engine). Files live under {@code target/} with relative names, so the
 * image and Dockerfile names in the reports are stable (golden files).
 */
class ReportOptionsTest {
  static final Path DIR = Path.of("target", "report-options");
  static final String IMAGE = "oci-archive:" + DIR.resolve("app.tar");
  static final String DOCKERFILE_PATH = DIR.resolve("Dockerfile").toString();
  static final String DOCKERFILE = """
      # syntax=docker/dockerfile:1
      FROM golang:1.22 AS build
      WORKDIR /src
      COPY . .
      RUN go build -o /out/app ./cmd/app

      FROM alpine:3.20
      # curl for the health check
      RUN apk add --no-cache curl
      COPY --from=build /out/app /app/app
      WORKDIR /app
      ENTRYPOINT ["/app/app"]
      """;
  static final int FROM_LINE = 7;
  static final int RUN_LINE = 9;

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path tmp;

  /** alpine's layer (busybox, apk), then RUN, COPY and the metadata steps as BuildKit records them. */
  static BuiltImage image() {
    byte[] busybox = "\u007fELF\u0002\u0001\u0001 BusyBox v1.36.1 (stand-in)".getBytes(StandardCharsets.ISO_8859_1);
    return ImageBuilder.image()
        .layer(l -> l.createdBy("/bin/sh -c #(nop) ADD file:4c1ea4a3b8e0f1b2c3d4 in / ")
            .dir("/bin", 0755).dir("/etc", 0755).dir("/sbin", 0755)
            .file("/bin/busybox", busybox, 0755).symlink("/bin/sh", "busybox")
            .file("/sbin/apk", "\u007fELF apk", 0755)
            .file("/etc/passwd", "root:x:0:0:root:/root:/bin/sh\n", 0644))
        .emptyHistory("/bin/sh -c #(nop)  CMD [\"/bin/sh\"]")
        .layer(l -> l.createdBy("RUN /bin/sh -c apk add --no-cache curl # buildkit")
            .dir("/usr", 0755).dir("/usr/bin", 0755).file("/usr/bin/curl", "\u007fELF curl", 0755))
        .layer(l -> l.createdBy("COPY /out/app /app/app # buildkit").dir("/app", 0755).file("/app/app", "\u007fELF app", 0755))
        .emptyHistory("WORKDIR /app")
        .emptyHistory("ENTRYPOINT [\"/app/app\"]")
        .workingDir("/app")
        .entrypoint("/app/app")
        .build();
  }

  @BeforeAll
  static void write() throws IOException {
    Files.createDirectories(DIR);
    image().writeOciArchive(DIR.resolve("app.tar"), "latest");
    Files.writeString(DIR.resolve("Dockerfile"), DOCKERFILE, StandardCharsets.UTF_8);
  }

  static JsonNode json(Path file) throws IOException {
    return JSON.readTree(file.toFile());
  }

  static List<JsonNode> results(JsonNode sarif) {
    List<JsonNode> out = new ArrayList<>();
    sarif.get("runs").forEach(run -> run.get("results").forEach(out::add));
    return out;
  }

  static JsonNode result(JsonNode sarif, String ruleId, String path) {
    return results(sarif).stream()
        .filter(r -> r.get("ruleId").asText().equals(ruleId) && r.at("/properties/path").asText(r.at("/properties/configField").asText()).equals(path))
        .findFirst().orElseThrow(() -> new AssertionError("no " + ruleId + " result for " + path));
  }

  static int line(JsonNode result) {
    return result.at("/locations/0/physicalLocation/region/startLine").asInt();
  }

  static List<String> fingerprints(JsonNode sarif) {
    return results(sarif).stream().map(r -> r.at("/partialFingerprints").toString()).toList();
  }

  @Test
  void check_dockerfile_sarifMarksTheRunAndFromLinesAndValidates() throws IOException {
    Path sarif = tmp.resolve("gate.sarif");

    Cli cli = Cli.run("check", "-q", "--dockerfile", DOCKERFILE_PATH, "--report", "sarif=" + sarif, IMAGE);

    assertThat(cli.exitCode()).as(cli.err()).isEqualTo(1);
    assertThat(cli.err()).isEmpty(); // no warnings: the history matched
    JsonNode doc = json(sarif);
    assertThat(SarifSchema.validate(doc)).isEmpty();
    JsonNode curl = result(doc, "no-network-tools", "/usr/bin/curl");
    assertThat(curl.at("/locations/0/physicalLocation/artifactLocation/uri").asText()).isEqualTo("target/report-options/Dockerfile");
    assertThat(line(curl)).isEqualTo(RUN_LINE);
    assertThat(curl.at("/locations/0/physicalLocation/region/snippet/text").asText()).isEqualTo("RUN apk add --no-cache curl");
    assertThat(line(result(doc, "non-root-user", "User"))).isEqualTo(FROM_LINE);
    assertThat(line(result(doc, "no-shell", "/bin/sh"))).isEqualTo(FROM_LINE);
    assertThat(line(result(doc, "no-package-managers", "/sbin/apk"))).isEqualTo(FROM_LINE);
    assertThat(results(doc)).allSatisfy(r -> assertThat(r.at("/locations/0/physicalLocation/artifactLocation/uri").asText())
        .isEqualTo("target/report-options/Dockerfile"));
  }

  @Test
  void check_rerunAndDockerfileEditedElsewhere_sameFingerprints() throws IOException {
    Path first = tmp.resolve("first.sarif");
    Path again = tmp.resolve("again.sarif");
    Path edited = tmp.resolve("edited.sarif");
    Path editedDockerfile = tmp.resolve("Dockerfile");
    Files.writeString(editedDockerfile, DOCKERFILE.replace("# curl for the health check\n",
        "# curl for the health check\n# (and for debugging)\nARG CURL=8\n"), StandardCharsets.UTF_8);

    assertThat(Cli.run("check", "-q", "--dockerfile", DOCKERFILE_PATH, "--report", "sarif=" + first, IMAGE).exitCode()).isEqualTo(1);
    assertThat(Cli.run("check", "-q", "--dockerfile", DOCKERFILE_PATH, "--report", "sarif=" + again, IMAGE).exitCode()).isEqualTo(1);
    assertThat(Cli.run("check", "-q", "--dockerfile", editedDockerfile.toString(), "--report", "sarif=" + edited, IMAGE)
        .exitCode()).isEqualTo(1);

    assertThat(fingerprints(json(again))).isEqualTo(fingerprints(json(first))).hasSize(results(json(first)).size());
    assertThat(fingerprints(json(edited))).isEqualTo(fingerprints(json(first)));
    assertThat(line(result(json(edited), "no-network-tools", "/usr/bin/curl"))).isEqualTo(RUN_LINE + 2);
    assertThat(Files.readString(again)).isEqualTo(Files.readString(first));
  }

  @Test
  void check_everyFormatFromOneRun_agree() throws IOException {
    Path sarif = tmp.resolve("r/gate.sarif");
    Path jsonFile = tmp.resolve("r/gate.json");
    Path junit = tmp.resolve("r/gate.xml");
    Path markdown = tmp.resolve("r/gate.md");

    Cli cli = Cli.run("check", "-q", "--dockerfile", DOCKERFILE_PATH, "--report", "sarif=" + sarif, "--report",
        "json=" + jsonFile, "--report", "junit=" + junit, "--report", "markdown=" + markdown, IMAGE);

    assertThat(cli.exitCode()).as(cli.err()).isEqualTo(1);
    JsonNode report = json(jsonFile);
    assertThat(ReportSchema.validateStrict(report)).isEmpty();
    assertThat(JUnitSchema.validate(Files.readString(junit))).isEmpty();
    // the same findings, on the same lines, in SARIF and JSON
    TreeSet<String> fromJson = new TreeSet<>();
    report.at("/images/0/findings").forEach(f -> fromJson.add(f.get("ruleId").asText() + " " + f.get("location").asText()
        + " " + f.at("/source/line").asInt()));
    TreeSet<String> fromSarif = new TreeSet<>();
    results(json(sarif)).forEach(r -> fromSarif.add(r.get("ruleId").asText() + " "
        + r.at("/properties/path").asText(r.at("/properties/configField").isMissingNode() ? "image"
            : "config " + r.at("/properties/configField").asText()) + " " + line(r)));
    assertThat(fromSarif).isEqualTo(fromJson);
    String xml = Files.readString(junit);
    assertThat(xml.split("<failure ", -1)).hasSize(fromJson.size() + 1); // every finding is an error here
    String md = Files.readString(markdown);
    assertThat(md).startsWith("## ❌ imagegate: FAIL — the image violates the policy\n".replace("the image", "1 of 1 image"));
    assertThat(md.lines().filter(l -> l.startsWith("| 🔴 error |"))).hasSize(fromJson.size());
    assertThat(cli.out()).contains("target/report-options/Dockerfile:9  RUN apk add --no-cache curl");
  }

  @Test
  void check_underGitHubActions_workflowCommandsAndStepSummary() throws IOException {
    Path summary = tmp.resolve("summary.md");
    Files.writeString(summary, "earlier step\n");
    CliEnvironment env = new CliEnvironment(Map.of("GITHUB_ACTIONS", "true", "GITHUB_STEP_SUMMARY", summary.toString(),
        "CI", "true"), true, Path.of("").toAbsolutePath());

    Cli cli = Cli.run(env, "check", "-q", "--dockerfile", DOCKERFILE_PATH, IMAGE);

    assertThat(cli.exitCode()).isEqualTo(1);
    List<String> commands = cli.out().lines().filter(l -> l.startsWith("::")).toList();
    assertThat(commands).contains("::error file=target/report-options/Dockerfile,line=9,title=no-network-tools%3A "
        + "Forbidden files absent (imagegate)::curl is present: /usr/bin/curl — /usr/bin/curl in " + IMAGE);
    assertThat(commands).anyMatch(c -> c.startsWith("::error file=target/report-options/Dockerfile,line=7,title=non-root-user"));
    assertThat(commands).allMatch(c -> c.matches("::(error|warning|notice) .*::.*"));
    assertThat(cli.out().indexOf("::error")).isGreaterThan(cli.out().indexOf("FAIL"));
    assertThat(cli.out()).doesNotContain("\u001b"); // CI=true: no colour even on a terminal
    String written = Files.readString(summary);
    assertThat(written).startsWith("earlier step\n## ❌ imagegate: FAIL").contains("| 🔴 error | `no-network-tools` |");
  }

  @Test
  void check_underGitHubActionsWithJsonOnStdout_commandsGoToStderr() throws IOException {
    CliEnvironment env = new CliEnvironment(Map.of("GITHUB_ACTIONS", "true"), false, Path.of("").toAbsolutePath());

    Cli cli = Cli.run(env, "check", "-q", "-f", "json", "--dockerfile", DOCKERFILE_PATH, IMAGE);

    assertThat(JSON.readTree(cli.out()).get("verdict").asText()).isEqualTo("fail");
    assertThat(cli.err()).contains("::error file=target/report-options/Dockerfile,line=9,");
  }

  @Test
  void check_noGithub_neitherCommandsNorSummary() {
    Path summary = tmp.resolve("summary.md");
    CliEnvironment env = new CliEnvironment(Map.of("GITHUB_ACTIONS", "true", "GITHUB_STEP_SUMMARY", summary.toString()),
        false, Path.of("").toAbsolutePath());

    Cli cli = Cli.run(env, "check", "-q", "--no-github", IMAGE);

    assertThat(cli.out()).doesNotContain("::error");
    assertThat(summary).doesNotExist();
  }

  @Test
  void check_notUnderGitHubActions_noCommands() {
    assertThat(Cli.run("check", "-q", IMAGE).out()).doesNotContain("::");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', nullValues = "null", value = {
      "true  | null  | null  | false | true",
      "false | null  | null  | false | false",
      "true  | 1     | null  | false | false",
      "true  | ''    | null  | false | true",   // no-color.org: an empty NO_COLOR doesn't count
      "true  | null  | true  | false | false",
      "true  | null  | false | false | true",
      "true  | null  | null  | true  | false",  // --no-color
  })
  void check_colour_onlyOnATerminalWithoutNoColorOrCi(boolean terminal, String noColor, String ci, boolean flag,
      boolean coloured) {
    Map<String, String> vars = new HashMap<>();
    if (noColor != null) {
      vars.put("NO_COLOR", noColor);
    }
    if (ci != null) {
      vars.put("CI", ci);
    }
    List<String> args = new ArrayList<>(List.of("check", "-q", IMAGE));
    if (flag) {
      args.add("--no-color");
    }

    Cli cli = Cli.run(new CliEnvironment(vars, terminal, Path.of("").toAbsolutePath()), args.toArray(String[]::new));

    assertThat(cli.out().contains("\u001b[")).isEqualTo(coloured);
  }

  @Test
  void check_dockerfileMissingOrInvalid_exit2() throws IOException {
    Cli missing = Cli.run("check", "--dockerfile", tmp.resolve("nope/Dockerfile").toString(), IMAGE);
    Path bad = tmp.resolve("Dockerfile.bad");
    Files.writeString(bad, "FROM alpine\nRUN <<EOF\necho never ends\n");
    Cli invalid = Cli.run("check", "--dockerfile", bad.toString(), IMAGE);

    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err()).contains("--dockerfile").contains("no such file");
    assertThat(invalid.exitCode()).isEqualTo(2);
    assertThat(invalid.err()).contains("line 2: here-document <<EOF is not terminated");
  }

  @Test
  void check_dockerfileOfAnotherImage_warnsAndMapsNothing() throws IOException {
    Path other = tmp.resolve("Other.Dockerfile");
    Files.writeString(other, "FROM python:3.12\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\n"
        + "COPY . /srv\nUSER 10001\nCMD [\"python\", \"/srv/main.py\"]\n");
    Path jsonFile = tmp.resolve("other.json");

    Cli cli = Cli.run("check", "-q", "--dockerfile", other.toString(), "--report", "json=" + jsonFile, IMAGE);

    assertThat(cli.err()).contains("imagegate: warning: the history of " + IMAGE + " does not match the final stage of");
    json(jsonFile).at("/images/0/findings").forEach(f -> assertThat(f.get("source").isNull()).isTrue());
  }

  @Test
  void repositoryPath_relativeToWorkspaceElseWorkingDirectory() {
    Path cwd = Path.of("").toAbsolutePath();
    CliEnvironment plain = new CliEnvironment(Map.of(), false, cwd);
    CliEnvironment actions = new CliEnvironment(Map.of("GITHUB_WORKSPACE", cwd.getParent().toString()), false, cwd);

    assertThat(CheckCommand.repositoryPath(Path.of("target/x/Dockerfile"), plain)).isEqualTo("target/x/Dockerfile");
    assertThat(CheckCommand.repositoryPath(cwd.resolve("Dockerfile"), plain)).isEqualTo("Dockerfile");
    assertThat(CheckCommand.repositoryPath(Path.of("Dockerfile"), actions))
        .isEqualTo(cwd.getFileName() + "/Dockerfile");
    assertThat(CheckCommand.repositoryPath(Path.of("/elsewhere/Dockerfile"), plain)).isEqualTo("/elsewhere/Dockerfile");
  }

  @Test
  void sarif_namesThePolicyFileRelativeToTheWorkspace_notWhereTheJvmRuns() throws IOException {
    Path workspace = tmp.resolve("workspace");
    Path policy = workspace.resolve("ci/gate.yaml");
    Files.createDirectories(policy.getParent());
    Files.writeString(policy, """
        apiVersion: imagegate/v1
        kind: Policy
        extends: [minimal]
        exceptions:
          - rule: "*"
            reason: everything is waived in this test
        """);
    Path sarif = tmp.resolve("ws.sarif");
    CliEnvironment actions = new CliEnvironment(Map.of("GITHUB_WORKSPACE", workspace.toString()), false,
        Path.of("").toAbsolutePath());

    Cli cli = Cli.run(actions, "check", "-q", "--no-github", "--policy", policy.toAbsolutePath().toString(),
        "--report", "sarif=" + sarif, IMAGE);

    assertThat(cli.exitCode()).as(cli.err()).isZero();
    JsonNode suppression = json(sarif).at("/runs/0/results/0/suppressions/0");
    assertThat(suppression.at("/location/physicalLocation/artifactLocation/uri").asText()).isEqualTo("ci/gate.yaml");
    assertThat(suppression.at("/location/physicalLocation/region/startLine").asInt()).as("the exception's line").isEqualTo(5);
  }

  @Test
  void check_moreThan20Images_sarifSplitIntoFilesAndStaleOnesRemoved() throws IOException {
    Path sarif = tmp.resolve("split/gate.sarif");
    Files.createDirectories(sarif.getParent());
    Files.writeString(tmp.resolve("split/gate-3.sarif"), "{\"left\": \"by a bigger run\"}");
    List<String> args = new ArrayList<>(List.of("check", "--report", "sarif=" + sarif));
    for (int i = 0; i < 21; i++) {
      args.add(IMAGE);
    }

    Cli cli = Cli.run(args.toArray(String[]::new));

    assertThat(cli.exitCode()).as(cli.err()).isEqualTo(1);
    assertThat(json(sarif).get("runs")).hasSize(20);
    assertThat(json(tmp.resolve("split/gate-2.sarif")).get("runs")).hasSize(1);
    assertThat(tmp.resolve("split/gate-3.sarif")).doesNotExist();
    assertThat(SarifSchema.validate(json(tmp.resolve("split/gate-2.sarif")))).isEmpty();
    assertThat(cli.err()).contains("sarif report split into 2 files: " + sarif + ", " + tmp.resolve("split/gate-2.sarif"));

    args.set(1, "-f");
    args.set(2, "sarif");
    Cli stdout = Cli.run(args.toArray(String[]::new));
    assertThat(stdout.exitCode()).isEqualTo(2);
    assertThat(stdout.err()).contains("at most 20 runs per file").contains("--report sarif=PATH");
  }
}
