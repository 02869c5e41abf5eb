package io.imagegate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagegate.build.BuiltImage;
import io.imagegate.build.ImageBuilder;
import io.imagegate.build.SeedImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End-to-end tests for {@link CheckCommand}: images shaped like the seed's four examples, written
 * in every offline format, gated through the command line with the default policy; verdicts,
 * findings and exit codes asserted.
 */
class CheckCommandTest {
  @TempDir
  static Path dir;

  static String fatPython;
  static String fatGo;
  static String minimalPython;
  static String scratchGo;

  private static final ObjectMapper JSON = new ObjectMapper();

  @BeforeAll
  static void writeImages() throws IOException {
    // each seed image in a different format, so the CLI path of every source is exercised
    SeedImages.fatPython().writeOciArchive(dir.resolve("python-fat.oci.tar"), "latest");
    fatPython = "oci-archive:" + dir.resolve("python-fat.oci.tar");
    SeedImages.fatGo().writeOciLayout(dir.resolve("go-fat"), "1.0");
    fatGo = "oci:" + dir.resolve("go-fat") + ":1.0";
    SeedImages.minimalPython().writeDockerArchive(dir.resolve("python-minimal.tar"), BuiltImage.DockerLayout.CLASSIC,
        "python-minimal:0.0.1");
    minimalPython = "docker-archive:" + dir.resolve("python-minimal.tar");
    SeedImages.scratchGo().writeDockerArchive(dir.resolve("go-scratch.tar"), BuiltImage.DockerLayout.OCI,
        "go-scratch:0.0.1");
    scratchGo = dir.resolve("go-scratch.tar").toString(); // bare path: sniffed
  }

  private static JsonNode json(Cli cli) throws IOException {
    return JSON.readTree(cli.out());
  }

  /** rule id → sorted locations, for one image of a JSON report. */
  private static Map<String, List<String>> findings(JsonNode image) {
    Map<String, List<String>> out = new TreeMap<>();
    for (JsonNode f : image.path("findings")) {
      out.computeIfAbsent(f.path("ruleId").asText(), k -> new ArrayList<>()).add(f.path("location").asText());
    }
    out.values().forEach(l -> l.sort(null));
    return out;
  }

  @Test
  void check_fatPython_failsEveryRuleOfMinimal_exit1() throws IOException {
    Cli cli = Cli.run("check", "--format", "json", fatPython);
    assertThat(cli.exitCode()).as(cli.err()).isEqualTo(1);
    JsonNode image = json(cli).path("images").get(0);
    assertThat(image.path("verdict").asText()).isEqualToIgnoringCase("fail");
    assertThat(findings(image)).isEqualTo(Map.of(
        "no-compilers", List.of("/usr/bin/gcc", "/usr/bin/make"),
        "no-network-tools", List.of("/usr/bin/curl", "/usr/bin/wget"),
        "no-package-managers", List.of("/usr/bin/apt", "/usr/bin/apt-get", "/usr/bin/dpkg", "/usr/local/bin/pip",
            "/usr/local/bin/pip3"),
        "no-shell", List.of("/bin/bash", "/bin/dash", "/bin/sh"),
        "non-root-user", List.of("config User"),
        "size-budget", List.of("image")));
    JsonNode curl = StreamSupport.stream(image.path("findings").spliterator(), false)
        .filter(f -> f.path("path").asText().equals("/usr/bin/curl")).findFirst().orElseThrow();
    assertThat(curl.path("message").asText()).isEqualTo("curl is present: /usr/bin/curl");
    assertThat(curl.path("layer").path("index").asInt()).isEqualTo(1);
    assertThat(curl.path("layer").path("createdBy").asText()).contains("apt-get install");
    JsonNode size = StreamSupport.stream(image.path("findings").spliterator(), false)
        .filter(f -> f.path("ruleId").asText().equals("size-budget")).findFirst().orElseThrow();
    assertThat(size.path("message").asText()).startsWith("uncompressed size 892.0 MB exceeds the budget of 100.0 MB");
  }

