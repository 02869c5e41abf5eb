package io.imagegate.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.build.ImageBuilder;
import io.imagegate.facts.Baseline;
import io.imagegate.image.Image;
import io.imagegate.image.ImageSources;
import io.imagegate.image.Layer;
import io.imagegate.policy.EvaluationContext;
import io.imagegate.policy.PackResolver;
import io.imagegate.policy.Policy;
import io.imagegate.policy.PolicyLoader;
import io.imagegate.policy.Severity;
import io.imagegate.report.Finding;
import io.imagegate.report.ImageReport;
import io.imagegate.report.Verdict;
import io.imagegate.rule.StandardRuleTypes;
import io.imagegate.scan.LayerCache;
import io.imagegate.scan.ScanLimits;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tests for {@link ResultCache} through the {@link Gate}: a rerun reads no layer and reports the
 * same; anything the outcome depends on misses; exceptions and the day are applied after.
 */
class ResultCacheTest {
  private static final String RULES = """
      apiVersion: imagegate/v1
      kind: Policy
      rules:
        - id: no-shell
          type: no-shell
        - id: user
          type: required-user
        - id: size
          type: max-size
          uncompressed: 10MB
      """;
  private static final Clock DEC_1 = Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC);
  private static final Clock JAN_2 = Clock.fixed(Instant.parse("2027-01-02T10:00:00Z"), ZoneOffset.UTC);

  @TempDir
  Path dir;

  private int opens;

  private static Policy policy(String text) {
    return new PolicyLoader(StandardRuleTypes.all(), PackResolver.NONE).load("p.yaml", text, null);
  }

  /** A busybox image run as root, with history, and a second layer: findings with layer refs. */
  private Image image(String name) {
    Image built = ImageBuilder.image()
        .layer(l -> l.file("/bin/busybox", "BusyBox v1.36", 0755).symlink("/bin/sh", "busybox"))
        .layer(l -> l.file("/app/run", "#!/bin/sh\n", 0755))
        .user("0")
        .build().toImage(name);
    List<Layer> layers = built.layers().stream().map(l -> new Layer(l.index(), l.mediaType(), l.blobDigest(),
        l.blobSize(), l.diffId(), () -> {
          opens++;
          return l.opener().open();
        })).toList();
    return new Image(built.reference(), built.name(), built.manifestDigest(), built.indexDigest(), built.configDigest(),
        built.config(), layers);
  }

  private Gate gate(String code, Clock clock) {
    return new Gate(ImageSources.offline(), ScanLimits.DEFAULT, 2, "t", Optional.empty(),
        Optional.of(ResultCache.at(dir.resolve("cache"), code)), clock);
  }

  private ImageReport evaluate(String code, Image image, Policy policy, EvaluationContext context, Clock clock) {
    try (Gate gate = gate(code, clock)) {
      return gate.evaluate(image, policy, Severity.ERROR, context).withElapsed(Duration.ZERO);
    }
  }

  @Test
  void rerun_readsNoLayer_andReportsExactlyWhatTheColdRunDid() {
    Image image = image("app");
    Policy policy = policy(RULES);
    ImageReport cold = evaluate("v1", image, policy, EvaluationContext.NONE, DEC_1);
    assertThat(opens).isEqualTo(2);
    ImageReport warm;
    try (Gate gate = gate("v1", DEC_1)) {
      warm = gate.evaluate(image, policy, Severity.ERROR).withElapsed(Duration.ZERO);
      assertThat(gate.stats()).isEqualTo(new Gate.Stats(0, 0, 0, 1));
    }
    assertThat(opens).as("no layer opened on the rerun").isEqualTo(2);
    assertThat(warm).isEqualTo(cold);
    // what the entry must carry: findings with layer refs and history, per-layer facts
    assertThat(cold.findings()).extracting(Finding::ruleId).containsOnly("no-shell", "user");
    assertThat(cold.findings()).anySatisfy(f -> assertThat(f.layer()).isPresent());
    assertThat(cold.layers()).hasSize(2).allSatisfy(l -> assertThat(l.history()).isPresent());
    assertThat(cold.files()).isPositive();
  }

  @Test
  void whatTheOutcomeDependsOn_misses() {
    Image image = image("app");
    Policy policy = policy(RULES);
    evaluate("v1", image, policy, EvaluationContext.NONE, DEC_1);
    assertThat(opens).isEqualTo(2);
    // other code
    evaluate("v2", image, policy, EvaluationContext.NONE, DEC_1);
    assertThat(opens).isEqualTo(4);
    // a rule's parameter
    ImageReport bigger = evaluate("v1", image, policy(RULES.replace("10MB", "10B")), EvaluationContext.NONE, DEC_1);
    assertThat(opens).isEqualTo(6);
    assertThat(bigger.findings()).extracting(Finding::ruleId).contains("size");
    // a rule's severity
    evaluate("v1", image, policy(RULES.replace("type: no-shell", "type: no-shell\n    severity: warning")),
        EvaluationContext.NONE, DEC_1);
    assertThat(opens).isEqualTo(8);
    // a baseline
    evaluate("v1", image, policy, EvaluationContext.withBaseline(new Baseline("old", 1, 1)), DEC_1);
    assertThat(opens).isEqualTo(10);
    // another image
    Image other = ImageBuilder.image().layer(l -> l.file("/x", "y", 0644)).build().toImage("app");
    assertThat(evaluate("v1", other, policy, EvaluationContext.NONE, DEC_1).findings())
        .extracting(Finding::ruleId).containsExactly("user");
    // and the first again: still there
    evaluate("v1", image, policy, EvaluationContext.NONE, DEC_1);
    assertThat(opens).isEqualTo(10);
  }

  @Test
  void exceptions_areAppliedToCachedFindings_forTheDayAndTheImageName() {
    Policy waived = policy(RULES + """
        exceptions:
          - rule: no-shell
            images: [app]
            reason: the entrypoint is a script (PLAT-1)
            until: 2026-12-31
        """);
    ImageReport inForce = evaluate("v1", image("app"), waived, EvaluationContext.NONE, DEC_1);
    assertThat(opens).isEqualTo(2);
    assertThat(inForce.findings()).filteredOn(f -> f.ruleId().equals("no-shell")).allMatch(Finding::suppressed);
    // the same image under another name: the exception does not name it
    ImageReport otherName = evaluate("v1", image("other"), waived, EvaluationContext.NONE, DEC_1);
    // expired: the cached finding counts again
    ImageReport expired = evaluate("v1", image("app"), waived, EvaluationContext.NONE, JAN_2);
    assertThat(opens).as("both reruns came from the cache").isEqualTo(2);
    assertThat(otherName.findings()).filteredOn(f -> f.ruleId().equals("no-shell")).noneMatch(Finding::suppressed);
    assertThat(expired.findings()).filteredOn(f -> f.ruleId().equals("no-shell")).noneMatch(Finding::suppressed);
    // editing the exceptions is no reason to scan again
    evaluate("v1", image("app"), policy(RULES), EvaluationContext.NONE, DEC_1);
    assertThat(opens).isEqualTo(2);
  }

  @Test
  void corruptOrForeignEntry_isIgnored_andRebuilt() throws IOException {
    Image image = image("app");
    Policy policy = policy(RULES);
    ImageReport cold = evaluate("v1", image, policy, EvaluationContext.NONE, DEC_1);
    Path entry;
    try (Stream<Path> files = Files.walk(dir.resolve("cache"))) {
      entry = files.filter(p -> p.toString().endsWith(".res")).findFirst().orElseThrow();
    }
    byte[] bytes = Files.readAllBytes(entry);
    bytes[bytes.length / 2] ^= 0x5a;
    Files.write(entry, bytes);
    assertThat(evaluate("v1", image, policy, EvaluationContext.NONE, DEC_1)).isEqualTo(cold);
    assertThat(opens).as("the corrupt entry was not trusted").isEqualTo(4);
    assertThat(evaluate("v1", image, policy, EvaluationContext.NONE, DEC_1)).isEqualTo(cold);
    assertThat(opens).as("and was rewritten").isEqualTo(4);

    // a sound entry under another key's name (copied by hand) is refused too
    Image other = ImageBuilder.image().layer(l -> l.file("/x", "y", 0644)).build().toImage("app");
    ResultCache cache = ResultCache.at(dir.resolve("cache"), "v1");
    Path otherEntry = cache.file(cache.key(other, policy, EvaluationContext.NONE, ScanLimits.DEFAULT));
    Files.createDirectories(otherEntry.getParent());
    Files.copy(entry, otherEntry);
    assertThat(evaluate("v1", other, policy, EvaluationContext.NONE, DEC_1).findings())
        .extracting(Finding::ruleId).containsExactly("user");
  }

  @Test
  void unreadableImage_isNotCached() {
    Image good = image("app");
    List<Layer> broken = good.layers().stream().map(l -> new Layer(l.index(), l.mediaType(), l.blobDigest(),
        l.blobSize(), l.diffId(), () -> {
          opens++;
          return new ByteArrayInputStream(new byte[] {1, 2, 3});
        })).toList();
    Image bad = new Image(good.reference(), good.name(), good.manifestDigest(), good.indexDigest(),
        good.configDigest(), good.config(), broken);
    Policy policy = policy(RULES);
    assertThat(evaluate("v1", bad, policy, EvaluationContext.NONE, DEC_1).verdict()).isEqualTo(Verdict.ERROR);
    int after = opens;
    assertThat(evaluate("v1", bad, policy, EvaluationContext.NONE, DEC_1).verdict()).isEqualTo(Verdict.ERROR);
    assertThat(opens).as("the failure was not remembered").isGreaterThan(after);
  }

  @Test
  void withLayerCacheToo_aResultMissStillUsesCachedLayers() {
    Image image = image("app");
    LayerCache layers = LayerCache.at(dir.resolve("cache"));
    ResultCache results = ResultCache.at(dir.resolve("cache"), "v1");
    try (Gate gate = new Gate(ImageSources.offline(), ScanLimits.DEFAULT, 2, "t", Optional.of(layers),
        Optional.of(results), DEC_1)) {
      gate.evaluate(image, policy(RULES), Severity.ERROR);
    }
    try (Gate gate = new Gate(ImageSources.offline(), ScanLimits.DEFAULT, 2, "t", Optional.of(layers),
        Optional.of(results), DEC_1)) {
      // a severity change: same scan interest, another result
      gate.evaluate(image, policy(RULES.replace("id: user\n    type: required-user",
          "id: user\n    type: required-user\n    severity: warning")), Severity.ERROR);
      assertThat(gate.stats()).isEqualTo(new Gate.Stats(0, 2, 0, 0));
    }
    assertThat(opens).isEqualTo(2);
  }
}
