package io.imagegate.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.build.BuiltImage;
import io.imagegate.scan.FileEntry;
import io.imagegate.scan.FileType;
import io.imagegate.scan.Filesystem;
import io.imagegate.testing.ContractImage;
import io.imagegate.testing.ImageFormat;
import io.imagegate.testing.ImageSnapshot;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Tests for {@link ImageSources}: the contract every offline source keeps. The same built image
 * ({@link ContractImage}) is written in every form ({@link ImageFormat}) with every layer
 * compression, opened through the reference a user would type, and must give the same config,
 * diff ids and merged filesystem as the image read straight from memory.
 */
class ImageSourceContractTest {

  /** How the contract image's layers are compressed. */
  enum LayerCompression {
    GZIP(Compression.GZIP, Compression.GZIP, Compression.GZIP),
    ZSTD(Compression.ZSTD, Compression.ZSTD, Compression.ZSTD),
    NONE(Compression.NONE, Compression.NONE, Compression.NONE),
    MIXED(Compression.GZIP, Compression.ZSTD, Compression.NONE);

    final List<Compression> perLayer;

    LayerCompression(Compression... perLayer) {
      this.perLayer = List.of(perLayer);
    }
  }

  private static final Map<LayerCompression, BuiltImage> BUILT = new EnumMap<>(LayerCompression.class);
  private static ImageSnapshot expected;

  @BeforeAll
  static void build() {
    for (LayerCompression c : LayerCompression.values()) {
      BUILT.put(c, ContractImage.build(c.perLayer));
    }
    expected = ImageSnapshot.of(BUILT.get(LayerCompression.GZIP).toImage("memory"));
  }

  static Stream<Arguments> sources() {
    return Arrays.stream(ImageFormat.values())
        .flatMap(f -> Arrays.stream(LayerCompression.values()).map(c -> Arguments.of(f, c)));
  }

  @Test
  void inMemoryImage_hasTheFilesystemTheLayersDescribe() {
    Map<String, FileEntry> fs = byPath(expected.filesystem());
    assertThat(fs).doesNotContainKeys("/var/cache", "/var/cache/blob.bin", "/var/cache/zeros", "/etc/shadow",
        "/opt/old/a.txt", "/opt/old/sub", "/opt/old/sub/b.txt");
    assertThat(fs).containsKeys("/var", "/opt/old", "/app/empty");
    assertThat(fs.get("/opt/old/new.txt").layer()).isEqualTo(1);
    assertThat(fs.get("/opt/old").layer()).isZero();
    assertThat(fs.get(ContractImage.LONG_PATH)).extracting(FileEntry::type, FileEntry::size)
        .containsExactly(FileType.FILE, 9L);
    assertThat(fs.get("/opt/long-link")).extracting(FileEntry::type, FileEntry::linkTarget)
        .containsExactly(FileType.SYMLINK, ContractImage.LONG_TARGET);
    assertThat(fs.get("/home/big/owned")).extracting(FileEntry::uid, FileEntry::gid, FileEntry::mode)
        .containsExactly((long) ContractImage.BIG_UID, (long) ContractImage.BIG_GID, 0600);
    assertThat(fs.get("/usr/bin/tool-link")).extracting(FileEntry::type, FileEntry::linkTarget)
        .containsExactly(FileType.HARDLINK, "/usr/bin/tool");
    assertThat(fs.get("/bin")).extracting(FileEntry::type, FileEntry::linkTarget)
        .containsExactly(FileType.SYMLINK, "usr/bin");
    assertThat(fs.get("/usr/bin/su").mode()).isEqualTo(04755);
    assertThat(fs.get("/app/run")).extracting(FileEntry::uid, FileEntry::gid, FileEntry::layer)
        .containsExactly(1000L, 1000L, 2);
    assertThat(fs.get("/etc/passwd")).extracting(FileEntry::layer, FileEntry::size)
        .containsExactly(1, (long) ContractImage.PASSWD_FINAL.length());
    assertThat(expected.captured()).containsEntry("/etc/passwd", ContractImage.PASSWD_FINAL)
        .containsEntry("/opt/old/new.txt", "same layer child")
        .containsKey("/app/run");
    long lowerWasted = ContractImage.PASSWD_BASE.length() + ContractImage.CACHE_FILE_SIZE + 4096
        + "root:*:19000:0:99999:7:::\n".length() + "lower a".length() + "lower b".length();
    assertThat(expected.wastedBytes()).containsExactly(lowerWasted, 0L, 0L);
    assertThat(expected.config().user()).isEqualTo("app");
    assertThat(expected.config().entrypoint()).containsExactly("/app/run");
    assertThat(expected.config().history()).hasSize(4).filteredOn(HistoryEntry::emptyLayer).hasSize(1);
    assertThat(expected.diffIds()).hasSize(3).doesNotHaveDuplicates();
  }

