package io.imagegate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.build.BuiltImage;
import io.imagegate.build.SeedImages;
import io.imagegate.testing.RegistryProcess;
import io.imagegate.testing.Skopeo;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tests for {@code imagegate check docker://…}: registry options, credentials from stdin, exit codes. */
@Tag("registry")
class CheckRegistryTest {
  private static final BuiltImage PASSING = SeedImages.scratchGo();
  private static final BuiltImage MULTI_AMD64 = io.imagegate.build.ImageBuilder.image().platform("linux/amd64")
      .layer(l -> l.file("/etc/passwd", "app:x:999:999::/:/nonexistent\n", 0644)).user("app").build();
  private static final BuiltImage MULTI_ARM64 = io.imagegate.build.ImageBuilder.image().platform("linux/arm64")
      .layer(l -> l.file("/etc/passwd", "app:x:999:999::/:/nonexistent\n", 0644)).user("app").build();

  @TempDir
  static Path dir;
  private static RegistryProcess registry;

  @BeforeAll
  static void start() throws IOException {
    registry = RegistryProcess.startWithHtpasswd(dir.resolve("registry"), "alice", "s3cret");
    PASSING.writeOciLayout(dir.resolve("go"), "1");
    Skopeo.push(dir.resolve("go"), "1", registry.url("go:1"), "alice", "s3cret");
    BuiltImage.writeOciIndexLayout(dir.resolve("multi"), "1", java.util.List.of(MULTI_AMD64, MULTI_ARM64));
    Skopeo.pushAll(dir.resolve("multi"), "1", registry.url("multi:1"), "alice", "s3cret");
  }

  @AfterAll
  static void stop() {
    if (registry != null) {
      registry.close();
    }
  }

  private record Run(int exit, String out, String err) {}

  private static Run check(String stdin, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String[] all = new String[args.length + 1];
    all[0] = "check";
    System.arraycopy(args, 0, all, 1, args.length);
    int exit = Main.run(Cli.cleanEnvironment(), new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), new PrintWriter(out, true),
        new PrintWriter(err, true), all);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void passwordFromStdin_passingImage_exit0() {
    Run r = check("s3cret\n", "--username", "alice", "--password-stdin", registry.url("go:1"));

    assertThat(r.exit()).as(r.err()).isEqualTo(0);
  }

  @Test
  void wrongPassword_exit3_namesTheSourceNotTheSecret() {
    Run r = check("not-it\n", "--username", "alice", "--password-stdin", registry.url("go:1"));

    assertThat(r.exit()).isEqualTo(3);
    assertThat(r.err()).contains("unauthorized", "user 'alice' from --username/--password-stdin").doesNotContain("not-it");
  }

  @Test
  void usernameWithoutPasswordStdin_exit2() {
    Run r = check("", "--username", "alice", registry.url("go:1"));

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--username needs --password-stdin");
  }

  @Test
  void rerunWithCache_readsOnlyManifestsAndConfigs_sameReport(@TempDir Path cache) {
    String[] args = {"--username", "alice", "--password-stdin", "--all-platforms", "--cache-dir", cache.toString(),
        "--format", "json", registry.url("multi:1")};
    Run cold = check("s3cret\n", args);
    Run warm = check("s3cret\n", args);

    assertThat(cold.exit()).as(cold.err()).isZero();
    // both platforms carry the same layer: read once
    assertThat(cold.err()).contains("layers: 1 read, 0 from cache, 1 shared between images; images: 0 result(s) from cache");
    assertThat(warm.exit()).as(warm.err()).isZero();
    assertThat(warm.err()).contains("layers: 0 read, 0 from cache, 0 shared between images; images: 2 result(s) from cache");
    assertThat(warm.out()).as("the JSON report carries no timings: identical").isEqualTo(cold.out());
  }

  @Test
  void missingPlatform_exit3_listsWhatExists() {
    Run r = check("s3cret", "--username", "alice", "--password-stdin", "--platform", "linux/s390x", registry.url("multi:1"));

    assertThat(r.exit()).isEqualTo(3);
    assertThat(r.err()).contains("no image for platform linux/s390x", "available: linux/amd64, linux/arm64");
  }

  @Test
  void allPlatforms_eachChecked_exit0() {
    Run r = check("s3cret", "--username", "alice", "--password-stdin", "--all-platforms", registry.url("multi:1"));

    assertThat(r.exit()).as(r.err()).isEqualTo(0);
    assertThat(r.err()).contains("(linux/amd64)", "(linux/arm64)");
  }

  @Test
  void insecureRegistry_schemeAccepted_pathRefused() {
    Run ok = check("s3cret", "--username", "alice", "--password-stdin", "--insecure-registry", "http://" + registry.host() + "/",
        registry.url("go:1"));
    Run bad = check("", "--insecure-registry", "registry.lan/v2", registry.url("go:1"));

    assertThat(ok.exit()).as(ok.err()).isEqualTo(0);
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.err()).contains("--insecure-registry expects HOST[:PORT], got 'registry.lan/v2'");
  }

  @Test
  void malformedReference_exit3_beforeAnyNetwork() {
    Run r = check("", "docker://" + registry.host() + "/Team/App:1");

    assertThat(r.exit()).isEqualTo(3);
    assertThat(r.err()).contains("bad repository name 'Team/App'");
  }
}