  @Test
  void check_fatGo_fails_exit1() throws IOException {
    Cli cli = Cli.run("check", "--format", "json", fatGo);
    assertThat(cli.exitCode()).as(cli.err()).isEqualTo(1);
    assertThat(findings(json(cli).path("images").get(0)).keySet()).containsExactly(
        "no-compilers", "no-network-tools", "no-package-managers", "no-shell", "non-root-user", "size-budget");
  }

  @Test
  void check_minimalImages_pass_exit0() throws IOException {
    for (String image : List.of(minimalPython, scratchGo)) {
      Cli cli = Cli.run("check", "--format", "json", image);
      assertThat(cli.exitCode()).as(image + ": " + cli.err()).isZero();
      JsonNode report = json(cli);
      assertThat(report.path("verdict").asText()).isEqualToIgnoringCase("pass");
      assertThat(report.path("images").get(0).path("findings")).isEmpty();
    }
  }

  @Test
  void check_allFour_worstVerdictWins_andEveryFormatFromOneRun() throws IOException {
    Path sarif = dir.resolve("out/gate.sarif");
    Path jsonFile = dir.resolve("out/gate.json");
    Cli cli = Cli.run("check", fatPython, minimalPython, fatGo, scratchGo,
        "--report", "sarif=" + sarif, "--report", "json=" + jsonFile);
    assertThat(cli.exitCode()).as(cli.err()).isEqualTo(1);
    assertThat(cli.out()).contains("FAIL").contains("PASS").contains("2 of 4 images");
    JsonNode report = JSON.readTree(jsonFile.toFile());
    assertThat(report.path("images")).extracting(i -> i.path("verdict").asText().toLowerCase())
        .containsExactly("fail", "pass", "fail", "pass");
    JsonNode runs = JSON.readTree(sarif.toFile()).path("runs");
    assertThat(runs).hasSize(4);
    assertThat(runs.get(1).path("results").isArray()).isTrue();
    assertThat(runs.get(1).path("results")).isEmpty();
    assertThat(cli.err()).contains("imagegate: checking");
  }

  @Test
  void check_cacheDir_secondRunReadsNoLayers(@TempDir Path cache) throws IOException {
    Cli cold = Cli.run("check", "--cache-dir", cache.toString(), minimalPython, scratchGo);
    assertThat(cold.exitCode()).as(cold.err()).isZero();
    assertThat(cold.err()).contains("layers: 6 read, 0 from cache, 0 shared between images; images: 0 result(s) from cache");
    Cli warm = Cli.run("check", "--cache-dir", cache.toString(), minimalPython, scratchGo);
    assertThat(warm.exitCode()).isZero();
    // same image, same rules: the results themselves come from the cache
    assertThat(warm.err()).contains("layers: 0 read, 0 from cache, 0 shared between images; images: 2 result(s) from cache");
    assertThat(warm.out()).isEqualTo(cold.out());
    // other rules with the same scan: the results are computed again, from the cached layer indexes
    Path policy = cache.resolveSibling(cache.getFileName() + "-policy.yaml");
    Files.writeString(policy, """
        apiVersion: imagegate/v1
        kind: Policy
        extends: [minimal]
        rules:
          - id: non-root-user
            severity: warning
        """);
    Cli otherRules = Cli.run("check", "--cache-dir", cache.toString(), "--policy", policy.toString(), minimalPython,
        scratchGo);
    assertThat(otherRules.exitCode()).as(otherRules.err()).isZero();
    assertThat(otherRules.err()).contains("layers: 0 read, 6 from cache, 0 shared between images; images: 0 result(s) from cache");
    // the policy file passed the schema: recorded, so the next run skips compiling the schema
    try (java.util.stream.Stream<Path> markers = Files.walk(cache.resolve("policies"))) {
      assertThat(markers.filter(Files::isRegularFile)).hasSize(1);
    }
    assertThat(Cli.run("check", "--cache-dir", cache.toString(), "--no-cache", scratchGo).exitCode()).isEqualTo(2);
  }

