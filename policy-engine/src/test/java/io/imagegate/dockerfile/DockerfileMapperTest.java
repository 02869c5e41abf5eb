package io.imagegate.dockerfile;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.facts.LayerFacts;
import io.imagegate.image.Digest;
import io.imagegate.image.HistoryEntry;
import io.imagegate.image.ImageConfig;
import io.imagegate.policy.Location;
import io.imagegate.policy.Severity;
import io.imagegate.report.Finding;
import io.imagegate.report.Finding.SourceLine;
import io.imagegate.report.ImageReport;
import io.imagegate.report.Verdict;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Tests for {@link DockerfileMapper} on hand-written history in the shapes the classic builder and
 * BuildKit write (the {@code docker}-tagged {@code DockerBuildMappingTest} checks real builds).
 */
class DockerfileMapperTest {
  static final String MULTI_STAGE = """
      # syntax=docker/dockerfile:1
      FROM golang:1.22 AS build
      WORKDIR /src
      COPY . .
      RUN go build -o /out/app ./cmd/app

      FROM debian:12-slim
      # tools for the health check
      RUN apt-get update && \\
          apt-get install -y --no-install-recommends curl \\
          && rm -rf /var/lib/apt/lists/*
      COPY --from=build /out/app /usr/local/bin/app
      WORKDIR /data
      EXPOSE 8080
      ENTRYPOINT ["/usr/local/bin/app"]
      """;

  /** debian:12-slim's own history: one layer, one metadata entry. */
  static List<HistoryEntry> debianBase() {
    return List.of(
        entry("/bin/sh -c #(nop) ADD file:6b2a3c8c1f7e3f8e2d0c4b5a6978d1e2f3a4b5c6d7e8f90123456789abcdef0 in / ", false),
        entry("/bin/sh -c #(nop)  CMD [\"bash\"]", true));
  }

  static HistoryEntry entry(String createdBy, boolean empty) {
    return new HistoryEntry("2024-05-01T10:00:00Z", createdBy, "", empty);
  }

  static List<HistoryEntry> buildkitHistory() {
    List<HistoryEntry> h = new ArrayList<>(debianBase());
    h.add(entry("RUN /bin/sh -c apt-get update &&     apt-get install -y --no-install-recommends curl     "
        + "&& rm -rf /var/lib/apt/lists/* # buildkit", false));
    h.add(entry("COPY /out/app /usr/local/bin/app # buildkit", false));
    h.add(entry("WORKDIR /data", false));
    h.add(entry("EXPOSE map[8080/tcp:{}]", true));
    h.add(entry("ENTRYPOINT [\"/usr/local/bin/app\"]", true));
    return h;
  }

  static List<HistoryEntry> classicHistory() {
    List<HistoryEntry> h = new ArrayList<>(debianBase());
    h.add(entry("/bin/sh -c apt-get update &&     apt-get install -y --no-install-recommends curl     "
        + "&& rm -rf /var/lib/apt/lists/*", false));
    h.add(entry("/bin/sh -c #(nop) COPY file:0f1e2d3c4b5a69788796a5b4c3d2e1f00112233445566778899aabbccddeeff in /usr/local/bin/app ", false));
    h.add(entry("/bin/sh -c #(nop) WORKDIR /data", false));
    h.add(entry("/bin/sh -c #(nop)  EXPOSE 8080", true));
    h.add(entry("/bin/sh -c #(nop)  ENTRYPOINT [\"/usr/local/bin/app\"]", true));
    return h;
  }

  static ImageConfig config(String user, List<String> entrypoint, List<String> cmd, List<HistoryEntry> history) {
    return new ImageConfig(user, entrypoint, cmd, List.of(), Set.of(), Map.of(), List.of(), "", history, List.of(),
        Optional.empty(), "");
  }

  static LayerFacts layer(int index) {
    Digest d = Digest.sha256Of(("layer-" + index).getBytes(StandardCharsets.UTF_8));
    return new LayerFacts(index, d, Optional.of(d), 10, 20, 20, 1, 0, Optional.empty());
  }

