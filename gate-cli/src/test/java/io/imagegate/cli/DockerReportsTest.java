package io.imagegate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagegate.report.JUnitSchema;
import io.imagegate.report.SarifSchema;
import io.imagegate.testing.DockerBuilder;
import io.imagegate.testing.DockerBuilder.Builder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The "done when", with a real Docker engine: an image built (classic builder and BuildKit)
 * from a multi-stage Dockerfile whose final stage installs curl and forgets USER, checked with
 * {@code --dockerfile} and the default policy. The SARIF marks the RUN line and the FROM line,
 * validates, and its fingerprints survive a rerun; the JUnit XML validates; the Markdown names the lines.
 */
@Tag("docker")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DockerReportsTest {
  static final String DOCKERFILE = """
      # a multi-stage build whose final stage installs curl and forgets USER
      FROM scratch AS builder
      COPY app /out/app

      FROM imagegate-test/busybox:1
      # "install" curl: the build has no network, so write it
      RUN mkdir -p /usr/bin && \\
          printf '#!/bin/sh\\necho curl\\n' > /usr/bin/curl && \\
          chmod 755 /usr/bin/curl
      COPY --from=builder /out/app /app/app
      ENTRYPOINT ["/app/app"]
      """;
  static final int FROM_LINE = 5;
  static final int RUN_LINE = 7;

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  DockerBuilder docker;

  @BeforeAll
  void engine() throws IOException {
    docker = DockerBuilder.require();
    docker.importBusybox("imagegate-test/busybox:1");
  }

  static List<JsonNode> results(JsonNode sarif) {
    List<JsonNode> out = new ArrayList<>();
    sarif.get("runs").forEach(run -> run.get("results").forEach(out::add));
    return out;
  }

  static int line(JsonNode sarif, String ruleId, String where) {
    return results(sarif).stream()
        .filter(r -> r.get("ruleId").asText().equals(ruleId)
            && (r.at("/properties/path").asText().equals(where) || r.at("/properties/configField").asText().equals(where)))
        .findFirst().orElseThrow(() -> new AssertionError("no " + ruleId + " result at " + where))
        .at("/locations/0/physicalLocation/region/startLine").asInt();
  }

  @ParameterizedTest
  @EnumSource(Builder.class)
  void check_installsCurlForgetsUser_sarifOnRunAndFromLines(Builder builder) throws IOException {
    Path context = Files.createDirectories(dir.resolve("ctx"));
    Files.writeString(context.resolve("Dockerfile"), DOCKERFILE, StandardCharsets.UTF_8);
    Path app = context.resolve("app");
    Files.writeString(app, "#!/bin/sh\necho app\n");
    Files.setPosixFilePermissions(app, PosixFilePermissions.fromString("rwxr-xr-x"));
    String tag = "imagegate-test/reports:" + builder.name().toLowerCase();
    docker.build(context, tag, builder);
    Path tar = dir.resolve("image.tar");
    docker.save(tag, tar);
    // as in a GitHub workflow: the repository is the build context
    CliEnvironment env = new CliEnvironment(Map.of("GITHUB_WORKSPACE", context.toString()), false, context);
    Path first = dir.resolve("first/gate.sarif");
    Path again = dir.resolve("again/gate.sarif");
    Path junit = dir.resolve("first/gate.xml");
    Path markdown = dir.resolve("first/gate.md");

    Cli cli = Cli.run(env, "check", "-q", "--dockerfile", context.resolve("Dockerfile").toString(),
        "--report", "sarif=" + first, "--report", "junit=" + junit, "--report", "markdown=" + markdown,
        "docker-archive:" + tar);
    Cli rerun = Cli.run(env, "check", "-q", "--dockerfile", context.resolve("Dockerfile").toString(),
        "--report", "sarif=" + again, "docker-archive:" + tar);

    assertThat(cli.exitCode()).as(cli.err()).isEqualTo(1);
    assertThat(cli.err()).as("no mapping warnings").isEmpty();
    JsonNode sarif = JSON.readTree(first.toFile());
    assertThat(SarifSchema.validate(sarif)).isEmpty();
    assertThat(line(sarif, "no-network-tools", "/usr/bin/curl")).isEqualTo(RUN_LINE);
    assertThat(line(sarif, "non-root-user", "User")).isEqualTo(FROM_LINE);
    assertThat(line(sarif, "no-shell", "/bin/sh")).isEqualTo(FROM_LINE);
    assertThat(results(sarif)).allSatisfy(r -> {
      assertThat(r.at("/locations/0/physicalLocation/artifactLocation/uri").asText()).isEqualTo("Dockerfile");
      assertThat(r.at("/properties").has("dockerfileNote")).isFalse();
    });
    List<String> lines = DOCKERFILE.lines().toList();
    assertThat(lines.get(RUN_LINE - 1)).startsWith("RUN ");
    assertThat(lines.get(FROM_LINE - 1)).startsWith("FROM imagegate-test/busybox");
    JsonNode rerunSarif = JSON.readTree(again.toFile());
    assertThat(results(rerunSarif)).extracting(r -> r.get("partialFingerprints").toString())
        .isEqualTo(results(sarif).stream().map(r -> r.get("partialFingerprints").toString()).toList());
    assertThat(rerun.exitCode()).isEqualTo(1);
    assertThat(JUnitSchema.validate(Files.readString(junit))).isEmpty();
    assertThat(Files.readString(markdown)).contains("`Dockerfile:" + RUN_LINE + "` `RUN mkdir -p /usr/bin")
        .contains("`Dockerfile:" + FROM_LINE + "` `FROM imagegate-test/busybox:1`");
  }
}
