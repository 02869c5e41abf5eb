package io.imagegate.rule;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.build.BuiltImage;
import io.imagegate.build.ImageBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tests for {@link FilePermissionsRule}. */
class FilePermissionsRuleTest {
  private static List<String> messages(BuiltImage img, String params) {
    return RuleHarness.messages(img, "  - id: perms\n    type: file-permissions\n" + params);
  }

  private static final String ONLY_SETUID = "    world-writable: false\n    root-owned: false\n";
  private static final String ONLY_WRITABLE = "    setuid: false\n    root-owned: false\n";
  private static final String ONLY_OWNER = "    setuid: false\n    world-writable: false\n";

  @Test
  void evaluate_cleanImage_passes() {
    BuiltImage img = ImageBuilder.image().layer(l -> l.dir("/tmp", 01777).dir("/var/tmp", 01777)
        .file("/usr/bin/app", "x", 0755).file("/etc/passwd", "x", 0644)).build();
    assertThat(messages(img, "")).isEmpty();
  }

  @Test
  void evaluate_setuidAndSetgid_failUnlessAllowed() {
    BuiltImage img = ImageBuilder.image().layer(l -> l.file("/usr/bin/passwd", "x", 04755).file("/usr/bin/wall", "x", 02755)
        .file("/usr/bin/both", "x", 06755).dir("/var/mail", 02775)).build();
    assertThat(messages(img, ONLY_SETUID)).containsExactly(
        "/usr/bin/both is setuid and setgid (mode 6755, owner uid 0)",
        "/usr/bin/passwd is setuid (mode 4755, owner uid 0)",
        "/usr/bin/wall is setgid (mode 2755, owner uid 0)");
    assertThat(messages(img, ONLY_SETUID + "    setuid-allowed: [/usr/bin/passwd, /usr/bin/wall, /usr/bin/both]\n")).isEmpty();
    assertThat(messages(img, "    setuid: false\n" + ONLY_SETUID.replace("    world-writable: false\n    root-owned: false\n", "    world-writable: false\n"))).isEmpty();
  }

  @Test
  void evaluate_stickyWorldWritableTmp_passes_nonStickyElsewhereFails() {
    BuiltImage img = ImageBuilder.image().layer(l -> l.dir("/tmp", 01777).dir("/var/tmp", 01777)
        .dir("/app/uploads", 0777).file("/app/config.yaml", "x", 0666).symlink("/app/link", "config.yaml")).build();
    assertThat(messages(img, ONLY_WRITABLE)).containsExactly(
        "/app/config.yaml is world-writable (mode 0666)",
        "directory /app/uploads is world-writable without the sticky bit (mode 0777): any user can replace or delete what others put there");
    assertThat(messages(img, ONLY_WRITABLE + "    world-writable-allowed: [/app/uploads, /app/*.yaml]\n")).isEmpty();
  }

  @Test
  void evaluate_tmpWithoutStickyBit_fails() {
    BuiltImage img = ImageBuilder.image().layer(l -> l.dir("/tmp", 0777)).build();
    assertThat(messages(img, ONLY_WRITABLE)).singleElement().asString().startsWith("directory /tmp is world-writable without the sticky bit");
  }

  @Test
  void evaluate_nonRootOwnerInSystemPaths_failsWithLayer() {
    BuiltImage img = ImageBuilder.image()
        .layer(l -> l.file("/usr/bin/ls", "x", 0755))
        .layer(l -> l.createdBy("COPY --chown=app . /").owner(1000, 1000).file("/usr/bin/app", "x", 0755)
            .file("/etc/app.conf", "x", 0644).file("/home/app/data", "x", 0644))
        .build();
    var findings = RuleHarness.findings(img, "  - id: perms\n    type: file-permissions\n" + ONLY_OWNER);
    assertThat(findings).extracting(f -> f.message()).containsExactly(
        "/etc/app.conf is owned by uid 1000, not root", "/usr/bin/app is owned by uid 1000, not root");
    assertThat(findings.get(0).layer()).get().satisfies(l -> assertThat(l.createdBy()).isEqualTo("COPY --chown=app . /"));
    assertThat(messages(img, ONLY_OWNER + "    owner-allowed: [/etc/app.conf, /usr/bin/app]\n")).isEmpty();
    assertThat(messages(img, ONLY_OWNER + "    system-paths: [/home]\n")).containsExactly("/home/app/data is owned by uid 1000, not root");
  }

  @Test
  void evaluate_setuidRemovedByALaterLayer_passes() {
    BuiltImage img = ImageBuilder.image()
        .layer(l -> l.file("/usr/bin/su", "x", 04755))
        .layer(l -> l.file("/usr/bin/su", "x", 0755))
        .build();
    assertThat(messages(img, ONLY_SETUID)).isEmpty();
  }

  @Test
  void configure_everythingOff_isALoadError() {
    assertThat(RuleHarness.loadError("  - id: p\n    type: file-permissions\n    setuid: false\n    world-writable: false\n    root-owned: false\n"))
        .contains("every check switched off");
    assertThat(RuleHarness.loadError("  - id: p\n    type: file-permissions\n    setuid: maybe\n")).contains("expected true or false");
  }
}
