package io.imagegate.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import io.imagegate.build.BuiltImage;
import io.imagegate.build.ImageBuilder;
import io.imagegate.image.Compression;
import io.imagegate.image.Digest;
import io.imagegate.image.ImageReadException;
import io.imagegate.image.Layer;
import io.imagegate.image.MediaTypes;
import io.imagegate.testing.HandTar;
import io.imagegate.testing.Layers;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tests for {@link LayerScanner}: what one pass over a layer's tar records — entries with their
 * metadata, whiteouts, opaque directories, captured content and markers — and the limits it
 * enforces.
 */
class LayerScannerTest {
  private static final LayerScanner PLAIN = new LayerScanner(ScanInterest.NONE, ScanLimits.DEFAULT);

  private static LayerIndex scanRaw(LayerScanner scanner, byte[] tar) {
    return scanner.scan(Layers.raw(0, tar));
  }

  @Test
  void scan_entryNames_areNormalisedAndClampedAtTheRoot() {
    byte[] tar = HandTar.tar()
        .dir("./").dir("./etc").file("./etc/passwd", "root").file("/abs/file", "a").file("../../escape", "e")
        .file("a/./b/../c", "c").hardlink("./etc/hard", "./etc/passwd").symlink("etc/sym", "../abs/file")
        .toBytes();

    LayerIndex index = scanRaw(PLAIN, tar);

    assertThat(index.entries()).extracting(FileEntry::path)
        .containsExactly("/etc", "/etc/passwd", "/abs/file", "/escape", "/a/c", "/etc/hard", "/etc/sym");
    assertThat(index.entries()).filteredOn(e -> e.path().equals("/etc/hard")).extracting(FileEntry::linkTarget)
        .containsExactly("/etc/passwd");
    // a symlink target is kept as written: it is resolved later, inside the merged root
    assertThat(index.entries()).filteredOn(e -> e.path().equals("/etc/sym")).extracting(FileEntry::linkTarget)
        .containsExactly("../abs/file");
  }

  @Test
  void scan_whiteoutsAndOpaqueMarkers_areRecordedNotListed() {
    byte[] tar = HandTar.tar()
        .dir("var").file("var/.wh.cache", "").file(".wh.tmp", "").dir("opt/app").file("opt/app/.wh..wh..opq", "")
        .file("opt/.wh..wh.plnk", "").file("opt/app/new", "n")
        .toBytes();

    LayerIndex index = scanRaw(PLAIN, tar);

    assertThat(index.whiteouts()).containsExactly("/var/cache", "/tmp");
    assertThat(index.opaqueDirs()).containsExactly("/opt/app");
    assertThat(index.entries()).extracting(FileEntry::path).containsExactly("/var", "/opt/app", "/opt/app/new");
  }

  @Test
  void scan_recordsTypesModesOwnersAndSizes() {
    BuiltImage image = ImageBuilder.image().layer(l -> l
        .dir("/bin", 0755).file("/bin/su", "s", 04755).file("/tmp-sticky", "", 01777)
        .owner(3_000_000, 2_097_152).file("/big-ids", "12345", 0640)
        .symlink("/bin/sh", "su").hardlink("/bin/su2", "/bin/su", 04755)).build();

    LayerIndex index = PLAIN.scan(image.toImage("t").layers().get(0));

    assertThat(index.entries()).extracting(FileEntry::path, FileEntry::type, FileEntry::mode, FileEntry::uid,
            FileEntry::gid, FileEntry::size, FileEntry::linkTarget)
        .containsExactly(
            tuple("/bin", FileType.DIRECTORY, 0755, 0L, 0L, 0L, ""),
            tuple("/bin/su", FileType.FILE, 04755, 0L, 0L, 1L, ""),
            tuple("/tmp-sticky", FileType.FILE, 01777, 0L, 0L, 0L, ""),
            tuple("/big-ids", FileType.FILE, 0640, 3_000_000L, 2_097_152L, 5L, ""),
            tuple("/bin/sh", FileType.SYMLINK, 0777, 0L, 0L, 0L, "su"),
            tuple("/bin/su2", FileType.HARDLINK, 04755, 0L, 0L, 0L, "/bin/su"));
    assertThat(index.contentSize()).as("hard links counted once").isEqualTo(6);
    assertThat(index.uncompressedSize()).isEqualTo(image.layers().get(0).uncompressedSize());
    assertThat(index.diffId()).isEqualTo(image.layers().get(0).diffId());
  }

