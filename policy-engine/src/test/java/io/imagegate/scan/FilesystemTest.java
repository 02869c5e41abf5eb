package io.imagegate.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.imagegate.build.LayerBuilder;
import io.imagegate.testing.HandTar;
import io.imagegate.testing.Layers;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tests for {@link Filesystem}: whiteouts and opaque directories against lower layers only,
 * replaced directories, hard links, symlink resolution inside the image root, captured content
 * and wasted bytes.
 */
class FilesystemTest {

  private static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  // ---- whiteouts, opaque directories, replacement ---------------------------------------------

  @Test
  void merge_whiteout_deletesTheLowerDirectoryAndItsSubtreeOnly() {
    Filesystem fs = Layers.merge(
        l -> l.dir("/a", 0755).dir("/a/b", 0755).file("/a/b/c", "0123456789", 0644).file("/a/d", "12345", 0644)
            .file("/a-b", "x", 0644).file("/ab", "x", 0644).file("/a0", "x", 0644).dir("/z", 0755),
        l -> l.whiteout("/a"));

    assertThat(fs.entries()).extracting(FileEntry::path).containsExactly("/a-b", "/a0", "/ab", "/z");
    assertThat(fs.wastedBytes(0)).isEqualTo(15);
    assertThat(fs.wastedBytes(1)).isZero();
  }

  @Test
  void merge_whiteoutOfAFile_keepsItsDirectory() {
    Filesystem fs = Layers.merge(
        l -> l.dir("/etc", 0755).file("/etc/shadow", "secret", 0600).file("/etc/passwd", "p", 0644),
        l -> l.whiteout("/etc/shadow"));

    assertThat(fs.entries()).extracting(FileEntry::path).containsExactly("/etc", "/etc/passwd");
  }

  @Test
  void merge_whiteoutOfAPathNoLayerHas_changesNothing() {
    Filesystem fs = Layers.merge(l -> l.file("/x", "x", 0644), l -> l.whiteout("/nothing/here"));

    assertThat(fs.entries()).extracting(FileEntry::path).containsExactly("/x");
    assertThat(fs.wastedBytes()).isZero();
  }

  @ParameterizedTest(name = "whiteout {0} the entry")
  @ValueSource(strings = {"before", "after"})
  void merge_whiteoutInTheSameLayer_doesNotDeleteThatLayersEntry(String order) {
    Consumer<LayerBuilder> upper = order.equals("before")
        ? l -> l.whiteout("/x").file("/x", "new", 0600)
        : l -> l.file("/x", "new", 0600).whiteout("/x");

    Filesystem fs = Layers.merge(l -> l.file("/x", "old!", 0644), upper);

    assertThat(fs.get("/x")).hasValueSatisfying(e -> {
      assertThat(e.layer()).isEqualTo(1);
      assertThat(e.size()).isEqualTo(3);
      assertThat(e.mode()).isEqualTo(0600);
    });
    assertThat(fs.wastedBytes(0)).isEqualTo(4);
  }

  @ParameterizedTest(name = "opaque marker {0} the new child")
  @ValueSource(strings = {"before", "after"})
  void merge_opaqueDirectory_hidesLowerChildrenButKeepsSameLayerOnes(String order) {
    Consumer<LayerBuilder> upper = order.equals("before")
        ? l -> l.dir("/d", 0700).opaque("/d").file("/d/c", "new", 0644)
        : l -> l.dir("/d", 0700).file("/d/c", "new", 0644).opaque("/d");

    Filesystem fs = Layers.merge(
        l -> l.dir("/d", 0755).file("/d/a", "aa", 0644).dir("/d/sub", 0755).file("/d/sub/b", "bbb", 0644)
            .file("/d-sibling", "s", 0644).file("/dd", "s", 0644),
        upper);

    assertThat(fs.entries()).extracting(FileEntry::path).containsExactly("/d", "/d-sibling", "/d/c", "/dd");
    assertThat(fs.get("/d")).hasValueSatisfying(e -> assertThat(e.mode()).isEqualTo(0700));
    assertThat(fs.get("/d/c")).hasValueSatisfying(e -> assertThat(e.layer()).isEqualTo(1));
    assertThat(fs.wastedBytes(0)).isEqualTo(5);
  }

