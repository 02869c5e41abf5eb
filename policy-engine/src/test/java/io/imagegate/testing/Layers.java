package io.imagegate.testing;

import io.imagegate.build.ImageBuilder;
import io.imagegate.build.LayerBuilder;
import io.imagegate.image.Digest;
import io.imagegate.image.Layer;
import io.imagegate.image.MediaTypes;
import io.imagegate.scan.Filesystem;
import io.imagegate.scan.LayerIndex;
import io.imagegate.scan.LayerScanner;
import io.imagegate.scan.ScanInterest;
import io.imagegate.scan.ScanLimits;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** Layers for scanner and filesystem tests: built with {@link LayerBuilder}, or raw tars. */
public final class Layers {
  private Layers() {}

  /** Builds an image of these layers (base first) and scans each. */
  @SafeVarargs
  public static List<LayerIndex> scan(ScanInterest interest, Consumer<LayerBuilder>... layers) {
    ImageBuilder b = ImageBuilder.image();
    for (Consumer<LayerBuilder> l : layers) {
      b.layer(l);
    }
    return ImageSnapshot.scan(b.build().toImage("test"), interest);
  }

  /** Builds, scans and merges these layers (base first). */
  @SafeVarargs
  public static Filesystem merge(Consumer<LayerBuilder>... layers) {
    return Filesystem.merge(scan(ScanInterest.NONE, layers));
  }

  /** Builds, scans with {@code interest} and merges these layers. */
  @SafeVarargs
  public static Filesystem merge(ScanInterest interest, Consumer<LayerBuilder>... layers) {
    return Filesystem.merge(scan(interest, layers));
  }

  /** An uncompressed layer whose blob is {@code tar}, verified by its diff id only. */
  public static Layer raw(int index, byte[] tar) {
    return new Layer(index, MediaTypes.OCI_LAYER, Optional.empty(), tar.length, Digest.sha256Of(tar),
        () -> new ByteArrayInputStream(tar));
  }

  /** Scans raw tars as layers 0, 1, … and merges them. */
  public static Filesystem mergeRaw(ScanInterest interest, byte[]... tars) {
    LayerScanner scanner = new LayerScanner(interest, ScanLimits.DEFAULT);
    List<LayerIndex> indexes = new ArrayList<>();
    for (int i = 0; i < tars.length; i++) {
      indexes.add(scanner.scan(raw(i, tars[i])));
    }
    return Filesystem.merge(indexes);
  }
}
