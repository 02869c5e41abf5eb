package io.imagegate.scan;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.build.BuiltImage;
import io.imagegate.build.ImageBuilder;
import io.imagegate.image.Image;
import io.imagegate.image.Layer;
import io.imagegate.policy.Glob;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Tests for the content interests of {@link LayerScanner}: capture globs, content searches and their bounds. */
class LayerScannerContentTest {
  private static final ScanInterest.ContentSearch KEYS = new ScanInterest.ContentSearch(
      "keys", List.of(), List.of(Glob.compile("/etc/ssl/certs/**")), 1 << 20, List.of("PRIVATE KEY", "AKIA"));

  private static LayerIndex scanOnly(BuiltImage img, ScanInterest interest, ScanLimits limits, AtomicInteger opens) {
    Image image = img.toImage("t");
    Layer l = image.layers().get(0);
    Layer counted = new Layer(l.index(), l.mediaType(), l.blobDigest(), l.blobSize(), l.diffId(), () -> {
      opens.incrementAndGet();
      return l.opener().open();
    });
    return new LayerScanner(interest, limits).scan(counted);
  }

  private static LayerIndex scan(BuiltImage img, ScanInterest interest) {
    return scanOnly(img, interest, ScanLimits.DEFAULT, new AtomicInteger());
  }

  @Test
  void scan_captureGlob_keepsMatchingFilesOnly() {
    BuiltImage img = ImageBuilder.image().layer(l -> l
        .file("/var/lib/dpkg/status.d/libc6", "Package: libc6\n", 0644)
        .file("/var/lib/dpkg/status.d/tzdata", "Package: tzdata\n", 0644)
        .file("/var/lib/dpkg/other", "x", 0644)).build();
    LayerIndex idx = scan(img, ScanInterest.capture(Glob.compile("/var/lib/dpkg/status.d/*"), 1000));
    assertThat(idx.content().keySet()).containsExactlyInAnyOrder("/var/lib/dpkg/status.d/libc6", "/var/lib/dpkg/status.d/tzdata");
    assertThat(new String(idx.content().get("/var/lib/dpkg/status.d/libc6"), StandardCharsets.UTF_8)).isEqualTo("Package: libc6\n");
    assertThat(idx.truncated()).isEmpty();
  }

  @Test
  void scan_captureBeyondItsBound_isRecordedAsTruncated() {
    BuiltImage img = ImageBuilder.image().layer(l -> l.file("/db", "0123456789", 0644)).build();
    LayerIndex idx = scan(img, ScanInterest.capture(Glob.compile("/db"), 4));
    assertThat(idx.content().get("/db")).containsExactly('0', '1', '2', '3');
    assertThat(idx.truncated()).containsExactly("/db");
  }

  @Test
  void scan_perLayerBudget_boundsWhatIsKept() {
    BuiltImage img = ImageBuilder.image().layer(l -> l.file("/a", "aaaaaaaaaa", 0644).file("/b", "bbbbbbbbbb", 0644)).build();
    ScanLimits tight = new ScanLimits(1000, 4096, 1L << 30, 1 << 20, 1 << 20, 15);
    LayerIndex idx = scanOnly(img, ScanInterest.capture(Glob.compile("/*"), 100), tight, new AtomicInteger());
    assertThat(idx.content().get("/a")).hasSize(10);
    assertThat(idx.content().get("/b")).hasSize(5);
    assertThat(idx.truncated()).containsExactly("/b");
  }

  @Test
  void scan_contentSearch_findsNeedlesWithExcerptsAndHonoursExcludes() {
    String key = "-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----\n";
    BuiltImage img = ImageBuilder.image().layer(l -> l
        .file("/app/key.pem", "header\n" + key, 0600)
        .file("/etc/ssl/certs/bundle.pem", key, 0644)
        .file("/app/readme", "nothing here", 0644)
        .file("/app/creds", "id=AKIAABCDEFGHIJKLMNOP", 0755)).build();
    LayerIndex idx = scan(img, ScanInterest.search(KEYS));
    assertThat(idx.matches()).extracting(ContentMatch::path).containsExactly("/app/key.pem", "/app/creds");
    ContentMatch m = idx.matches().get(0);
    assertThat(m.search()).isEqualTo("keys");
    assertThat(m.needles()).containsExactly("PRIVATE KEY");
    assertThat(m.excerpts()).singleElement().satisfies(e -> {
      assertThat(e.offset()).isZero();
      assertThat(e.text()).contains("BEGIN RSA PRIVATE KEY").contains("END RSA PRIVATE KEY");
    });
    assertThat(idx.matches().get(1).needles()).containsExactly("AKIA");
  }

