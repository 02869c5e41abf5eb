package io.imagegate.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.imagegate.build.BuiltImage;
import io.imagegate.build.BuiltImage.DockerLayout;
import io.imagegate.build.ImageBuilder;
import io.imagegate.image.Compression;
import io.imagegate.image.Digest;
import io.imagegate.image.Image;
import io.imagegate.image.ImageReadException;
import io.imagegate.image.ImageReference;
import io.imagegate.image.ImageSources;
import io.imagegate.image.Layer;
import io.imagegate.image.PlatformSelection;
import io.imagegate.scan.Filesystem;
import io.imagegate.scan.LayerIndex;
import io.imagegate.scan.LayerScanner;
import io.imagegate.scan.ScanInterest;
import io.imagegate.scan.ScanLimits;
import io.imagegate.scan.ScannedImage;
import io.imagegate.testing.TarEntries;
import io.imagegate.testing.TarEntries.Entry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tests for {@link SaveStream}: both {@code docker save} layouts, read once, verified at the end. */
class SaveStreamTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ScanInterest INTEREST = ScanInterest.paths("/etc/passwd").and(ScanInterest.marker("busybox", "BusyBox v"));
  private static final LayerScanner SCANNER = new LayerScanner(INTEREST, ScanLimits.DEFAULT);

  @TempDir
  Path dir;

  /** Two layers, the second overwriting and deleting parts of the first; uncompressed, as engines save them. */
  private static BuiltImage image() {
    return ImageBuilder.image()
        .layer(l -> l.compression(Compression.NONE).createdBy("COPY rootfs /")
            .file("/etc/passwd", "root:x:0:0:root:/root:/bin/sh\n", 0644)
            .file("/bin/busybox", "\u007fELF....BusyBox v1.36.1", 0755).symlink("/bin/sh", "busybox")
            .file("/tmp/big", new byte[5000], 0644))
        .layer(l -> l.compression(Compression.NONE).createdBy("RUN adduser app")
            .file("/etc/passwd", "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/home/app:/sbin/nologin\n", 0644)
            .whiteout("/tmp/big").file("/app", "#!/app", 0755))
        .user("app").entrypoint("/app")
        .build();
  }

  private Path save(BuiltImage img, DockerLayout layout) throws IOException {
    Path tar = dir.resolve(layout + ".tar");
    img.writeDockerArchive(tar, layout, "app:1");
    return tar;
  }

  private Path rewrite(Path tar, UnaryOperator<List<Entry>> change) throws IOException {
    Path out = dir.resolve("changed-" + tar.getFileName());
    TarEntries.write(out, change.apply(new ArrayList<>(TarEntries.read(tar))));
    return out;
  }

  private static ScannedImage read(Path tar, Digest imageId) throws IOException {
    ImageReference ref = ImageReference.parse("docker-daemon:app:1");
    try (InputStream in = Files.newInputStream(tar)) {
      return SaveStream.read(in, imageId, ref, PlatformSelection.host(), SCANNER, ref.text(),
          path -> () -> {
            throw new IOException("read once");
          });
    }
  }

  /** What the docker-archive source and a per-layer scan make of the same tar. */
  private static List<LayerIndex> viaDockerArchive(Path tar) {
    Image img = ImageSources.offline().open(ImageReference.parse("docker-archive:" + tar), PlatformSelection.host()).get(0);
    return img.layers().stream().map(SCANNER::scan).toList();
  }

  private static void assertSameAsDockerArchive(ScannedImage streamed, Path tar, BuiltImage built) {
    List<LayerIndex> expected = viaDockerArchive(tar);
    assertThat(streamed.image().configDigest()).isEqualTo(built.configDigest());
    assertThat(streamed.image().manifestDigest()).isEqualTo(built.configDigest());
    assertThat(streamed.layers()).extracting(LayerIndex::diffId)
        .containsExactlyElementsOf(built.layers().stream().map(BuiltImage.BuiltLayer::diffId).toList());
    assertThat(streamed.layers()).usingRecursiveFieldByFieldElementComparator().containsExactlyElementsOf(expected);
    Filesystem fs = Filesystem.merge(streamed.layers());
    assertThat(fs.entries()).containsExactlyElementsOf(Filesystem.merge(expected).entries());
    assertThat(fs.get("/tmp/big")).isEmpty();
    assertThat(fs.get("/app")).get().satisfies(e -> assertThat(e.layer()).isEqualTo(1));
    assertThat(fs.get("/bin/busybox")).get().satisfies(e -> assertThat(e.markers()).containsExactly("busybox"));
    assertThat(new String(fs.content("/etc/passwd").orElseThrow(), StandardCharsets.UTF_8)).contains("app:x:1000");
    assertThat(streamed.image().config().user()).isEqualTo("app");
  }

  @Test
  void read_classicLayout_matchesDockerArchiveSource() throws IOException {
    BuiltImage img = image();
    Path tar = save(img, DockerLayout.CLASSIC);
    ScannedImage s = read(tar, img.configDigest());
    assertSameAsDockerArchive(s, tar, img);
    assertThat(s.image().layers()).extracting(Layer::blobDigest).allMatch(d -> d.isEmpty());
  }

  @Test
  void read_docker25Layout_matchesDockerArchiveSource() throws IOException {
    BuiltImage img = image();
    Path tar = save(img, DockerLayout.OCI);
    ScannedImage s = read(tar, img.configDigest());
    assertSameAsDockerArchive(s, tar, img);
    assertThat(s.image().layers()).extracting(l -> l.blobDigest().orElseThrow()).containsExactlyElementsOf(
        img.layers().stream().map(BuiltImage.BuiltLayer::diffId).toList());
  }

  @Test
  void read_layersAfterManifestAndUnknownFiles_sameResult() throws IOException {
    BuiltImage img = image();
    Path tar = save(img, DockerLayout.OCI);
    Path reordered = rewrite(tar, entries -> {
      List<Entry> out = new ArrayList<>(entries.stream().filter(e -> e.name().equals("manifest.json")).toList());
      out.add(Entry.file("extra/notes.bin", new byte[] {1, 2, 3, 4, 5}));
      out.addAll(entries.stream().filter(e -> !e.name().equals("manifest.json")).toList());
      return out;
    });
    assertSameAsDockerArchive(read(reordered, img.configDigest()), tar, img);
  }

  @Test
  void read_repeatedLayerAsSymlink_followsLinkToFirstCopy() throws IOException {
    // Docker before 25 saves a layer whose content repeats as a symlink to its first layer.tar
    BuiltImage img = ImageBuilder.image()
        .layer(l -> l.compression(Compression.NONE).file("/a", "same", 0644))
        .layer(l -> l.compression(Compression.NONE).file("/b", "b", 0644))
        .layer(l -> l.compression(Compression.NONE).file("/a", "same", 0644))
        .build();
    String first = img.layers().get(0).diffId().hex() + "/layer.tar";
    Path tar = rewrite(save(img, DockerLayout.CLASSIC), entries -> {
      List<Entry> out = new ArrayList<>();
      boolean seen = false;
      for (Entry e : entries) {
        if (e.name().equals(first) && seen) {
          out.add(Entry.symlink("0000repeat/layer.tar", "../" + first));
          continue;
        }
        seen |= e.name().equals(first);
        out.add(e.name().equals("manifest.json") ? e.withContent(patchLayer(e.content(), 2, "0000repeat/layer.tar")) : e);
      }
      return out;
    });
    ScannedImage s = read(tar, img.configDigest());
    assertThat(s.layers()).extracting(LayerIndex::diffId).containsExactly(
        img.layers().get(0).diffId(), img.layers().get(1).diffId(), img.layers().get(0).diffId());
    assertThat(s.layers().get(2).entries()).singleElement().satisfies(e -> assertThat(e.layer()).isEqualTo(2));
    assertThat(Filesystem.merge(s.layers()).get("/a")).get().satisfies(e -> assertThat(e.layer()).isEqualTo(2));
  }

  private static byte[] bytes(Object json) {
    try {
      return JSON.writeValueAsBytes(json);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] patchLayer(byte[] manifestJson, int index, String path) {
    try {
      ArrayNode m = (ArrayNode) JSON.readTree(manifestJson);
      ((ArrayNode) m.get(0).get("Layers")).set(index, JSON.getNodeFactory().textNode(path));
      return JSON.writeValueAsBytes(m);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void read_gzipBlobsAndManifestDigestAsId_acceptedLikeContainerdStore() throws IOException {
    // the containerd image store saves layers as stored (gzip) and reports the manifest digest as the id
    BuiltImage img = ImageBuilder.image()
        .layer(l -> l.file("/etc/passwd", "root:x:0:0::/:/bin/sh\n", 0644))
        .layer(l -> l.compression(Compression.ZSTD).file("/app", "x", 0755))
        .build();
    Path layout = dir.resolve("layout.tar");
    img.writeOciArchive(layout, "1");
    ArrayNode manifest = JSON.createArrayNode();
    manifest.addObject().put("Config", "blobs/sha256/" + img.configDigest().hex())
        .set("Layers", JSON.valueToTree(img.layers().stream().map(l -> "blobs/sha256/" + l.digest().hex()).toList()));
    Path tar = rewrite(layout, entries -> {
      entries.add(Entry.file("manifest.json", bytes(manifest)));
      return entries;
    });
    ScannedImage s = read(tar, img.manifestDigest());
    assertThat(s.image().configDigest()).isEqualTo(img.configDigest());
    assertThat(s.image().layers()).extracting(l -> l.blobDigest().orElseThrow())
        .containsExactly(img.layers().get(0).digest(), img.layers().get(1).digest());
    assertThat(s.image().layers()).extracting(Layer::mediaType)
        .containsExactly("application/vnd.oci.image.layer.v1.tar+gzip", "application/vnd.oci.image.layer.v1.tar+zstd");
    assertThat(s.layers()).extracting(LayerIndex::diffId)
        .containsExactly(img.layers().get(0).diffId(), img.layers().get(1).diffId());

    Digest other = Digest.sha256Of("another manifest".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> read(tar, other)).isInstanceOf(ImageReadException.class)
        .hasMessageContaining("reports image id " + other);
  }

  @Test
  void read_layerContentChanged_failsNamingTheDiffIds() throws IOException {
    BuiltImage img = image();
    String layer = img.layers().get(1).diffId().hex() + "/layer.tar";
    Path tar = rewrite(save(img, DockerLayout.CLASSIC), entries -> entries.stream().map(e -> {
      if (!e.name().equals(layer)) {
        return e;
      }
      byte[] b = e.content().clone();
      b[b.length - 1] ^= 1; // still a valid tar, other content
      return e.withContent(b);
    }).toList());
    assertThatThrownBy(() -> read(tar, img.configDigest())).isInstanceOf(ImageReadException.class)
        .hasMessageContaining("docker-daemon:app:1: layer 1 (" + layer + "): content digest is sha256:")
        .hasMessageContaining("the config's rootfs.diff_ids[1] is " + img.layers().get(1).diffId());
  }

  @Test
  void read_configOfAnotherImage_fails() throws IOException {
    BuiltImage img = image();
    Digest reported = Digest.sha256Of("another config".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> read(save(img, DockerLayout.CLASSIC), reported)).isInstanceOf(ImageReadException.class)
        .hasMessage("docker-daemon:app:1: the engine reports image id " + reported + ", but the save stream's config is "
            + img.configDigest() + " and no manifest in the stream links them");
  }

  @Test
  void read_configChanged_failsOnItsName() throws IOException {
    BuiltImage img = image();
    String config = img.configDigest().hex() + ".json";
    Path tar = rewrite(save(img, DockerLayout.CLASSIC), entries -> entries.stream()
        .map(e -> e.name().equals(config)
            ? e.withContent(new String(e.content(), StandardCharsets.UTF_8).replace("\"app\"", "\"root\"").getBytes(StandardCharsets.UTF_8))
            : e)
        .toList());
    assertThatThrownBy(() -> read(tar, img.configDigest())).isInstanceOf(ImageReadException.class)
        .hasMessageContaining("config " + config + ": content is sha256:")
        .hasMessageContaining("its name says " + img.configDigest());
  }

  @Test
  void read_blobNameNotItsDigest_fails() throws IOException {
    BuiltImage img = image();
    String real = "blobs/sha256/" + img.layers().get(0).diffId().hex();
    String renamed = "blobs/sha256/" + "0".repeat(64);
    // right content (the diff id matches the config) under a name that is not its digest
    Path tar = rewrite(save(img, DockerLayout.OCI), entries -> entries.stream()
        .map(e -> e.name().equals(real) ? new Entry(renamed, e.content(), "", false) : e)
        .map(e -> e.name().equals("manifest.json") ? e.withContent(patchLayer(e.content(), 0, renamed)) : e)
        .toList());
    assertThatThrownBy(() -> read(tar, img.configDigest())).isInstanceOf(ImageReadException.class)
        .hasMessage("docker-daemon:app:1: layer 0 (" + renamed + "): content is " + img.layers().get(0).diffId()
            + ", its name says sha256:" + "0".repeat(64));
  }

  @Test
  void read_layerMissing_fails() throws IOException {
    BuiltImage img = image();
    String layer = "blobs/sha256/" + img.layers().get(1).diffId().hex();
    Path tar = rewrite(save(img, DockerLayout.OCI),
        entries -> entries.stream().filter(e -> !e.name().equals(layer)).toList());
    assertThatThrownBy(() -> read(tar, img.configDigest())).isInstanceOf(ImageReadException.class)
        .hasMessage("docker-daemon:app:1: layer 1 (" + layer + ") named by manifest.json is missing from the save stream");
  }

  @Test
  void read_streamEndsBeforeManifest_fails() throws IOException {
    BuiltImage img = image();
    Path tar = rewrite(save(img, DockerLayout.CLASSIC),
        entries -> entries.stream().filter(e -> !e.name().equals("manifest.json")).toList());
    assertThatThrownBy(() -> read(tar, img.configDigest())).isInstanceOf(ImageReadException.class)
        .hasMessageStartingWith("docker-daemon:app:1: the save stream has no manifest.json (it ended after ");
  }

  @Test
  void read_namedLayerIsNotATar_failsNamingIt() throws IOException {
    BuiltImage img = image();
    String layer = img.layers().get(0).diffId().hex() + "/layer.tar";
    byte[] junk = new byte[3000];
    java.util.Arrays.fill(junk, (byte) 'x');
    Path tar = rewrite(save(img, DockerLayout.CLASSIC), entries -> entries.stream()
        .map(e -> e.name().equals(layer) ? e.withContent(junk) : e).toList());
    assertThatThrownBy(() -> read(tar, img.configDigest())).isInstanceOf(ImageReadException.class)
        .hasMessageStartingWith("docker-daemon:app:1: layer 0: " + layer + ": not a valid tar");
  }
}
