package io.imagegate.rule;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.build.BuiltImage;
import io.imagegate.build.ImageBuilder;
import io.imagegate.report.Finding;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tests for {@link ForbiddenFilesRule}. */
class ForbiddenFilesRuleTest {
  private static List<String> messages(BuiltImage img, String params) {
    return RuleHarness.findings(img, "  - id: ff\n    type: forbidden-files\n" + params).stream()
        .map(Finding::message).toList();
  }

  @Test
  void evaluate_namedExecutable_found() {
    BuiltImage img = ImageBuilder.image().layer(l -> l.file("/usr/bin/curl", "x", 0755).file("/usr/bin/ls", "x", 0755)).build();
    assertThat(messages(img, "    names: [curl, wget]\n")).containsExactly("curl is present: /usr/bin/curl");
  }

  @Test
  void evaluate_busyboxAppletLink_countsAsApplet() {
    BuiltImage img = ImageBuilder.image()
        .layer(l -> l.file("/bin/busybox", "BusyBox v1", 0755).symlink("/bin/wget", "busybox").symlink("/usr/bin/nc", "/bin/busybox"))
        .build();
    assertThat(messages(img, "    names: [wget, nc]\n")).containsExactly(
        "wget is present: /bin/wget -> /bin/busybox (busybox applet)",
        "nc is present: /usr/bin/nc -> /bin/busybox (busybox applet)");
  }

  @Test
  void evaluate_hardLinkApplet_found() {
    BuiltImage img = ImageBuilder.image()
        .layer(l -> l.file("/bin/busybox", "BusyBox v1", 0755))
        .layer(l -> l.hardlink("/bin/wget", "/bin/busybox", 0755))
        .build();
    assertThat(messages(img, "    names: [wget]\n")).containsExactly("wget is present: /bin/wget -> /bin/busybox (busybox applet)");
  }

  @Test
  void evaluate_curlUnderOpaqueDirectory_passes() {
    BuiltImage img = ImageBuilder.image()
        .layer(l -> l.dir("/usr/bin", 0755).file("/usr/bin/curl", "x", 0755))
        .layer(l -> l.dir("/usr/bin", 0755).opaque("/usr/bin").file("/usr/bin/app", "x", 0755))
        .build();
    assertThat(messages(img, "    names: [curl]\n")).isEmpty();
  }

  @Test
  void evaluate_curlDeletedByWhiteout_passes() {
    BuiltImage img = ImageBuilder.image()
        .layer(l -> l.file("/usr/bin/curl", "x", 0755))
        .layer(l -> l.whiteout("/usr/bin/curl"))
        .build();
    assertThat(messages(img, "    names: [curl]\n")).isEmpty();
  }

  @Test
  void evaluate_pathGlobs_matchAndCollapseSubtrees() {
    BuiltImage img = ImageBuilder.image()
        .layer(l -> l.file("/usr/bin/libfoo-dev", "x", 0644)
            .dir("/app/.git", 0755).file("/app/.git/config", "x", 0644).file("/app/.git/HEAD", "x", 0644)
            .file("/app/main.py", "x", 0644))
        .build();
    List<String> m = messages(img, "    paths: ['/usr/bin/*-dev', '**/.git/**']\n");
    assertThat(m).containsExactlyInAnyOrder(
        "/usr/bin/libfoo-dev matches the forbidden path /usr/bin/*-dev",
        "/app/.git/HEAD matches the forbidden path **/.git/**",
        "/app/.git/config matches the forbidden path **/.git/**");
  }

  @Test
  void evaluate_findingPointsAtLayerThatAddedIt() {
    BuiltImage img = ImageBuilder.image()
        .layer(l -> l.createdBy("FROM base").file("/bin/true", "x", 0755))
        .layer(l -> l.createdBy("RUN apt-get install -y curl").file("/usr/bin/curl", "x", 0755))
        .build();
    Finding f = RuleHarness.findings(img, "  - id: ff\n    type: forbidden-files\n    names: [curl]\n").get(0);
    assertThat(f.layer()).get().satisfies(l -> {
      assertThat(l.index()).isEqualTo(1);
      assertThat(l.createdBy()).isEqualTo("RUN apt-get install -y curl");
    });
  }
}
