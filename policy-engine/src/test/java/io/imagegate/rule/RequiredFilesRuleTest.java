package io.imagegate.rule;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.build.BuiltImage;
import io.imagegate.build.ImageBuilder;
import org.junit.jupiter.api.Test;

/** Tests for {@link RequiredFilesRule}. */
class RequiredFilesRuleTest {
  private static final String CA = "/etc/ssl/certs/ca-certificates.crt";
  private static final String RULE = "  - id: files\n    type: required-files\n    paths: [" + CA + ", '/usr/share/zoneinfo/**']\n";

  @Test
  void evaluate_pathAndGlobPresent_passes() {
    BuiltImage img = ImageBuilder.image()
        .layer(l -> l.file(CA, "-----BEGIN CERTIFICATE-----\n", 0644).file("/usr/share/zoneinfo/UTC", "TZif", 0644)).build();
    assertThat(RuleHarness.messages(img, RULE)).isEmpty();
  }

  @Test
  void evaluate_symlinkToThePath_counts() {
    BuiltImage img = ImageBuilder.image()
        .layer(l -> l.file("/etc/pki/tls/certs/ca-bundle.crt", "x", 0644).symlink(CA, "/etc/pki/tls/certs/ca-bundle.crt")
            .file("/usr/share/zoneinfo/UTC", "TZif", 0644)).build();
    assertThat(RuleHarness.messages(img, RULE)).isEmpty();
  }

  @Test
  void evaluate_missingDanglingAndUnmatched_eachFail() {
    BuiltImage missing = ImageBuilder.image().layer(l -> l.file("/app", "x", 0755)).build();
    assertThat(RuleHarness.messages(missing, RULE)).containsExactly(
        "required file " + CA + " is missing", "no path matches the required /usr/share/zoneinfo/**");
    BuiltImage dangling = ImageBuilder.image()
        .layer(l -> l.symlink(CA, "/gone").file("/usr/share/zoneinfo/UTC", "TZif", 0644)).build();
    assertThat(RuleHarness.messages(dangling, RULE)).containsExactly("required file " + CA + " is a dangling symlink (-> /gone)");
  }

  @Test
  void evaluate_deletedByALaterLayer_isMissing() {
    BuiltImage img = ImageBuilder.image()
        .layer(l -> l.file(CA, "x", 0644).file("/usr/share/zoneinfo/UTC", "TZif", 0644))
        .layer(l -> l.whiteout(CA))
        .build();
    assertThat(RuleHarness.messages(img, RULE)).containsExactly("required file " + CA + " is missing");
  }

  @Test
  void configure_relativeOrNoPath_isALoadError() {
    assertThat(RuleHarness.loadError("  - id: f\n    type: required-files\n    paths: [etc/passwd]\n")).contains("not an absolute path");
    assertThat(RuleHarness.loadError("  - id: f\n    type: required-files\n")).contains("at least one path");
  }
}
