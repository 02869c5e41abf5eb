package io.imagegate.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagegate.engine.Gate;
import io.imagegate.image.Digest;
import io.imagegate.image.Image;
import io.imagegate.image.ImageReadException;
import io.imagegate.image.ImageReference;
import io.imagegate.image.ImageSources;
import io.imagegate.image.Layer;
import io.imagegate.image.PlatformSelection;
import io.imagegate.policy.PackResolver;
import io.imagegate.policy.Policy;
import io.imagegate.policy.PolicyLoader;
import io.imagegate.policy.Severity;
import io.imagegate.report.Finding;
import io.imagegate.report.ImageReport;
import io.imagegate.report.Report;
import io.imagegate.report.Verdict;
import io.imagegate.rule.StandardRuleTypes;
import io.imagegate.scan.Filesystem;
import io.imagegate.scan.LayerIndex;
import io.imagegate.scan.LayerScanner;
import io.imagegate.scan.ScanInterest;
import io.imagegate.scan.ScanLimits;
import io.imagegate.scan.ScannedImage;
import io.imagegate.testing.DockerEngine;
import io.imagegate.testing.TarEntries;
import io.imagegate.testing.TestPolicies;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tests for {@link DockerDaemonSource} against a real Docker engine ({@link DockerEngine}): images the
 * engine built ({@code docker build}, {@code docker import}) read through {@code docker-daemon:} must
 * give exactly what the same image gives through {@code docker save} and {@code docker-archive:}.
 */
@Tag("docker")
class DockerDaemonSourceTest {
  private static final String BUILT = "imagegate-test/built:1";
  private static final String CHILD = "imagegate-test/child:1";
  private static final String IMPORTED = "imagegate-test/imported:1";
  private static final String POLICY = TestPolicies.MINIMAL_LIKE;
  private static final ScanInterest INTEREST =
      ScanInterest.paths("/etc/passwd").and(ScanInterest.marker("busybox", "BusyBox v"));

  @TempDir
  static Path dir;

  private static DockerEngine engine;
  private static Policy policy;