  @ParameterizedTest
  @EnumSource(Compression.class)
  void scan_readsEveryCompression(Compression c) {
    BuiltImage image = ImageBuilder.image().layer(l -> l.compression(c).randomFile("/r", 200_000, 0644, 3)).build();
    Layer layer = image.toImage("t").layers().get(0);

    LayerIndex index = PLAIN.scan(layer);

    assertThat(index.entries()).extracting(FileEntry::size).containsExactly(200_000L);
    try (Layer.LayerStream s = layer.open()) {
      assertThat(s.compression()).isEqualTo(c);
    }
  }

  // ---- captured content ---------------------------------------------------------------------

  @Test
  void scan_capturesOnlyTheAskedForPaths() {
    List<LayerIndex> layers = Layers.scan(ScanInterest.paths("/etc/passwd", "/etc/missing"),
        l -> l.dir("/etc", 0755).file("/etc/passwd", "root:x:0:0::/:/bin/sh\n", 0644).file("/etc/group", "g", 0644));

    assertThat(layers.get(0).content()).containsOnlyKeys("/etc/passwd");
    assertThat(new String(layers.get(0).content().get("/etc/passwd"), StandardCharsets.UTF_8))
        .isEqualTo("root:x:0:0::/:/bin/sh\n");
  }

  @Test
  void scan_capturedContent_isCutAtTheLimitAndTheRestStillVerified() {
    LayerScanner scanner = new LayerScanner(ScanInterest.paths("/big"), new ScanLimits(1000, 4096, 1 << 30, 16, 1 << 20));
    BuiltImage image = ImageBuilder.image().layer(l -> l.file("/big", "0123456789abcdefXYZ", 0644).file("/after", "a", 0644))
        .build();

    LayerIndex index = scanner.scan(image.toImage("t").layers().get(0));

    assertThat(new String(index.content().get("/big"), StandardCharsets.UTF_8)).isEqualTo("0123456789abcdef");
    assertThat(index.entries()).extracting(FileEntry::path).containsExactly("/big", "/after");
  }

  // ---- markers ------------------------------------------------------------------------------

  private static final String MARKER = "BusyBox v1.36";
  private static final ScanInterest BUSYBOX = ScanInterest.marker("busybox", MARKER);

  private static byte[] withMarkerAt(int size, int offset) {
    byte[] content = new byte[size];
    for (int i = 0; i < size; i++) {
      content[i] = (byte) ('a' + i % 23);
    }
    byte[] m = MARKER.getBytes(StandardCharsets.ISO_8859_1);
    System.arraycopy(m, 0, content, offset, m.length);
    return content;
  }

  static IntStream offsetsAroundTheReadBoundary() {
    // every placement of the marker that puts at least one of its bytes on each side of 64 KiB
    return IntStream.rangeClosed(65536 - MARKER.length() + 1, 65535);
  }

