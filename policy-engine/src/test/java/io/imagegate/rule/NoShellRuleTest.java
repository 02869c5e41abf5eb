package io.imagegate.rule;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.build.BuiltImage;
import io.imagegate.build.ImageBuilder;
import io.imagegate.report.Finding;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tests for {@link NoShellRule}. */
class NoShellRuleTest {
  private static final String RULE = "  - id: no-shell\n    type: no-shell\n";
  private static final byte[] BUSYBOX = "\u007fELF....BusyBox v1.36.1 (2024-01-01) multi-call binary.".getBytes();

  private static List<Finding> findings(BuiltImage img) {
    return RuleHarness.findings(img, RULE);
  }

  @Test
  void evaluate_noShell_passes() {
    BuiltImage img = ImageBuilder.image().layer(l -> l.file("/app", "x", 0755)).entrypoint("/app").build();
    assertThat(findings(img)).isEmpty();
  }

  @Test
  void evaluate_shellFile_failsWithPathAndLayer() {
    BuiltImage img = ImageBuilder.image()
        .layer(l -> l.file("/app", "x", 0755))
        .layer(l -> l.createdBy("RUN apk add bash").file("/bin/bash", "x", 0755))
        .build();
    List<Finding> f = findings(img);
    assertThat(f).singleElement().satisfies(x -> {
      assertThat(x.message()).isEqualTo("shell bash is present: /bin/bash");
      assertThat(x.location().path()).contains("/bin/bash");
      assertThat(x.layer()).get().satisfies(l -> {
        assertThat(l.index()).isEqualTo(1);
        assertThat(l.createdBy()).isEqualTo("RUN apk add bash");
      });
    });
  }

  @Test
  void evaluate_nonExecutableNamedSh_passes() {
    BuiltImage img = ImageBuilder.image().layer(l -> l.file("/usr/share/doc/sh", "docs", 0644)).build();
    assertThat(findings(img)).isEmpty();
  }

  @Test
  void evaluate_busyboxAppletSymlink_failsAsApplet() {
    BuiltImage img = ImageBuilder.image()
        .layer(l -> l.file("/bin/busybox", BUSYBOX, 0755).symlink("/bin/sh", "busybox"))
        .build();
    assertThat(findings(img)).extracting(Finding::message).containsExactlyInAnyOrder(
        "shell busybox is present: /bin/busybox",
        "shell sh is present: /bin/sh -> /bin/busybox (busybox applet)");
  }

  @Test
  void evaluate_busyboxAppletHardlink_fails() {
    BuiltImage img = ImageBuilder.image()
        .layer(l -> l.file("/bin/busybox", BUSYBOX, 0755).hardlink("/bin/ash", "/bin/busybox", 0755))
        .build();
    assertThat(findings(img)).extracting(Finding::message).contains("shell ash is present: /bin/ash -> /bin/busybox (busybox applet)");
  }

  @Test
  void evaluate_renamedBusybox_foundByContent() {
    BuiltImage img = ImageBuilder.image().layer(l -> l.file("/usr/local/bin/tools", BUSYBOX, 0755)).build();
    assertThat(findings(img)).extracting(Finding::message)
        .containsExactly("a busybox binary (which provides sh) is present at /usr/local/bin/tools");
  }

  @Test
  void evaluate_shellRemovedByLaterWhiteout_passes() {
    BuiltImage img = ImageBuilder.image()
        .layer(l -> l.file("/bin/dash", "x", 0755).symlink("/bin/sh", "dash"))
        .layer(l -> l.whiteout("/bin/dash").whiteout("/bin/sh"))
        .build();
    assertThat(findings(img)).isEmpty();
  }

  @Test
  void evaluate_shellUnderOpaqueDirectory_passes() {
    BuiltImage img = ImageBuilder.image()
        .layer(l -> l.dir("/bin", 0755).file("/bin/bash", "x", 0755))
        .layer(l -> l.dir("/bin", 0755).opaque("/bin").file("/bin/app", "x", 0755))
        .build();
    assertThat(findings(img)).isEmpty();
  }

  @Test
  void evaluate_danglingShellSymlink_passes() {
    BuiltImage img = ImageBuilder.image().layer(l -> l.symlink("/bin/sh", "/bin/gone")).build();
    assertThat(findings(img)).isEmpty();
  }

  @Test
  void evaluate_shellThroughSymlinkedDirectory_found() {
    // merged-/usr layout: /bin -> usr/bin, and sh -> dash inside it
    BuiltImage img = ImageBuilder.image()
        .layer(l -> l.symlink("/bin", "usr/bin").file("/usr/bin/dash", "x", 0755).symlink("/usr/bin/sh", "/bin/dash"))
        .build();
    assertThat(findings(img)).extracting(Finding::message).containsExactlyInAnyOrder(
        "shell dash is present: /usr/bin/dash",
        "shell sh is present: /usr/bin/sh -> /usr/bin/dash");
  }

  @Test
  void evaluate_symlinkLoop_reportedAsUndecidable() {
    BuiltImage img = ImageBuilder.image().layer(l -> l.symlink("/bin/sh", "/bin/sh2").symlink("/bin/sh2", "/bin/sh")).build();
    assertThat(findings(img)).extracting(Finding::message)
        .containsExactly("cannot decide whether shell sh is present: /bin/sh (symlink loop: cannot tell what it runs)");
  }

  @Test
  void evaluate_shellFormCmd_fails() {
    BuiltImage img = ImageBuilder.image().layer(l -> l.file("/app", "x", 0755))
        .cmd("/bin/sh", "-c", "exec /app").build();
    assertThat(findings(img)).singleElement().satisfies(f -> {
      assertThat(f.message()).startsWith("CMD is in shell form (/bin/sh -c ...)");
      assertThat(f.location().configField()).contains("Cmd");
    });
  }

  @Test
  void evaluate_shellFormEntrypoint_fails_execFormPasses() {
    BuiltImage shellForm = ImageBuilder.image().layer(l -> l.file("/app", "x", 0755))
        .entrypoint("/bin/sh", "-c", "/app").build();
    assertThat(findings(shellForm)).extracting(f -> f.location().configField().orElse(""))
        .containsExactly("Entrypoint");
    BuiltImage execForm = ImageBuilder.image().layer(l -> l.file("/app", "x", 0755))
        .entrypoint("/app").cmd("/bin/sh", "-c", "ignored: these are arguments to /app").build();
    assertThat(findings(execForm)).isEmpty();
  }

  @Test
  void evaluate_customShellList_onlyThose() {
    BuiltImage img = ImageBuilder.image().layer(l -> l.file("/bin/bash", "x", 0755).file("/bin/zsh", "x", 0755)).build();
    List<Finding> f = RuleHarness.findings(img, "  - id: s\n    type: no-shell\n    shells: [zsh]\n");
    assertThat(f).extracting(Finding::message).containsExactly("shell zsh is present: /bin/zsh");
  }
}
