package io.imagegate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.build.BuiltImage;
import io.imagegate.build.ImageBuilder;
import io.imagegate.image.Compression;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every bad input gets one clear line naming the file or blob and what is wrong, and the
 * documented exit code: 3 for images that can't be read or verified, 2 for usage and policy errors.
 */
class BadInputTest {
  @TempDir
  static Path dir;

  static BuiltImage image;

  @BeforeAll
  static void build() {
    image = ImageBuilder.image()
        .layer(l -> l.file("/app", "application", 0755).file("/etc/passwd", "app:x:1000:1000::/:/bin/false\n", 0644))
        .layer(l -> l.compression(Compression.GZIP).randomFile("/data", 200_000, 0644, 7))
        .user("app").entrypoint("/app").build();
  }

  /** The one diagnostic line, after checking there is exactly one. */
  private static String oneLine(Cli cli) {
    List<String> errors = cli.errors();
    assertThat(errors).as("stderr: " + cli.err()).hasSize(1);
    return errors.get(0);
  }

  private static Path ociCopy(String name) throws IOException {
    Path d = dir.resolve(name);
    image.writeOciLayout(d, "");
    return d;
  }

  private static Path blob(Path layout, String hex) {
    return layout.resolve("blobs/sha256/" + hex);
  }

  @Test
  void notAnImage_exit3() throws IOException {
    Path junk = dir.resolve("junk.bin");
    Files.write(junk, new byte[] {1, 2, 3, 4, 5});
    Cli cli = Cli.run("check", junk.toString());
    assertThat(cli.exitCode()).isEqualTo(3);
    assertThat(oneLine(cli)).startsWith("imagegate: cannot read image " + junk).contains("not a tar archive");

    Path emptyDir = Files.createDirectories(dir.resolve("empty"));
    Cli dirCli = Cli.run("check", emptyDir.toString());
    assertThat(dirCli.exitCode()).isEqualTo(3);
    assertThat(oneLine(dirCli)).contains("not an image");
  }

  @Test
  void missingFile_exit3() {
    Cli cli = Cli.run("check", "docker-archive:" + dir.resolve("nope.tar"));
    assertThat(cli.exitCode()).isEqualTo(3);
    assertThat(oneLine(cli)).contains("nope.tar: no such file or directory");
  }

  @Test
  void missingBlob_exit3() throws IOException {
    Path layout = ociCopy("missing-blob");
    Files.delete(blob(layout, image.layers().get(1).digest().hex()));
    Cli cli = Cli.run("check", "oci:" + layout);
    assertThat(cli.exitCode()).isEqualTo(3);
    assertThat(oneLine(cli)).contains("layer " + image.layers().get(1).digest() + " is missing from " + layout);
  }

  @Test
  void corruptGzip_exit3() throws IOException {
    Path layout = ociCopy("corrupt-gzip");
    Path b = blob(layout, image.layers().get(1).digest().hex());
    byte[] bytes = Files.readAllBytes(b);
    for (int i = 100; i < 140; i++) {
      bytes[i] ^= (byte) 0x5a;
    }
    Files.write(b, bytes);
    Cli cli = Cli.run("check", "oci:" + layout);
    assertThat(cli.exitCode()).isEqualTo(3);
    assertThat(oneLine(cli)).contains("layer 1 (" + image.layers().get(1).digest() + ")")
        .contains("digest mismatch"); // the root cause, not the gzip or tar error it causes
  }

  @Test
  void layerDigestMismatch_exit3() throws IOException {
    // a classic docker save: layer.tar is verified against the config's diff id
    Path tar = dir.resolve("tampered-layer");
    image.writeDockerArchiveDirectory(tar, BuiltImage.DockerLayout.CLASSIC, "app:1");
    Path layerTar = tar.resolve(image.layers().get(0).diffId().hex() + "/layer.tar");
    String content = Files.readString(layerTar, java.nio.charset.StandardCharsets.ISO_8859_1);
    Files.writeString(layerTar, content.replace("application", "APPLICATION"), java.nio.charset.StandardCharsets.ISO_8859_1);
    Cli cli = Cli.run("check", "docker-archive:" + tar);
    assertThat(cli.exitCode()).isEqualTo(3);
    assertThat(oneLine(cli)).contains("layer 0").contains("digest mismatch").contains(image.layers().get(0).diffId().toString());
  }

  @Test
  void configDigestMismatch_exit3() throws IOException {
    Path layout = ociCopy("tampered-config");
    Path b = blob(layout, image.configDigest().hex());
    Files.writeString(b, Files.readString(b).replace("\"app\"", "\"0pp\"")); // same length: only the digest differs
    Cli cli = Cli.run("check", "oci:" + layout);
    assertThat(cli.exitCode()).isEqualTo(3);
    assertThat(oneLine(cli)).contains("config " + image.configDigest()).contains("digest mismatch");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "yaml syntax | rules: [ | p.yaml:4:1: YAML syntax error: expected the node content",
      "unknown type | rules:\\n  - id: a\\n    type: no-shel | p.yaml:5:11: rules.a.type: unknown rule type 'no-shel'; did you mean 'no-shell'?",
      "unknown key | rules:\\n  - id: a\\n    type: no-shell\\n    shels: [sh] | p.yaml:6:5: rules.a: unknown key 'shels' for type no-shell; did you mean 'shells'?",
      "wrong type | rules:\\n  - id: a\\n    type: max-size\\n    uncompressed: [1MB] | p.yaml:6:19: rules.a.uncompressed: expected a size such as 100MB, 60MiB, 5 GB or 2048, found a list",
  })
  void invalidPolicy_exit2_withFileLineColumn(String name, String body, String expected) throws IOException {
    Path policy = dir.resolve("p.yaml");
    Files.writeString(policy, "apiVersion: imagegate/v1\nkind: Policy\n" + body.replace("\\n", "\n") + "\n");
    Path layout = ociCopy("policy-" + name.replace(' ', '-'));
    Cli cli = Cli.run("check", "--policy", policy.toString(), "oci:" + layout);
    assertThat(cli.exitCode()).isEqualTo(2);
    assertThat(oneLine(cli)).startsWith("imagegate: invalid policy: " + policy.getParent().resolve(expected.trim()));
  }

  @Test
  void usageErrors_exit2() {
    Stream.of(
        new String[] {"check"},
        new String[] {"check", "--format", "xml", "x.tar"},
        new String[] {"check", "--report", "sarif", "x.tar"},
        new String[] {"check", "--fail-on", "fatal", "x.tar"},
        new String[] {"check", "--policy", dir.resolve("absent.yaml").toString(), "x.tar"},
        new String[] {"check", "--platform", "linux", "x.tar"},
        new String[] {"check", "--policy", "no-such-pack", "x.tar"},
        new String[] {"frobnicate"}
    ).forEach(args -> {
      Cli cli = Cli.run(args);
      assertThat(cli.exitCode()).as(String.join(" ", args) + " -> " + cli.err()).isEqualTo(2);
      assertThat(cli.err()).startsWith("imagegate: ");
    });
  }
}
