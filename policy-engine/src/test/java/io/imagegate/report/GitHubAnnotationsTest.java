package io.imagegate.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.policy.Location;
import io.imagegate.policy.Severity;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Tests for {@link GitHubAnnotations}: GitHub's workflow command syntax and escaping. */
class GitHubAnnotationsTest {
  private static final java.nio.file.Path CWD = java.nio.file.Path.of("").toAbsolutePath();


  @Test
  void lines_oneCommandPerOpenFinding_levelBySeverity_fileAndLineWhenKnown() {
    List<String> lines = GitHubAnnotations.lines(ReportFixtures.report(), CWD);

    assertThat(lines).containsExactly(
        "::notice title=no-package-manager%3A No package manager (imagegate)::apt is present — /usr/bin/apt in "
            + "registry.example.com:5000/team/app:1.2\n",
        "::error file=docker/app.Dockerfile,line=7,title=no-shell%3A No shell in the image (imagegate)::bash is present"
            + " — /bin/bash in registry.example.com:5000/team/app:1.2\n",
        "::error file=docker/app.Dockerfile,line=3,title=non-root%3A Runs as a non-root user (imagegate)::the image runs"
            + " as root (User is empty) — config User in registry.example.com:5000/team/app:1.2\n",
        "::warning file=docker/app.Dockerfile,line=3,title=size-budget%3A Image within its size budget (imagegate)::"
            + "12.0 MB exceeds the budget of 10.0 MB in registry.example.com:5000/team/app:1.2\n",
        "::error title=imagegate%3A image could not be read::docker-archive:/tmp/broken.tar: " + ReportFixtures.READ_ERROR + "\n");
  }

  @Test
  void lines_waivedFinding_noAnnotation() {
    assertThat(GitHubAnnotations.lines(ReportFixtures.report(), CWD)).noneMatch(l -> l.contains("/bin/sh in"));
  }

  @Test
  void lines_uncertainLine_noteOnASecondLineOfTheMessage() {
    Finding f = new Finding("no-shell", "no-shell", Severity.WARNING, "sh is present", Location.file("/bin/sh", 0),
        Optional.empty(), Optional.empty(), Optional.of(new Finding.SourceLine("Dockerfile", 4, "RUN x", "50% sure")));
    ImageReport image = new ImageReport("a", "a", Optional.empty(), Optional.empty(), Optional.empty(), 1, 1, 1,
        List.of(), List.of(f), Optional.empty(), Verdict.PASS);

    assertThat(GitHubAnnotations.lines(ReportFixtures.report(image), CWD)).containsExactly(
        "::warning file=Dockerfile,line=4,title=no-shell%3A No shell in the image (imagegate)::sh is present — /bin/sh "
            + "in a%0A(Dockerfile line uncertain: 50%25 sure)\n");
  }

  @Test
  void lines_expiredAndStaleExceptions_onTheirPolicyLines() {
    List<String> lines = GitHubAnnotations.lines(ReportFixtures.waivedReport(), CWD);

    assertThat(lines).contains(
        "::warning file=policy.yaml,line=38,title=imagegate/exception-expired (imagegate)::exception for non-root "
            + "(policy.yaml:38) expired after 2025-01-31: the finding it matches counts again; fix it or renew the "
            + "exception (reason: migration to USER 10001)\n",
        "::notice file=policy.yaml,line=42,title=imagegate/exception-stale (imagegate)::exception for size-* "
            + "(policy.yaml:42) matched no finding in this run; remove it if it is no longer needed\n");
    assertThat(lines).noneMatch(l -> l.contains("debug variant")); // waived: no annotation
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', nullValues = "null", value = {
      "policy.yaml:38            | policy.yaml | 38",
      "./ci/policy.yaml:7        | ci/policy.yaml | 7",
      "builtin:minimal:34        | null | null",
      "/etc/imagegate/p.yaml:3   | null | null",
      "policy.yaml               | null | null",
  })
  void policyFile_repositoryRelativeOnly(String origin, String file, String line) {
    assertThat(GitHubAnnotations.policyFile(origin, CWD).map(e -> e.getKey() + ":" + e.getValue()))
        .isEqualTo(java.util.Optional.ofNullable(file).map(f -> f + ":" + line));
  }

  @Test
  void policyFile_absoluteInsideTheRepository_isNamedRelativeToIt() {
    java.nio.file.Path repo = java.nio.file.Path.of("/work/repo");
    assertThat(GitHubAnnotations.policyFile("/work/repo/ci/gate.yaml:12", repo).map(e -> e.getKey() + ":" + e.getValue()))
        .as("the file and line SARIF names too").contains("ci/gate.yaml:12");
    assertThat(GitHubAnnotations.policyFile("/elsewhere/gate.yaml:12", repo)).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '~', value = {
      "plain ~ plain ~ plain",
      "100% ~ 100%25 ~ 100%25",
      "a:b,c ~ a:b,c ~ a%3Ab%2Cc",
      "%0A literal ~ %250A literal ~ %250A literal",
  })
  void escape_asTheActionsToolkit(String raw, String data, String property) {
    assertThat(GitHubAnnotations.escapeData(raw)).isEqualTo(data);
    assertThat(GitHubAnnotations.escapeProperty(raw)).isEqualTo(property);
  }

  @Test
  void escape_lineBreaks() {
    assertThat(GitHubAnnotations.escapeData("a\r\nb")).isEqualTo("a%0D%0Ab");
    assertThat(GitHubAnnotations.escapeProperty("docker/my,file:1\n")).isEqualTo("docker/my%2Cfile%3A1%0A");
  }

  @Test
  void command_messageCannotStartAnotherCommand() {
    Map<String, String> props = new LinkedHashMap<>();
    props.put("file", "Dockerfile");
    String line = GitHubAnnotations.command("error", props, "x\n::add-mask::secret");

    assertThat(line).isEqualTo("::error file=Dockerfile::x%0A::add-mask::secret\n");
    assertThat(line.lines()).hasSize(1);
  }
}
