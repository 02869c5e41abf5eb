package io.imagegate.scan;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.build.BuiltImage;
import io.imagegate.build.ImageBuilder;
import io.imagegate.image.Image;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tests for {@link LayerCache}. */
class LayerCacheTest {
  private static final ScanInterest INTEREST = ScanInterest.paths("/etc/passwd").and(ScanInterest.marker("bb", "BusyBox v"));

  @TempDir
  Path dir;

  private static LayerIndex index() {
    BuiltImage img = ImageBuilder.image()
        .layer(l -> l.file("/etc/passwd", "root:x:0:0::/:/bin/sh\n", 0644)
            .file("/bin/busybox", "xxBusyBox v1.36", 0755)
            .symlink("/bin/sh", "busybox")
            .hardlink("/bin/ash", "/bin/busybox", 0755)
            .dir("/tmp", 01777)
            .whiteout("/old")
            .opaque("/var")
            .owner(70000, 70001).file("/home/u/.profile", "x", 0600))
        .build();
    Image image = img.toImage("t");
    return new LayerScanner(INTEREST, ScanLimits.DEFAULT).scan(image.layers().get(0));
  }

  private static void assertSame(LayerIndex a, LayerIndex b) {
    assertThat(b.diffId()).isEqualTo(a.diffId());
    assertThat(b.entries()).isEqualTo(a.entries());
    assertThat(b.whiteouts()).isEqualTo(a.whiteouts());
    assertThat(b.opaqueDirs()).isEqualTo(a.opaqueDirs());
    assertThat(b.uncompressedSize()).isEqualTo(a.uncompressedSize());
    assertThat(b.contentSize()).isEqualTo(a.contentSize());
    assertThat(b.content().keySet()).isEqualTo(a.content().keySet());
    a.content().forEach((k, v) -> assertThat(b.content().get(k)).isEqualTo(v));
  }

  @Test
  void putThenGet_roundTripsEverything() {
    LayerIndex idx = index();
    assertThat(idx.entries()).anySatisfy(e -> assertThat(e.markers()).contains("bb"));
    LayerCache cache = LayerCache.at(dir);
    assertThat(cache.get(idx.diffId(), INTEREST, ScanLimits.DEFAULT)).isEmpty();
    cache.put(idx, INTEREST, ScanLimits.DEFAULT);
    assertSame(idx, cache.get(idx.diffId(), INTEREST, ScanLimits.DEFAULT).orElseThrow());
  }

  @Test
  void get_otherInterest_misses() {
    LayerIndex idx = index();
    LayerCache cache = LayerCache.at(dir);
    cache.put(idx, INTEREST, ScanLimits.DEFAULT);
    assertThat(cache.get(idx.diffId(), ScanInterest.paths("/etc/passwd"), ScanLimits.DEFAULT)).isEmpty();
  }

  @Test
  void get_corruptTruncatedOrForeignEntry_isIgnoredAndRebuilt() throws IOException {
    LayerIndex idx = index();
    LayerCache cache = LayerCache.at(dir);
    cache.put(idx, INTEREST, ScanLimits.DEFAULT);
    Path file = cache.file(idx.diffId(), INTEREST, ScanLimits.DEFAULT);
    byte[] good = Files.readAllBytes(file);

    byte[] flipped = good.clone();
    flipped[flipped.length / 2] ^= 1;
    Files.write(file, flipped);
    assertThat(cache.get(idx.diffId(), INTEREST, ScanLimits.DEFAULT)).as("bit flip").isEmpty();

    Files.write(file, java.util.Arrays.copyOf(good, good.length - 10));
    assertThat(cache.get(idx.diffId(), INTEREST, ScanLimits.DEFAULT)).as("truncated").isEmpty();

    Files.write(file, "not an index".getBytes());
    assertThat(cache.get(idx.diffId(), INTEREST, ScanLimits.DEFAULT)).as("foreign").isEmpty();

    // a sound entry of another layer, renamed to this layer's name
    LayerIndex other = new LayerScanner(INTEREST, ScanLimits.DEFAULT)
        .scan(ImageBuilder.image().layer(l -> l.file("/x", "y", 0644)).build().toImage("o").layers().get(0));
    cache.put(other, INTEREST, ScanLimits.DEFAULT);
    Files.copy(cache.file(other.diffId(), INTEREST, ScanLimits.DEFAULT), file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertThat(cache.get(idx.diffId(), INTEREST, ScanLimits.DEFAULT)).as("other layer's entry").isEmpty();

    cache.put(idx, INTEREST, ScanLimits.DEFAULT);
    assertSame(idx, cache.get(idx.diffId(), INTEREST, ScanLimits.DEFAULT).orElseThrow());
  }

  @Test
  void concurrentWritersAndReaders_neverSeeAPartialEntry() throws Exception {
    LayerIndex idx = index();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Optional<LayerIndex>>> reads = new ArrayList<>();
      List<Future<?>> writes = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        LayerCache cache = LayerCache.at(dir); // separate instances, as separate processes would have
        if (i % 2 == 0) {
          writes.add(pool.submit(() -> cache.put(idx, INTEREST, ScanLimits.DEFAULT)));
        } else {
          reads.add(pool.submit(() -> cache.get(idx.diffId(), INTEREST, ScanLimits.DEFAULT)));
        }
      }
      int hits = 0;
      for (Future<Optional<LayerIndex>> r : reads) {
        Optional<LayerIndex> got = r.get();
        if (got.isPresent()) {
          hits++;
          assertSame(idx, got.get());
        }
      }
      for (Future<?> w : writes) {
        w.get();
      }
      assertThat(hits).isPositive();
    } finally {
      pool.shutdownNow();
    }
    try (var files = Files.walk(dir)) {
      assertThat(files.filter(p -> p.getFileName().toString().startsWith(".tmp-"))).as("no temp files left").isEmpty();
    }
  }

  @Test
  void put_unwritableDirectory_isIgnored() throws IOException {
    Path file = Files.writeString(dir.resolve("a-file"), "x");
    LayerCache cache = LayerCache.at(file.resolve("sub")); // a path under a regular file can't be created
    LayerIndex idx = index();
    cache.put(idx, INTEREST, ScanLimits.DEFAULT);
    assertThat(cache.get(idx.diffId(), INTEREST, ScanLimits.DEFAULT)).isEmpty();
  }

  @Test
  void defaultDirectory_followsXdg() {
    assertThat(LayerCache.defaultDirectory(java.util.Map.of("XDG_CACHE_HOME", "/x/cache"))).isEqualTo(Path.of("/x/cache/imagegate"));
    assertThat(LayerCache.defaultDirectory(java.util.Map.of()))
        .isEqualTo(Path.of(System.getProperty("user.home"), ".cache", "imagegate"));
  }
}
