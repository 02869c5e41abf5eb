package io.imagegate.registry;

import static io.imagegate.registry.RegistryFixtures.OPTIONS;
import static io.imagegate.registry.RegistryFixtures.error;
import static io.imagegate.registry.RegistryFixtures.gateOne;
import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.build.BuiltImage;
import io.imagegate.engine.Gate;
import io.imagegate.image.Compression;
import io.imagegate.image.ImageReference;
import io.imagegate.image.ImageSources;
import io.imagegate.image.Platform;
import io.imagegate.image.PlatformSelection;
import io.imagegate.policy.Severity;
import io.imagegate.report.ImageReport;
import io.imagegate.report.Report;
import io.imagegate.scan.ScanLimits;
import io.imagegate.testing.RegistryProcess;
import io.imagegate.testing.Skopeo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tests for {@link RegistrySource} against a real registry (Debian's {@code docker-registry}), with
 * images built by {@link io.imagegate.build.ImageBuilder} and pushed by {@code skopeo}: whatever comes
 * through the registry must get the same verdicts as the same image read from its OCI layout.
 */
@Tag("registry")
class RegistrySourceIntegrationTest {
  private static final BuiltImage IMAGE = RegistryFixtures.image();
  private static final BuiltImage AMD64 = RegistryFixtures.image("linux/amd64", Compression.GZIP);
  private static final BuiltImage ARM64 = RegistryFixtures.image("linux/arm64", Compression.GZIP);
  private static final BuiltImage ZSTD = RegistryFixtures.image("linux/amd64", Compression.ZSTD);

  @TempDir
  static Path dir;
  private static RegistryProcess registry;

  @BeforeAll
  static void pushImages() throws IOException {
    registry = RegistryProcess.start(dir.resolve("registry"));
    IMAGE.writeOciLayout(dir.resolve("app"), "1");
    Skopeo.push(dir.resolve("app"), "1", registry.url("team/app:1"));
    BuiltImage.writeOciIndexLayout(dir.resolve("multi"), "1", List.of(AMD64, ARM64));
    Skopeo.pushAll(dir.resolve("multi"), "1", registry.url("multi:1"));
    ZSTD.writeOciLayout(dir.resolve("zstd"), "1");
    Skopeo.push(dir.resolve("zstd"), "1", registry.url("zstd:1"));
  }

  @AfterAll
  static void stopRegistry() {
    if (registry != null) {
      registry.close();
    }
  }

  private static List<ImageReport> viaRegistry(String name, PlatformSelection platforms) {
    return RegistryFixtures.gate(OPTIONS, registry.url(name), platforms).images();
  }

  private static List<ImageReport> viaLayout(String layout, PlatformSelection platforms) {
    try (Gate gate = new Gate(ImageSources.offline(), ScanLimits.DEFAULT, 2, "test")) {
      Report r = gate.check(List.of(ImageReference.parse("oci:" + dir.resolve(layout) + ":1")), platforms,
          RegistryFixtures.POLICY, Severity.ERROR, m -> {});
      return r.images();
    }
  }

  /** A report with the names (which say where the image came from) blanked out. */
  private static ImageReport withoutNames(ImageReport r) {
    String platform = r.platform().map(Platform::toString).orElse("");
    return new ImageReport(platform, "", r.manifestDigest(), r.configDigest(), r.platform(), r.compressedSize(),
        r.uncompressedSize(), r.files(), r.layers(), r.findings(), r.error(), r.verdict());
  }

  @Test
  void byTag_sameReportAsOciLayout() {
    List<ImageReport> registryReports = viaRegistry("team/app:1", PlatformSelection.host());
    List<ImageReport> layoutReports = viaLayout("app", PlatformSelection.host());

    assertThat(registryReports).hasSize(1);
    assertThat(registryReports.get(0).error()).isEmpty();
    assertThat(registryReports.get(0).findings()).isNotEmpty();
    assertThat(registryReports.get(0).manifestDigest()).contains(IMAGE.manifestDigest());
    assertThat(registryReports.stream().map(RegistrySourceIntegrationTest::withoutNames))
        .containsExactlyElementsOf(layoutReports.stream().map(RegistrySourceIntegrationTest::withoutNames).toList());
  }

  @Test
  void byDigest_sameImage() {
    ImageReport r = gateOne(OPTIONS, registry.url("team/app@" + IMAGE.manifestDigest()));

    assertThat(r.error()).isEmpty();
    assertThat(r.manifestDigest()).contains(IMAGE.manifestDigest());
    assertThat(r.configDigest()).contains(IMAGE.configDigest());
  }

  @Test
  void tagAndDigest_digestDecides() {
    ImageReport r = gateOne(OPTIONS, registry.url("team/app:no-such-tag@" + IMAGE.manifestDigest()));

    assertThat(r.error()).isEmpty();
    assertThat(r.manifestDigest()).contains(IMAGE.manifestDigest());
  }

  @Test
  void bareNameWithRegistryHost_meansTheRegistry() {
    ImageReport r = gateOne(OPTIONS, registry.host() + "/team/app:1");

    assertThat(r.error()).isEmpty();
    assertThat(r.manifestDigest()).contains(IMAGE.manifestDigest());
  }

  @Test
  void index_explicitPlatform_picksThatManifest() {
    List<ImageReport> r = viaRegistry("multi:1", PlatformSelection.of(Platform.parse("linux/arm64")));

    assertThat(r).singleElement().satisfies(i -> {
      assertThat(i.error()).isEmpty();
      assertThat(i.platform()).contains(Platform.parse("linux/arm64"));
      assertThat(i.manifestDigest()).contains(ARM64.manifestDigest());
    });
  }

  @Test
  void index_defaultPlatform_isTheHosts() {
    List<ImageReport> r = viaRegistry("multi:1", PlatformSelection.host());

    assertThat(r).singleElement().satisfies(i -> assertThat(i.platform()).contains(Platform.host()));
  }

  @Test
  void index_allPlatforms_sameReportsAsOciLayout() {
    List<ImageReport> registryReports = viaRegistry("multi:1", PlatformSelection.allPlatforms());
    List<ImageReport> layoutReports = viaLayout("multi", PlatformSelection.allPlatforms());

    assertThat(registryReports).hasSize(2);
    assertThat(registryReports).extracting(ImageReport::name)
        .containsExactly(registry.url("multi:1") + " (linux/amd64)", registry.url("multi:1") + " (linux/arm64)");
    assertThat(registryReports).allSatisfy(i -> assertThat(i.error()).isEmpty());
    assertThat(registryReports.stream().map(RegistrySourceIntegrationTest::withoutNames))
        .containsExactlyElementsOf(layoutReports.stream().map(RegistrySourceIntegrationTest::withoutNames).toList());
  }

  @Test
  void index_missingPlatform_listsWhatExists() {
    List<ImageReport> r = viaRegistry("multi:1", PlatformSelection.of(Platform.parse("linux/s390x")));

    assertThat(error(r.get(0))).startsWith(registry.host() + "/multi:1: ")
        .contains("no image for platform linux/s390x", "available: linux/amd64, linux/arm64", "--platform");
  }

  @Test
  void zstdLayers_sameReportAsOciLayout() {
    List<ImageReport> registryReports = viaRegistry("zstd:1", PlatformSelection.host());

    assertThat(registryReports.get(0).error()).isEmpty();
    assertThat(registryReports.get(0).manifestDigest()).contains(ZSTD.manifestDigest());
    assertThat(registryReports.stream().map(RegistrySourceIntegrationTest::withoutNames)).containsExactlyElementsOf(
        viaLayout("zstd", PlatformSelection.host()).stream().map(RegistrySourceIntegrationTest::withoutNames).toList());
  }

  @Test
  void unknownTag_manifestUnknown() {
    ImageReport r = gateOne(OPTIONS, registry.url("team/app:2"));

    assertThat(error(r)).isEqualTo(registry.host() + "/team/app:2: manifest unknown: no such tag or digest in the "
        + "repository (404 Not Found: MANIFEST_UNKNOWN: manifest unknown)");
  }

  @Test
  void unknownRepository_manifestUnknown() {
    ImageReport r = gateOne(OPTIONS, registry.url("nobody/here:1"));

    // distribution answers MANIFEST_UNKNOWN here, not NAME_UNKNOWN
    assertThat(error(r)).isEqualTo(registry.host() + "/nobody/here:1: manifest unknown: no such tag or digest in the "
        + "repository (404 Not Found: MANIFEST_UNKNOWN: manifest unknown)");
  }

  @Test
  void severalImagesOfOneRegistry_oneSource_eachReadInFull() {
    ImageReport alone = gateOne(OPTIONS, registry.url("team/app:1"));
    try (Gate gate = new Gate(ImageSources.offline().with(new RegistrySource(OPTIONS)), ScanLimits.DEFAULT, 2, "test")) {
      Report both = gate.check(List.of(ImageReference.parse(registry.url("team/app:1")),
          ImageReference.parse(registry.url("zstd:1"))), PlatformSelection.host(), RegistryFixtures.POLICY,
          Severity.ERROR, m -> {});

      assertThat(both.images()).hasSize(2).allSatisfy(i -> assertThat(i.error()).isEmpty());
      assertThat(both.images().get(0).findings()).isEqualTo(alone.findings());
      assertThat(both.images().get(1).manifestDigest()).contains(ZSTD.manifestDigest());
    }
  }
}