  @Test
  void scan_contentSearch_skipsFilesOverTheSizeLimit() {
    ScanInterest.ContentSearch small = new ScanInterest.ContentSearch("s", List.of(), List.of(), 10, List.of("AKIA"));
    BuiltImage img = ImageBuilder.image().layer(l -> l.file("/big", "xxxxxxxxxxAKIA", 0644).file("/small", "AKIA", 0644)).build();
    assertThat(scan(img, ScanInterest.search(small)).matches()).extracting(ContentMatch::path).containsExactly("/small");
  }

  @Test
  void scan_everyInterestOnOneFile_readsTheLayerOnce() {
    // an executable that is captured, searched and checked for a marker: one read of the blob, all three answered
    byte[] body = ("#!/bin/sh\nAKIAABCDEFGHIJKLMNOP\n" + "x".repeat(200_000) + "BusyBox v1\n").getBytes(StandardCharsets.ISO_8859_1);
    BuiltImage img = ImageBuilder.image().layer(l -> l.file("/usr/bin/tool", body, 0755)).build();
    ScanInterest interest = ScanInterest.capture(Glob.compile("/usr/bin/tool"), 64)
        .and(ScanInterest.search(KEYS))
        .and(ScanInterest.marker("busybox", "BusyBox v"));
    AtomicInteger opens = new AtomicInteger();
    LayerIndex idx = scanOnly(img, interest, ScanLimits.DEFAULT, opens);
    assertThat(opens).hasValue(1);
    assertThat(idx.content().get("/usr/bin/tool")).hasSize(64);
    assertThat(idx.truncated()).containsExactly("/usr/bin/tool");
    assertThat(idx.matches()).extracting(ContentMatch::path).containsExactly("/usr/bin/tool");
    assertThat(idx.entries()).singleElement().satisfies(e -> assertThat(e.markers()).containsExactly("busybox"));
  }

  @Test
  void scan_markerStraddlingTheCapturedHead_isFound() {
    // the marker starts inside the bytes read for a capture and ends after them
    byte[] body = ("y".repeat(60) + "BusyBox v1" + "z".repeat(100)).getBytes(StandardCharsets.ISO_8859_1);
    BuiltImage img = ImageBuilder.image().layer(l -> l.file("/bin/x", body, 0755)).build();
    ScanInterest interest = ScanInterest.capture(Glob.compile("/bin/x"), 64).and(ScanInterest.marker("busybox", "BusyBox v"));
    assertThat(scan(img, interest).entries()).singleElement().satisfies(e -> assertThat(e.markers()).containsExactly("busybox"));
  }

  @Test
  void merge_capturedGlobContent_isVisibleInTheMergedFilesystemAndPerLayer() {
    BuiltImage img = ImageBuilder.image()
        .layer(l -> l.file("/secret/.env", "A=1", 0644))
        .layer(l -> l.whiteout("/secret/.env"))
        .build();
    Image image = img.toImage("t");
    LayerScanner scanner = new LayerScanner(ScanInterest.capture(Glob.compile("**/.env"), 100), ScanLimits.DEFAULT);
    List<LayerIndex> idx = image.layers().stream().map(scanner::scan).toList();
    assertThat(Filesystem.merge(idx).content("/secret/.env")).isEmpty();
    assertThat(idx.get(0).content()).containsOnlyKeys("/secret/.env");
    assertThat(idx.get(1).deletes("/secret/.env")).isTrue();
    assertThat(Map.copyOf(idx.get(0).content()).get("/secret/.env")).containsExactly('A', '=', '1');
  }

  @Test
  void cache_roundTrip_keepsTruncationAndContentMatches() throws Exception {
    BuiltImage img = ImageBuilder.image().layer(l -> l.file("/db", "0123456789", 0644)
        .file("/app/key", "x -----BEGIN RSA PRIVATE KEY----- y", 0600)).build();
    ScanInterest interest = ScanInterest.capture(Glob.compile("/db"), 4).and(ScanInterest.search(KEYS));
    LayerIndex idx = scan(img, interest);
    LayerIndex back = LayerCache.decode(LayerCache.encode(idx), idx.diffId());
    assertThat(back.truncated()).containsExactly("/db");
    assertThat(back.matches()).singleElement().satisfies(m -> {
      assertThat(m.path()).isEqualTo("/app/key");
      assertThat(m.needles()).containsExactly("PRIVATE KEY");
      assertThat(m.text()).isEqualTo(idx.matches().get(0).text());
    });
    assertThat(LayerCache.key(interest, ScanLimits.DEFAULT)).isNotEqualTo(LayerCache.key(ScanInterest.search(KEYS), ScanLimits.DEFAULT));
  }
}