  static Finding file(String path, int layer) {
    Digest d = Digest.sha256Of(("layer-" + layer).getBytes(StandardCharsets.UTF_8));
    return new Finding("no-network-tools", "forbidden-files", Severity.ERROR, path + " is present",
        Location.file(path, layer), Optional.of(new Finding.LayerRef(layer, d, Optional.of(d), "")));
  }

  static Finding config(String field) {
    return new Finding("rule-" + field, "t", Severity.ERROR, field, Location.config(field), Optional.empty());
  }

  static Finding size() {
    return new Finding("size-budget", "max-size", Severity.ERROR, "too big", Location.image(), Optional.empty());
  }

  static ImageReport image(ImageConfig config, Finding... findings) {
    int layers = (int) config.history().stream().filter(h -> !h.emptyLayer()).count();
    List<LayerFacts> facts = new ArrayList<>();
    for (int i = 0; i < layers; i++) {
      facts.add(layer(i));
    }
    return new ImageReport("app:1", "app:1", Optional.empty(), Optional.empty(), Optional.empty(), 0, 0, 0, facts,
        List.of(findings), Optional.empty(), Verdict.FAIL, Optional.of(config), Duration.ZERO);
  }

  static List<Optional<SourceLine>> map(String dockerfile, ImageReport image, List<String> warnings) {
    DockerfileMapper mapper = new DockerfileMapper(Dockerfile.parse(dockerfile), "docker/Dockerfile");
    return mapper.apply(image, warnings::add).findings().stream().map(Finding::source).toList();
  }

  static List<Optional<SourceLine>> map(String dockerfile, ImageReport image) {
    List<String> warnings = new ArrayList<>();
    List<Optional<SourceLine>> out = map(dockerfile, image, warnings);
    assertThat(warnings).isEmpty();
    return out;
  }

  static Optional<SourceLine> certain(int line, String instruction) {
    return Optional.of(new SourceLine("docker/Dockerfile", line, instruction, ""));
  }

  private static final String RUN_TEXT =
      "RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*";

  @Test
  void apply_buildkitHistory_eachFindingOnItsLine() {
    ImageReport image = image(config("", List.of("/usr/local/bin/app"), List.of(), buildkitHistory()),
        file("/usr/bin/curl", 1), file("/usr/local/bin/app", 2), file("/bin/sh", 0), file("/data", 3),
        config("User"), config("Entrypoint"), size());

    assertThat(map(MULTI_STAGE, image)).containsExactly(
        certain(9, RUN_TEXT),
        certain(12, "COPY --from=build /out/app /usr/local/bin/app"),
        certain(7, "FROM debian:12-slim"),
        certain(13, "WORKDIR /data"),
        certain(7, "FROM debian:12-slim"),  // no USER: the final FROM
        certain(15, "ENTRYPOINT [\"/usr/local/bin/app\"]"),
        certain(7, "FROM debian:12-slim"));
  }

  @Test
  void apply_classicBuilderHistory_sameLines() {
    ImageReport image = image(config("", List.of("/usr/local/bin/app"), List.of(), classicHistory()),
        file("/usr/bin/curl", 1), file("/usr/local/bin/app", 2), file("/bin/sh", 0));

    assertThat(map(MULTI_STAGE, image)).containsExactly(
        certain(9, RUN_TEXT), certain(12, "COPY --from=build /out/app /usr/local/bin/app"), certain(7, "FROM debian:12-slim"));
  }

  @Test
  void apply_dockerfileEditedOnOtherLines_sameLinesMoved() {
    // a comment and an ENV added elsewhere: history from the old build, the file as it is now
    String edited = MULTI_STAGE.replace("# tools for the health check\n", "# tools for the health check\n# (curl)\n\n")
        .replace("WORKDIR /data\n", "WORKDIR /data\nLABEL team=payments\n");
    ImageReport image = image(config("", List.of("/usr/local/bin/app"), List.of(), buildkitHistory()),
        file("/usr/bin/curl", 1), file("/usr/local/bin/app", 2));

    List<Optional<SourceLine>> lines = map(edited, image);

    assertThat(lines.get(0).map(SourceLine::line)).contains(11);
    assertThat(lines.get(1).map(SourceLine::line)).contains(14);
    // the LABEL has no history entry: the two don't line up, so the lines say how they were matched
    assertThat(lines.get(0).orElseThrow().note()).startsWith("matched by its text; the image history and the Dockerfile don't line up");
  }