  @Test
  void merge_opaqueDirectoryWithoutItsOwnEntry_keepsTheLowerDirectory() {
    Filesystem fs = Layers.merge(l -> l.dir("/d", 0755).file("/d/a", "a", 0644), l -> l.opaque("/d"));

    assertThat(fs.entries()).extracting(FileEntry::path).containsExactly("/d");
  }

  @Test
  void merge_directoryReplacedByAFile_dropsItsChildren() {
    Filesystem fs = Layers.merge(
        l -> l.dir("/d", 0755).dir("/d/sub", 0755).file("/d/sub/x", "1234", 0644).file("/d.txt", "keep", 0644),
        l -> l.file("/d", "now a file", 0644));

    assertThat(fs.entries()).extracting(FileEntry::path, FileEntry::type)
        .containsExactly(tuple("/d", FileType.FILE),
            tuple("/d.txt", FileType.FILE));
    assertThat(fs.wastedBytes(0)).isEqualTo(4);
  }

  @Test
  void merge_directoryReplacedByASymlink_dropsItsChildren() {
    Filesystem fs = Layers.merge(
        l -> l.dir("/usr", 0755).dir("/usr/lib", 0755).file("/usr/lib/libc.so", "elf", 0755),
        l -> l.symlink("/usr/lib", "/lib"));

    assertThat(fs.entries()).extracting(FileEntry::path).containsExactly("/usr", "/usr/lib");
    assertThat(fs.get("/usr/lib")).hasValueSatisfying(e -> assertThat(e.type()).isEqualTo(FileType.SYMLINK));
  }

  @Test
  void merge_fileReplacedByADirectory_countsTheFileAsWasted() {
    Filesystem fs = Layers.merge(l -> l.file("/p", "12345", 0644), l -> l.dir("/p", 0755).file("/p/q", "q", 0644));

    assertThat(fs.entries()).extracting(FileEntry::path).containsExactly("/p", "/p/q");
    assertThat(fs.get("/p")).hasValueSatisfying(e -> assertThat(e.type()).isEqualTo(FileType.DIRECTORY));
    assertThat(fs.wastedBytes(0)).isEqualTo(5);
  }

  @Test
  void merge_fileOverwrittenInLaterLayers_countsEachOldSizeToItsOwnLayer() {
    Filesystem fs = Layers.merge(
        l -> l.zeroFile("/big", 1000, 0644).zeroFile("/gone", 300, 0644),
        l -> l.zeroFile("/big", 10, 0644),
        l -> l.zeroFile("/big", 1, 0644).whiteout("/gone"));

    assertThat(fs.wastedBytes(0)).isEqualTo(1300);
    assertThat(fs.wastedBytes(1)).isEqualTo(10);
    assertThat(fs.wastedBytes(2)).isZero();
    assertThat(fs.wastedBytes()).isEqualTo(1310);
    assertThat(fs.get("/big")).hasValueSatisfying(e -> assertThat(e.size()).isEqualTo(1));
  }

  // ---- hard links -----------------------------------------------------------------------------

  @Test
  void merge_hardLinkToAnEarlierEntry_keepsTheLinkAndTheTargetsMarkers() {
    Filesystem fs = Layers.merge(ScanInterest.marker("busybox", "BusyBox v"),
        l -> l.dir("/bin", 0755).file("/bin/busybox", "\u007fELF...BusyBox v1.36.1...", 0755)
            .hardlink("/bin/sh", "/bin/busybox", 0755),
        l -> l.hardlink("/bin/ash", "/bin/busybox", 0755));

    assertThat(fs.get("/bin/busybox")).hasValueSatisfying(e -> assertThat(e.markers()).containsExactly("busybox"));
    for (String link : new String[] {"/bin/sh", "/bin/ash"}) {
      assertThat(fs.get(link)).as(link).hasValueSatisfying(e -> {
        assertThat(e.type()).isEqualTo(FileType.HARDLINK);
        assertThat(e.linkTarget()).isEqualTo("/bin/busybox");
        assertThat(e.markers()).containsExactly("busybox");
        assertThat(e.isExecutable()).isTrue();
      });
    }
    assertThat(fs.get("/bin/ash").orElseThrow().layer()).isEqualTo(1);
    assertThat(fs.resolve("/bin/sh").entry()).map(FileEntry::path).contains("/bin/sh");
  }

