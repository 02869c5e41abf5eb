package io.imagegate.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.build.BuiltImage;
import io.imagegate.build.ImageBuilder;
import io.imagegate.image.ImageReference;
import io.imagegate.image.ImageSources;
import io.imagegate.image.PlatformSelection;
import io.imagegate.policy.PackResolver;
import io.imagegate.policy.Policy;
import io.imagegate.policy.PolicyLoader;
import io.imagegate.policy.Severity;
import io.imagegate.report.Finding;
import io.imagegate.report.ImageReport;
import io.imagegate.report.Report;
import io.imagegate.report.Verdict;
import io.imagegate.rule.StandardRuleTypes;
import io.imagegate.scan.LayerCache;
import io.imagegate.scan.ScanLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tests for {@link Gate}: many images per run, shared layers read once, the layer cache. */
class GateTest {
  private static final Policy POLICY = new PolicyLoader(StandardRuleTypes.all(), PackResolver.NONE).load("p.yaml", """
      apiVersion: imagegate/v1
      kind: Policy
      rules:
        - id: no-shell
          type: no-shell
        - id: user
          type: required-user
      """, null);

  @TempDir
  Path dir;

  /** Three images on one two-layer base, each with its own top layer. */
  private List<ImageReference> writeImagesOnSharedBase() throws IOException {
    List<ImageReference> refs = new java.util.ArrayList<>();
    for (int i = 0; i < 3; i++) {
      int n = i;
      BuiltImage img = ImageBuilder.image()
          .layer(l -> l.file("/etc/passwd", "root:x:0:0::/:/bin/false\napp:x:1000:1000::/:/bin/false\n", 0644))
          .layer(l -> l.randomFile("/usr/lib/libbase.so", 300_000, 0755, 1))
          .layer(l -> l.file("/app", "app " + n, 0755).file(n == 1 ? "/bin/sh" : "/bin/true", "x", 0755))
          .user("app")
          .build();
      Path layout = dir.resolve("img" + i);
      img.writeOciLayout(layout, "");
      refs.add(ImageReference.parse("oci:" + layout));
    }
    return refs;
  }

  private static final Consumer<String> QUIET = m -> {};

  @Test
  void check_manyImages_sharedLayersReadOncePerRun_resultsInOrder() throws IOException {
    List<ImageReference> refs = writeImagesOnSharedBase();
    try (Gate gate = new Gate(ImageSources.offline(), ScanLimits.DEFAULT, 2, "t")) {
      Report r = gate.check(refs, PlatformSelection.host(), POLICY, Severity.ERROR, QUIET);
      assertThat(r.images()).extracting(ImageReport::verdict).containsExactly(Verdict.PASS, Verdict.FAIL, Verdict.PASS);
      assertThat(r.images().get(1).findings()).extracting(Finding::message).containsExactly("shell sh is present: /bin/sh");
      // 2 base layers + 3 top layers read; the other 4 base-layer uses were served by the first scans
      assertThat(gate.stats()).isEqualTo(new Gate.Stats(5, 0, 4, 0));
    }
  }

  @Test
  void checkWritten_anUnparsableReference_isAnErrorInItsPlace() throws IOException {
    List<ImageReference> refs = writeImagesOnSharedBase();
    try (Gate gate = new Gate(ImageSources.offline(), ScanLimits.DEFAULT, 2, "t")) {
      Report r = gate.checkWritten(List.of(refs.get(0).text(), "oci:", refs.get(1).text()), PlatformSelection.host(),
          POLICY, Severity.ERROR, io.imagegate.policy.EvaluationContext.NONE, QUIET);
      assertThat(r.images()).extracting(ImageReport::verdict).containsExactly(Verdict.PASS, Verdict.ERROR, Verdict.FAIL);
      assertThat(r.images().get(1).name()).isEqualTo("oci:");
    }
  }

  @Test
  void check_rerunWithCache_doesNotSkipTheBlobPresenceCheck() throws IOException {
    List<ImageReference> refs = writeImagesOnSharedBase();
    LayerCache cache = LayerCache.at(dir.resolve("cache"));
    Report cold;
    try (Gate gate = new Gate(ImageSources.offline(), ScanLimits.DEFAULT, 2, "t", Optional.of(cache))) {
      cold = gate.check(refs, PlatformSelection.host(), POLICY, Severity.ERROR, QUIET);
      assertThat(gate.stats().read()).isEqualTo(5);
    }
    // remove every layer blob: a warm run must not need them
    for (ImageReference ref : refs) {
      Path layout = Path.of(ref.location());
      String index = Files.readString(layout.resolve("index.json"));
      String manifestHex = index.replaceAll("(?s).*sha256:([a-f0-9]{64}).*", "$1");
      String manifest = Files.readString(layout.resolve("blobs/sha256/" + manifestHex));
      String layers = manifest.substring(manifest.indexOf("\"layers\""));
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("sha256:([a-f0-9]{64})").matcher(layers);
      while (m.find()) {
        Files.deleteIfExists(layout.resolve("blobs/sha256/" + m.group(1)));
      }
    }
    try (Gate gate = new Gate(ImageSources.offline(), ScanLimits.DEFAULT, 2, "t", Optional.of(cache))) {
      Report warm = gate.check(refs, PlatformSelection.host(), POLICY, Severity.ERROR, QUIET);
      assertThat(warm.images()).extracting(ImageReport::verdict).containsOnly(Verdict.ERROR);
      assertThat(warm.images().get(0).error()).get().asString().contains("is missing");
    }
    assertThat(cold.images()).extracting(ImageReport::verdict).containsExactly(Verdict.PASS, Verdict.FAIL, Verdict.PASS);
  }

  @Test
  void evaluate_warmCache_sameFindingsWithoutReadingLayers() {
    BuiltImage img = ImageBuilder.image()
        .layer(l -> l.file("/bin/busybox", "BusyBox v1.2", 0755).symlink("/bin/sh", "busybox"))
        .user("0")
        .build();
    int[] opens = {0};
    io.imagegate.image.Image counted = countingOpens(img.toImage("x"), opens);
    LayerCache cache = LayerCache.at(dir.resolve("c"));
    ImageReport cold;
    try (Gate gate = new Gate(ImageSources.offline(), ScanLimits.DEFAULT, 2, "t", Optional.of(cache))) {
      cold = gate.evaluate(counted, POLICY, Severity.ERROR);
    }
    assertThat(opens[0]).isEqualTo(1);
    try (Gate gate = new Gate(ImageSources.offline(), ScanLimits.DEFAULT, 2, "t", Optional.of(cache))) {
      ImageReport warm = gate.evaluate(counted, POLICY, Severity.ERROR);
      assertThat(warm.findings()).isEqualTo(cold.findings());
      assertThat(gate.stats()).isEqualTo(new Gate.Stats(0, 1, 0, 0));
    }
    assertThat(opens[0]).as("no layer blob opened on the warm run").isEqualTo(1);
    assertThat(cold.findings()).extracting(Finding::ruleId).contains("no-shell", "user");
  }

  private static io.imagegate.image.Image countingOpens(io.imagegate.image.Image i, int[] opens) {
    List<io.imagegate.image.Layer> layers = i.layers().stream().map(l -> new io.imagegate.image.Layer(
        l.index(), l.mediaType(), l.blobDigest(), l.blobSize(), l.diffId(), () -> {
          opens[0]++;
          return l.opener().open();
        })).toList();
    return new io.imagegate.image.Image(i.reference(), i.name(), i.manifestDigest(), i.indexDigest(), i.configDigest(),
        i.config(), layers);
  }
}