  @Test
  void apply_runTextChangedSinceTheBuild_lineWithNote() {
    String changed = MULTI_STAGE.replace("curl \\", "curl wget \\");
    ImageReport image = image(config("", List.of("/usr/local/bin/app"), List.of(), buildkitHistory()), file("/usr/bin/curl", 1));

    SourceLine line = map(changed, image).get(0).orElseThrow();

    assertThat(line.line()).isEqualTo(9);
    assertThat(line.note()).contains("the Dockerfile may have changed since the image was built")
        .contains("apt-get install -y --no-install-recommends curl");
  }

  @Test
  void apply_unrelatedDockerfile_noLinesAndAWarning() {
    String other = """
        FROM alpine
        RUN apk add --no-cache python3
        COPY requirements.txt /app/
        RUN pip install -r /app/requirements.txt
        USER nobody
        CMD ["python3", "/app/main.py"]
        """;
    ImageReport image = image(config("", List.of("/usr/local/bin/app"), List.of(), buildkitHistory()),
        file("/usr/bin/curl", 1), config("User"), size());
    List<String> warnings = new ArrayList<>();

    assertThat(map(other, image, warnings)).containsOnly(Optional.empty());
    assertThat(warnings).singleElement().asString().contains("does not match the final stage of docker/Dockerfile");
  }

  @Test
  void apply_noHistory_noLinesAndAWarning() {
    ImageReport image = image(config("", List.of(), List.of(), List.of()), size());
    List<String> warnings = new ArrayList<>();

    assertThat(map(MULTI_STAGE, image, warnings)).containsOnly(Optional.empty());
    assertThat(warnings).singleElement().asString().contains("has no build history");
  }

  @Test
  void apply_historyNotAlignedWithLayers_fileFindingsUnplacedOthersPlaced() {
    ImageReport aligned = image(config("", List.of("/usr/local/bin/app"), List.of(), buildkitHistory()),
        file("/usr/bin/curl", 1), size());
    ImageReport image = new ImageReport(aligned.name(), aligned.reference(), Optional.empty(), Optional.empty(),
        Optional.empty(), 0, 0, 0, aligned.layers().subList(0, 2), aligned.findings(), Optional.empty(), Verdict.FAIL,
        aligned.config(), Duration.ZERO);

    assertThat(map(MULTI_STAGE, image)).containsExactly(Optional.empty(), certain(7, "FROM debian:12-slim"));
  }

  @Test
  void apply_user_lastUserOfTheFinalStageChain() {
    String dockerfile = """
        FROM debian AS base
        RUN useradd app
        USER app
        FROM base
        COPY app /app
        """;
    List<HistoryEntry> history = new ArrayList<>(debianBase());
    history.add(entry("RUN /bin/sh -c useradd app # buildkit", false));
    history.add(entry("USER app", true));
    history.add(entry("COPY app /app # buildkit", false));

    assertThat(map(dockerfile, image(config("app", List.of(), List.of(), history), config("User"), file("/etc/passwd", 1),
        file("/bin/sh", 0), size()))).containsExactly(
            certain(3, "USER app"), certain(2, "RUN useradd app"), certain(1, "FROM debian AS base"),
            certain(4, "FROM base"));
  }

  @Test
  void apply_userDiffersFromTheImage_lineWithNote() {
    String dockerfile = "FROM debian\nUSER app\n";
    List<HistoryEntry> history = new ArrayList<>(debianBase());
    history.add(entry("USER app", true));

    SourceLine line = map(dockerfile, image(config("root", List.of(), List.of(), history), config("User"))).get(0).orElseThrow();

    assertThat(line.line()).isEqualTo(2);
    assertThat(line.note()).contains("runs as 'root'");
  }

