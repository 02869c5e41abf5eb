package io.imagegate.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.build.BuiltImage;
import io.imagegate.build.BuiltImage.DockerLayout;
import io.imagegate.scan.FileEntry;
import io.imagegate.scan.FileType;
import io.imagegate.scan.Filesystem;
import io.imagegate.scan.LayerIndex;
import io.imagegate.scan.ScanInterest;
import io.imagegate.testing.ContractImage;
import io.imagegate.testing.ExternalTools;
import io.imagegate.testing.ImageSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tests for {@link ImageSources} against images real tools wrote: skopeo converts our
 * {@code docker save} tar into OCI layouts and archives (gzip and zstd) and back, umoci builds a
 * layout with whiteouts and an opaque directory; we must read each as we read our own.
 *
 * <p>Needs skopeo and umoci on the PATH (Debian packages {@code skopeo}, {@code umoci}); skipped
 * without them, except under {@code CI=true}, where a missing tool fails the build.
 */
@Tag("tools")
class ToolInteropTest {
  private static BuiltImage built;
  private static ImageSnapshot expected;

  @TempDir Path tmp;

  @BeforeAll
  static void build() {
    built = ContractImage.build(Compression.GZIP);
    expected = ImageSnapshot.of(built.toImage("memory"));
  }

  /**
   * Runs skopeo with {@code --insecure-policy} (no {@code /etc/containers/policy.json} needed):
   * these copies are between local files the test wrote.
   */
  private static String skopeo(String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(ExternalTools.require("skopeo", "skopeo").toString(),
        "--insecure-policy"));
    command.addAll(List.of(args));
    return ExternalTools.run(command);
  }

  private static String umoci(Path umoci, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(umoci.toString()));
    command.addAll(List.of(args));
    return ExternalTools.run(command);
  }

  private Path classicTar() throws IOException {
    Path tar = tmp.resolve("contract.tar");
    built.writeDockerArchive(tar, DockerLayout.CLASSIC, "contract:1");
    return tar;
  }

  /**
   * Same diff ids, filesystem, captured content and config. A conversion to OCI drops the
   * healthcheck: the OCI image config has no such field, so containers/image leaves it out.
   */
  private static void assertSameAsBuilt(Image image, boolean convertedToOci) {
    ImageSnapshot actual = ImageSnapshot.of(image);
    assertThat(actual.diffIds()).isEqualTo(expected.diffIds());
    assertThat(actual.filesystem()).containsExactlyElementsOf(expected.filesystem());
    assertThat(actual.captured()).isEqualTo(expected.captured());
    assertThat(actual.wastedBytes()).isEqualTo(expected.wastedBytes());
    if (convertedToOci) {
      assertThat(actual.config()).usingRecursiveComparison().ignoringFields("healthcheck").isEqualTo(expected.config());
    } else {
      assertThat(actual.config()).isEqualTo(expected.config());
    }
  }

  private static List<Compression> compressions(Image image) {
    return image.layers().stream().map(l -> {
      try (Layer.LayerStream s = l.open()) {
        return s.compression();
      }
    }).toList();
  }

  @Test
  void skopeo_dockerArchiveToOciDirectoryWithTag_readsTheSame() throws IOException {
    skopeo("copy", "docker-archive:" + classicTar(), "oci:" + tmp.resolve("layout") + ":v1");

    Image image = ImageSnapshot.open("oci:" + tmp.resolve("layout") + ":v1");

    assertSameAsBuilt(image, true);
    assertThat(compressions(image)).containsOnly(Compression.GZIP);
    assertSameAsBuilt(ImageSnapshot.open(tmp.resolve("layout").toString()), true);
  }

  @Test
  void skopeo_dockerArchiveToOciArchive_readsTheSame() throws IOException {
    Path archive = tmp.resolve("contract-oci.tar");
    skopeo("copy", "docker-archive:" + classicTar(), "oci-archive:" + archive + ":v1");

    assertSameAsBuilt(ImageSnapshot.open("oci-archive:" + archive), true);
    assertSameAsBuilt(ImageSnapshot.open("oci-archive:" + archive + ":v1"), true);
    assertSameAsBuilt(ImageSnapshot.open(archive.toString()), true);
  }

  @Test
  void skopeo_dockerArchiveToOciWithZstdLayers_readsTheSame() throws IOException {
    // skopeo 1.9 supports --dest-compress-format zstd for the oci transport
    skopeo("copy", "--dest-compress-format", "zstd", "docker-archive:" + classicTar(),
        "oci:" + tmp.resolve("zstd") + ":v1");

    Image image = ImageSnapshot.open("oci:" + tmp.resolve("zstd") + ":v1");

    assertThat(compressions(image)).containsOnly(Compression.ZSTD);
    assertThat(image.layers()).extracting(Layer::mediaType).containsOnly(MediaTypes.OCI_LAYER_ZSTD);
    assertSameAsBuilt(image, true);
  }

  @Test
  void skopeo_ociBackToDockerArchive_readsTheSame() throws IOException {
    skopeo("copy", "docker-archive:" + classicTar(), "oci:" + tmp.resolve("layout") + ":v1");
    Path back = tmp.resolve("back.tar");
    skopeo("copy", "oci:" + tmp.resolve("layout") + ":v1", "docker-archive:" + back + ":contract:2");

    assertSameAsBuilt(ImageSnapshot.open("docker-archive:" + back), true);
    assertSameAsBuilt(ImageSnapshot.open("docker-archive:" + back + ":contract:2"), true);
    assertSameAsBuilt(ImageSnapshot.open(back.toString()), true);
  }

  @Test
  void skopeo_readsOurDocker25ArchiveAndZstdLayout_andWeReadWhatItWrote() throws IOException {
    Path docker25 = tmp.resolve("docker25.tar");
    built.writeDockerArchive(docker25, DockerLayout.OCI, "contract:1");
    skopeo("copy", "docker-archive:" + docker25, "oci:" + tmp.resolve("from25") + ":v1");
    assertSameAsBuilt(ImageSnapshot.open("oci:" + tmp.resolve("from25") + ":v1"), true);

    // skopeo 1.9 refuses zstd layers for docker-archive ("zstd compression is not supported for
    // docker images"), so it re-compresses our zstd layout into another OCI layout instead
    BuiltImage zstd = ContractImage.build(Compression.ZSTD);
    zstd.writeOciLayout(tmp.resolve("ours-zstd"), "v1");
    skopeo("copy", "--dest-compress-format", "gzip", "oci:" + tmp.resolve("ours-zstd") + ":v1",
        "oci:" + tmp.resolve("regzipped") + ":v1");
    Image image = ImageSnapshot.open("oci:" + tmp.resolve("regzipped") + ":v1");
    assertThat(image.configDigest()).as("an OCI to OCI copy keeps our config bytes").isEqualTo(zstd.configDigest());
    assertThat(compressions(image)).containsOnly(Compression.GZIP);
    assertSameAsBuilt(image, false);
  }

  @Test
  void umoci_layoutWithInsertsWhiteoutAndOpaqueDirectory_readsAsUmociMeantIt() throws IOException {
    Path umoci = ExternalTools.require("umoci", "umoci");
    Path src = Files.createDirectories(tmp.resolve("src/sub"));
    Path hello = Files.writeString(src.resolve("hello.txt"), "hello\n");
    Files.setPosixFilePermissions(hello, PosixFilePermissions.fromString("rwxr-x---"));
    Files.createSymbolicLink(tmp.resolve("src/link"), Path.of("sub/hello.txt"));
    Path src2 = Files.createDirectories(tmp.resolve("src2"));
    Files.writeString(src2.resolve("fresh.txt"), "new\n");
    String image = tmp.resolve("layout") + ":base";

    umoci(umoci, "init", "--layout", tmp.resolve("layout").toString());
    umoci(umoci, "new", "--image", image);
    umoci(umoci, "config", "--image", image, "--config.user", "app", "--config.entrypoint", "/app/run",
        "--config.env", "MODE=umoci", "--architecture", "arm64");
    umoci(umoci, "insert", "--image", image, tmp.resolve("src").toString(), "/opt/inserted");
    umoci(umoci, "insert", "--image", image, "--whiteout", "/opt/inserted/link");
    umoci(umoci, "insert", "--image", image, "--opaque", src2.toString(), "/opt/inserted");

    Image read = ImageSnapshot.open("oci:" + image);
    ImageSnapshot snapshot = ImageSnapshot.of(read);

    assertThat(read.config().user()).isEqualTo("app");
    assertThat(read.config().entrypoint()).containsExactly("/app/run");
    assertThat(read.config().env()).contains("MODE=umoci");
    assertThat(read.platform()).contains(Platform.parse("linux/arm64"));
    assertThat(read.layers()).hasSize(3);
    assertThat(read.config().layerHistory()).hasSize(3);

    long uid = ((Number) Files.getAttribute(hello, "unix:uid")).longValue();
    List<LayerIndex> layers = ImageSnapshot.scan(read, ScanInterest.paths("/opt/inserted/sub/hello.txt"));
    Filesystem first = Filesystem.merge(layers.subList(0, 1));
    assertThat(first.get("/opt/inserted/sub/hello.txt")).hasValueSatisfying(e -> {
      assertThat(e.type()).isEqualTo(FileType.FILE);
      assertThat(e.mode()).isEqualTo(0750);
      assertThat(e.size()).isEqualTo(6);
      assertThat(e.uid()).isEqualTo(uid);
    });
    assertThat(first.content("/opt/inserted/link")).hasValueSatisfying(b -> assertThat(new String(b)).isEqualTo("hello\n"));
    assertThat(Filesystem.merge(layers.subList(0, 2)).get("/opt/inserted/link")).as("whited out").isEmpty();

    // umoci's tars omit /opt: it exists implicitly
    assertThat(snapshot.filesystem()).extracting(FileEntry::path)
        .containsExactly("/opt/inserted", "/opt/inserted/fresh.txt");
    Filesystem merged = Filesystem.merge(layers);
    assertThat(merged.resolve("/opt/inserted/fresh.txt").status()).isEqualTo(Filesystem.Resolution.Status.FOUND);
    assertThat(merged.wastedBytes(0)).isEqualTo(6);
  }
}
