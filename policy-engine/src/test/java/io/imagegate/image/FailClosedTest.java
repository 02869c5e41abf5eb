package io.imagegate.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagegate.build.BuiltImage;
import io.imagegate.build.BuiltImage.DockerLayout;
import io.imagegate.build.ImageBuilder;
import io.imagegate.scan.LayerIndex;
import io.imagegate.scan.LayerScanner;
import io.imagegate.scan.ScanInterest;
import io.imagegate.scan.ScanLimits;
import io.imagegate.testing.HandTar;
import io.imagegate.testing.ImageSnapshot;
import io.imagegate.testing.Json;
import io.imagegate.testing.OciLayouts;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Tests for {@link ImageSources} and {@link Layer}: an image that can't be read whole and
 * verified is an {@link ImageReadException} with a one-line message naming the file or blob —
 * never a partial image, and never a {@link LayerIndex} for a layer that failed verification.
 */
class FailClosedTest {
  @TempDir Path tmp;

  /** Two gzip layers; layer 1 is the one the layer cases tamper with. */
  static final BuiltImage GZIP = image(Compression.GZIP);
  static final BuiltImage ZSTD = image(Compression.ZSTD);

  static BuiltImage image(Compression c) {
    return ImageBuilder.image()
        .layer(l -> l.compression(c).dir("/etc", 0755).file("/etc/passwd", "root:x:0:0::/root:/bin/sh\n", 0644))
        .layer(l -> l.compression(c).file("/etc/passwd", "root:x:0:0::/root:/sbin/nologin\n", 0644)
            .randomFile("/data.bin", 20_000, 0644, 7))
        .user("root")
        .build();
  }

  /** Sets up a defective image under a directory and returns the reference to it. */
  @FunctionalInterface
  interface Setup {
    String apply(Path dir) throws IOException;
  }

  /** A defect found when the image is opened: no {@link Image} at all. */
  record OpenCase(String name, Setup setup, List<String> fragments) {
    @Override
    public String toString() {
      return name;
    }
  }

  static OpenCase open(String name, Setup setup, String... fragments) {
    return new OpenCase(name, setup, List.of(fragments));
  }

  static Path oci(Path dir, BuiltImage image) throws IOException {
    Path layout = dir.resolve("layout");
    image.writeOciLayout(layout, "v1");
    return layout;
  }

  static Path classic(Path dir) throws IOException {
    Path d = dir.resolve("classic");
    GZIP.writeDockerArchiveDirectory(d, DockerLayout.CLASSIC, "app:1");
    return d;
  }