  @Test
  void apply_shellFormCmd_onTheCmdLine() {
    String dockerfile = """
        FROM debian
        ARG PORT=8080
        RUN echo "port $PORT" > /etc/port
        CMD exec /app --port $PORT
        """;
    List<HistoryEntry> history = new ArrayList<>(debianBase());
    history.add(entry("/bin/sh -c #(nop)  ARG PORT=8080", true));
    history.add(entry("|1 PORT=8080 /bin/sh -c echo \"port $PORT\" > /etc/port", false));
    history.add(entry("/bin/sh -c #(nop)  CMD [\"/bin/sh\" \"-c\" \"exec /app --port $PORT\"]", true));

    assertThat(map(dockerfile, image(config("", List.of(), List.of("/bin/sh", "-c", "exec /app --port $PORT"), history),
        config("Cmd"), file("/etc/port", 1)))).containsExactly(
            certain(4, "CMD exec /app --port $PORT"), certain(3, "RUN echo \"port $PORT\" > /etc/port"));
  }

  @Test
  void apply_argWithoutHistoryEntry_stillCertain() {
    String dockerfile = "FROM debian\nARG V\nRUN install $V\n";
    List<HistoryEntry> history = new ArrayList<>(debianBase());
    history.add(entry("RUN |1 V=2.0 /bin/sh -c install $V # buildkit", false));

    assertThat(map(dockerfile, image(config("", List.of(), List.of(), history), file("/x", 1))))
        .containsExactly(certain(3, "RUN install $V"));
  }

  @Test
  void apply_heredocRun_matchedByItsBody() {
    String dockerfile = """
        # syntax=docker/dockerfile:1
        FROM debian
        RUN <<EOF
        apt-get update
        apt-get install -y curl
        EOF
        USER 10001
        """;
    List<HistoryEntry> history = new ArrayList<>(debianBase());
    history.add(entry("RUN /bin/sh -c apt-get update\napt-get install -y curl\n # buildkit", false));
    history.add(entry("USER 10001", true));

    assertThat(map(dockerfile, image(config("10001", List.of(), List.of(), history), file("/usr/bin/curl", 1))))
        .containsExactly(certain(3, "RUN <<EOF"));
  }

  @Test
  void apply_scratchFinalStage_noBaseEntries() {
    String dockerfile = """
        FROM golang AS build
        RUN go build -o /app .
        FROM scratch
        COPY --from=build /app /app
        USER 65534
        ENTRYPOINT ["/app"]
        """;
    List<HistoryEntry> history = List.of(entry("COPY /app /app # buildkit", false), entry("USER 65534", true),
        entry("ENTRYPOINT [\"/app\"]", true));

    assertThat(map(dockerfile, image(config("65534", List.of("/app"), List.of(), history), file("/app", 0), config("User"))))
        .containsExactly(certain(4, "COPY --from=build /app /app"), certain(5, "USER 65534"));
  }

  @Test
  void apply_relativeCopyAfterWorkdir_resolved() {
    String dockerfile = "FROM debian\nWORKDIR /srv\nCOPY app.jar .\n";
    List<HistoryEntry> history = new ArrayList<>(debianBase());
    history.add(entry("/bin/sh -c #(nop) WORKDIR /srv", false));
    history.add(entry("/bin/sh -c #(nop) COPY file:abc123 in /srv/ ", false));

    assertThat(map(dockerfile, image(config("", List.of(), List.of(), history), file("/srv/app.jar", 2))))
        .containsExactly(certain(3, "COPY app.jar ."));
  }

