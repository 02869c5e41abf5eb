package io.imagegate.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.imagegate.scan.FileEntry;
import io.imagegate.testing.DockerEngine;
import io.imagegate.testing.ImageSnapshot;
import io.imagegate.testing.TarEntries;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tests for {@link DockerArchiveSource} against what a real {@code docker save} writes: an image
 * whose layers repeat ({@code /x} copied, overwritten, copied back: the third layer's tar is the
 * first's) is saved, in the classic layout, with the repeated layer as a symlink to the first,
 * and must read whole, as the engine sees it.
 */
@Tag("docker")
class DockerSaveArchiveTest {
  @TempDir Path tmp;

  @Test
  void open_dockerSaveOfAnImageWithARepeatedLayer_readsEveryLayer() throws IOException {
    DockerEngine engine = DockerEngine.require();
    Path ctx = Files.createDirectories(tmp.resolve("ctx"));
    Files.writeString(ctx.resolve("same"), "same content\n");
    Files.writeString(ctx.resolve("other"), "other\n");
    Files.writeString(ctx.resolve("Dockerfile"), """
        FROM scratch
        COPY same /x
        COPY other /x
        COPY same /x
        """);
    String tag = "imagegate-test/repeated-layer:1";
    engine.build(ctx, tag);
    Path tar = tmp.resolve("saved.tar");
    engine.save(tag, tar);

    Image image = ImageSnapshot.open("docker-archive:" + tar + ":" + tag);
    ImageSnapshot snapshot = ImageSnapshot.of(image);

    assertThat(image.layers()).extracting(l -> l.diffId().toString()).isEqualTo(engine.diffIds(tag));
    assertThat(snapshot.diffIds().get(0)).isEqualTo(snapshot.diffIds().get(2));
    assertThat(snapshot.filesystem()).extracting(FileEntry::path, FileEntry::layer)
        .containsExactly(tuple("/x", 2));
    assertThat(snapshot.wastedBytes()).containsExactly(13L, 6L, 0L);
    List<TarEntries.Entry> members = TarEntries.read(tar);
    if (members.stream().noneMatch(e -> e.name().equals("oci-layout"))) {
      // the classic layout (Docker before 25) links the repeated layer.tar; Docker 25+ stores blobs by digest
      assertThat(members).as("docker save links the repeated layer").anySatisfy(e -> {
        assertThat(e.name()).endsWith("/layer.tar");
        assertThat(e.link()).endsWith("/layer.tar");
        assertThat(e.hard()).isFalse();
      });
    }
  }
}
