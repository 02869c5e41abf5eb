package io.imagegate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Golden files of the whole command: a policy ({@code golden/policy.yaml}) and an image built from
 * {@link ReportOptionsTest#DOCKERFILE}'s history, checked with {@code --dockerfile}, every format
 * compared with {@code golden/check.*} after normalising what varies between runs (the tool version,
 * JUnit times). After an intended change, regenerate with {@code -Dimagegate.updateGolden=true}
 * and review the diff.
 */
class GoldenFilesTest {
  static final Path DIR = ReportOptionsTest.DIR;
  static final Path OUT = DIR.resolve("golden");

  @BeforeAll
  static void check() throws IOException {
    ReportOptionsTest.write();
    try (InputStream in = GoldenFilesTest.class.getResourceAsStream("golden/policy.yaml")) {
      Files.write(DIR.resolve("policy.yaml"), in.readAllBytes());
    }
    Cli cli = Cli.run("check", "-q", "--policy", DIR.resolve("policy.yaml").toString(),
        "--dockerfile", ReportOptionsTest.DOCKERFILE_PATH,
        "--report", "sarif=" + OUT.resolve("check.sarif"), "--report", "json=" + OUT.resolve("check.json"),
        "--report", "junit=" + OUT.resolve("check.junit.xml"), "--report", "markdown=" + OUT.resolve("check.md"),
        "-o", OUT.resolve("check.txt").toString(), ReportOptionsTest.IMAGE);
    assertThat(cli.exitCode()).as(cli.err()).isEqualTo(1);
  }

  /** What differs from run to run or build to build. */
  static String normalise(String text) {
    return text
        .replaceAll("(\"version\" ?: ?\")[^\"]+\"", "$1VERSION\"")
        .replaceAll("imagegate [0-9][^ \"<·\\n]*|imagegate dev", "imagegate VERSION")
        .replaceAll("time=\"[0-9.]+\"", "time=\"0.000\"");
  }

  static void assertGolden(String name) throws IOException {
    String actual = normalise(Files.readString(OUT.resolve(name), StandardCharsets.UTF_8));
    Path golden = Path.of("src/test/resources/io/imagegate/cli/golden").resolve(name);
    if (Boolean.getBoolean("imagegate.updateGolden")) {
      Files.writeString(golden, actual, StandardCharsets.UTF_8);
      return;
    }
    assertThat(golden).as("golden file %s (create it with -Dimagegate.updateGolden=true)", golden).exists();
    assertThat(actual).as("%s against its golden file", name).isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
  }

  @Test
  void sarif_matchesGoldenFile() throws IOException {
    assertGolden("check.sarif");
  }

  @Test
  void json_matchesGoldenFile() throws IOException {
    assertGolden("check.json");
  }

  @Test
  void junit_matchesGoldenFile() throws IOException {
    assertGolden("check.junit.xml");
  }

  @Test
  void markdown_matchesGoldenFile() throws IOException {
    assertGolden("check.md");
  }

  @Test
  void text_matchesGoldenFile() throws IOException {
    assertGolden("check.txt");
  }
}