  @Test
  void apply_envAndLabelFindings_onTheInstructionThatSetsTheKey() {
    String dockerfile = """
        FROM debian
        ENV PATH=/usr/local/bin:$PATH LANG=C.UTF-8
        LABEL org.opencontainers.image.title=app
        ENV AWS_SECRET_ACCESS_KEY=abc \\
            MODE=prod
        LABEL team=payments
        """;
    List<HistoryEntry> history = new ArrayList<>(debianBase());
    history.add(entry("ENV PATH=/usr/local/bin:/usr/bin LANG=C.UTF-8", true));
    history.add(entry("LABEL org.opencontainers.image.title=app", true));
    history.add(entry("ENV AWS_SECRET_ACCESS_KEY=abc MODE=prod", true));
    history.add(entry("LABEL team=payments", true));
    Finding env = new Finding("no-secrets", "forbidden-env", Severity.ERROR,
        "ENV AWS_SECRET_ACCESS_KEY is set (matches AWS_*); its value is not shown", Location.config("Env"), Optional.empty());
    Finding label = new Finding("labels", "required-labels", Severity.ERROR,
        "label org.opencontainers.image.title is empty", Location.config("Labels"), Optional.empty());
    Finding missing = new Finding("labels", "required-labels", Severity.ERROR,
        "label org.opencontainers.image.source is missing", Location.config("Labels"), Optional.empty());

    List<Optional<SourceLine>> lines = map(dockerfile, image(config("", List.of(), List.of(), history), env, label, missing));

    assertThat(lines.get(0)).isEqualTo(certain(4, "ENV AWS_SECRET_ACCESS_KEY=abc MODE=prod"));
    assertThat(lines.get(1)).isEqualTo(certain(3, "LABEL org.opencontainers.image.title=app"));
    assertThat(lines.get(2).map(SourceLine::line)).contains(6);
    assertThat(lines.get(2).orElseThrow().note()).contains("the last of 2 LABEL instructions");
  }

  @Test
  void apply_historyEntryWithoutLayer_onItsInstruction() {
    String dockerfile = "FROM debian\nUSER root\nRUN make\nUSER app\n";
    List<HistoryEntry> history = new ArrayList<>(debianBase());
    history.add(entry("USER root", true));
    history.add(entry("RUN /bin/sh -c make # buildkit", false));
    history.add(entry("USER app", true));
    Finding step = new Finding("no-root-steps", "forbidden-instructions", Severity.WARNING, "USER root",
        Location.config("history[2]"), Optional.empty());

    assertThat(map(dockerfile, image(config("app", List.of(), List.of(), history), step)))
        .containsExactly(certain(2, "USER root"));
  }

  @Test
  void apply_uncertainNote_quotesTheHistoryWithSecretsRedacted() {
    String dockerfile = "FROM debian\nARG NPM_TOKEN\nRUN npm ci --omit=dev && npm cache clean --force\n";
    List<HistoryEntry> history = new ArrayList<>(debianBase());
    history.add(entry("|1 NPM_TOKEN=npm_abcdefghijklmnopqrstuvwxyz0123456789 /bin/sh -c npm ci --omit=dev --no-audit "
        + "&& npm cache clean --force", false));

    SourceLine line = map(dockerfile, image(config("", List.of(), List.of(), history), file("/app/node_modules", 1)))
        .get(0).orElseThrow();

    assertThat(line.line()).isEqualTo(3);
    assertThat(line.note()).contains("may have changed").doesNotContain("abcdefghijklmnopqrstuvwxyz0123456789");
  }

  @Test
  void apply_findingAlreadyPlaced_keepsItsLine() {
    SourceLine given = new SourceLine("other/Dockerfile", 99, "RUN x", "");
    Finding placed = size().withSource(Optional.of(given));

    assertThat(map(MULTI_STAGE, image(config("", List.of("/usr/local/bin/app"), List.of(), buildkitHistory()), placed)))
        .containsExactly(Optional.of(given));
  }

  @Test
  void apply_unreadableImage_unchanged() {
    ImageReport failed = ImageReport.failed("x", "x", "broken");

    assertThat(new DockerfileMapper(Dockerfile.parse(MULTI_STAGE), "Dockerfile").apply(failed, w -> {})).isSameAs(failed);
  }
}
