package io.imagegate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.build.BuiltImage;
import io.imagegate.build.ImageBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Golden files: a policy ({@code golden/NAME.policy.yaml}) checked against an image built here,
 * through the command line, and the JSON report compared with {@code golden/NAME.report.json}
 * after normalising what changes from run to run (the temporary directory, the tool version).
 * After an intended change, regenerate with {@code -Dimagegate.updateGolden=true} and review the diff.
 */
class GoldenReportTest {
  private static final String DIR = "golden/";

  @TempDir
  static Path dir;

  static String app;

  /** An alpine-like image: busybox shell, apk, curl added by a later layer, running as root. */
  @BeforeAll
  static void writeImage() throws IOException {
    BuiltImage image = ImageBuilder.image()
        .layer(l -> l.createdBy("ADD alpine-minirootfs.tar.gz / # buildkit")
            .file("/bin/busybox", "\u007fELF BusyBox v1.36.1", 0755).symlink("/bin/sh", "busybox")
            .file("/sbin/apk", "\u007fELF apk", 0755)
            .file("/etc/passwd", "root:x:0:0:root:/root:/bin/sh\n", 0644))
        .layer(l -> l.createdBy("RUN /bin/sh -c apk add --no-cache curl # buildkit")
            .file("/usr/bin/curl", "\u007fELF curl", 0755))
        .layer(l -> l.createdBy("COPY app /app # buildkit").file("/app", "\u007fELF app", 0755))
        .entrypoint("/app")
        .build();
    image.writeOciLayout(dir.resolve("app"), "1.0");
    app = "oci:" + dir.resolve("app") + ":1.0";
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = GoldenReportTest.class.getResourceAsStream(DIR + name)) {
      assertThat(in).as("golden resource %s (create it with -Dimagegate.updateGolden=true)", name).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static String normalise(String json) {
    return json.replace(dir.toString(), "<dir>")
        .replaceFirst("(\"tool\" : \\{\\s*\"name\" : \"imagegate\",\\s*\"version\" : )\"[^\"]*\"", "$1\"<version>\"");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"exceptions, 1", "all-waived, 0"})
  void policyAndImage_giveTheGoldenJsonReport(String name, int exitCode) throws IOException {
    Path policy = dir.resolve(name + ".policy.yaml");
    Files.writeString(policy, resource(name + ".policy.yaml"));
    Cli cli = Cli.run("check", "--quiet", "--format", "json", "--policy", policy.toString(), app);
    assertThat(cli.exitCode()).as(cli.err()).isEqualTo(exitCode);
    String actual = normalise(cli.out());
    String golden = name + ".report.json";
    if (Boolean.getBoolean("imagegate.updateGolden")) {
      Path file = Path.of("src/test/resources/io/imagegate/cli").resolve(DIR + golden);
      Files.createDirectories(file.getParent());
      Files.writeString(file, actual, StandardCharsets.UTF_8);
      return;
    }
    assertThat(actual).as("JSON report against golden file %s", golden).isEqualTo(resource(golden));
  }
}
