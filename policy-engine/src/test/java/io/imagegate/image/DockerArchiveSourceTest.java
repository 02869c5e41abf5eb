package io.imagegate.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagegate.build.BuiltImage;
import io.imagegate.build.BuiltImage.DockerLayout;
import io.imagegate.build.ImageBuilder;
import io.imagegate.scan.FileEntry;
import io.imagegate.scan.Filesystem;
import io.imagegate.scan.ScanInterest;
import io.imagegate.testing.HandTar;
import io.imagegate.testing.ImageSnapshot;
import io.imagegate.testing.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tests for {@link DockerArchiveSource}: archives holding several images, the symlinks classic
 * {@code docker save} writes for repeated layers, and names in {@code manifest.json} that try to
 * leave the archive.
 */
class DockerArchiveSourceTest {
  @TempDir Path tmp;

  private static final BuiltImage ONE = ImageBuilder.image()
      .layer(l -> l.file("/which", "one", 0644)).user("one").build();
  private static final BuiltImage TWO = ImageBuilder.image()
      .layer(l -> l.file("/which", "two", 0644)).layer(l -> l.file("/extra", "2", 0644)).user("two").build();

  /** A classic {@code docker save one:1 two:2} as a tar: one manifest.json entry per image. */
  private Path twoImageArchive() throws IOException {
    Path dir = tmp.resolve("two-images");
    ONE.writeDockerArchiveDirectory(dir, DockerLayout.CLASSIC, "one:1");
    ObjectNode first = (ObjectNode) Json.read(dir.resolve("manifest.json")).get(0);
    TWO.writeDockerArchiveDirectory(dir, DockerLayout.CLASSIC, "two:2");
    ArrayNode manifest = (ArrayNode) Json.read(dir.resolve("manifest.json"));
    manifest.insert(0, first);
    Json.write(dir.resolve("manifest.json"), manifest);
    return HandTar.tar().tree(dir).writeTo(tmp.resolve("two-images.tar"));
  }

