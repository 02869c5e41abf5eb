package io.imagegate.rule;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.build.BuiltImage;
import io.imagegate.build.ImageBuilder;
import io.imagegate.report.Finding;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tests for {@link ForbiddenPackagesRule} over dpkg (both layouts) and apk databases. */
class ForbiddenPackagesRuleTest {
  private static final String RULE = "  - id: pkgs\n    type: forbidden-packages\n    names: [apt, dpkg, apk-tools, 'gcc*', '*-dev']\n";

  private static String stanza(String name, String version, String status) {
    return "Package: " + name + "\nStatus: " + status + "\nPriority: optional\nVersion: " + version
        + "\nDescription: " + name + "\n multi-line description\n";
  }

  private static String dpkg(String... stanzas) {
    return String.join("\n", stanzas);
  }

  private static final String BASE_STATUS = dpkg(
      stanza("base-files", "12.4", "install ok installed"),
      stanza("libc6", "2.36-9", "install ok installed"),
      stanza("apt", "2.6.1", "install ok installed"));

  @Test
  void evaluate_dpkgStatus_attributesEachPackageToTheLayerThatInstalledIt() {
    BuiltImage img = ImageBuilder.image()
        .layer(l -> l.createdBy("FROM debian").file("/var/lib/dpkg/status", BASE_STATUS, 0644))
        .layer(l -> l.createdBy("/bin/sh -c apt-get install -y gcc-12 libc6-dev").file("/var/lib/dpkg/status", dpkg(
            stanza("base-files", "12.4", "install ok installed"),
            stanza("libc6", "2.36-9", "install ok installed"),
            stanza("apt", "2.6.1", "install ok installed"),
            stanza("gcc-12", "12.2.0-14", "install ok installed"),
            stanza("libc6-dev", "2.36-9", "install ok installed")), 0644))
        .build();
    List<Finding> f = RuleHarness.findings(img, RULE);
    assertThat(f).extracting(Finding::message).containsExactly(
        "package apt 2.6.1 is installed (dpkg database /var/lib/dpkg/status, entry added by layer 0)",
        "package gcc-12 12.2.0-14 is installed (dpkg database /var/lib/dpkg/status, entry added by layer 1); matches gcc*",
        "package libc6-dev 2.36-9 is installed (dpkg database /var/lib/dpkg/status, entry added by layer 1); matches *-dev");
    assertThat(f.get(1).layer()).get().satisfies(l -> assertThat(l.createdBy()).startsWith("/bin/sh -c apt-get install"));
  }

  @Test
  void evaluate_purgedAndConfigFilesOnly_areNotInstalled() {
    BuiltImage img = ImageBuilder.image()
        .layer(l -> l.file("/var/lib/dpkg/status", BASE_STATUS, 0644))
        .layer(l -> l.createdBy("RUN apt-get purge apt").file("/var/lib/dpkg/status", dpkg(
            stanza("base-files", "12.4", "install ok installed"),
            stanza("libc6", "2.36-9", "install ok installed"),
            stanza("gcc-12", "12.2.0-14", "deinstall ok config-files")), 0644))
        .build();
    assertThat(RuleHarness.messages(img, RULE)).isEmpty();
  }

  @Test
  void evaluate_upgradedPackage_isAttributedToTheUpgradingLayer() {
    BuiltImage img = ImageBuilder.image()
        .layer(l -> l.file("/var/lib/dpkg/status", stanza("gcc-12", "12.1", "install ok installed"), 0644))
        .layer(l -> l.file("/var/lib/dpkg/status", stanza("gcc-12", "12.2", "install ok installed"), 0644))
        .build();
    assertThat(RuleHarness.messages(img, RULE)).singleElement().asString().contains("gcc-12 12.2").contains("added by layer 1");
  }