  // ---- symlink resolution -----------------------------------------------------------------------

  private static final Filesystem LINKS = Layers.merge(l -> {
    l.dir("/usr", 0755).dir("/usr/bin", 0755).file("/usr/bin/tool", "t", 0755)
        .symlink("/bin", "usr/bin")
        .symlink("/usr/bin/sh", "tool")
        .symlink("/usr/bin/abs", "/usr/bin/tool")
        .dir("/etc", 0755)
        .symlink("/etc/alt", "../usr/bin/tool")
        .symlink("/up", "../../../../usr/bin/tool")
        .symlink("/a", "b").symlink("/b", "a")
        .symlink("/self", "self")
        .symlink("/dangling", "/nowhere")
        .symlink("/lib", "/usr/lib")
        .symlink("/root-link", "/")
        .symlink("/dot", ".");
    // c0 -> c1 -> ... -> c40 -> /usr/bin/tool: resolving c0 follows 41 links, c1 follows 40
    for (int i = 0; i < 40; i++) {
      l.symlink("/c" + i, "c" + (i + 1));
    }
    l.symlink("/c40", "/usr/bin/tool");
  });

  @ParameterizedTest(name = "{0} -> {1} {2}")
  @CsvSource({
      "/usr/bin/tool,            FOUND,   /usr/bin/tool",
      "/bin/tool,                FOUND,   /usr/bin/tool",
      "/bin,                     FOUND,   /usr/bin",
      "/bin/sh,                  FOUND,   /usr/bin/tool",
      "/usr/bin/sh,              FOUND,   /usr/bin/tool",
      "/usr/bin/abs,             FOUND,   /usr/bin/tool",
      "/etc/alt,                 FOUND,   /usr/bin/tool",
      "/up,                      FOUND,   /usr/bin/tool",
      "/../../usr/bin/tool,      FOUND,   /usr/bin/tool",
      "usr/bin/./tool,           FOUND,   /usr/bin/tool",
      "/bin/../bin/tool,         FOUND,   /usr/bin/tool",
      "/root-link/usr/bin/tool,  FOUND,   /usr/bin/tool",
      "/dot/dot/bin/sh,          FOUND,   /usr/bin/tool",
      "/c1,                      FOUND,   /usr/bin/tool",
      "/c0,                      LOOP,    /c40",
      "/a,                       LOOP,    ",
      "/self,                    LOOP,    /self",
      "/a/x,                     LOOP,    ",
      "/dangling,                MISSING, /nowhere",
      "/lib/libc.so.6,           MISSING, /usr/lib",
      "/usr/bin/tool/x,          MISSING, /usr/bin/tool",
      "/nothing,                 MISSING, /nothing",
      "/nothing/../usr/bin/tool, MISSING, /nothing",
      "/usr/nothing/../bin/tool, MISSING, /usr/nothing",
  })
  void resolve_followsLinksInsideTheRoot(String path, Filesystem.Resolution.Status status, String resolved) {
    Filesystem.Resolution r = LINKS.resolve(path);

    assertThat(r.status()).isEqualTo(status);
    assertThat(r.requested()).isEqualTo(path);
    if (resolved != null) {
      assertThat(r.resolved()).isEqualTo(resolved);
    }
    assertThat(r.entry().isPresent()).isEqualTo(status == Filesystem.Resolution.Status.FOUND);
    if (status == Filesystem.Resolution.Status.FOUND) {
      assertThat(r.entry().get().path()).isEqualTo(resolved);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"/", "/root-link", "/dot", "/.."})
  void resolve_theRoot_isAlwaysFound(String path) {
    Filesystem.Resolution r = LINKS.resolve(path);

    assertThat(r.status()).isEqualTo(Filesystem.Resolution.Status.FOUND);
    assertThat(r.resolved()).isEqualTo("/");
    assertThat(r.entry()).map(FileEntry::type).contains(FileType.DIRECTORY);
  }