  static void flipByte(Path file, long position) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    int at = (int) (position < 0 ? bytes.length + position : position);
    bytes[at] ^= 0x01;
    Files.write(file, bytes);
  }

  static String schema1Manifest() {
    return "{\"schemaVersion\":1,\"name\":\"library/app\",\"tag\":\"1\",\"architecture\":\"amd64\","
        + "\"fsLayers\":[{\"blobSum\":\"sha256:" + "a".repeat(64) + "\"}],\"history\":[{\"v1Compatibility\":\"{}\"}]}";
  }

  static Stream<OpenCase> openCases() {
    String manifest = GZIP.manifestDigest().toString();
    String config = GZIP.configDigest().toString();
    return Stream.of(
        open("config bytes don't match the config digest (oci)", dir -> {
          Path layout = oci(dir, GZIP);
          flipByte(OciLayouts.blob(layout, GZIP.configDigest()), 10);
          return "oci:" + layout;
        }, "config " + config, "digest mismatch"),
        open("config bytes don't match the config digest (docker-archive)", dir -> {
          Path d = classic(dir);
          flipByte(d.resolve(GZIP.configDigest().hex() + ".json"), 10);
          return "docker-archive:" + d;
        }, GZIP.configDigest().hex() + ".json", "digest mismatch"),
        open("config is not JSON but matches its digest", dir -> {
          Path layout = oci(dir, GZIP);
          Digest junk = OciLayouts.writeBlob(layout, "{not json".getBytes(StandardCharsets.UTF_8));
          OciLayouts.editManifest(layout, m -> ((ObjectNode) m.path("config")).put("digest", junk.toString()).put("size", 9));
          return "oci:" + layout;
        }, "config sha256:", "not valid JSON"),
        open("manifest blob doesn't match the index digest", dir -> {
          Path layout = oci(dir, GZIP);
          flipByte(OciLayouts.blob(layout, GZIP.manifestDigest()), 17);
          return "oci:" + layout;
        }, "manifest " + manifest, "digest mismatch"),
        open("manifest blob longer than the index declares", dir -> {
          Path layout = oci(dir, GZIP);
          Files.writeString(OciLayouts.blob(layout, GZIP.manifestDigest()), " ", StandardOpenOption.APPEND);
          return "oci:" + layout;
        }, "manifest " + manifest, "more data than the declared size"),
        open("manifest blob missing", dir -> {
          Path layout = oci(dir, GZIP);
          Files.delete(OciLayouts.blob(layout, GZIP.manifestDigest()));
          return "oci:" + layout;
        }, "manifest " + manifest, "missing"),
        open("layer blob missing (oci)", dir -> {
          Path layout = oci(dir, GZIP);
          Files.delete(OciLayouts.blob(layout, GZIP.layers().get(1).digest()));
          return "oci:" + layout;
        }, "layer " + GZIP.layers().get(1).digest(), "missing"),
        open("layer blob missing (oci-archive)", dir -> {
          Path layout = oci(dir, GZIP);
          Files.delete(OciLayouts.blob(layout, GZIP.layers().get(1).digest()));
          return "oci-archive:" + HandTar.tar().tree(layout).writeTo(dir.resolve("layout.tar"));
        }, "layer " + GZIP.layers().get(1).digest(), "missing"),
        open("layer.tar missing (docker-archive)", dir -> {
          Path d = classic(dir);
          Files.delete(d.resolve(GZIP.layers().get(1).diffId().hex() + "/layer.tar"));
          return "docker-archive:" + HandTar.tar().tree(d).writeTo(dir.resolve("classic.tar"));
        }, GZIP.layers().get(1).diffId().hex() + "/layer.tar", "missing"),
        open("random bytes (bare path)", dir -> {
          byte[] junk = new byte[40_000];
          new Random(1).nextBytes(junk);
          return Files.write(dir.resolve("random.bin"), junk).toString();
        }, "random.bin"),
        open("random bytes (docker-archive:)", dir -> {
          byte[] junk = new byte[40_000];
          new Random(2).nextBytes(junk);
          return "docker-archive:" + Files.write(dir.resolve("random.tar"), junk);
        }, "random.tar"),
        open("random bytes (oci-archive:)", dir -> {
          byte[] junk = new byte[600];
          new Random(3).nextBytes(junk);
          return "oci-archive:" + Files.write(dir.resolve("random.tar"), junk);
        }, "random.tar"),
        open("text file", dir -> Files.writeString(dir.resolve("notes.txt"), "just some notes\n").toString(),
            "notes.txt"),
        open("empty file", dir -> Files.write(dir.resolve("empty.tar"), new byte[0]).toString(), "empty.tar"),
        open("empty tar", dir -> HandTar.tar().writeTo(dir.resolve("empty.tar")).toString(), "empty.tar", "not an image"),
        open("tar of unrelated files", dir -> HandTar.tar().file("README", "hello").dir("src")
            .writeTo(dir.resolve("src.tar")).toString(), "src.tar", "not an image"),
        open("directory without manifest.json or oci-layout (bare path)", dir -> {
          Files.writeString(dir.resolve("README"), "hello");
          return dir.toString();
        }, "not an image"),
        open("directory without manifest.json (docker-archive:)", dir -> "docker-archive:" + dir, "no manifest.json"),
        open("directory without oci-layout (oci:)", dir -> "oci:" + dir, "no oci-layout"),
        open("tar given to oci:", dir -> {
          GZIP.writeOciArchive(dir.resolve("layout.tar"), "");
          return "oci:" + dir.resolve("layout.tar");
        }, "layout.tar", "oci: needs a layout directory"),
        open("manifest.json is not JSON", dir -> {
          Path d = classic(dir);
          Files.writeString(d.resolve("manifest.json"), "[{\"Config\": ");
          return "docker-archive:" + d;
        }, "manifest.json", "not valid JSON"),
        open("manifest.json is not a list", dir -> {
          Path d = classic(dir);
          Files.writeString(d.resolve("manifest.json"), "{}");
          return "docker-archive:" + d;
        }, "manifest.json", "lists no images"),
        open("index.json is not JSON", dir -> {
          Path layout = oci(dir, GZIP);
          Files.writeString(layout.resolve("index.json"), "{\"manifests\": [");
          return "oci:" + layout;
        }, "index.json", "not valid JSON"),
        open("index.json lists no manifests", dir -> {
          Path layout = oci(dir, GZIP);
          Files.writeString(layout.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[]}");
          return "oci:" + layout;
        }, "index.json lists no manifests"),
        open("index.json descriptor without digest", dir -> {
          Path layout = oci(dir, GZIP);
          Files.writeString(layout.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[{\"size\":3}]}");
          return "oci:" + layout;
        }, "index.json", "malformed digest"),
        open("oci-layout of an unknown version", dir -> {
          Path layout = oci(dir, GZIP);
          Files.writeString(layout.resolve("oci-layout"), "{\"imageLayoutVersion\":\"2.0.0\"}");
          return "oci:" + layout;
        }, "imageLayoutVersion", "2.0.0"),
        open("manifest lists more layers than the config has diff ids (oci)", dir -> {
          Path layout = oci(dir, GZIP);
          OciLayouts.editManifest(layout, m -> ((ArrayNode) m.path("layers")).add(m.path("layers").get(0).deepCopy()));
          return "oci:" + layout;
        }, "3 layers but the config lists 2 diff ids"),
        open("manifest.json lists more layers than the config has diff ids", dir -> {
          Path d = classic(dir);
          ArrayNode m = (ArrayNode) Json.read(d.resolve("manifest.json"));
          ArrayNode layers = (ArrayNode) m.get(0).path("Layers");
          layers.add(layers.get(0).asText());
          Json.write(d.resolve("manifest.json"), m);
          return "docker-archive:" + d;
        }, "manifest.json lists 3 layers but the config lists 2 diff ids"),
        open("Docker schema 1 manifest", dir -> {
          Path layout = oci(dir, GZIP);
          byte[] bytes = schema1Manifest().getBytes(StandardCharsets.UTF_8);
          Digest d = OciLayouts.writeBlob(layout, bytes);
          Files.writeString(layout.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\""
              + MediaTypes.DOCKER_MANIFEST_V1_SIGNED + "\",\"digest\":\"" + d + "\",\"size\":" + bytes.length + "}]}");
          return "oci:" + layout;
        }, "schema 1", "not supported"),
        open("Docker schema 1 manifest inside an index", dir -> {
          Path layout = oci(dir, GZIP);
          byte[] bytes = schema1Manifest().getBytes(StandardCharsets.UTF_8);
          Digest d = OciLayouts.writeBlob(layout, bytes);
          byte[] index = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":[{"
              + "\"mediaType\":\"" + MediaTypes.DOCKER_MANIFEST_V1 + "\",\"digest\":\"" + d + "\",\"size\":" + bytes.length
              + ",\"platform\":{\"os\":\"linux\",\"architecture\":\"amd64\"}}]}").getBytes(StandardCharsets.UTF_8);
          Digest i = OciLayouts.writeBlob(layout, index);
          Files.writeString(layout.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\""
              + MediaTypes.OCI_INDEX + "\",\"digest\":\"" + i + "\",\"size\":" + index.length + "}]}");
          return "oci:" + layout;
        }, "schema 1", "not supported"),
        open("manifest.json names ../../etc/passwd as a layer", dir -> {
          Path d = classic(dir);
          ArrayNode m = (ArrayNode) Json.read(d.resolve("manifest.json"));
          ((ArrayNode) m.get(0).path("Layers")).set(1, "../../etc/passwd");
          Json.write(d.resolve("manifest.json"), m);
          return "docker-archive:" + HandTar.tar().tree(d).writeTo(dir.resolve("classic.tar"));
        }, "classic.tar", "../../etc/passwd", "leaves the archive"),
        open("docker-archive: path that does not exist", dir -> "docker-archive:" + dir.resolve("nope.tar"),
            "nope.tar: no such file or directory"),
        open("oci-archive truncated inside a layer blob", dir -> {
          Path tar = dir.resolve("cut.tar");
          GZIP.writeOciArchive(tar, "");
          byte[] bytes = Files.readAllBytes(tar);
          Files.write(tar, Arrays.copyOf(bytes, bytes.length / 2));
          return "oci-archive:" + tar;
        }, "cut.tar"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("openCases")
  void openAndScan_defectiveImage_failsWithOneLineNamingTheFile(OpenCase c) throws IOException {
    String reference = c.setup().apply(tmp);

    assertThatThrownBy(() -> ImageSnapshot.scan(ImageSnapshot.open(reference), ScanInterest.NONE))
        .isInstanceOf(ImageReadException.class)
        .satisfies(e -> assertThat(e.getMessage()).contains(c.fragments()).doesNotContain("\n", "\r"));
  }

  /** A defect in one layer's bytes: the image opens (layers are lazy), then that layer's scan fails. */
  record LayerCase(String name, Setup setup, int layer, List<String> fragments) {
    @Override
    public String toString() {
      return name;
    }
  }

  static LayerCase layer(String name, Setup setup, int layer, String... fragments) {
    return new LayerCase(name, setup, layer, List.of(fragments));
  }

  static Stream<LayerCase> layerCases() {
    Digest gz = GZIP.layers().get(1).digest();
    Digest zs = ZSTD.layers().get(1).digest();
    Digest diffId = GZIP.layers().get(1).diffId();
    int gzSize = GZIP.layers().get(1).blob().length;
    return Stream.of(
        layer("gzip blob: a flipped byte in the middle", dir -> {
          Path layout = oci(dir, GZIP);
          flipByte(OciLayouts.blob(layout, gz), gzSize / 2);
          return "oci:" + layout;
        }, 1, "layer 1 (" + gz + ")"),
        layer("gzip blob: a flipped byte in the header's mtime (still valid gzip, same tar)", dir -> {
          Path layout = oci(dir, GZIP);
          flipByte(OciLayouts.blob(layout, gz), 4);
          return "oci:" + layout;
        }, 1, "layer 1 (" + gz + ") blob", "digest mismatch"),
        layer("gzip blob: a flipped byte in the CRC trailer", dir -> {
          Path layout = oci(dir, GZIP);
          flipByte(OciLayouts.blob(layout, gz), -8);
          return "oci:" + layout;
        }, 1, "layer 1 (" + gz + ")"),
        layer("gzip blob: a flipped byte in the length trailer", dir -> {
          Path layout = oci(dir, GZIP);
          flipByte(OciLayouts.blob(layout, gz), -1);
          return "oci:" + layout;
        }, 1, "layer 1 (" + gz + ")"),
        layer("zstd blob: a flipped byte in the middle", dir -> {
          Path layout = oci(dir, ZSTD);
          flipByte(OciLayouts.blob(layout, zs), ZSTD.layers().get(1).blob().length / 2);
          return "oci:" + layout;
        }, 1, "layer 1 (" + zs + ")"),
        layer("gzip blob cut to half its size", dir -> {
          Path layout = oci(dir, GZIP);
          Path blob = OciLayouts.blob(layout, gz);
          Files.write(blob, Arrays.copyOf(Files.readAllBytes(blob), gzSize / 2));
          return "oci:" + layout;
        }, 1, "layer 1 (" + gz + ")"),
        layer("declared size bigger than the blob", dir -> {
          Path layout = oci(dir, GZIP);
          OciLayouts.editManifest(layout, m -> ((ObjectNode) m.path("layers").get(1)).put("size", gzSize + 100));
          return "oci:" + layout;
        }, 1, "layer 1 (" + gz + ") blob", "truncated", String.valueOf(gzSize + 100)),
        layer("declared size smaller than the blob", dir -> {
          Path layout = oci(dir, GZIP);
          OciLayouts.editManifest(layout, m -> ((ObjectNode) m.path("layers").get(1)).put("size", gzSize - 100));
          return "oci:" + layout;
        }, 1, "layer 1 (" + gz + ") blob", "more data than the declared size"),
        layer("valid gzip, but the config's diff id is wrong (oci)", dir -> {
          Path layout = oci(dir, GZIP);
          OciLayouts.editConfig(layout, c -> ((ArrayNode) c.path("rootfs").path("diff_ids")).set(1, WRONG.toString()));
          return "oci:" + layout;
        }, 1, "layer 1 (" + gz + ") uncompressed content (diff id)", "digest mismatch", WRONG.toString()),
        layer("the same tar compressed again: a valid gzip, but not the blob the digest names", dir -> {
          Path layout = oci(dir, GZIP);
          ByteArrayOutputStream out = new ByteArrayOutputStream();
          try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            GZIP.layers().get(1).writeTar(gzip);
          }
          byte[] recompressed = out.toByteArray();
          Files.write(OciLayouts.blob(layout, gz), recompressed);
          OciLayouts.editManifest(layout, m -> ((ObjectNode) m.path("layers").get(1)).put("size", recompressed.length));
          return "oci:" + layout;
        }, 1, "layer 1 (" + gz + ") blob", "digest mismatch"),
        layer("uncompressed layer.tar with a flipped byte (docker-archive)", dir -> {
          Path d = classic(dir);
          flipByte(d.resolve(diffId.hex() + "/layer.tar"), 700);
          return "docker-archive:" + d;
        }, 1, "layer 1 (" + diffId + ")"),
        layer("uncompressed layer.tar, but the config's diff id is wrong (docker-archive)", dir -> {
          Path d = classic(dir);
          ObjectNode config = (ObjectNode) Json.read(d.resolve(GZIP.configDigest().hex() + ".json"));
          ((ArrayNode) config.path("rootfs").path("diff_ids")).set(1, WRONG.toString());
          Digest configDigest = Digest.sha256Of(Json.bytes(config));
          Files.write(d.resolve(configDigest.hex() + ".json"), Json.bytes(config));
          ArrayNode manifest = (ArrayNode) Json.read(d.resolve("manifest.json"));
          ((ObjectNode) manifest.get(0)).put("Config", configDigest.hex() + ".json");
          Json.write(d.resolve("manifest.json"), manifest);
          return "docker-archive:" + HandTar.tar().tree(d).writeTo(dir.resolve("classic.tar"));
        }, 1, "layer 1 (" + WRONG + ") uncompressed content (diff id)", "digest mismatch"),
        layer("Docker 25+ archive: layer blob with a flipped byte", dir -> {
          Path d = dir.resolve("docker25");
          GZIP.writeDockerArchiveDirectory(d, DockerLayout.OCI, "app:1");
          flipByte(d.resolve("blobs/sha256/" + diffId.hex()), 2000);
          return "docker-archive:" + d;
        }, 1, "layer 1 (" + diffId + ")"));
  }

  private static final Digest WRONG = Digest.sha256Of("not this layer".getBytes(StandardCharsets.UTF_8));

  @ParameterizedTest(name = "{0}")
  @MethodSource("layerCases")
  void scan_tamperedLayer_failsAndGivesNoIndex(LayerCase c) throws IOException {
    Image image = ImageSnapshot.open(c.setup().apply(tmp));
    LayerScanner scanner = new LayerScanner(ImageSnapshot.CAPTURED, ScanLimits.DEFAULT);

    for (Layer layer : image.layers()) {
      if (layer.index() == c.layer()) {
        assertThatThrownBy(() -> scanner.scan(layer))
            .isInstanceOf(ImageReadException.class)
            .satisfies(e -> assertThat(e.getMessage()).contains(c.fragments()).doesNotContain("\n", "\r"));
      } else {
        assertThat(scanner.scan(layer).diffId()).isEqualTo(layer.diffId());
      }
    }
  }

  /** How a layer blob is stored, for flipping every one of its bytes. */
  enum Storage {
    GZIP_BLOB(Compression.GZIP, true),
    ZSTD_BLOB(Compression.ZSTD, true),
    UNCOMPRESSED_BLOB(Compression.NONE, true),
    /** A classic {@code docker save} layer.tar: no blob digest, the diff id alone verifies it. */
    CLASSIC_LAYER_TAR(Compression.NONE, false);

    final Compression compression;
    final boolean blobDigest;

    Storage(Compression compression, boolean blobDigest) {
      this.compression = compression;
      this.blobDigest = blobDigest;
    }
  }

  @ParameterizedTest
  @EnumSource(Storage.class)
  void scan_anySingleFlippedByte_isCaught(Storage storage) {
    BuiltImage.BuiltLayer built = ImageBuilder.image()
        .layer(l -> l.compression(storage.compression).dir("/bin", 0755).file("/bin/app", "#!/bin/sh\necho hi\n", 0755)
            .symlink("/bin/sh", "app").file("/etc/passwd", "root:x:0:0::/:/bin/sh\n", 0644))
        .build().layers().get(0);
    byte[] blob = built.blob();
    LayerScanner scanner = new LayerScanner(ScanInterest.paths("/etc/passwd"), ScanLimits.DEFAULT);
    assertThat(scanner.scan(layerOf(blob, built, storage)).entries()).hasSize(4);

    for (int i = 0; i < blob.length; i++) {
      byte[] tampered = blob.clone();
      tampered[i] ^= 0x20;
      Layer layer = layerOf(tampered, built, storage);
      int at = i;
      assertThatThrownBy(() -> scanner.scan(layer)).as("flipped byte %d of %d", at, blob.length)
          .isInstanceOf(ImageReadException.class)
          .hasMessageStartingWith("layer 0 (");
    }
  }

  private static Layer layerOf(byte[] blob, BuiltImage.BuiltLayer built, Storage storage) {
    Optional<Digest> digest = storage.blobDigest ? Optional.of(built.digest()) : Optional.empty();
    return new Layer(0, built.mediaType(), digest, built.blob().length, built.diffId(),
        () -> new ByteArrayInputStream(blob));
  }
}