  @Test
  void evaluate_databaseDeletedByALaterLayer_listsNothing() {
    BuiltImage img = ImageBuilder.image()
        .layer(l -> l.file("/var/lib/dpkg/status", BASE_STATUS, 0644))
        .layer(l -> l.whiteout("/var/lib/dpkg"))
        .build();
    assertThat(RuleHarness.messages(img, RULE)).isEmpty();
  }

  @Test
  void evaluate_distrolessStatusDirectory_oneFilePerPackage() {
    BuiltImage img = ImageBuilder.image()
        .layer(l -> l.createdBy("bazel build //base:static")
            .file("/var/lib/dpkg/status.d/base-files", stanza("base-files", "12.4", "install ok installed"), 0644)
            .file("/var/lib/dpkg/status.d/base-files.md5sums", "d41d8cd98f00b204e9800998ecf8427e  etc/issue\n", 0644)
            .file("/var/lib/dpkg/status.d/libc6", stanza("libc6", "2.36-9", "install ok installed"), 0644)
            .file("/var/lib/dpkg/status.d/libpython3.11-dev", stanza("libpython3.11-dev", "3.11.2-6", "install ok installed"), 0644))
        .layer(l -> l.createdBy("COPY dpkg")
            .file("/var/lib/dpkg/status.d/dpkg", stanza("dpkg", "1.21.22", "install ok installed"), 0644))
        .build();
    List<Finding> f = RuleHarness.findings(img, RULE);
    assertThat(f).extracting(Finding::message).containsExactly(
        "package dpkg 1.21.22 is installed (dpkg database /var/lib/dpkg/status.d/dpkg, entry added by layer 1)",
        "package libpython3.11-dev 3.11.2-6 is installed (dpkg database /var/lib/dpkg/status.d/libpython3.11-dev, entry added by layer 0); matches *-dev");
    assertThat(f.get(0).location().path()).contains("/var/lib/dpkg/status.d/dpkg");
  }

  @Test
  void evaluate_apkInstalled_andExceptions() {
    String installed = "C:Q1abc=\nP:musl\nV:1.2.5-r0\nA:x86_64\n\nC:Q1def=\nP:apk-tools\nV:2.14.4-r0\nA:x86_64\n\n"
        + "P:musl-dev\nV:1.2.5-r0\n";
    BuiltImage img = ImageBuilder.image()
        .layer(l -> l.createdBy("ADD alpine-minirootfs.tar.gz / # buildkit").file("/lib/apk/db/installed", installed, 0644))
        .build();
    assertThat(RuleHarness.messages(img, RULE)).containsExactly(
        "package apk-tools 2.14.4-r0 is installed (apk database /lib/apk/db/installed, entry added by layer 0)",
        "package musl-dev 1.2.5-r0 is installed (apk database /lib/apk/db/installed, entry added by layer 0); matches *-dev");
    assertThat(RuleHarness.messages(img, RULE + "    except: [musl-dev, apk-*]\n")).isEmpty();
  }

  @Test
  void evaluate_rpmDatabase_isUndecidableNotPassed() {
    BuiltImage img = ImageBuilder.image().layer(l -> l.file("/var/lib/rpm/rpmdb.sqlite", "SQLite format 3", 0644)).build();
    assertThat(RuleHarness.messages(img, RULE)).containsExactly(
        "cannot decide which packages are installed: an RPM database is present at /var/lib/rpm/rpmdb.sqlite, which imagegate cannot read");
  }

  @Test
  void evaluate_noDatabase_passes() {
    assertThat(RuleHarness.messages(ImageBuilder.image().layer(l -> l.file("/app", "x", 0755)).build(), RULE)).isEmpty();
  }

  @Test
  void configure_noNames_isALoadError() {
    assertThat(RuleHarness.loadError("  - id: p\n    type: forbidden-packages\n")).contains("at least one package name");
    assertThat(RuleHarness.loadError("  - id: p\n    type: forbidden-packages\n    names: ['gcc[']\n")).contains("bad glob");
  }
}