  @Test
  void resolve_throughParentDirectoriesTheTarNeverListed() {
    // tars may omit parent directories: they exist implicitly, as extraction creates them
    Filesystem fs = Layers.mergeRaw(ScanInterest.paths("/opt/app/etc/app.conf"),
        HandTar.tar().file("opt/app/bin/app", "x").file("opt/app/etc/app.conf", "conf")
            .symlink("usr/local/bin/app", "/opt/app/bin/app").toBytes());

    assertThat(fs.resolve("/opt/app/bin/app").status()).isEqualTo(Filesystem.Resolution.Status.FOUND);
    assertThat(fs.resolve("/usr/local/bin/app").resolved()).isEqualTo("/opt/app/bin/app");
    assertThat(fs.resolve("/opt/app/bin/../etc/app.conf").status()).isEqualTo(Filesystem.Resolution.Status.FOUND);
    assertThat(fs.content("/opt/app/etc/app.conf")).hasValueSatisfying(b -> assertThat(text(b)).isEqualTo("conf"));
    assertThat(fs.resolve("/opt/app/missing/x").status()).isEqualTo(Filesystem.Resolution.Status.MISSING);
    assertThat(fs.get("/opt/app")).isEmpty();
  }

  // ---- captured content -------------------------------------------------------------------------

  private static final ScanInterest PASSWD = ScanInterest.paths("/etc/passwd");

  @Test
  void content_ofACapturedPath_isThatOfTheLayerThatWroteItLast() {
    Filesystem fs = Layers.merge(PASSWD,
        l -> l.dir("/etc", 0755).file("/etc/passwd", "root:x:0:0::/:/bin/sh\n", 0644).file("/etc/group", "g", 0644),
        l -> l.file("/etc/passwd", "root:x:0:0::/:/sbin/nologin\n", 0644));

    assertThat(fs.content("/etc/passwd")).hasValueSatisfying(b -> assertThat(text(b)).isEqualTo("root:x:0:0::/:/sbin/nologin\n"));
    assertThat(fs.content("/etc/group")).as("not asked for").isEmpty();
    assertThat(fs.content("/etc/../etc/./passwd")).isPresent();
  }

  @Test
  void content_afterAWhiteout_isGone() {
    Filesystem fs = Layers.merge(PASSWD,
        l -> l.dir("/etc", 0755).file("/etc/passwd", "root", 0644),
        l -> l.whiteout("/etc/passwd"));

    assertThat(fs.content("/etc/passwd")).isEmpty();
  }

  @Test
  void content_afterTheDirectoryIsWhitedOutOrMadeOpaque_isGone() {
    assertThat(Layers.merge(PASSWD, l -> l.dir("/etc", 0755).file("/etc/passwd", "root", 0644), l -> l.whiteout("/etc"))
        .content("/etc/passwd")).isEmpty();
    assertThat(Layers.merge(PASSWD, l -> l.dir("/etc", 0755).file("/etc/passwd", "root", 0644),
        l -> l.dir("/etc", 0755).opaque("/etc").file("/etc/hosts", "h", 0644))
        .content("/etc/passwd")).isEmpty();
  }

  @Test
  void content_whiteoutThenRecreatedInTheSameLayer_isTheNewContent() {
    Filesystem fs = Layers.merge(PASSWD,
        l -> l.dir("/etc", 0755).file("/etc/passwd", "old", 0644),
        l -> l.whiteout("/etc/passwd").file("/etc/passwd", "new", 0644));

    assertThat(fs.content("/etc/passwd")).hasValueSatisfying(b -> assertThat(text(b)).isEqualTo("new"));
  }

  @Test
  void content_replacedByASymlinkToAnotherCapturedPath_followsTheLink() {
    Filesystem fs = Layers.merge(ScanInterest.paths("/etc/passwd", "/usr/share/passwd"),
        l -> l.dir("/etc", 0755).file("/etc/passwd", "old", 0644)
            .dir("/usr", 0755).dir("/usr/share", 0755).file("/usr/share/passwd", "shared", 0644),
        l -> l.symlink("/etc/passwd", "../usr/share/passwd"));

    assertThat(fs.content("/etc/passwd")).hasValueSatisfying(b -> assertThat(text(b)).isEqualTo("shared"));
  }
}
