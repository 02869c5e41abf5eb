package io.imagegate.rule;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.build.BuiltImage;
import io.imagegate.build.ImageBuilder;
import io.imagegate.build.LayerBuilder;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Tests for {@link BaseImageRule}. */
class BaseImageRuleTest {
  private static final String NAME = "org.opencontainers.image.base.name";
  private static final String DIGEST = "org.opencontainers.image.base.digest";
  private static final String D1 = "sha256:" + "a".repeat(64);
  private static final String D2 = "sha256:" + "b".repeat(64);

  private static final Consumer<LayerBuilder> BASE_LAYER_0 = l -> l.file("/etc/os-release", "ID=distroless\n", 0644);
  private static final Consumer<LayerBuilder> BASE_LAYER_1 = l -> l.file("/etc/ssl/certs/ca-certificates.crt", "certs", 0644);

  private static BuiltImage app(UnaryOperator<ImageBuilder> labels) {
    return labels.apply(ImageBuilder.image().layer(BASE_LAYER_0).layer(BASE_LAYER_1).layer(l -> l.file("/app", "x", 0755))).build();
  }

  private static List<String> messages(BuiltImage img, String allowed) {
    return RuleHarness.messages(img, "  - id: base\n    type: base-image\n    allowed:\n" + allowed);
  }

  @Test
  void evaluate_nameLabelMatchingAGlob_passes_otherBaseFails() {
    String allowed = "      - name: gcr.io/distroless/*\n";
    assertThat(messages(app(b -> b.label(NAME, "gcr.io/distroless/static-debian12:nonroot")), allowed)).isEmpty();
    assertThat(messages(app(b -> b.label(NAME, "docker.io/library/ubuntu:22.04")), allowed)).containsExactly(
        "base image docker.io/library/ubuntu:22.04 is not approved (approved: gcr.io/distroless/*)");
  }

  @Test
  void evaluate_dockerHubShortNamesAndTags_normalise() {
    String allowed = "      - name: 'alpine:3.*'\n";
    assertThat(messages(app(b -> b.label(NAME, "docker.io/library/alpine:3.20")), allowed)).isEmpty();
    assertThat(messages(app(b -> b.label(NAME, "alpine:3.19")), allowed)).isEmpty();
    assertThat(messages(app(b -> b.label(NAME, "alpine:edge")), allowed)).hasSize(1);
    assertThat(messages(app(b -> b.label(NAME, "ghcr.io/acme/alpine:3.20")), allowed)).hasSize(1);
  }

  @Test
  void evaluate_digest_mustMatchTheDigestLabel() {
    String allowed = "      - name: gcr.io/distroless/static\n        digest: " + D1 + "\n";
    assertThat(messages(app(b -> b.label(NAME, "gcr.io/distroless/static:latest").label(DIGEST, D1)), allowed)).isEmpty();
    assertThat(messages(app(b -> b.label(NAME, "gcr.io/distroless/static:latest").label(DIGEST, D2)), allowed)).hasSize(1);
    assertThat(messages(app(b -> b.label(NAME, "gcr.io/distroless/static:latest")), allowed)).hasSize(1);
    assertThat(messages(app(b -> b.label(DIGEST, D1)), "      - digest: " + D1 + "\n")).isEmpty();
  }

  @Test
  void evaluate_leadingDiffIds_proveTheBaseWithoutLabels() {
    BuiltImage base = ImageBuilder.image().layer(BASE_LAYER_0).layer(BASE_LAYER_1).build();
    String allowed = "      - diff-ids: [" + base.layers().get(0).diffId() + ", " + base.layers().get(1).diffId() + "]\n";
    assertThat(messages(app(b -> b), allowed)).isEmpty();
    BuiltImage other = ImageBuilder.image().layer(BASE_LAYER_0).layer(l -> l.file("/etc/other", "x", 0644))
        .layer(l -> l.file("/app", "x", 0755)).build();
    assertThat(messages(other, allowed)).singleElement().asString().startsWith("cannot tell the base image: the image has no "
        + NAME + " or " + DIGEST + " label, and its layers do not start with the diff ids of an approved base");
  }

  @Test
  void evaluate_untrustedLabels_needDiffIds() {
    BuiltImage base = ImageBuilder.image().layer(BASE_LAYER_0).layer(BASE_LAYER_1).build();
    BuiltImage claims = ImageBuilder.image().layer(l -> l.file("/etc/os-release", "ID=ubuntu\n", 0644))
        .layer(l -> l.file("/app", "x", 0755)).label(NAME, "gcr.io/distroless/static:nonroot").build();
    String allowed = "      - name: gcr.io/distroless/*\n        diff-ids: [" + base.layers().get(0).diffId() + "]\n";
    assertThat(messages(claims, allowed)).isEmpty();
    assertThat(RuleHarness.messages(claims, "  - id: base\n    type: base-image\n    trust-labels: false\n    allowed:\n" + allowed))
        .singleElement().asString().startsWith("base image cannot be verified: the labels say gcr.io/distroless/static:nonroot");
    assertThat(RuleHarness.messages(app(b -> b), "  - id: base\n    type: base-image\n    trust-labels: false\n    allowed:\n" + allowed))
        .isEmpty();
  }

  @Test
  void configure_badEntries_areLoadErrorsWithPositions() {
    assertThat(RuleHarness.loadError("  - id: base\n    type: base-image\n    allowed:\n      - nmae: alpine\n"))
        .startsWith("test.yaml:7:9: rules.base.allowed[0]: unknown key 'nmae'; did you mean 'name'?");
    assertThat(RuleHarness.loadError("  - id: base\n    type: base-image\n    allowed:\n      - digest: sha256:123\n"))
        .startsWith("test.yaml:7:17: rules.base.allowed[0].digest: malformed sha256 digest");
    assertThat(RuleHarness.loadError("  - id: base\n    type: base-image\n    allowed: [alpine]\n"))
        .contains("rules.base.allowed[0]: expected a mapping");
    assertThat(RuleHarness.loadError("  - id: base\n    type: base-image\n")).contains("at least one approved base");
  }
}