  @Test
  void open_twoImagesWithoutSelector_asksForOneAndListsTags() throws IOException {
    Path tar = twoImageArchive();

    assertThatThrownBy(() -> ImageSnapshot.open("docker-archive:" + tar))
        .isInstanceOf(ImageReadException.class)
        .hasMessageContaining(tar.toString())
        .hasMessageContaining("holds 2 images")
        .hasMessageContaining("one:1, two:2")
        .hasMessageContaining(":@INDEX");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      ":one:1, one",
      ":two:2, two",
      ":docker.io/library/two:2, two",
      ":@0, one",
      ":@1, two",
  })
  void open_twoImagesWithSelector_picksThatImage(String selector, String user) throws IOException {
    Path tar = twoImageArchive();

    Image image = ImageSnapshot.open("docker-archive:" + tar + selector);

    assertThat(image.config().user()).isEqualTo(user);
    assertThat(image.configDigest()).isEqualTo(user.equals("one") ? ONE.configDigest() : TWO.configDigest());
    assertThat(ImageSnapshot.of(image).captured()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {":three:3", ":one:2", ":@2", ":@-1", ":@x"})
  void open_twoImagesWithUnknownSelector_saysWhatIsThere(String selector) throws IOException {
    Path tar = twoImageArchive();

    assertThatThrownBy(() -> ImageSnapshot.open("docker-archive:" + tar + selector))
        .isInstanceOf(ImageReadException.class)
        .hasMessageContaining(tar.toString())
        .hasMessageContaining(selector.substring(1))
        .satisfies(e -> assertThat(e.getMessage()).containsAnyOf("one:1, two:2", "holds 2"));
  }

  /**
   * Classic {@code docker save} writes a layer whose diff id it has already saved as a symlink,
   * {@code <id2>/layer.tar -> ../<id1>/layer.tar} (moby image/tarexport/save.go).
   */
  private Path classicSaveWithRepeatedLayer() throws IOException {
    BuiltImage image = ImageBuilder.image()
        .layer(l -> l.file("/a", "a", 0644))
        .layer(l -> l.dir("/tmp", 01777))
        .layer(l -> l.file("/b", "b", 0644))
        .layer(l -> l.dir("/tmp", 01777))
        .build();
    assertThat(image.layers().get(1).diffId()).isEqualTo(image.layers().get(3).diffId());
    Path dir = tmp.resolve("repeated");
    image.writeDockerArchiveDirectory(dir, DockerLayout.CLASSIC, "repeated:1");
    ArrayNode manifest = (ArrayNode) Json.read(dir.resolve("manifest.json"));
    ArrayNode layers = (ArrayNode) manifest.get(0).path("Layers");
    String first = layers.get(1).asText();
    String v1id = "f".repeat(64);
    Files.createDirectories(dir.resolve(v1id));
    Files.createSymbolicLink(dir.resolve(v1id + "/layer.tar"), Path.of("..", first));
    layers.set(3, v1id + "/layer.tar");
    Json.write(dir.resolve("manifest.json"), manifest);
    return dir;
  }

  @Test
  void open_classicSaveWithSymlinkedRepeatedLayer_readsTheLinkedLayer() throws IOException {
    Path dir = classicSaveWithRepeatedLayer();
    Path tar = HandTar.tar().tree(dir).writeTo(tmp.resolve("repeated.tar"));

    for (String reference : new String[] {"docker-archive:" + tar, "docker-archive:" + dir, tar.toString()}) {
      ImageSnapshot snapshot = ImageSnapshot.of(ImageSnapshot.open(reference));
      assertThat(snapshot.filesystem()).extracting(FileEntry::path).as(reference).containsExactly("/a", "/b", "/tmp");
      assertThat(snapshot.filesystem()).filteredOn(e -> e.path().equals("/tmp")).extracting(FileEntry::layer)
          .containsExactly(3);
    }
  }

  @Test
  void open_archiveMemberSymlinkLeavingTheArchive_isRefused() throws IOException {
    // the layer the link should lead to waits outside the archive: following the link would succeed
    Path dir = classicSaveWithRepeatedLayer();
    Path link = dir.resolve("f".repeat(64) + "/layer.tar");
    Files.createDirectories(tmp.resolve("outside"));
    Files.copy(link, tmp.resolve("outside/layer.tar"));
    Files.delete(link);
    Files.createSymbolicLink(link, Path.of("../../outside/layer.tar"));
    Path tar = HandTar.tar().tree(dir).writeTo(tmp.resolve("escape.tar"));

    for (String reference : new String[] {"docker-archive:" + tar, "docker-archive:" + dir}) {
      assertThatThrownBy(() -> ImageSnapshot.of(ImageSnapshot.open(reference)))
          .as(reference)
          .isInstanceOf(ImageReadException.class)
          .hasMessageContaining("f".repeat(64) + "/layer.tar")
          .hasMessageContaining("outside");
    }
  }

  @Test
  void open_symlinkLoopInArchive_isRefused() throws IOException {
    Path dir = classicSaveWithRepeatedLayer();
    ArrayNode manifest = (ArrayNode) Json.read(dir.resolve("manifest.json"));
    ((ArrayNode) manifest.get(0).path("Layers")).set(3, "loop/a");
    Json.write(dir.resolve("manifest.json"), manifest);
    Path tar = HandTar.tar().tree(dir).dir("loop").symlink("loop/a", "b").symlink("loop/b", "a")
        .writeTo(tmp.resolve("loop.tar"));

    assertThatThrownBy(() -> ImageSnapshot.of(ImageSnapshot.open("docker-archive:" + tar)))
        .isInstanceOf(ImageReadException.class)
        .hasMessageContaining("loop/a");
  }

  @Test
  void open_layerNamedOutsideTheArchive_isRefusedAndNothingOutsideIsRead() throws IOException {
    // a valid layer waits where ../outside/layer.tar would lead: reading it would succeed
    BuiltImage image = ImageBuilder.image().layer(l -> l.file("/x", "x", 0644)).build();
    Path dir = tmp.resolve("archive");
    image.writeDockerArchiveDirectory(dir, DockerLayout.CLASSIC, "");
    ArrayNode manifest = (ArrayNode) Json.read(dir.resolve("manifest.json"));
    String layer = manifest.get(0).path("Layers").get(0).asText();
    Files.createDirectories(tmp.resolve("outside"));
    Files.copy(dir.resolve(layer), tmp.resolve("outside/layer.tar"));
    Files.delete(dir.resolve(layer));

    for (String name : new String[] {"../outside/layer.tar", "../../etc/passwd", "./../outside/layer.tar",
        "sub/../../outside/layer.tar"}) {
      ((ArrayNode) manifest.get(0).path("Layers")).set(0, name);
      Json.write(dir.resolve("manifest.json"), manifest);
      Path tar = HandTar.tar().tree(dir).writeTo(tmp.resolve("traversal.tar"));
      for (String reference : new String[] {"docker-archive:" + tar, "docker-archive:" + dir, dir.toString()}) {
        assertThatThrownBy(() -> ImageSnapshot.of(ImageSnapshot.open(reference)))
            .as("%s naming %s", reference, name)
            .isInstanceOf(ImageReadException.class)
            .hasMessageContaining(name)
            .hasMessageContaining(reference.contains("traversal.tar") ? "traversal.tar" : dir.toString())
            .hasMessageContaining("leaves the archive")
            .hasMessageNotContaining("\n");
      }
    }
  }

  @Test
  void open_archiveWithAMemberNamedOutsideIt_isRefused() throws IOException {
    Path tar = HandTar.tar().file("manifest.json", "[]").file("../../tmp/evil", "x").writeTo(tmp.resolve("evil.tar"));

    assertThatThrownBy(() -> ImageSnapshot.open("docker-archive:" + tar))
        .isInstanceOf(ImageReadException.class)
        .hasMessageContaining(tar.toString())
        .hasMessageContaining("../../tmp/evil");
  }

  @Test
  void open_absoluteLayerName_staysInsideTheArchive() throws IOException {
    BuiltImage image = ImageBuilder.image().layer(l -> l.file("/x", "x", 0644)).build();
    Path dir = tmp.resolve("archive");
    image.writeDockerArchiveDirectory(dir, DockerLayout.CLASSIC, "");
    ArrayNode manifest = (ArrayNode) Json.read(dir.resolve("manifest.json"));
    ((ArrayNode) manifest.get(0).path("Layers")).set(0, "/etc/passwd");
    Json.write(dir.resolve("manifest.json"), manifest);

    assertThatThrownBy(() -> ImageSnapshot.open("docker-archive:" + dir))
        .isInstanceOf(ImageReadException.class)
        .hasMessageContaining("/etc/passwd")
        .hasMessageContaining("missing");
  }

  @ParameterizedTest
  @ValueSource(strings = {"docker-archive:", "oci-archive:", "oci:"})
  void open_pathThatDoesNotExist_namesIt(String transport) {
    Path missing = tmp.resolve("no-such-image.tar");

    assertThatThrownBy(() -> ImageSnapshot.open(transport + missing))
        .isInstanceOf(ImageReadException.class)
        .hasMessage(missing + ": no such file or directory");
  }

  @Test
  void open_repoTagWrittenInFull_isFoundByItsShortName() throws IOException {
    // skopeo writes RepoTags in full (docker.io/library/app:1); docker save writes app:1
    Path dir = tmp.resolve("full");
    TWO.writeDockerArchiveDirectory(dir, DockerLayout.CLASSIC, "docker.io/library/two:2");

    assertThat(ImageSnapshot.open("docker-archive:" + dir + ":two:2").config().user()).isEqualTo("two");
    assertThat(ImageSnapshot.open("docker-archive:" + dir + ":docker.io/two:2").config().user()).isEqualTo("two");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "app:1,                         docker.io/library/app:1",
      "docker.io/app:1,               docker.io/library/app:1",
      "docker.io/library/app:1,       docker.io/library/app:1",
      "team/app:1,                    docker.io/team/app:1",
      "ghcr.io/team/app:1,            ghcr.io/team/app:1",
      "localhost/app:1,               localhost/app:1",
      "registry:5000/app:1,           registry:5000/app:1",
  })
  void fullName_spellsTheNameAsDockerDoes(String name, String full) {
    assertThat(DockerArchiveSource.fullName(name)).isEqualTo(full);
  }

  @Test
  void open_docker25ArchiveWithTag_selectsByRepoTag() throws IOException {
    Path tar = tmp.resolve("d25.tar");
    TWO.writeDockerArchive(tar, DockerLayout.OCI, "two:2");

    Image image = ImageSnapshot.open("docker-archive:" + tar + ":two:2");

    assertThat(image.config().user()).isEqualTo("two");
    Filesystem fs = Filesystem.merge(ImageSnapshot.scan(image, ScanInterest.paths("/which")));
    assertThat(fs.content("/which")).hasValueSatisfying(b -> assertThat(new String(b)).isEqualTo("two"));
  }
}
