package io.imagegate.facts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.imagegate.build.BuiltImage;
import io.imagegate.build.ImageBuilder;
import io.imagegate.scan.LayerIndex;
import io.imagegate.scan.LayerScanner;
import io.imagegate.scan.ScanInterest;
import io.imagegate.scan.ScanLimits;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tests for {@link Efficiency}, against numbers computed by hand from dive's definitions. */
class EfficiencyTest {
  private static Efficiency of(BuiltImage img) {
    LayerScanner scanner = new LayerScanner(ScanInterest.NONE, ScanLimits.DEFAULT);
    List<LayerIndex> idx = img.toImage("t").layers().stream().map(scanner::scan).toList();
    return Efficiency.of(idx);
  }

  @Test
  void of_divesOwnTestCase_scoresThreeQuarters() {
    // dive's filetree.TestEfficency: no directory entries, so the whiteout of /etc/nginx sizes 0
    BuiltImage img = ImageBuilder.image()
        .layer(l -> l.zeroFile("/etc/nginx/nginx.conf", 2000, 0644).zeroFile("/etc/nginx/public", 3000, 0644))
        .layer(l -> l.zeroFile("/etc/nginx/nginx.conf", 5000, 0644).zeroFile("/etc/athing", 10000, 0644))
        .layer(l -> l.whiteout("/etc/nginx"))
        .build();
    Efficiency e = of(img);
    // minimum 2000 + 3000 + 10000 + 0, cumulative 7000 + 3000 + 10000 + 0
    assertThat(e.score()).isEqualTo(0.75);
    assertThat(e.inefficiencies()).singleElement().satisfies(i -> {
      assertThat(i.path()).isEqualTo("/etc/nginx/nginx.conf");
      assertThat(i.cumulativeSize()).isEqualTo(7000);
      assertThat(i.layers()).containsExactly(0, 1);
    });
    assertThat(e.wastedBytes()).isEqualTo(7000);
    assertThat(e.sizeBytes()).isEqualTo(20000);
    assertThat(e.userSizeBytes()).isEqualTo(15000);
    assertThat(e.userWastedShare()).isCloseTo(7000.0 / 15000, within(1e-12));
  }

  @Test
  void of_deletedDirectoryWithEntries_sizesWhatItDeleted() {
    // as docker writes layers: directories have entries, so the whiteout of /etc/nginx sizes
    // what was below it then: nginx.conf as layer 1 left it (5000) and public (3000)
    BuiltImage img = ImageBuilder.image()
        .layer(l -> l.dir("/etc", 0755).dir("/etc/nginx", 0755)
            .zeroFile("/etc/nginx/nginx.conf", 2000, 0644).zeroFile("/etc/nginx/public", 3000, 0644))
        .layer(l -> l.dir("/etc", 0755).dir("/etc/nginx", 0755)
            .zeroFile("/etc/nginx/nginx.conf", 5000, 0644).zeroFile("/etc/athing", 10000, 0644))
        .layer(l -> l.dir("/etc", 0755).whiteout("/etc/nginx"))
        .build();
    Efficiency e = of(img);
    // /etc/nginx appears once (as the whiteout, 8000): minimum 2000+3000+10000+8000, cumulative 7000+3000+10000+8000
    assertThat(e.score()).isCloseTo(23000.0 / 28000, within(1e-12));
    assertThat(e.wastedBytes()).isEqualTo(7000);
  }

  @Test
  void of_overwrittenAndDeletedFiles_countEveryCopy() {
    BuiltImage img = ImageBuilder.image()
        .layer(l -> l.zeroFile("/base", 1000, 0644))
        .layer(l -> l.dir("/app", 0755).zeroFile("/app/cache", 4000, 0644).zeroFile("/app/bin", 100, 0755))
        .layer(l -> l.dir("/app", 0755).whiteout("/app/cache").zeroFile("/app/bin", 100, 0755))
        .build();
    Efficiency e = of(img);
    // /base 1000/1000, /app/cache [4000, whiteout 0] min 0, /app/bin [100, 100] min 100
    assertThat(e.score()).isCloseTo(1100.0 / 5200, within(1e-12));
    // dive counts the surviving copy of /app/bin too: 4000 + 200
    assertThat(e.wastedBytes()).isEqualTo(4200);
    assertThat(e.userSizeBytes()).isEqualTo(4200);
    assertThat(e.userWastedShare()).isEqualTo(1.0);
    assertThat(e.inefficiencies()).extracting(Efficiency.Inefficiency::path).containsExactly("/app/cache", "/app/bin");
  }

  @Test
  void of_cleanImage_isFullyEfficient_scratchToo() {
    BuiltImage img = ImageBuilder.image()
        .layer(l -> l.zeroFile("/lib/libc.so", 5000, 0644))
        .layer(l -> l.zeroFile("/app", 300, 0755))
        .build();
    Efficiency e = of(img);
    assertThat(e.score()).isEqualTo(1.0);
    assertThat(e.wastedBytes()).isZero();
    assertThat(e.userWastedShare()).isZero();
    Efficiency empty = of(ImageBuilder.image().layer(l -> l.zeroFile("/nothing", 0, 0644)).build());
    assertThat(empty.score()).isEqualTo(1.0);
  }

  @Test
  void userWastedShare_singleLayerWithWaste_isInfiniteAsInDive() {
    assertThat(new Efficiency(0.5, 10, 10, 0, List.of()).userWastedShare()).isInfinite();
    assertThat(new Efficiency(1, 0, 10, 0, List.of()).userWastedShare()).isZero();
  }
}