  @BeforeAll
  static void buildImages() throws IOException {
    engine = DockerEngine.require();
    policy = new PolicyLoader(StandardRuleTypes.all(), PackResolver.NONE).load("policy.yaml", POLICY, null);

    Path ctx = Files.createDirectories(dir.resolve("built"));
    write(ctx.resolve("passwd"), "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/home/app:/sbin/nologin\n", "rw-r--r--");
    write(ctx.resolve("sh"), "#!fake shell\n", "rwxr-xr-x");
    write(ctx.resolve("curl"), "\u007fELF fake curl\n", "rwxr-xr-x");
    Files.write(ctx.resolve("blob"), randomBytes(1_500_000, 1));
    write(ctx.resolve("Dockerfile"), """
        FROM scratch
        COPY passwd /etc/passwd
        COPY sh /bin/sh
        COPY curl /usr/bin/curl
        COPY blob /opt/blob
        USER app
        ENTRYPOINT ["/usr/bin/curl"]
        """, "rw-r--r--");
    engine.build(ctx, BUILT);

    Path child = Files.createDirectories(dir.resolve("child"));
    write(child.resolve("passwd"), "root:x:0:0:root:/root:/bin/sh\n", "rw-r--r--");
    write(child.resolve("app"), "\u007fELF app\n", "rwxr-xr-x");
    write(child.resolve("Dockerfile"), """
        FROM %s
        COPY passwd /etc/passwd
        COPY app /app
        USER root
        ENTRYPOINT ["/app"]
        """.formatted(BUILT), "rw-r--r--");
    engine.build(child, CHILD);

    Path rootfs = dir.resolve("rootfs.tar");
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(Files.newOutputStream(rootfs))) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      dirEntry(tar, "bin/");
      dirEntry(tar, "etc/");
      fileEntry(tar, "bin/busybox", "\u007fELF....BusyBox v1.36.1 (2024-01-01) multi-call binary.".getBytes(StandardCharsets.ISO_8859_1), 0755);
      TarArchiveEntry sh = new TarArchiveEntry("bin/sh", TarConstants.LF_SYMLINK);
      sh.setLinkName("busybox");
      tar.putArchiveEntry(sh);
      tar.closeArchiveEntry();
      fileEntry(tar, "etc/passwd", "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534::/:/sbin/nologin\n".getBytes(StandardCharsets.UTF_8), 0644);
      fileEntry(tar, "etc/group", "root:x:0:\n".getBytes(StandardCharsets.UTF_8), 0644);
    }
    engine.importTar(rootfs, IMPORTED, "USER nobody", "ENTRYPOINT [\"/bin/sh\"]");
  }

  private static void write(Path p, String content, String perms) throws IOException {
    Files.writeString(p, content);
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms));
  }

  private static byte[] randomBytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static void dirEntry(TarArchiveOutputStream tar, String name) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name);
    e.setMode(040755);
    tar.putArchiveEntry(e);
    tar.closeArchiveEntry();
  }

  private static void fileEntry(TarArchiveOutputStream tar, String name, byte[] content, int mode) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name);
    e.setMode(0100000 | mode);
    e.setSize(content.length);
    tar.putArchiveEntry(e);
    tar.write(content);
    tar.closeArchiveEntry();
  }

  private static DockerDaemonSource source() {
    return new DockerDaemonSource(engine.endpoint());
  }

  private static ImageReport gate(String reference) {
    try (Gate gate = new Gate(ImageSources.offline().with(source()), ScanLimits.DEFAULT, 2, "test")) {
      Report r = gate.check(List.of(ImageReference.parse(reference)), PlatformSelection.host(), policy, Severity.ERROR,
          m -> {});
      assertThat(r.images()).hasSize(1);
      return r.images().get(0);
    }
  }

  private Path saved(String image) {
    Path tar = dir.resolve(image.replaceAll("[/:]", "_") + ".tar");
    if (!Files.exists(tar)) {
      engine.save(image, tar);
    }
    return tar;
  }

  /** The same image through docker-daemon: and through docker save + docker-archive: */
  private void assertSameBothWays(String image) {
    ImageReport daemon = gate("docker-daemon:" + image);
    ImageReport archive = gate("docker-archive:" + saved(image));
    assertThat(daemon.error()).isEmpty();
    assertThat(archive.error()).isEmpty();
    assertThat(daemon).usingRecursiveComparison().ignoringFields("name", "reference", "elapsed").isEqualTo(archive);
    assertThat(daemon.configDigest()).get().hasToString(engine.imageId(image));
    assertThat(daemon.layers()).extracting(l -> l.diffId().toString()).containsExactlyElementsOf(engine.diffIds(image));

    ScannedImage streamed = source().openScanned(ImageReference.parse("docker-daemon:" + image), PlatformSelection.host(),
        new LayerScanner(INTEREST, ScanLimits.DEFAULT)).get(0);
    Image fromArchive = ImageSources.offline().open(ImageReference.parse("docker-archive:" + saved(image)),
        PlatformSelection.host()).get(0);
    LayerScanner scanner = new LayerScanner(INTEREST, ScanLimits.DEFAULT);
    List<LayerIndex> archived = fromArchive.layers().stream().map(scanner::scan).toList();
    assertThat(streamed.image().config()).isEqualTo(fromArchive.config());
    assertThat(streamed.layers()).usingRecursiveFieldByFieldElementComparator().containsExactlyElementsOf(archived);
    Filesystem fs = Filesystem.merge(streamed.layers());
    Filesystem expected = Filesystem.merge(archived);
    assertThat(fs.entries()).isNotEmpty().containsExactlyElementsOf(expected.entries());
    assertThat(fs.content("/etc/passwd")).get().isEqualTo(expected.content("/etc/passwd").orElseThrow());
  }

  @Test
  void openScanned_builtFromScratch_sameAsDockerSaveArchive() {
    assertSameBothWays(BUILT);
    ImageReport r = gate("docker-daemon:" + BUILT);
    assertThat(r.verdict()).isEqualTo(Verdict.FAIL);
    assertThat(r.findings()).extracting(Finding::ruleId)
        .containsExactlyInAnyOrder("size-budget", "no-network-tools", "no-shell");
    assertThat(r.layers()).hasSize(4);
  }

  @Test
  void openScanned_builtOnAnotherImage_sameAsDockerSaveArchive() {
    assertSameBothWays(CHILD);
    ImageReport r = gate("docker-daemon:" + CHILD);
    assertThat(r.layers()).hasSize(6);
    assertThat(r.findings()).extracting(Finding::ruleId).contains("non-root-user", "no-shell", "no-network-tools");
  }

  @Test
  void openScanned_importedRootfs_sameAsDockerSaveArchive() {
    assertSameBothWays(IMPORTED);
    ImageReport r = gate("docker-daemon:" + IMPORTED);
    assertThat(r.findings()).extracting(Finding::message).contains(
        "shell busybox is present: /bin/busybox", "shell sh is present: /bin/sh -> /bin/busybox (busybox applet)");
    assertThat(r.findings()).extracting(Finding::ruleId).doesNotContain("non-root-user");
  }

  @Test
  void openScanned_byImageId_readsTheSameImage() {
    String id = engine.imageId(IMPORTED);
    ImageReport byId = gate("docker-daemon:" + id);
    assertThat(byId.error()).isEmpty();
    assertThat(byId).usingRecursiveComparison().ignoringFields("name", "reference", "elapsed")
        .isEqualTo(gate("docker-daemon:" + IMPORTED));
  }

  @Test
  void openScanned_noSuchImage_failsNamingItAndTheEngine() {
    ImageReference ref = ImageReference.parse("docker-daemon:imagegate-test/missing:1");
    assertThatThrownBy(() -> source().openScanned(ref, PlatformSelection.host(), new LayerScanner(INTEREST, ScanLimits.DEFAULT)))
        .isInstanceOf(ImageReadException.class)
        .hasMessage("docker-daemon:imagegate-test/missing:1: no such image imagegate-test/missing:1 in the Docker engine at "
            + engine.endpoint().describe());
    ImageReport r = gate(ref.text());
    assertThat(r.verdict()).isEqualTo(Verdict.ERROR);
    assertThat(r.findings()).isEmpty();
  }

  @Test
  void openScanned_userWithoutAccessToTheSocket_saysPermissionDenied() throws Exception {
    Path socket = engine.endpoint().socket().orElse(null);
    Assumptions.assumeTrue(socket != null, "the engine is not on a unix socket");
    Assumptions.assumeTrue("root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/usr/bin/setpriv")),
        "needs root and setpriv to run the probe as nobody");
    // the probe runs as nobody, in a JVM whose classpath is copied where nobody can read it
    Path cp = Files.createDirectories(dir.resolve("probe-classpath"));
    List<String> entries = new ArrayList<>();
    String classpath = System.getProperty("java.class.path");
    for (String entry : classpath.split(java.io.File.pathSeparator)) {
      Path from = Path.of(entry);
      if (!Files.exists(from)) {
        continue;
      }
      Path to = cp.resolve(entries.size() + "-" + from.getFileName());
      if (Files.isDirectory(from)) {
        try (var walk = Files.walk(from)) {
          for (Path p : (Iterable<Path>) walk::iterator) {
            Path target = to.resolve(from.relativize(p).toString());
            if (Files.isDirectory(p)) {
              Files.createDirectories(target);
            } else {
              Files.copy(p, target);
            }
          }
        }
      } else {
        Files.copy(from, to);
      }
      entries.add(to.toString());
    }
    for (Path p = cp; p.startsWith(dir); p = p.getParent()) { // only our own temporary directories
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    try (var walk = Files.walk(cp)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
      }
    }
    Process probe = new ProcessBuilder("/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", String.join(java.io.File.pathSeparator, entries),
        PermissionProbe.class.getName(), engine.host(), "docker-daemon:" + BUILT)
        .redirectErrorStream(true).start();
    String out = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(probe.waitFor()).as(out).isZero();
    assertThat(out).isEqualTo("docker-daemon:" + BUILT + ": permission denied on the Docker socket " + socket
        + " (run as a member of its group, e.g. docker, or as root)");
  }

  @Test
  void open_lazyLayersReadAgainFromTheEngine_sameScan() {
    Image image = source().open(ImageReference.parse("docker-daemon:" + CHILD), PlatformSelection.host()).get(0);
    List<LayerIndex> lazily = new ArrayList<>();
    LayerScanner scanner = new LayerScanner(INTEREST, ScanLimits.DEFAULT);
    for (Layer l : image.layers()) {
      lazily.add(scanner.scan(l));
    }
    ScannedImage once = source().openScanned(ImageReference.parse("docker-daemon:" + CHILD), PlatformSelection.host(),
        scanner).get(0);
    assertThat(lazily).usingRecursiveFieldByFieldElementComparator().containsExactlyElementsOf(once.layers());
  }

  @Test
  void dockerArchiveSource_readsWhatThisEngineSaves() throws IOException {
    Path tar = saved(CHILD);
    List<String> names = TarEntries.read(tar).stream().map(TarEntries.Entry::name).toList();
    boolean oci = names.contains("index.json");
    // Docker 25+ writes an OCI layout (blobs/sha256/...); older engines <id>/layer.tar
    assertThat(names).anyMatch(n -> oci ? n.startsWith("blobs/sha256/") : n.endsWith("/layer.tar"));
    Image image = ImageSources.offline().open(ImageReference.parse("docker-archive:" + tar), PlatformSelection.host()).get(0);
    assertThat(image.configDigest()).isEqualTo(Digest.parse(engine.imageId(CHILD)));
    assertThat(image.layers()).extracting(l -> l.diffId().toString()).containsExactlyElementsOf(engine.diffIds(CHILD));
    assertThat(image.config().user()).isEqualTo("root");
    assertThat(image.config().entrypoint()).containsExactly("/app");
    System.out.println("docker save layout of this engine (" + engine.docker("version", "--format", "{{.Server.Version}}")
        + "): " + (oci ? "Docker 25+ OCI layout" : "classic <id>/layer.tar"));
  }
}