  @ParameterizedTest
  @MethodSource("offsetsAroundTheReadBoundary")
  void scan_markerStraddlingTwo64KiBReads_isFound(int offset) {
    BuiltImage image = ImageBuilder.image()
        .layer(l -> l.compression(Compression.NONE).file("/bin/tool", withMarkerAt(200_000, offset), 0755)).build();

    LayerIndex index = new LayerScanner(BUSYBOX, ScanLimits.DEFAULT).scan(image.toImage("t").layers().get(0));

    assertThat(index.entries()).singleElement().extracting(FileEntry::markers).isEqualTo(Set.of("busybox"));
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 7, 511, 4093, 65535, 65536, 65537})
  void scan_markerAcrossReadsOfAnySize_isFound(int chunk) {
    // the tar stream arrives in reads of `chunk` bytes: the marker falls across many boundaries
    byte[] content = withMarkerAt(150_000, 131_070);
    byte[] tar = HandTar.tar().file("bin/tool", content, 0755).toBytes();
    Layer layer = new Layer(0, MediaTypes.OCI_LAYER, Optional.empty(), tar.length, Digest.sha256Of(tar),
        () -> new Trickle(tar, chunk));

    LayerIndex index = new LayerScanner(BUSYBOX, ScanLimits.DEFAULT).scan(layer);

    assertThat(index.entries()).singleElement().extracting(FileEntry::markers).isEqualTo(Set.of("busybox"));
  }

  @ParameterizedTest
  @CsvSource({
      "0755, 100000, busybox",
      "0644, 100000, ''",
      "0755, 5000000, ''",
  })
  void scan_markers_areSearchedOnlyInExecutablesUnderTheSizeLimit(int mode, int size, String expected) {
    LayerScanner scanner = new LayerScanner(BUSYBOX, new ScanLimits(1000, 4096, 1L << 30, 1 << 20, 1_000_000));
    BuiltImage image = ImageBuilder.image()
        .layer(l -> l.compression(Compression.NONE).file("/bin/tool", withMarkerAt(size, 10), mode)).build();

    LayerIndex index = scanner.scan(image.toImage("t").layers().get(0));

    assertThat(index.entries().get(0).markers()).isEqualTo(expected.isEmpty() ? Set.of() : Set.of(expected));
  }

  @Test
  void scan_severalMarkers_areEachFound() {
    ScanInterest interest = BUSYBOX.and(ScanInterest.marker("elf", "\u007fELF"));
    BuiltImage image = ImageBuilder.image().layer(l -> l
        .file("/bin/both", "\u007fELF....BusyBox v1.36.1", 0755)
        .file("/bin/elf", "\u007fELF....", 0755)
        .file("/bin/none", "#!/bin/sh", 0755)).build();

    LayerIndex index = new LayerScanner(interest, ScanLimits.DEFAULT).scan(image.toImage("t").layers().get(0));

    assertThat(index.entries()).extracting(FileEntry::markers)
        .containsExactly(Set.of("busybox", "elf"), Set.of("elf"), Set.of());
  }

  // ---- limits -------------------------------------------------------------------------------

  @Test
  void scan_moreEntriesThanTheLimit_failsClosed() {
    LayerScanner scanner = new LayerScanner(ScanInterest.NONE, new ScanLimits(3, 4096, 1L << 30, 1024, 1024));
    byte[] tar = HandTar.tar().file("a", "").file("b", "").file(".wh.c", "").file("d", "").toBytes();

    assertThatThrownBy(() -> scanRaw(scanner, tar))
        .isInstanceOf(ImageReadException.class)
        .hasMessageContaining("more than 3 entries");
  }

  @Test
  void scan_pathLongerThanTheLimit_failsClosed() {
    LayerScanner scanner = new LayerScanner(ScanInterest.NONE, new ScanLimits(100, 64, 1L << 30, 1024, 1024));
    byte[] tar = HandTar.tar().file("x".repeat(65), "").toBytes();

    assertThatThrownBy(() -> scanRaw(scanner, tar))
        .isInstanceOf(ImageReadException.class)
        .hasMessageContaining("longer than 64");
  }

  @Test
  void scan_layerLargerThanTheLimit_failsClosed() {
    LayerScanner scanner = new LayerScanner(ScanInterest.NONE, new ScanLimits(100, 4096, 50_000, 1024, 1024));
    BuiltImage image = ImageBuilder.image().layer(l -> l.zeroFile("/z", 100_000, 0644)).build();

    assertThatThrownBy(() -> scanner.scan(image.toImage("t").layers().get(0)))
        .isInstanceOf(ImageReadException.class)
        .hasMessageContaining("layer 0");
  }

  @Test
  void scan_notATar_failsClosed() {
    byte[] junk = "this is not a tar archive at all, it is text".repeat(30).getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> scanRaw(PLAIN, junk))
        .isInstanceOf(ImageReadException.class)
        .hasMessageStartingWith("layer 0 (");
  }

  @Test
  void scan_corruptGzipHeader_failsAndClosesTheBlob() {
    BuiltImage image = ImageBuilder.image().layer(l -> l.file("/x", "x", 0644)).build();
    BuiltImage.BuiltLayer built = image.layers().get(0);
    byte[] blob = built.blob().clone();
    blob[2] = 9; // compression method: only 8 (deflate) exists
    boolean[] closed = {false};
    Layer layer = new Layer(0, built.mediaType(), Optional.of(built.digest()), blob.length, built.diffId(),
        () -> new ByteArrayInputStream(blob) {
          @Override
          public void close() {
            closed[0] = true;
          }
        });

    assertThatThrownBy(() -> PLAIN.scan(layer))
        .isInstanceOf(ImageReadException.class)
        .hasMessageContaining("corrupt gzip data");
    assertThat(closed[0]).as("blob stream closed").isTrue();
  }

  @Test
  void scan_emptyLayer_givesAnEmptyIndex() {
    LayerIndex index = scanRaw(PLAIN, HandTar.tar().toBytes());

    assertThat(index.entries()).isEmpty();
    assertThat(index.whiteouts()).isEmpty();
    assertThat(index.content()).isEqualTo(Map.of());
  }

  // ---- tars that end early ------------------------------------------------------------------

  private static final byte[] TWO_ENTRIES = HandTar.tar().dir("opt").file("opt/a", "hello").toBytes();

  @ParameterizedTest(name = "cut at {0}")
  @ValueSource(ints = {512, 1029, 1536, 2048})
  void scan_tarEndingAfterAnEntryWithoutPaddingOrEndBlocks_isReadToThatEnd(int length) {
    // umoci 0.4 writes layers like this; Go's archive/tar (so Docker and containerd) reads them
    byte[] cut = Arrays.copyOf(TWO_ENTRIES, length);

    LayerIndex index = scanRaw(PLAIN, cut);

    assertThat(index.entries()).extracting(FileEntry::path)
        .containsExactlyElementsOf(length < 1029 ? List.of("/opt") : List.of("/opt", "/opt/a"));
    assertThat(index.uncompressedSize()).isEqualTo(length);
  }

  @Test
  void scan_tarWithOddTrailingBytesAfterItsEndBlocks_isRead() {
    byte[] tar = Arrays.copyOf(TWO_ENTRIES, TWO_ENTRIES.length + 100);

    assertThat(scanRaw(PLAIN, tar).entries()).hasSize(2);
  }

  @ParameterizedTest(name = "cut at {0}")
  @ValueSource(ints = {300, 700, 1024, 1027, 1028, 1100})
  void scan_tarEndingInsideAHeaderOrFileData_failsClosed(int length) {
    byte[] cut = Arrays.copyOf(TWO_ENTRIES, length);

    assertThatThrownBy(() -> scanRaw(PLAIN, cut))
        .isInstanceOf(ImageReadException.class)
        .hasMessageContaining("layer 0 (")
        .hasMessageContaining("tar");
  }

  /** Hands out at most {@code chunk} bytes per read, and claims nothing is available, so buffers can't merge reads. */
  private static final class Trickle extends InputStream {
    private final ByteArrayInputStream in;
    private final int chunk;

    Trickle(byte[] bytes, int chunk) {
      this.in = new ByteArrayInputStream(bytes);
      this.chunk = chunk;
    }

    @Override
    public int read() {
      return in.read();
    }

    @Override
    public int read(byte[] b, int off, int len) {
      return in.read(b, off, Math.min(len, chunk));
    }

    @Override
    public int available() {
      return 0;
    }
  }
}