  @Test
  void check_prunesCacheEntriesUnusedForAMonth(@TempDir Path cache) throws IOException {
    Path stale = cache.resolve("layers/v1/0123456789abcdef/sha256-00.idx");
    Files.createDirectories(stale.getParent());
    Files.write(stale, new byte[] {1});
    Files.setLastModifiedTime(stale, java.nio.file.attribute.FileTime.from(
        java.time.Instant.now().minus(CheckCommand.CACHE_UNUSED).minus(java.time.Duration.ofDays(1))));
    Cli cli = Cli.run("check", "-q", "--cache-dir", cache.toString(), scratchGo);
    assertThat(cli.exitCode()).as(cli.err()).isZero();
    assertThat(stale).doesNotExist();
    assertThat(cache.resolve(".pruned")).exists();
    try (java.util.stream.Stream<Path> files = Files.walk(cache.resolve("layers"))) {
      assertThat(files.filter(p -> p.toString().endsWith(".idx"))).as("this run's entries stay").isNotEmpty();
    }
  }

  @Test
  void check_quiet_printsNoProgress() {
    Cli cli = Cli.run("check", "-q", scratchGo);
    assertThat(cli.exitCode()).isZero();
    assertThat(cli.err()).isEmpty();
  }

  @Test
  void check_failOn_decidesWhichSeverityFails(@TempDir Path tmp) throws IOException {
    Path policy = tmp.resolve("p.yaml");
    Files.writeString(policy, """
        apiVersion: imagegate/v1
        kind: Policy
        rules:
          - id: shell
            type: no-shell
            severity: warning
        """);
    BuiltImage img = ImageBuilder.image().layer(l -> l.file("/bin/sh", "x", 0755)).user("1000").build();
    Path tar = tmp.resolve("img.tar");
    img.writeOciArchive(tar, "");
    assertThat(Cli.run("check", "-q", "--policy", policy.toString(), "oci-archive:" + tar).exitCode()).isZero();
    assertThat(Cli.run("check", "-q", "--policy", policy.toString(), "--fail-on", "warning", "oci-archive:" + tar)
        .exitCode()).isEqualTo(1);
    Files.writeString(policy, Files.readString(policy).replace("kind: Policy\n", "kind: Policy\nfailOn: warning\n"));
    assertThat(Cli.run("check", "-q", "--policy", policy.toString(), "oci-archive:" + tar).exitCode()).isEqualTo(1);
    assertThat(Cli.run("check", "-q", "--policy", policy.toString(), "--fail-on", "error", "oci-archive:" + tar)
        .exitCode()).isZero();
  }

  @Test
  void help_listsExitCodes() {
    Cli cli = Cli.run("check", "--help");
    assertThat(cli.exitCode()).isZero();
    assertThat(cli.out()).contains("Exit codes:").contains("0   the policy holds")
        .contains("1   the policy is violated at or above --fail-on").contains("2   bad usage or invalid policy")
        .contains("3   an image could not be read or verified");
  }

  @Test
  void rules_documentsEveryType() {
    Cli cli = Cli.run("rules");
    assertThat(cli.exitCode()).isZero();
    assertThat(cli.out()).contains("max-size").contains("forbidden-files").contains("required-user").contains("no-shell")
        .contains("How to fix:");
    assertThat(Cli.run("rules", "no-such-type").exitCode()).isEqualTo(2);
  }

  @Test
  void demo_failsFatAndPassesMinimal_exit0() {
    Cli cli = Cli.run("demo", "--format", "json", "-q");
    assertThat(cli.exitCode()).as(cli.err()).isZero();
    assertThat(cli.out()).contains("demo/python-fat").contains("demo/go-scratch");
  }
}
