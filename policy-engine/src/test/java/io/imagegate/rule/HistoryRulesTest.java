package io.imagegate.rule;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.build.BuiltImage;
import io.imagegate.build.ImageBuilder;
import io.imagegate.report.Finding;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tests for {@link ForbiddenInstructionsRule} and the history parsing of {@link History}. */
class HistoryRulesTest {
  private static final String RULE = "  - id: cis-4.9\n    type: forbidden-instructions\n    instructions: [ADD]\n";

  @Test
  void evaluate_baseRootfsAdd_isAllowed_copyPasses() {
    BuiltImage img = ImageBuilder.image()
        .layer(l -> l.createdBy("/bin/sh -c #(nop) ADD file:0f1e2d3c4b5a in / ").file("/bin/true", "x", 0755))
        .layer(l -> l.createdBy("ADD alpine-minirootfs-3.20.1-x86_64.tar.gz / # buildkit").file("/etc/alpine-release", "3.20", 0644))
        .layer(l -> l.createdBy("COPY app /app # buildkit").file("/app", "x", 0755))
        .build();
    assertThat(RuleHarness.messages(img, RULE)).isEmpty();
    assertThat(RuleHarness.messages(img, RULE + "    allow-base-rootfs: false\n")).hasSize(2);
  }

  @Test
  void evaluate_addOfAnArchiveOrUrl_failsNamingTheLayer() {
    BuiltImage img = ImageBuilder.image()
        .layer(l -> l.createdBy("/bin/sh -c #(nop) ADD file:0f1e in / ").file("/bin/true", "x", 0755))
        .emptyHistory("/bin/sh -c #(nop) WORKDIR /app")
        .layer(l -> l.createdBy("ADD https://example.com/tool.tgz /opt/ # buildkit").file("/opt/tool", "x", 0755))
        .layer(l -> l.createdBy("/bin/sh -c #(nop) ADD dir:abc in /app ").file("/app/x", "x", 0644))
        .build();
    List<Finding> f = RuleHarness.findings(img, RULE);
    assertThat(f).extracting(Finding::message).containsExactly(
        "history entry 2 (layer 1) uses ADD: ADD https://example.com/tool.tgz /opt/ # buildkit",
        "history entry 3 (layer 2) uses ADD: ADD dir:abc in /app");
    assertThat(f.get(0).layer()).get().satisfies(l -> assertThat(l.index()).isEqualTo(1));
  }

  @Test
  void evaluate_otherInstructions_classicAndBuildkit() {
    BuiltImage img = ImageBuilder.image()
        .layer(l -> l.createdBy("/bin/sh -c apt-get update").file("/a", "x", 0644))
        .layer(l -> l.createdBy("|1 V=2 /bin/sh -c make").file("/b", "x", 0644))
        .layer(l -> l.createdBy("RUN /bin/sh -c make install # buildkit").file("/c", "x", 0644))
        .emptyHistory("/bin/sh -c #(nop)  MAINTAINER someone")
        .build();
    assertThat(RuleHarness.messages(img, "  - id: i\n    type: forbidden-instructions\n    instructions: [run, MAINTAINER]\n"))
        .hasSize(4).allMatch(m -> m.contains(" uses RUN") || m.contains(" uses MAINTAINER"));
  }

  @Test
  void configure_unknownInstruction_isALoadError() {
    assertThat(RuleHarness.loadError("  - id: i\n    type: forbidden-instructions\n    instructions: [FETCH]\n"))
        .contains("'FETCH' is not a Dockerfile instruction");
  }
}