  @ParameterizedTest(name = "{0}, {1} layers")
  @MethodSource("sources")
  void open_givesTheBuiltConfigAndDiffIds(ImageFormat format, LayerCompression compression, @TempDir Path dir)
      throws IOException {
    BuiltImage built = BUILT.get(compression);
    Image image = ImageSnapshot.open(format.write(built, dir));

    assertThat(image.configDigest()).isEqualTo(built.configDigest());
    assertThat(image.config()).isEqualTo(expected.config());
    assertThat(image.config().diffIds()).isEqualTo(expected.diffIds());
    assertThat(image.layers()).extracting(Layer::diffId).isEqualTo(expected.diffIds());
    assertThat(image.platform()).contains(new Platform("linux", "amd64", ""));
  }

  @ParameterizedTest(name = "{0}, {1} layers")
  @MethodSource("sources")
  void scan_givesTheSameMergedFilesystem(ImageFormat format, LayerCompression compression, @TempDir Path dir)
      throws IOException {
    ImageSnapshot actual = ImageSnapshot.of(ImageSnapshot.open(format.write(BUILT.get(compression), dir)));

    assertThat(actual.filesystem()).containsExactlyElementsOf(expected.filesystem());
    assertThat(actual.captured()).isEqualTo(expected.captured());
    assertThat(actual.wastedBytes()).isEqualTo(expected.wastedBytes());
    assertThat(actual).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}, {1} layers")
  @MethodSource("sources")
  void open_describesEachLayerBlob(ImageFormat format, LayerCompression compression, @TempDir Path dir)
      throws IOException {
    BuiltImage built = BUILT.get(compression);
    Image image = ImageSnapshot.open(format.write(built, dir));

    for (Layer layer : image.layers()) {
      BuiltImage.BuiltLayer b = built.layers().get(layer.index());
      try (Layer.LayerStream in = layer.open()) {
        in.transferTo(OutputStream.nullOutputStream());
        assertThat(in.finish()).isEqualTo(b.uncompressedSize());
        if (format.keepsCompression()) {
          assertThat(in.compression()).isEqualTo(compression.perLayer.get(layer.index()));
          assertThat(layer.blobDigest()).contains(b.digest());
          assertThat(layer.blobSize()).isEqualTo(b.blob().length);
        } else {
          // docker save stores layers uncompressed: the blob is the tar itself
          assertThat(in.compression()).isEqualTo(Compression.NONE);
          assertThat(layer.blobSize()).isEqualTo(b.uncompressedSize());
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(value = ImageFormat.class, names = {"OCI", "OCI_TAGGED", "OCI_ARCHIVE", "PATH_OCI"})
  void open_ociLayoutWithDockerMediaTypes_givesTheSameImage(ImageFormat format, @TempDir Path dir) throws IOException {
    BuiltImage docker = ContractImage.buildWithDockerMediaTypes();
    Image image = ImageSnapshot.open(format.write(docker, dir));

    assertThat(image.layers()).extracting(Layer::mediaType).containsOnly(MediaTypes.DOCKER_LAYER_GZIP);
    assertThat(ImageSnapshot.of(image)).isEqualTo(expected);
  }

  @Test
  void resolve_inTheContractImage_followsLinksInsideTheRoot() {
    Filesystem fs = Filesystem.merge(ImageSnapshot.scan(BUILT.get(LayerCompression.MIXED).toImage("m"),
        ImageSnapshot.CAPTURED));
    assertThat(fs.resolve("/bin/sh").resolved()).isEqualTo("/usr/bin/tool");
    assertThat(fs.resolve("/opt/long-link").entry()).map(FileEntry::path).contains(ContractImage.LONG_PATH);
    assertThat(fs.entries()).extracting(FileEntry::path).doesNotHaveDuplicates()
        .isSortedAccordingTo(String::compareTo);
    assertThat(fs.get("/usr/bin/tool").map(FileEntry::markers)).contains(Set.of());
  }

  private static Map<String, FileEntry> byPath(List<FileEntry> entries) {
    Map<String, FileEntry> m = new HashMap<>();
    entries.forEach(e -> m.put(e.path(), e));
    return m;
  }
}
